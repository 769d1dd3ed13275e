"""Every rule of consultations, on SQLite and PostgreSQL, with audit assertions."""

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from syros_app.consultations import actions, queries, rules
from syros_app.consultations.models import (
    Comment,
    CommentFlag,
    CommentSupport,
    Consultation,
    ModerationBlock,
    SectionVersion,
)
from syros_app.core import events
from syros_app.core.errors import AgoraError, InvalidInput, NotFound, PermissionDenied
from tests.support import personas

from .helpers import NOW, audit_actions, details, last_audit, make_consultation


@pytest.fixture
def people(session):
    return {
        "mod": personas.administrator(session, "moderator"),
        "admin": personas.administrator(session),
        "eleni": personas.resident(session, "eleni", display_name="Ελένη Π."),
        "nikos": personas.resident(session, "nikos", display_name="Νίκος Κ."),
        "maria": personas.resident(session, "maria", display_name="Μαρία Σ."),
    }


@pytest.fixture
def captured():
    seen = []

    @events.subscriber("consultation.opened", "comment.replied")
    def _capture(session, payload, now):
        seen.append(payload)

    yield seen
    for name in ("consultation.opened", "comment.replied"):
        if _capture in events._SUBSCRIBERS[name]:
            events._SUBSCRIBERS[name].remove(_capture)


# --- staff: lifecycle ------------------------------------------------------------------------

def test_staff_create_open_close_publish_with_audit_and_event(session, people, captured):
    c = make_consultation(session, people["mod"], status="draft")
    assert c.status == "draft"
    actions.open_consultation(session, actor=people["admin"], consultation_id=c.id, now=NOW)
    assert c.status == "open" and c.opened_at is not None
    assert captured == [{"consultation_id": c.id, "title": c.title, "area": None, "category": "environment",
                         "url": f"/consultations/{c.id}"}]
    actions.close_consultation(session, actor=people["mod"], consultation_id=c.id, now=NOW, reason="Κλείνει νωρίτερα για τη δοκιμή.")
    assert c.status == "closed" and c.closes_at == NOW
    actions.publish_report(session, actor=people["mod"], consultation_id=c.id, summary="Ευχαριστούμε για τα σχόλια.",
                           now=NOW + timedelta(days=1))
    session.commit()
    assert session.get(Consultation, c.id).status == "report_published"
    assert audit_actions(session) == [
        "consultations.create", "consultations.add_section", "consultations.add_section",
        "consultations.open", "consultations.close", "consultations.publish_report"]
    assert last_audit(session).actor == people["mod"].audit_name


