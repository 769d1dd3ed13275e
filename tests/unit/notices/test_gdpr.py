"""Notices and account deletion: only subscriptions linked to the person are exported
and deleted; an anonymous one (no account) and other people's stay untouched."""

from sqlmodel import select

from syros_app.core import events
from syros_app.identity import actions as identity
from syros_app.identity.actions import EXPORT_SECTIONS
from syros_app.notices import actions, gdpr
from syros_app.notices.models import Delivery, Notice, OutboundMessage, Subscription
from tests.support import personas

from .fakes import BrowserSubscription


def _push(session, endpoint, actor):
    sub = BrowserSubscription(endpoint)
    return actions.save_push_subscription(session, actor=actor, endpoint=endpoint, p256dh=sub.p256dh, auth=sub.auth,
                                          categories=["water"])


def test_notices_registers_its_export_section_and_deletion_handler():
    assert EXPORT_SECTIONS["notices"] is gdpr.export_section
    assert gdpr.erase.subscriber in events.subscribers("identity.person_deleted")


def test_deletion_removes_linked_subscriptions_and_their_deliveries_only(session):
    staff = personas.administrator(session, "moderator")
    eleni = personas.resident(session, "eleni")
    nikos = personas.resident(session, "nikos")
    _push(session, "https://push.example/eleni", eleni)
    actions.subscribe_sms(session, actor=eleni, phone="+306912345678", categories=["water"])
    _push(session, "https://push.example/nikos", nikos)
    _push(session, "https://push.example/nobody", None)
    actions.publish_notice(session, actor=staff, title="Διακοπή νερού", body="Στην Άνω Σύρο αύριο.", category="water")
    session.commit()
    assert len(session.exec(select(Delivery).where(Delivery.kind == "message")).all()) == 3
    exported = gdpr.export_section(session, eleni.person_id)
    assert sorted(s["channel"] for s in exported["subscriptions"]) == ["push", "sms"]
    assert {d["message"] for d in exported["deliveries"] if d["kind"] == "message"} == {"Διακοπή νερού"}
    assert "notices_written" not in exported
    assert [n["title"] for n in gdpr.export_section(session, staff.person_id)["notices_written"]] == ["Διακοπή νερού"]

    identity.delete_account(session, actor=eleni)
    session.commit()
    assert sorted(session.exec(select(Subscription.address)).all()) == ["https://push.example/nikos",
                                                                        "https://push.example/nobody"]
    addresses = session.exec(select(Delivery.address)).all()
    assert sorted(addresses) == ["https://push.example/nikos", "https://push.example/nobody"]
    # the public notice and its announcement stay
    assert session.exec(select(Notice.title)).all() == ["Διακοπή νερού"]
    assert len(session.exec(select(OutboundMessage)).all()) == 1
    assert gdpr.export_section(session, eleni.person_id) == {"subscriptions": [], "deliveries": []}
