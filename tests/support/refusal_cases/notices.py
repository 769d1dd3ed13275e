"""Notices: staff publish from the board; loading and refreshing it writes nothing.

The board's delivery counts (``view_deliveries``) are read, not written, so no fire
can change data when the permission is opened: its own test shows a resident gets
an empty board and the "staff only" page instead.
"""

from __future__ import annotations

import json

from tests.support.refusal import StaffCase, ViewCase

STATE = "syros_app.notices.state.StaffNoticesState"

# As the browser sends the staff form (datetime-local fields in island time, the checkbox "on").
PUBLISH_FORM = {"title": "Διακοπή ρεύματος στη Βάρη", "body": "Τρίτη 08:00–12:00 λόγω εργασιών ΔΕΔΔΗΕ.",
                "category": "general", "area": "Ποσειδωνία", "urgent": "on", "link": "",
                "valid_from": "2026-12-01T08:00", "valid_until": "2026-12-01T12:00"}

# What the confirmation dialog sends back: the step and the draft it showed.
CONFIRMED = {"step": "publish", "target": "0", "payload": json.dumps(PUBLISH_FORM, ensure_ascii=False)}

def _published(session) -> list[dict]:
    """A published notice of the demo, to withdraw with a correction."""
    from sqlmodel import select

    from syros_app.notices.models import Notice

    notice_id = session.exec(select(Notice.id).where(Notice.published_at.is_not(None)).order_by(Notice.id)).first()
    assert notice_id is not None, "the demo has no published notice"
    return [{"step": "withdraw", "target": str(notice_id), "reason": "Η διακοπή αναβλήθηκε για την Πέμπτη."}]


CASES = [
    StaffCase(state=STATE, handler="confirm", args=lambda session: [dict(CONFIRMED)],
              changes=("notice", "notice_message", "audit_entry")),
    StaffCase(state=STATE, handler="confirm", args=_published, changes=("notice",)),
    # a staff person's own "work has arrived" alerts: every kind unticked turns them off
    StaffCase(state="syros_app.notices.state.StaffAlertsState", handler="save", args=lambda session: [{}],
              changes=("notice_staff_alert_off",)),
]

READ_ONLY = {STATE: {"load", "ask_publish", "ask_withdraw"}, "syros_app.notices.state.StaffAlertsState": {"load"}}

VIEW_CASES = [ViewCase(STATE)]