@pytest.mark.parametrize("who", [None, "eleni"])
def test_visitors_and_residents_cannot_do_staff_actions(session, people, who):
    actor = people[who] if who else None
    c = make_consultation(session, people["mod"], status="draft")
    before = audit_actions(session)
    calls = [
        lambda: actions.create_consultation(session, actor=actor, title="Τίτλος", summary="", category="other",
                                            opens_at=NOW, closes_at=NOW + timedelta(days=1)),
        lambda: actions.open_consultation(session, actor=actor, consultation_id=c.id, now=NOW),
        lambda: actions.close_consultation(session, actor=actor, consultation_id=c.id, now=NOW, reason="Κλείνει νωρίτερα για τη δοκιμή."),
        lambda: actions.add_section(session, actor=actor, consultation_id=c.id, title="Νέο", body="Κείμενο"),
        lambda: actions.publish_report(session, actor=actor, consultation_id=c.id, summary="x" * 20),
        lambda: actions.hide_comment(session, actor=actor, comment_id=1, reason="Προσβλητικό"),
        lambda: actions.block_person(session, actor=actor, person_id=people["nikos"].person_id, days=3),
        lambda: actions.add_attachment(session, actor=actor, consultation_id=c.id, filename="a.pdf", data=b"%PDF-1"),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    session.rollback()
    assert audit_actions(session) == before
    assert session.get(Consultation, c.id).status == "draft"


def test_dates_are_validated_and_open_needs_sections_and_a_future_close(session, people):
    with pytest.raises(InvalidInput) as err:
        actions.create_consultation(session, actor=people["mod"], title="Τίτλος", summary="", category="other",
                                    opens_at=NOW, closes_at=NOW - timedelta(hours=1))
    assert err.value.key == "consultations.errors.closes_before_opens"
    with pytest.raises(InvalidInput):
        actions.create_consultation(session, actor=people["mod"], title="Τίτλος", summary="", category="nope",
                                    opens_at=NOW, closes_at=NOW + timedelta(hours=1))
    with pytest.raises(InvalidInput):
        actions.create_consultation(session, actor=people["mod"], title="Τίτλος", summary="", category="other",
                                    area="Νάξος", opens_at=NOW, closes_at=NOW + timedelta(hours=1))
    empty = actions.create_consultation(session, actor=people["mod"], title="Χωρίς άρθρα", summary="", category="other",
                                        opens_at=NOW, closes_at=NOW + timedelta(days=1), now=NOW)
    with pytest.raises(AgoraError) as err:
        actions.open_consultation(session, actor=people["mod"], consultation_id=empty.id, now=NOW)
    assert err.value.key == "consultations.errors.no_sections"
    past = make_consultation(session, people["mod"], status="draft", opens=NOW - timedelta(days=5),
                             closes=NOW - timedelta(days=1))
    with pytest.raises(AgoraError) as err:
        actions.open_consultation(session, actor=people["mod"], consultation_id=past.id, now=NOW)
    assert err.value.key == "consultations.errors.closes_in_past"


def test_comments_only_between_open_and_close(session, people):
    upcoming = make_consultation(session, people["mod"], opens=NOW + timedelta(days=1), closes=NOW + timedelta(days=5))
    with pytest.raises(AgoraError) as err:
        actions.post_comment(session, actor=people["eleni"], consultation_id=upcoming.id, body="Νωρίς", now=NOW)
    assert err.value.key == "consultations.errors.not_accepting_comments"
    c = make_consultation(session, people["mod"])
    actions.post_comment(session, actor=people["eleni"], consultation_id=c.id, body="Εντός χρόνου", now=NOW)
    with pytest.raises(AgoraError):
        actions.post_comment(session, actor=people["eleni"], consultation_id=c.id, body="Αργά",
                             now=NOW + timedelta(days=11))
    draft = make_consultation(session, people["mod"], status="draft")
    with pytest.raises(NotFound):
        actions.post_comment(session, actor=people["eleni"], consultation_id=draft.id, body="Πρόχειρο", now=NOW)
    with pytest.raises(PermissionDenied):
        actions.post_comment(session, actor=None, consultation_id=c.id, body="Ανώνυμο", now=NOW)
    assert queries.phase_of(session.get(Consultation, c.id), NOW + timedelta(days=11)) == "closed"


def test_comment_length_caps(session, people):
    c = make_consultation(session, people["mod"])
    with pytest.raises(InvalidInput) as err:
        actions.post_comment(session, actor=people["eleni"], consultation_id=c.id, body=" a ", now=NOW)
    assert err.value.key == "consultations.errors.comment_too_short"
    with pytest.raises(InvalidInput) as err:
        actions.post_comment(session, actor=people["eleni"], consultation_id=c.id, body="α" * (rules.COMMENT_MAX + 1),
                             now=NOW)
    assert err.value.key == "consultations.errors.comment_too_long"


def test_replies_thread_two_levels_and_publish_comment_replied(session, people, captured):
    c = make_consultation(session, people["mod"])
    sections = queries.sections_of(session, c.id)
    top = actions.post_comment(session, actor=people["eleni"], consultation_id=c.id, section_id=sections[1].id,
                               body="Πρόταση για το άρθρο 2", now=NOW)
    reply = actions.post_comment(session, actor=people["nikos"], consultation_id=c.id, parent_id=top.id,
                                 body="Συμφωνώ, με μια προσθήκη", now=NOW)
    deeper = actions.post_comment(session, actor=people["eleni"], consultation_id=c.id, parent_id=reply.id,
                                  body="Ευχαριστώ για την προσθήκη", now=NOW)
    assert (reply.depth, deeper.depth) == (1, 2)
    assert reply.section_id == deeper.section_id == sections[1].id
    assert deeper.root_id == top.id
    with pytest.raises(AgoraError) as err:
        actions.post_comment(session, actor=people["nikos"], consultation_id=c.id, parent_id=deeper.id,
                             body="Τρίτο επίπεδο", now=NOW)
    assert err.value.key == "consultations.errors.too_deep"
    replies = [p for p in captured if "reply_id" in p]
    assert [p["reply_id"] for p in replies] == [reply.id, deeper.id]
    assert replies[0] == {"comment_id": top.id, "reply_id": reply.id, "person_id": people["eleni"].person_id,
                           "url": f"/consultations/{c.id}#comment-{reply.id}"}
    # replying to yourself announces nothing
    actions.post_comment(session, actor=people["eleni"], consultation_id=c.id, parent_id=top.id,
                         body="Και κάτι ακόμη", now=NOW)
    assert len([p for p in captured if "reply_id" in p]) == 2


def test_rate_limit_counts_in_the_database(session, people, monkeypatch):
    monkeypatch.setenv("SYROS_COMMENTS_PER_10_MIN", "3")
    c = make_consultation(session, people["mod"])
    for i in range(3):
        actions.post_comment(session, actor=people["eleni"], consultation_id=c.id, body=f"Σχόλιο {i}",
                             now=NOW + timedelta(minutes=i))
    session.commit()
    with pytest.raises(AgoraError) as err:
        actions.post_comment(session, actor=people["eleni"], consultation_id=c.id, body="Τέταρτο",
                             now=NOW + timedelta(minutes=5))
    assert err.value.key == "consultations.errors.rate_limited"
    session.rollback()
    # someone else is not limited; and after the window the first person may write again
    actions.post_comment(session, actor=people["nikos"], consultation_id=c.id, body="Άλλος", now=NOW + timedelta(minutes=5))
    actions.post_comment(session, actor=people["eleni"], consultation_id=c.id, body="Αργότερα",
                         now=NOW + timedelta(minutes=10, seconds=30))


def test_pre_moderation_holds_comments_until_approved(session, people, captured):
    c = make_consultation(session, people["mod"], mode="pre")
    top = actions.post_comment(session, actor=people["eleni"], consultation_id=c.id, body="Περιμένει", now=NOW)
    assert top.status == "pending"
    session.commit()
    assert queries.comment_page(session, c.id, viewer=None).total == 0
    assert queries.comment_page(session, c.id, viewer=people["nikos"]).total == 0
    assert [v.id for v in queries.comment_page(session, c.id, viewer=people["eleni"]).items] == [top.id]
    assert queries.waiting_count(session) == 1
    with pytest.raises(AgoraError):  # nobody replies to a comment nobody can see yet
        actions.post_comment(session, actor=people["nikos"], consultation_id=c.id, parent_id=top.id, body="Απάντηση",
                             now=NOW)
    actions.approve_comment(session, actor=people["mod"], comment_id=top.id, now=NOW)
    assert top.status == "visible" and top.links_approved
    assert last_audit(session).action == "consultations.approve"
    assert details(last_audit(session))["was_pending"] is True
    reply = actions.post_comment(session, actor=people["nikos"], consultation_id=c.id, parent_id=top.id,
                                 body="Απάντηση", now=NOW)
    assert reply.status == "pending" and not [p for p in captured if "reply_id" in p]
    actions.approve_comment(session, actor=people["mod"], comment_id=reply.id, now=NOW)
    assert [p["reply_id"] for p in captured if "reply_id" in p] == [reply.id]
    assert queries.waiting_count(session) == 0


def test_one_support_per_person_changeable(session, people):
    c = make_consultation(session, people["mod"])
    comment = actions.post_comment(session, actor=people["eleni"], consultation_id=c.id, body="Στηρίξτε με", now=NOW)
    assert actions.support_comment(session, actor=people["nikos"], comment_id=comment.id, value="agree", now=NOW) == "agree"
    assert actions.support_comment(session, actor=people["maria"], comment_id=comment.id, value="agree", now=NOW) == "agree"
    session.refresh(comment)
    assert (comment.agree_count, comment.disagree_count, comment.support_score) == (2, 0, 2)
    assert actions.support_comment(session, actor=people["nikos"], comment_id=comment.id, value="disagree", now=NOW) == "disagree"
    session.refresh(comment)
    assert (comment.agree_count, comment.disagree_count, comment.support_score) == (1, 1, 0)
    assert actions.support_comment(session, actor=people["nikos"], comment_id=comment.id, value="disagree", now=NOW) == ""
    session.refresh(comment)
    assert (comment.agree_count, comment.disagree_count) == (1, 0)
    rows = session.exec(select(CommentSupport).where(CommentSupport.comment_id == comment.id)).all()
    assert [(r.person_id, r.value) for r in rows] == [(people["maria"].person_id, "agree")]
    with pytest.raises(AgoraError) as err:
        actions.support_comment(session, actor=people["eleni"], comment_id=comment.id, value="agree", now=NOW)
    assert err.value.key == "consultations.errors.own_comment"
    with pytest.raises(InvalidInput):
        actions.support_comment(session, actor=people["nikos"], comment_id=comment.id, value="love", now=NOW)
    session.commit()
    # the database itself refuses a second row for the same person
    session.add(CommentSupport(comment_id=comment.id, person_id=people["maria"].person_id, value="disagree",
                               created_at=NOW, updated_at=NOW))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_edit_and_withdraw_only_own_and_within_window(session, people):
    c = make_consultation(session, people["mod"])
    comment = actions.post_comment(session, actor=people["eleni"], consultation_id=c.id, body="Αρχικό", now=NOW)
    with pytest.raises(AgoraError) as err:
        actions.edit_comment(session, actor=people["nikos"], comment_id=comment.id, body="Ξένο", now=NOW)
    assert err.value.key == "consultations.errors.not_your_comment"
    actions.edit_comment(session, actor=people["eleni"], comment_id=comment.id, body="Διορθωμένο",
                         now=NOW + timedelta(minutes=14))
    assert comment.body == "Διορθωμένο" and comment.edited_at == NOW + timedelta(minutes=14)
    with pytest.raises(AgoraError) as err:
        actions.edit_comment(session, actor=people["eleni"], comment_id=comment.id, body="Πολύ αργά",
                             now=NOW + timedelta(minutes=16))
    assert err.value.key == "consultations.errors.edit_window_passed"
    with pytest.raises(AgoraError):
        actions.withdraw_comment(session, actor=people["eleni"], comment_id=comment.id, now=NOW + timedelta(minutes=16))
    other = actions.post_comment(session, actor=people["eleni"], consultation_id=c.id, body="Το παίρνω πίσω", now=NOW)
    actions.withdraw_comment(session, actor=people["eleni"], comment_id=other.id, now=NOW + timedelta(minutes=1))
    assert other.withdrawn_at is not None and other.body == ""
    view = [v for v in queries.comment_page(session, c.id).items if v.id == other.id][0]
    assert view.status == "withdrawn" and view.body == ""
    assert queries.section_counts(session, c.id) == {0: 1}


def test_flags_one_per_person_and_the_moderation_queue(session, people):
    c = make_consultation(session, people["mod"])
    comment = actions.post_comment(session, actor=people["eleni"], consultation_id=c.id, body="Κάτι αμφιλεγόμενο", now=NOW)
    session.commit()
    actions.flag_comment(session, actor=people["nikos"], comment_id=comment.id, reason="Προσβλητικό", now=NOW)
    with pytest.raises(AgoraError) as err:
        actions.flag_comment(session, actor=people["nikos"], comment_id=comment.id, reason="Ξανά", now=NOW)
    assert err.value.key == "consultations.errors.already_flagged"
    session.rollback()
    actions.flag_comment(session, actor=people["nikos"], comment_id=comment.id, reason="Προσβλητικό", now=NOW)
    actions.flag_comment(session, actor=people["maria"], comment_id=comment.id, reason="Εκτός θέματος", now=NOW)
    session.commit()
    assert queries.waiting_count(session) == 1
    queue = queries.moderation_queue(session, now=NOW)
    assert [(i.kind, i.flags) for i in queue] == [("flagged", ["Προσβλητικό", "Εκτός θέματος"])]
    with pytest.raises(InvalidInput):
        actions.hide_comment(session, actor=people["mod"], comment_id=comment.id, reason="", now=NOW)
    actions.hide_comment(session, actor=people["mod"], comment_id=comment.id, reason="Προσβλητική γλώσσα", now=NOW)
    session.commit()
    entry = last_audit(session)
    assert (entry.action, entry.target, entry.actor) == ("consultations.hide", f"comment:{comment.id}",
                                                         people["mod"].audit_name)
    assert details(entry) == {"reason": "Προσβλητική γλώσσα", "previous_status": "visible", "flags_resolved": 2}
    assert queries.waiting_count(session) == 0
    assert session.exec(select(CommentFlag).where(CommentFlag.resolved_at.is_(None))).all() == []
    public = queries.comment_page(session, c.id).items[0]
    assert (public.status, public.body, public.hidden_reason) == ("hidden", "", "Προσβλητική γλώσσα")
    assert queries.section_counts(session, c.id) == {}
    actions.restore_comment(session, actor=people["mod"], comment_id=comment.id, now=NOW)
    assert comment.status == "visible" and comment.hidden_reason == ""
    assert last_audit(session).action == "consultations.restore"
    with pytest.raises(AgoraError):
        actions.restore_comment(session, actor=people["mod"], comment_id=comment.id, now=NOW)


def test_block_stops_commenting_until_the_date(session, people):
    c = make_consultation(session, people["mod"])
    block = actions.block_person(session, actor=people["mod"], person_id=people["nikos"].person_id, days=3,
                                 reason="Επαναλαμβανόμενες προσβολές", now=NOW)
    assert block.until == NOW + timedelta(days=3)
    assert last_audit(session).action == "consultations.block"
    assert details(last_audit(session))["days"] == 3
    with pytest.raises(AgoraError) as err:
        actions.post_comment(session, actor=people["nikos"], consultation_id=c.id, body="Μπλοκαρισμένος",
                             now=NOW + timedelta(days=1))
    assert err.value.key == "consultations.errors.blocked"
    actions.post_comment(session, actor=people["nikos"], consultation_id=c.id, body="Μετά τον αποκλεισμό",
                         now=NOW + timedelta(days=3, minutes=1))
    with pytest.raises(InvalidInput):
        actions.block_person(session, actor=people["mod"], person_id=people["nikos"].person_id, days=0, now=NOW)
    with pytest.raises(AgoraError):
        actions.block_person(session, actor=people["mod"], person_id=people["mod"].person_id, days=1, now=NOW)
    actions.block_person(session, actor=people["mod"], person_id=people["maria"].person_id, days=30, now=NOW)
    assert actions.unblock_person(session, actor=people["admin"], person_id=people["maria"].person_id,
                                  now=NOW + timedelta(days=1)) == 1
    assert last_audit(session).action == "consultations.unblock"
    actions.post_comment(session, actor=people["maria"], consultation_id=c.id, body="Ξανά μέσα",
                         now=NOW + timedelta(days=1))
    assert session.exec(select(ModerationBlock)).all()[-1].lifted_at is not None


def test_open_text_edits_keep_versions_and_drafts_do_not(session, people):
    draft = make_consultation(session, people["mod"], status="draft")
    section = queries.sections_of(session, draft.id)[0]
    actions.edit_section(session, actor=people["mod"], section_id=section.id, title=section.title, body="Διόρθωση",
                         now=NOW)
    assert section.version == 1
    c = make_consultation(session, people["mod"])
    section = queries.sections_of(session, c.id)[0]
    actions.edit_section(session, actor=people["mod"], section_id=section.id, title=section.title,
                         body="Νέα διατύπωση.", note="Μετά από σχόλια", now=NOW)
    assert section.version == 2 and section.body == "Νέα διατύπωση."
    versions = session.exec(select(SectionVersion).where(SectionVersion.section_id == section.id)
                            .order_by(SectionVersion.version)).all()
    assert [(v.version, v.body, v.note) for v in versions] == [(1, "Κείμενο του άρθρου 1.", ""),
                                                                (2, "Νέα διατύπωση.", "Μετά από σχόλια")]
    assert last_audit(session).action == "consultations.edit_section"


def test_responses_only_after_closing_and_report(session, people):
    c = make_consultation(session, people["mod"])
    a = actions.post_comment(session, actor=people["eleni"], consultation_id=c.id, body="Σκιάστρα", now=NOW)
    b = actions.post_comment(session, actor=people["nikos"], consultation_id=c.id, body="Περισσότερα σκιάστρα",
                             now=NOW)
    with pytest.raises(AgoraError) as err:
        actions.record_response(session, actor=people["mod"], consultation_id=c.id, comment_ids=[a.id],
                                outcome="accepted", reason="Ναι", now=NOW)
    assert err.value.key == "consultations.errors.not_closed"
    with pytest.raises(PermissionDenied):
        actions.record_response(session, actor=people["eleni"], consultation_id=c.id, comment_ids=[a.id],
                                outcome="accepted", reason="Ναι", now=NOW + timedelta(days=11))
    # ended by its date, without an explicit close
    later = NOW + timedelta(days=11)
    response = actions.record_response(session, actor=people["mod"], consultation_id=c.id, comment_ids=[a.id, b.id],
                                       outcome="partly", reason="Θα μπουν σκιάστρα σε δύο παραλίες", now=later)
    assert a.response_id == b.response_id == response.id
    assert details(last_audit(session)) == {"consultation_id": c.id, "comment_ids": sorted([a.id, b.id]),
                                            "outcome": "partly"}
    with pytest.raises(InvalidInput):
        actions.record_response(session, actor=people["mod"], consultation_id=c.id, comment_ids=[],
                                outcome="partly", reason="Κάτι", now=later)
    section = queries.sections_of(session, c.id)[0]
    actions.set_change_summary(session, actor=people["mod"], section_id=section.id, summary="Προστέθηκαν σκιάστρα",
                               now=later)
    actions.publish_report(session, actor=people["mod"], consultation_id=c.id, summary="Σύνοψη της διαβούλευσης",
                           now=later)
    assert session.get(Consultation, c.id).status == "report_published"
    assert details(last_audit(session)) == {"answered_comments": 2}
    views = {v.id: v for v in queries.comment_page(session, c.id, viewer=people["eleni"]).items}
    assert (views[a.id].response_outcome, views[a.id].response_reason) == ("partly", "Θα μπουν σκιάστρα σε δύο παραλίες")
    with pytest.raises(AgoraError):
        actions.record_response(session, actor=people["mod"], consultation_id=c.id, comment_ids=[a.id],
                                outcome="accepted", reason="Αλλαγή", now=later)
    with pytest.raises(AgoraError):
        actions.edit_section(session, actor=people["mod"], section_id=section.id, title="x" * 5, body="y", now=later)


def test_attachments_checked_by_bytes_and_size(session, people, monkeypatch):
    c = make_consultation(session, people["mod"], status="draft")
    with pytest.raises(InvalidInput) as err:
        actions.add_attachment(session, actor=people["mod"], consultation_id=c.id, filename="x.pdf",
                               data=b"<html><script>alert(1)</script>")
    assert err.value.key == "consultations.errors.attachment_type"
    monkeypatch.setenv("SYROS_ATTACHMENT_MAX_MB", "0.001")
    with pytest.raises(InvalidInput) as err:
        actions.add_attachment(session, actor=people["mod"], consultation_id=c.id, filename="big.pdf",
                               data=b"%PDF-" + b"0" * 2000)
    assert err.value.key == "consultations.errors.attachment_too_large"
    monkeypatch.delenv("SYROS_ATTACHMENT_MAX_MB")
    a = actions.add_attachment(session, actor=people["mod"], consultation_id=c.id, filename="../Χάρτης.png.exe",
                               data=b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    assert (a.content_type, a.filename) == ("image/png", "Χάρτης.png.png")
    assert queries.attachment_bytes(session, a).startswith(b"\x89PNG")
    assert last_audit(session).action == "consultations.attach"


def test_comment_pages_sort_and_paginate_with_replies(session, people):
    c = make_consultation(session, people["mod"])
    section = queries.sections_of(session, c.id)[0]
    ids = []
    for i in range(25):
        ids.append(actions.post_comment(session, actor=people["eleni"] if i % 2 else people["nikos"],
                                        consultation_id=c.id, section_id=section.id, body=f"Σχόλιο {i}",
                                        now=NOW - timedelta(hours=20) + timedelta(minutes=30 * i)).id)
    reply = actions.post_comment(session, actor=people["maria"], consultation_id=c.id, parent_id=ids[0],
                                 body="Απάντηση", now=NOW)
    actions.support_comment(session, actor=people["maria"], comment_id=ids[3], value="agree", now=NOW)
    session.commit()
    first = queries.comment_page(session, c.id, section_key=section.id, sort="newest", page=1)
    assert (first.total, first.pages, len(first.items)) == (25, 2, 20)
    assert first.items[0].id == ids[-1]
    second = queries.comment_page(session, c.id, section_key=section.id, sort="newest", page=2)
    assert [v.id for v in second.items] == [ids[4], ids[3], ids[2], ids[1], ids[0], reply.id]
    assert second.items[-1].depth == 1
    top = queries.comment_page(session, c.id, section_key=section.id, sort="supported")
    assert top.items[0].id == ids[3]
    assert queries.comment_page(session, c.id, section_key=0).total == 0
    assert queries.section_counts(session, c.id) == {section.id: 26}
    assert [v.author for v in second.items[:2]] == ["Νίκος Κ.", "Ελένη Π."]


def test_comment_row_cannot_point_to_missing_support(session, people):
    c = make_consultation(session, people["mod"])
    comment = actions.post_comment(session, actor=people["eleni"], consultation_id=c.id, body="Κείμενο", now=NOW)
    session.commit()
    assert session.exec(select(Comment).where(Comment.id == comment.id)).one().section_key == 0
