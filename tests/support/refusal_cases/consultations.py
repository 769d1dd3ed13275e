"""Consultations' staff handlers, fired on the demo data (see tests/unit/core/test_refusal.py).

The demo holds one open consultation (the beaches) and one with a published report. A
case that needs another state of things (a draft, a closed consultation, a hidden
comment, a blocked person) prepares it with the real actions and commits before the
handler is fired, so the same arguments serve visitor, resident and staff.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from syros_app.consultations import actions, demo
from syros_app.consultations.models import Comment, Consultation, Section
from syros_app.consultations.views import local_input
from syros_app.core.actors import Role
from syros_app.core.timefmt import utcnow
from syros_app.identity.models import Person, RoleGrant
from tests.support import personas
from tests.support.refusal import StaffCase, ViewCase

S = "syros_app.consultations.state."


def _admin(session: Session):
    person = session.exec(select(Person).join(RoleGrant, RoleGrant.person_id == Person.id)
                          .where(RoleGrant.role == Role.ADMINISTRATOR.value)).first()
    return personas.actor(session, person)


def _open(session: Session) -> Consultation:
    return session.exec(select(Consultation).where(Consultation.title == demo.BEACHES)).one()


def _section(session: Session) -> Section:
    return session.exec(select(Section).where(Section.consultation_id == _open(session).id)
                        .order_by(Section.position)).first()


def _comment(session: Session) -> Comment:
    """A visible top-level comment of a resident on the open consultation."""
    return session.exec(select(Comment).where(Comment.consultation_id == _open(session).id,
                                              Comment.status == "visible", Comment.parent_id.is_(None))
                        .order_by(Comment.id)).first()


def _closed(session: Session) -> Consultation:
    c = _open(session)
    actions.close_consultation(session, actor=_admin(session), consultation_id=c.id, reason="Κλείνει νωρίτερα για τη δοκιμή.")
    session.commit()
    return c


def _draft(session: Session) -> int:
    now = utcnow()
    c = actions.create_consultation(session, actor=_admin(session), title="Πρόχειρο σχέδιο", summary="",
                                    category="other", opens_at=now, closes_at=now + timedelta(days=20),
                                    sections=[("Άρθρο 1", "Κείμενο.")])
    session.commit()
    return c.id


def _hidden(session: Session) -> int:
    comment = _comment(session)
    actions.hide_comment(session, actor=_admin(session), comment_id=comment.id, reason="Εκτός θέματος")
    session.commit()
    return comment.id


def _blocked(session: Session) -> int:
    person_id = _comment(session).person_id
    actions.block_person(session, actor=_admin(session), person_id=person_id, days=3)
    session.commit()
    return person_id


def _details(session: Session) -> dict:
    c = _open(session)
    return {"consultation_id": str(c.id), "title": c.title + " (αναθεώρηση)", "summary": c.summary,
            "category": c.category, "area": c.area or "", "opens_at": local_input(c.opens_at),
            "closes_at": local_input(c.closes_at), "moderation_mode": c.moderation_mode}


def _response(session: Session) -> dict:
    c = _closed(session)
    return {"consultation_id": str(c.id), f"c_{_comment(session).id}": "on", "outcome": "accepted",
            "reason": "Η πρόταση έγινε δεκτή."}


def _new() -> dict:
    now = utcnow()
    return {"title": "Νέα διαβούλευση", "summary": "", "category": "other", "area": "",
            "opens_at": local_input(now), "closes_at": local_input(now + timedelta(days=21)), "moderation_mode": "post"}


CASES = [
    StaffCase(S + "StaffConsultationsState", "create", lambda s: [_new()], ("consultation",)),
    StaffCase(S + "StaffConsultationState", "save_details", lambda s: [_details(s)], ("consultation",)),
    StaffCase(S + "StaffConsultationState", "add_section", lambda s: [{
        "consultation_id": str(_open(s).id), "title": "Νέο άρθρο", "body": "Νέο κείμενο."}], ("consultation_section",)),
    StaffCase(S + "StaffConsultationState", "save_section", lambda s: [{
        "section_id": str(_section(s).id), "title": _section(s).title, "body": _section(s).body + " Συμπλήρωμα.",
        "note": ""}], ("consultation_section",)),
    StaffCase(S + "StaffConsultationState", "save_change_summary", lambda s: [{
        "section_id": str(_section(s).id), "summary": "Τι άλλαξε στο άρθρο."}], ("consultation_section",)),
    StaffCase(S + "StaffConsultationState", "confirm", lambda s: [{"step": "open", "target": str(_draft(s))}],
              ("consultation",)),
    StaffCase(S + "StaffConsultationState", "confirm", lambda s: [{
        "step": "close", "target": str(_open(s).id), "reason": "Η μελέτη αποσύρθηκε από την Περιφέρεια."}],
              ("consultation",)),
    StaffCase(S + "StaffConsultationState", "respond", lambda s: [_response(s)], ("consultation_response",)),
    StaffCase(S + "StaffConsultationState", "confirm", lambda s: [{
        "step": "publish", "target": str(_closed(s).id), "payload": "Ευχαριστούμε όσους συμμετείχαν."}],
              ("consultation",)),
    StaffCase(S + "ModerationState", "approve", lambda s: [_comment(s).id], ("consultation_comment",), "moderator"),
    StaffCase(S + "ModerationState", "confirm", lambda s: [{"step": "hide", "target": str(_comment(s).id),
                                                            "reason": "Εκτός θέματος"}],
              ("consultation_comment",), "moderator"),
    StaffCase(S + "ModerationState", "restore", lambda s: [_hidden(s)], ("consultation_comment",), "moderator"),
    StaffCase(S + "ModerationState", "confirm", lambda s: [{"step": "block", "target": str(_comment(s).person_id),
                                                            "payload": "7", "reason": ""}],
              ("consultation_block",), "moderator"),
    StaffCase(S + "PageModerationState", "confirm", lambda s: [{"step": "hide", "target": str(_comment(s).id),
                                                                "reason": "Εκτός θέματος"}],
              ("consultation_comment",), "moderator"),
    StaffCase(S + "PageModerationState", "restore", lambda s: [_hidden(s)], ("consultation_comment",), "moderator"),
    StaffCase(S + "ModerationState", "unblock", lambda s: [_blocked(s)], ("consultation_block",), "moderator"),
]

READ_ONLY = {
    S + "StaffConsultationsState": {"load"},
    S + "StaffConsultationState": {"load", "start_section_edit", "cancel_section_edit", "upload", "uploaded",
                                   "ask_open", "ask_close", "ask_publish"},
    S + "ModerationState": {"load", "ask_hide", "ask_block"},
    S + "PageModerationState": {"ask_hide"},
}

VIEW_CASES = [ViewCase(S + "StaffConsultationsState")]

NOT_FROM_STATES = {
    "attach": "tests/api/test_consultations_api.py::test_attachment_upload_is_staff_only_and_served_back",
    "view_queue": "tests/unit/consultations/test_permissions.py::test_view_queue_only_for_staff",
}
