"""Casting throughput: the service layer against raw INSERTs of the same rows.

    .venv/bin/python bench/vote_cast.py [--voters 10000] [--threads 8] [--rounds 3]
                                        [--backends sqlite,postgresql] [--pg-url URL]

For each backend a scratch database is created (a temporary SQLite file; a
throw-away PostgreSQL database, dropped afterwards) with one roll of N distinct
eligible voters. Each round opens two fresh votes and, in alternating order:

* service: N voters cast concurrently (``--threads`` threads, each with its
  own transactions) through ``voting.actions.cast_ballot`` on a Core
  transaction (``engine.begin()``, as the raw rounds) — role matrix, typed input,
  choice validation, and the one statement that checks eligibility and writes
  participation + ballot (the page adds an ORM session, ~40 µs, on top);
* raw: the same number of participation + ballot row pairs, INSERTed in one
  transaction each with no application logic (values prepared beforehand),
  as two SQLAlchemy Core INSERT executions on the same engine: the target's
  baseline (service ≥ 70 % of it);
* raw-driver: the same two INSERTs handed straight to the driver
  (``exec_driver_sql``, no SQLAlchemy statement processing), printed as a
  stricter reference, because the service's casting statement goes to the
  driver that way.

Afterwards it counts: ballots == participations == N and N distinct voter
keys per vote (0 lost, 0 duplicates). It prints votes/s, p50/p99 latency per
round and the medians over rounds, and the service/raw ratio (target ≥ 70 %).
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULT_PG = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run_threads(n_threads: int, jobs: list, work) -> tuple[float, list[float], list[BaseException]]:
    """Run ``work(job)`` for every job on ``n_threads`` threads; wall time and per-job latencies."""
    lock = threading.Lock()
    index = [0]
    latencies: list[float] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(n_threads + 1)

    def worker():
        local: list[float] = []
        barrier.wait()
        while True:
            with lock:
                i = index[0]
                index[0] += 1
            if i >= len(jobs):
                break
            started = time.perf_counter()
            try:
                work(jobs[i])
            except BaseException as exc:  # noqa: BLE001 - counted and reported
                with lock:
                    errors.append(exc)
            local.append(time.perf_counter() - started)
        with lock:
            latencies.extend(local)

    threads = [threading.Thread(target=worker) for _ in range(n_threads)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - started, latencies, errors


def bench_backend(name: str, url: str, args) -> dict:
    from sqlalchemy import func, insert
    from sqlmodel import Session, SQLModel, select

    import syros_app.models  # noqa: F401
    from syros_app.core import db
    from syros_app.core.timefmt import utcnow
    from syros_app.identity.hashing import taxid_hmac, with_check_digit
    from syros_app.identity.models import VoterRoll, VoterRollEntry
    from syros_app.identity.roles import MUNICIPAL_UNITS, Actor, Role
    from syros_app.voting import actions, queries, rules, sealing
    from syros_app.voting.actions import OptionInput
    from syros_app.voting.models import Ballot, VoteParticipation

    engine = db.make_engine(url)
    SQLModel.metadata.create_all(engine)
    staff = Actor(person_id=0, display_name="bench", taxid_hmac="", roles=frozenset({Role.ADMINISTRATOR}))
    taxids = [with_check_digit(str(40_000_000 + i)) for i in range(args.voters)]
    voters = [Actor(person_id=0, display_name="v", taxid_hmac=taxid_hmac(t), birth_year=1970, roles=frozenset({Role.RESIDENT}))
              for t in taxids]
    with Session(engine) as session:
        roll = VoterRoll(name=f"bench {uuid.uuid4().hex[:6]}", created_at=utcnow(), entry_count=len(taxids))
        session.add(roll)
        session.flush()
        session.execute(insert(VoterRollEntry), [
            {"roll_id": roll.id, "taxid_hmac": v.taxid_hmac, "municipal_unit": MUNICIPAL_UNITS[i % 3]} for i, v in enumerate(voters)])
        session.commit()
        roll_id = roll.id

    def new_vote(label: str) -> tuple[int, list[int]]:
        with db.session_scope(engine) as session:
            vote = actions.create_vote(session, actor=staff, title=f"bench {label}", question="?", kind="single",
                                       roll_id=roll_id, options=[OptionInput("Α"), OptionInput("Β"), OptionInput("Γ")])
            vote.encrypted = False  # LEGACY plaintext row: this bench measures the plaintext cast path
            session.add(vote)
            actions.open_vote(session, actor=staff, vote_id=vote.id, closes_at=utcnow() + timedelta(days=1))
            return vote.id, [o.id for o in queries.options_of(session, vote.id)]

    def service_round(vote_id: int, option_ids: list[int]):
        jobs = [(v, [option_ids[i % 3]]) for i, v in enumerate(voters)]
        def cast(job):
            with engine.begin() as connection:  # a Core transaction, as the raw rounds use
                actions.cast_ballot(connection, actor=job[0], vote_id=vote_id, choice=job[1])

        return run_threads(args.threads, jobs, cast)

    def in_transaction(work):
        """``work(conn, row)`` in one transaction per row, retried if SQLite ever reports busy (the busy timeout should queue it)."""
        def run(row):
            for attempt in range(50):
                try:
                    with engine.begin() as conn:
                        work(conn, row)
                    return
                except Exception as exc:  # noqa: BLE001 - SQLite busy: retry like the service does
                    if "locked" not in str(exc).lower() or attempt == 49:
                        raise
                    time.sleep(0.001 * (attempt + 1))
        return run

    def raw_round(vote_id: int, option_ids: list[int]):
        today = date.today()
        rows = []
        for i, v in enumerate(voters):  # prepared outside the timed part: no logic while timing
            tracker = rules.make_tracker()
            rows.append((
                {"id": secrets.token_hex(16), "vote_id": vote_id, "voter_key": queries.voter_key(v, vote_id),
                 "municipal_unit": MUNICIPAL_UNITS[i % 3], "voted_on": today,
                 "sealed_tracker": sealing.seal(tracker, vote_id=vote_id, person_taxid_hmac=v.taxid_hmac)},
                {"id": secrets.token_hex(16), "vote_id": vote_id, "tracker": tracker, "choice": str(option_ids[i % 3])},
            ))
        part_insert, ballot_insert = VoteParticipation.__table__.insert(), Ballot.__table__.insert()

        def work(conn, row):
            conn.execute(part_insert, row[0])
            conn.execute(ballot_insert, row[1])

        return run_threads(args.threads, rows, in_transaction(work))

    def raw_driver_round(vote_id: int, option_ids: list[int]):
        today = date.today().isoformat()
        rows = []
        for i, v in enumerate(voters):
            tracker = rules.make_tracker()
            rows.append({"p_id": secrets.token_hex(16), "vote_id": vote_id, "voter_key": queries.voter_key(v, vote_id),
                         "municipal_unit": MUNICIPAL_UNITS[i % 3], "voted_on": today,
                         "sealed_tracker": sealing.seal(tracker, vote_id=vote_id, person_taxid_hmac=v.taxid_hmac),
                         "b_id": secrets.token_hex(16), "tracker": tracker, "choice": str(option_ids[i % 3])})
        style = "%({})s" if name == "postgresql" else ":{}"
        part_sql = ("INSERT INTO vote_participation (id, vote_id, voter_key, municipal_unit, voted_on, sealed_tracker) VALUES "
                    f"({', '.join(style.format(k) for k in ('p_id', 'vote_id', 'voter_key', 'municipal_unit', 'voted_on', 'sealed_tracker'))})")
        ballot_sql = ("INSERT INTO vote_ballot (id, vote_id, tracker, choice) VALUES "
                      f"({', '.join(style.format(k) for k in ('b_id', 'vote_id', 'tracker', 'choice'))})")

        def work(conn, row):
            conn.exec_driver_sql(part_sql, row)
            conn.exec_driver_sql(ballot_sql, row)

        return run_threads(args.threads, rows, in_transaction(work))

    def verify(vote_id: int) -> tuple[int, int, int]:
        with Session(engine) as session:
            ballots = session.exec(select(func.count()).select_from(Ballot).where(Ballot.vote_id == vote_id)).one()
            parts = session.exec(select(func.count()).select_from(VoteParticipation).where(VoteParticipation.vote_id == vote_id)).one()
            keys = session.exec(select(func.count(func.distinct(VoteParticipation.voter_key))).where(VoteParticipation.vote_id == vote_id)).one()
        return ballots, parts, keys

    results = {"service": [], "raw": [], "raw-driver": []}
    rounds = {"service": service_round, "raw": raw_round, "raw-driver": raw_driver_round}
    problems = []
    for round_no in range(args.rounds):
        order = ("raw", "service", "raw-driver") if round_no % 2 == 0 else ("raw-driver", "service", "raw")
        for kind in order:
            vote_id, option_ids = new_vote(f"{kind} {round_no}")
            wall, latencies, errors = rounds[kind](vote_id, option_ids)
            ballots, parts, keys = verify(vote_id)
            lost, duplicates = args.voters - keys, parts - keys
            if errors or ballots != parts or lost or duplicates:
                problems.append(f"{kind} round {round_no}: errors={len(errors)} ballots={ballots} participations={parts} "
                                f"lost={lost} duplicates={duplicates} {errors[:1]!r}")
            rate = args.voters / wall
            results[kind].append({"rate": rate, "p50": percentile(latencies, 0.50) * 1000, "p99": percentile(latencies, 0.99) * 1000})
            print(f"  {name:<10} round {round_no} {kind:<10} {rate:8.0f} votes/s  p50 {results[kind][-1]['p50']:6.2f} ms  "
                  f"p99 {results[kind][-1]['p99']:7.2f} ms  ballots={ballots} participations={parts} lost={lost} dup={duplicates}",
                  flush=True)
    engine.dispose()
    summary = {kind: {m: statistics.median(r[m] for r in rows) for m in ("rate", "p50", "p99")} for kind, rows in results.items()}
    summary["ratio"] = summary["service"]["rate"] / summary["raw"]["rate"]
    summary["ratios"] = [s["rate"] / r["rate"] for s, r in zip(results["service"], results["raw"])]
    summary["driver_ratio"] = summary["service"]["rate"] / summary["raw-driver"]["rate"]
    summary["problems"] = problems
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=DEFAULT_PG, help="an admin URL; a scratch database is created beside it")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="vote-bench-"))
    os.environ.setdefault("SYROS_DATA_DIR", str(scratch))
    os.environ.setdefault("SYROS_DATABASE_URL", f"sqlite:///{scratch / 'unused.db'}")
    from sqlalchemy import text

    from syros_app.core.db import make_engine

    summaries = {}
    print(f"vote_cast: {args.voters} distinct eligible voters, {args.threads} threads, {args.rounds} rounds per backend")
    for backend in args.backends.split(","):
        if backend == "sqlite":
            summaries["sqlite"] = bench_backend("sqlite", f"sqlite:///{scratch / 'bench.db'}", args)
        elif backend == "postgresql":
            admin = make_engine(args.pg_url).execution_options(isolation_level="AUTOCOMMIT")
            name = f"vote_bench_{uuid.uuid4().hex[:8]}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                url = admin.url.set(database=name).render_as_string(hide_password=False)
                summaries["postgresql"] = bench_backend("postgresql", url, args)
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()
    print(f"\nmedians over rounds (load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())})")
    ok = True
    for backend, s in summaries.items():
        print(f"  {backend:<10} service {s['service']['rate']:7.0f} votes/s (p50 {s['service']['p50']:.2f} ms, p99 {s['service']['p99']:.2f} ms)"
              f" | raw {s['raw']['rate']:7.0f} rows-pairs/s (p50 {s['raw']['p50']:.2f} ms, p99 {s['raw']['p99']:.2f} ms)"
              f" | service/raw {100 * s['ratio']:.0f} % (rounds: {', '.join(f'{100 * r:.0f} %' for r in s['ratios'])})"
              f" | raw-driver {s['raw-driver']['rate']:7.0f} rows-pairs/s, service/raw-driver {100 * s['driver_ratio']:.0f} %"
              f" | {'0 lost, 0 duplicates' if not s['problems'] else 'PROBLEMS'}")
        for problem in s["problems"]:
            print(f"    ! {problem}")
        ok = ok and not s["problems"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
