"""Demo data loads once, in Greek, with valid people; the home page lists open consultations."""

from datetime import timedelta

from sqlmodel import func, select

from syros_app.consultations import queries
from syros_app.consultations.models import Comment, Consultation, Response
from syros_app.core import registry
from syros_app.core.audit import verify_chain
from syros_app.core.db import session_scope
from syros_app.core.timefmt import utcnow
from syros_app.demo.seed import load_demo_data


def test_demo_is_idempotent_and_complete(engine):
    first = load_demo_data()
    assert first.get("consultations") == 2
    assert load_demo_data().get("consultations") is None
    with session_scope() as session:
        rows = {c.title: c for c in session.exec(select(Consultation)).all()}
        beaches = rows["Κανονισμός χρήσης των δημοτικών παραλιών"]
        traffic = rows["Κυκλοφοριακό σχέδιο του κέντρου της Ερμούπολης"]
        now = utcnow()
        assert queries.phase_of(beaches, now) == "open"
        assert traffic.status == "report_published" and traffic.report_summary
        assert 6 <= len(queries.sections_of(session, beaches.id)) <= 8
        beach_comments = session.exec(select(Comment).where(Comment.consultation_id == beaches.id)).all()
        assert len(beach_comments) >= 12 and any(c.parent_id for c in beach_comments)
        assert any(c.depth == 2 for c in beach_comments)
        assert sum(c.agree_count for c in beach_comments) > 0
        answered = session.exec(select(func.count()).select_from(Comment).where(
            Comment.consultation_id == traffic.id, Comment.response_id.is_not(None))).one()
        assert answered >= 6
        assert {r.outcome for r in session.exec(select(Response)).all()} == {"accepted", "partly", "not_accepted",
                                                                             "out_of_scope"}
        assert any(s.version > 1 and s.change_summary for s in queries.sections_of(session, traffic.id))
        assert verify_chain(session).ok


def test_home_open_now_lists_only_open_consultations(engine):
    load_demo_data()
    with session_scope() as session:
        items = [i for i in registry.open_now(session, utcnow()) if i.kind_key == "consultations.kind"]
        assert [i.title for i in items] == ["Κανονισμός χρήσης των δημοτικών παραλιών"]
        assert items[0].url.startswith("/consultations/")
        later = registry.open_now(session, utcnow() + timedelta(days=60))
        assert [i for i in later if i.kind_key == "consultations.kind"] == []


def test_staff_nav_entries_are_staff_only():
    entries = registry.nav_entries()
    assert "/consultations" in [e.route for e in entries]
    assert "/staff/moderation" not in [e.route for e in entries]
    assert {"/staff/consultations", "/staff/moderation"} <= {e.route for e in registry.nav_entries(staff=True)}
