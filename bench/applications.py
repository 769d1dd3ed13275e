"""E-applications at scale: the signed answer, the receipt, the staff queue.

    .venv/bin/python bench/applications.py [--applications 50000] [--runs 15] [--pg URL]

Prints the median time (wall and CPU of this process) of:
  * signing the answer PDF with the municipality's certificate (PAdES), target ≤ 500 ms;
  * drawing the answer PDF and the receipt PDF;
  * validating a signed answer with pyHanko's validator;
and, on SQLite and (when it answers) PostgreSQL, with 50,000 applications:
  * the staff queue's filtered first page for a department officer — the query and the
    rows turned into what the page shows (SLA clock included), target ≤ 100 ms;
  * a submission including its receipt PDF (``file_application``: numbers, timeline,
    receipt, announcement, commit), target ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("SYROS_DATA_DIR", tempfile.mkdtemp(prefix="syros-bench-"))

from service_levels import bulk_insert, median_ms, on_both  # noqa: E402  (bench/ is on the path when run as a script)

from syros_app.applications import documents, signing  # noqa: E402

WHEN = datetime(2026, 3, 9, 8, 30, tzinfo=timezone.utc)
ANSWER = documents.AnswerData(
    reference="A-2026-000123", service="Άδεια τραπεζοκαθισμάτων", applicant="Στέλλα Βαφειάδη",
    outgoing_protocol="Εξ. 12/2026", incoming_protocol="Εισ. 1234/2026", officer="Μαρία Παππά",
    decision="Εγκρίνεται η χρήση 8 τ.μ. πεζοδρομίου μπροστά από το κατάστημα, από 1 Απριλίου έως 31 Οκτωβρίου. " * 4,
    answered_at=WHEN, department="Διεύθυνση Οικονομικών")
RECEIPT = documents.ReceiptData(
    reference="A-2026-000123", service="Παραλαβή ογκωδών αντικειμένων", applicant="Στέλλα Βαφειάδη",
    submitted_at=WHEN, protocol_number="Εισ. 1234/2026", target_date=date(2026, 3, 16),
    answers=tuple((f"Πεδίο {i}", "Ερμού 12, Ερμούπολη") for i in range(8)))


def pdf_section(runs: int) -> None:
    answer_pdf = documents.render_answer(ANSWER)
    signed = signing.sign_pdf(answer_pdf, reason="bench")
    for label, fn, target in (
        ("signing the answer PDF (PAdES, pyHanko)", lambda: signing.sign_pdf(answer_pdf, reason="bench"), " (target ≤ 500)"),
        ("drawing + signing the answer PDF", lambda: documents.signed_answer(ANSWER), ""),
        ("drawing the receipt PDF", lambda: documents.render_receipt(RECEIPT), ""),
        ("validating a signed answer", lambda: signing.validate(signed), ""),
    ):
        wall, cpu = median_ms(fn, runs)
        print(f"  {label}: median {wall:.1f} ms wall, {cpu:.1f} ms CPU{target}")


def fill(engine, n: int) -> None:
    """The demo catalogue and ``n`` applications over two years, inserted in bulk."""
    from sqlmodel import Session, SQLModel, select

    import syros_app.models  # noqa: F401
    from syros_app.applications import demo
    from syros_app.applications.models import Application, FormVersion, Service
    from syros_app.core.timefmt import utcnow

    SQLModel.metadata.create_all(engine)
    now = utcnow()
    with Session(engine) as session:
        demo.load_services(session, now)
        demo.load_slots(session, now)
        session.commit()
        services = session.exec(select(Service).where(Service.govgr_url.is_(None))).all()
        forms = {f.service_id: f.id for f in session.exec(select(FormVersion))}
        for service in services:
            session.expunge(service)
    bulk_insert(engine, Application, application_rows(n, services, forms, now))


def application_rows(n: int, services, forms, now):
    from syros_app.reports import rules as calendar

    rng = random.Random(7)
    for i in range(n):
        service = rng.choice(services)
        submitted = now - timedelta(seconds=rng.uniform(3600, 2 * 365 * 86400))
        status = rng.choices(("received", "in_progress", "info_requested", "answered", "closed"), (5, 10, 3, 30, 52))[0]
        answered = submitted + timedelta(days=rng.uniform(1, 20)) if status in ("answered", "closed") else None
        yield dict(
            reference=f"ΒΕΝ-{i:07d}", person_id=None, service_id=service.id, form_version_id=forms[service.id],
            department=service.department, answers=json.dumps({"purpose": "bench"}), status=status,
            channel="online" if rng.random() < 0.8 else "counter", filed_by=None, started_at=submitted,
            submitted_at=submitted, updated_at=submitted, in_protocol_year=2026, in_protocol_number=i + 1,
            in_protocol_at=submitted, out_protocol_year=None, out_protocol_number=None, assigned_to=None,
            target_days=service.target_days or 5, due_at=calendar.add_working_days(submitted, service.target_days or 5),
            paused_days=0.0, paused_since=submitted if status == "info_requested" else None, answered_at=answered,
            closed_at=None, decision_work_days=3.0 if answered else None, pickup_slot_id=None,
            rating_score=None, rating_comment=None, rated_at=None)


def database_section(name: str, engine, n: int, runs: int) -> None:
    from sqlmodel import Session, select

    from syros_app.applications import desk_queries, desk_views, receipt
    from syros_app.applications.actions import file_application, latest_form
    from syros_app.applications.models import Service
    from syros_app.core.timefmt import utcnow
    from syros_app.identity.models import Person
    from tests.support.refusal_cases.applications_desk import ANSWERS

    fill(engine, n)
    print(f"{name}: {n:,} applications")
    with Session(engine) as session:
        person = Person(taxid_hmac=uuid.uuid4().hex, display_name="Bench")
        session.add(person)
        session.commit()
        person_id = session.exec(select(Person.id)).first()
        cemetery = session.exec(select(Service).where(Service.slug == "cemetery-certificate")).one()
        service_id = cemetery.id

    def first_page():
        with Session(engine) as session:
            now = utcnow()
            filters = desk_queries.QueueFilters(overdue_only=True)
            rows, _more = desk_queries.queue(session, department="cleaning", filters=filters, person_id=None, now=now)
            [desk_views.queue_item(r, now, "el") for r in rows]

    def submission():
        """What the resident waits for: the filing's transaction, then her receipt drawn."""
        with Session(engine, expire_on_commit=False) as session:
            service = session.get(Service, service_id)
            filed = file_application(session, service=service, form=latest_form(session, service.id),
                                     person_id=person_id, answers=ANSWERS, channel="online", filed_by=None,
                                     draft=None, now=utcnow(), applicant_name="Bench")
            session.commit()
            receipt.render(session, filed)

    for label, fn, target in (("staff queue, officer's department, overdue only, first page", first_page, 100),
                              ("submission including the receipt PDF", submission, 300)):
        wall, cpu = median_ms(fn, runs)
        print(f"  {label}: median {wall:.1f} ms wall, {cpu:.1f} ms CPU (target ≤ {target})")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--pg", default=os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("documents:")
    pdf_section(args.runs)
    return on_both(args.pg, lambda name, engine: database_section(name, engine, args.applications, args.runs))


if __name__ == "__main__":
    sys.exit(main())
