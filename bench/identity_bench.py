"""Identity figures: voter-roll import, a full gov.gr round trip (stand-in, in process), session lookup.

Run: ``.venv/bin/python bench/identity_bench.py`` (uses a throw-away SQLite database).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
DATA = tempfile.mkdtemp(prefix="syros-bench-")
os.environ.update({"SYROS_DATA_DIR": DATA, "SYROS_DATABASE_URL": f"sqlite:///{DATA}/bench.db",
                   "SYROS_PUBLIC_URL": "http://localhost:3000"})

import httpx  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from syros_app.api.app import create_api  # noqa: E402
from syros_app.core.db import session_scope  # noqa: E402
from syros_app.core.migrations import upgrade  # noqa: E402
from syros_app.core.timefmt import utcnow  # noqa: E402
from syros_app.identity import actions, govgr  # noqa: E402
from syros_app.identity.hashing import taxid_hmac, with_check_digit  # noqa: E402
from syros_app.identity.models import Person, RoleGrant  # noqa: E402
from syros_app.identity.sessions import actor_for, create_login_session, resolve_token  # noqa: E402


def main() -> None:
    upgrade()
    with session_scope() as session:
        admin = Person(taxid_hmac=taxid_hmac(with_check_digit("30000001")), display_name="Admin")
        session.add(admin)
        session.flush()
        session.add(RoleGrant(person_id=admin.id, role="administrator", granted_at=utcnow()))
        session.flush()
        actor = actor_for(session, admin)
    n = 50_000
    text = "\n".join(f"{with_check_digit(str(10_000_000 + i))},Ερμούπολη" for i in range(n))
    started = time.perf_counter()
    with session_scope() as session:
        actions.import_roll(session, actor=actor, name="bench", csv_text=text)
    print(f"roll import: {n} entries in {time.perf_counter() - started:.2f} s (SQLite, parse + HMAC + insert)")

    app = create_api()
    govgr.http_transport = httpx.ASGITransport(app=app)
    timings = []
    with TestClient(app, base_url="http://localhost:3000") as client:
        for _ in range(30):
            t0 = time.perf_counter()
            start = client.get("/auth/login", follow_redirects=False).headers["location"]
            q = {k: v[0] for k, v in parse_qs(urlsplit(start).query).items()}
            fields = {k: q[k] for k in ("client_id", "redirect_uri", "response_type", "scope", "state")}
            cb = client.post("/govgr-stand-in/oauth2server/oauth/authorize", data={**fields, "persona": "nikos"},
                             follow_redirects=False).headers["location"]
            done = client.get(cb[len("http://localhost:3000"):], follow_redirects=False)
            assert done.status_code == 303
            timings.append((time.perf_counter() - t0) * 1000)
    print(f"login round trip (login → stand-in → token → userinfo → session): median {statistics.median(timings):.1f} ms")

    with session_scope() as session:
        token = create_login_session(session, session.get(Person, admin.id))
    lookups = []
    for _ in range(500):
        t0 = time.perf_counter()
        with session_scope() as session:
            assert resolve_token(session, token) is not None
        lookups.append((time.perf_counter() - t0) * 1e6)
    print(f"session lookup (current_actor per event): median {statistics.median(lookups):.0f} µs")


if __name__ == "__main__":
    main()
