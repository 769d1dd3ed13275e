"""Consultation load benchmark: 10,000 comments across 20 sections.

Prints the median server time to build what the consultation page needs — the
section counts and the first page of one section's comments (newest first and
most supported first) — on SQLite and on PostgreSQL (a scratch database on the
local server, created and dropped here), and, with ``--lcp``, the page's Largest
Contentful Paint in Chromium under a mobile profile (Slow 4G: 150 ms RTT,
1.6 Mb/s down; 4x CPU slowdown) against a production server started here, and
when the app has drawn the page itself (its ``#main h1``): the LCP element is
the text served in the page's HTML (``consultations/preview.py``), the app's
own page (buttons, comments) comes after its code and data.

    .venv/bin/python bench/consultation_load.py [--lcp] [--runs 30] [--no-postgres]

Targets: server time ≤ 100 ms; LCP ≤ 2.5 s.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COMMENTS = 10_000
SECTIONS = 20
PEOPLE = 400


def populate(url: str) -> tuple[int, list[int]]:
    """Migrate ``url`` and fill it with one consultation of 10,000 comments; returns (id, section ids)."""
    from sqlalchemy import insert
    from sqlmodel import Session

    import syros_app.models  # noqa: F401
    from syros_app.consultations.models import Comment, Consultation, Section, SectionVersion
    from syros_app.core.db import make_engine
    from syros_app.core.migrations import upgrade
    from syros_app.core.timefmt import utcnow
    from syros_app.identity.models import Person

    upgrade(url)
    engine = make_engine(url)
    rng = random.Random(7)
    now = utcnow()
    start = now - timedelta(days=20)
    with Session(engine) as session:
        session.execute(insert(Person), [{"taxid_hmac": f"bench-{i:06d}", "display_name": f"Κάτοικος {i}",
                                          "birth_year": 1950 + i % 50} for i in range(PEOPLE)])
        c = Consultation(title="Δοκιμή φόρτου: κανονισμός παραλιών", summary="Δοκιμή φόρτου", category="environment",
                         opens_at=start, closes_at=now + timedelta(days=10), status="open", created_at=start)
        session.add(c)
        session.flush()
        sections = []
        for i in range(1, SECTIONS + 1):
            s = Section(consultation_id=c.id, position=i, title=f"Άρθρο {i}", body="Κείμενο του άρθρου. " * 40)
            session.add(s)
            session.flush()
            session.add(SectionVersion(section_id=s.id, version=1, title=s.title, body=s.body, created_at=start))
            sections.append(s.id)
        session.flush()
        person_ids = [row[0] for row in session.execute(Person.__table__.select().with_only_columns(Person.id))]
        top: list[tuple[int, int]] = []  # (id, section)
        batch = []
        next_id = 1
        # 70% top-level comments, 30% replies to an earlier comment of the same section
        for n in range(COMMENTS):
            section = sections[n % SECTIONS]
            created = start + timedelta(seconds=n * 150)
            agree, disagree = rng.randint(0, 40), rng.randint(0, 15)
            row = {"id": next_id, "consultation_id": c.id, "section_id": section, "section_key": section,
                   "person_id": rng.choice(person_ids), "body": "Σχόλιο δοκιμής φόρτου με αρκετό κείμενο. " * 4,
                   "status": "visible" if rng.random() > 0.02 else "hidden", "hidden_reason": "",
                   "links_approved": False, "created_at": created, "agree_count": agree, "disagree_count": disagree,
                   "support_score": agree - disagree, "depth": 0, "parent_id": None, "root_id": None}
            candidates = [t for t in top[-200:] if t[1] == section]
            if n % 10 in (3, 6, 9) and candidates:
                parent = rng.choice(candidates)
                row.update(parent_id=parent[0], root_id=parent[0], depth=1)
            else:
                top.append((next_id, section))
            batch.append(row)
            next_id += 1
        for i in range(0, len(batch), 1000):
            session.execute(insert(Comment), batch[i:i + 1000])
        session.commit()
        cid = c.id
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            from sqlalchemy import text

            conn.execute(text("ANALYZE"))
    else:
        with engine.connect() as conn:
            from sqlalchemy import text

            conn.execute(text("ANALYZE"))
    engine.dispose()
    return cid, sections


def time_queries(url: str, cid: int, sections: list[int], runs: int) -> dict[str, float]:
    from sqlmodel import Session

    from syros_app.consultations import queries
    from syros_app.core.db import make_engine

    engine = make_engine(url)
    results: dict[str, list[float]] = {"counts": [], "page_newest": [], "page_supported": [], "whole_page_load": []}
    with Session(engine) as session:  # warm the connection pool and caches once
        queries.section_counts(session, cid)
    for i in range(runs):
        section = sections[i % len(sections)]
        with Session(engine) as session:
            t0 = time.perf_counter()
            counts = queries.section_counts(session, cid)
            t1 = time.perf_counter()
            page = queries.comment_page(session, cid, section_key=section, sort="newest")
            t2 = time.perf_counter()
            queries.comment_page(session, cid, section_key=section, sort="supported")
            t3 = time.perf_counter()
        # everything the page's on_load asks for, in one session
        with Session(engine) as session:
            t4 = time.perf_counter()
            c = queries.get_consultation(session, cid)
            secs = queries.sections_of(session, c.id)
            queries.versions_of(session, [s.id for s in secs])
            queries.attachments_of(session, c.id)
            queries.section_counts(session, c.id)
            queries.comment_page(session, c.id, section_key=section, sort="newest")
            t5 = time.perf_counter()
        assert sum(counts.values()) > 9000 and len(page.items) >= 20
        results["counts"].append((t1 - t0) * 1000)
        results["page_newest"].append((t2 - t1) * 1000)
        results["page_supported"].append((t3 - t2) * 1000)
        results["whole_page_load"].append((t5 - t4) * 1000)
    engine.dispose()
    return {k: statistics.median(v) for k, v in results.items()}


def report(label: str, medians: dict[str, float]) -> None:
    ok = all(v <= 100 for v in medians.values())
    print(f"{label:<11} counts {medians['counts']:6.1f} ms | first page newest {medians['page_newest']:6.1f} ms | "
          f"most supported {medians['page_supported']:6.1f} ms | whole page data {medians['whole_page_load']:6.1f} ms "
          f"(median; target ≤ 100 ms: {'OK' if ok else 'MISSED'})")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def measure_lcp(data_dir: Path, db_url: str, paths: list[tuple[str, str]], runs: int) -> dict[str, float] | None:
    """Median LCP (ms) of each path under a mobile profile, against a production server started here.

    ``paths`` are (path, CSS selector that shows the page's data has arrived)."""
    from playwright.sync_api import sync_playwright

    port = _free_port()
    env = {**os.environ, "SYROS_PORT": str(port), "SYROS_DATA_DIR": str(data_dir), "SYROS_DATABASE_URL": db_url,
           "SYROS_PUBLIC_URL": f"http://localhost:{port}", "REFLEX_TELEMETRY_ENABLED": "false",
           "REFLEX_USE_SYSTEM_BUN": "1",
           "PATH": f"{ROOT / '.tools/node_modules/.bin'}:{ROOT / '.venv/bin'}:{os.environ.get('PATH', '')}"}
    log = open(data_dir / "server.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "reflex", "run", "--env", "prod", "--loglevel", "warning"], cwd=ROOT,
                            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(base + "/ping", timeout=2):
                    break
            except OSError:
                time.sleep(1)
        else:
            print("LCP: the server did not start")
            return None
        values: dict[str, list[float]] = {path: [] for path, _ in paths}
        drawn: dict[str, list[float]] = {path: [] for path, _ in paths}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
                                        args=["--no-sandbox", "--disable-gpu"])
            for _, (path, ready) in [(i, item) for i in range(runs) for item in paths]:
                context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                                              device_scale_factor=2)
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 150,
                                                              "downloadThroughput": 1.6 * 1024 * 1024 / 8,
                                                              "uploadThroughput": 750 * 1024 / 8})
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
                page.add_init_script("""
                    window.__lcp = 0; window.__drawn = 0;
                    new PerformanceObserver(list => { for (const e of list.getEntries()) window.__lcp = e.startTime; })
                      .observe({type: 'largest-contentful-paint', buffered: true});
                    new MutationObserver((_, o) => { if (document.querySelector('#main h1')) {
                      window.__drawn = performance.now(); o.disconnect(); } })
                      .observe(document, {childList: true, subtree: true});
                """)
                page.goto(f"{base}{path}", wait_until="load")
                page.wait_for_selector(ready, timeout=60000)
                page.wait_for_timeout(1500)
                values[path].append(page.evaluate("window.__lcp"))
                drawn[path].append(page.evaluate("window.__drawn"))
                context.close()
            browser.close()
        return {path: (statistics.median(v), statistics.median(drawn[path])) for path, v in values.items()}
    finally:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(proc.pid, sig)
                proc.wait(timeout=10)
                break
            except (ProcessLookupError, subprocess.TimeoutExpired):
                continue
        log.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--lcp", action="store_true", help="also measure LCP in Chromium (starts a prod server)")
    parser.add_argument("--lcp-runs", type=int, default=5)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="consultation-bench-") as tmp:
        data_dir = Path(tmp)
        os.environ["SYROS_DATA_DIR"] = str(data_dir)
        sqlite_url = f"sqlite:///{data_dir / 'agora.db'}"
        os.environ["SYROS_DATABASE_URL"] = sqlite_url
        t0 = time.perf_counter()
        cid, sections = populate(sqlite_url)
        print(f"SQLite: {COMMENTS} comments across {SECTIONS} sections loaded in {time.perf_counter() - t0:.1f} s")
        report("SQLite", time_queries(sqlite_url, cid, sections, args.runs))

        if not args.no_postgres:
            from sqlalchemy import text

            from syros_app.core.db import make_engine

            admin_url = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
            try:
                admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
                name = f"syros_bench_{uuid.uuid4().hex[:8]}"
                with admin.connect() as conn:
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
            except Exception as exc:  # noqa: BLE001
                print(f"PostgreSQL: not reachable at {admin_url} ({exc.__class__.__name__}); skipped")
            else:
                pg_url = admin.url.set(database=name).render_as_string(hide_password=False)
                try:
                    cid_pg, sections_pg = populate(pg_url)
                    report("PostgreSQL", time_queries(pg_url, cid_pg, sections_pg, args.runs))
                finally:
                    with admin.connect() as conn:
                        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                    admin.dispose()

        if args.lcp:
            # the home page is the shell's own floor, for comparison
            lcp = measure_lcp(data_dir, sqlite_url, [(f"/consultations/{cid}", "li.comment"), ("/", "main h1")],
                              args.lcp_runs)
            for path, (value, drawn) in (lcp or {}).items():
                print(f"LCP of {path} (mobile: Slow 4G, 4x CPU), median of {args.lcp_runs}: "
                      f"{value / 1000:.2f} s (target ≤ 2.5 s: {'OK' if value <= 2500 else 'MISSED'}); "
                      f"the app has drawn the page itself at {drawn / 1000:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
