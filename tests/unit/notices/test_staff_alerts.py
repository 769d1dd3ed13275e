"""Staff are told when work arrives: through the outbox, to the right people, never to the
person who caused it, each kind switchable off, and e-mail at most once per window."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from syros_app.core.errors import PermissionDenied
from syros_app.core.timefmt import utcnow
from syros_app.notices import actions as notice_actions
from syros_app.notices import staff_alerts
from syros_app.notices.models import Delivery, OutboundMessage, StaffAlertOff, Subscription
from syros_app.reports import actions as report_actions
from tests.support import personas

from .fakes import BrowserSubscription

SQUARE = (37.4448, 24.9427)


def _reach(session, actor, name: str, *, email: bool = True) -> None:
    """A push subscription from the person's phone and (by default) a confirmed e-mail, both theirs."""
    sub = BrowserSubscription(f"https://push.example/{name}")
    notice_actions.save_push_subscription(session, actor=actor, endpoint=sub.endpoint, p256dh=sub.p256dh,
                                          auth=sub.auth, categories=["water"])
    if email:
        session.add(Subscription(channel="email", address=f"{name}@syros.example", categories="water", areas="",
                                 person_id=actor.person_id, lang="en" if name.endswith("_en") else "el",
                                 created_at=utcnow(), confirmed_at=utcnow()))
    session.flush()


def _push_addresses(session) -> list[str]:
    rows = session.exec(select(Delivery.address).join(OutboundMessage, OutboundMessage.id == Delivery.message_id)
                        .where(OutboundMessage.source.startswith("staff:"))).all()
    return sorted(rows)


def _digests(session) -> list[Delivery]:
    return list(session.exec(select(Delivery).where(Delivery.kind == staff_alerts.DIGEST).order_by(Delivery.id)))


def _report(session) -> int:
    from syros_app.identity.models import Person

    person = session.exec(select(Person).where(Person.display_name == "Eleni")).first()
    eleni = personas.actor(session, person) if person else personas.resident(session, "eleni")
    report = report_actions.create_report(session, actor=eleni, category="lighting", lat=SQUARE[0], lon=SQUARE[1],
                                          description="Σβηστή λάμπα στην πλατεία Μιαούλη")
    session.commit()
    return report.id


@pytest.fixture
def staff(session):
    people = {
        "light1": personas.officer(session, "lighting", key="light1"),
        "light2": personas.officer(session, "lighting", key="light2"),
        "clean": personas.officer(session, "cleaning", key="clean"),
        "mod": personas.moderator(session, "mod"),
        "admin": personas.administrator(session, "admin"),
    }
    for name, actor in people.items():
        _reach(session, actor, name)
    session.commit()
    return people


def test_routing_a_report_tells_the_departments_officers_but_not_who_routed_it(session, staff):
    report_id = _report(session)
    report_actions.assign_department(session, actor=staff["mod"], report_id=report_id, department="lighting")
    session.commit()
    assert _push_addresses(session) == ["https://push.example/light1", "https://push.example/light2"]
    digests = _digests(session)
    assert sorted(d.address for d in digests) == ["light1@syros.example", "light2@syros.example"]
    item = json.loads(digests[0].payload)["items"][0]
    assert item == {"key": "report_routed", "params": {"id": report_id}, "url": "/staff/reports"}
    # the same department again is no news
    report_actions.assign_department(session, actor=staff["admin"], report_id=report_id, department="lighting")
    session.commit()
    assert len(_digests(session)) == 2 and json.loads(_digests(session)[0].payload)["items"] == [item]


def test_the_person_who_routes_is_not_told_even_when_she_is_one_of_the_department(session, staff):
    from syros_app.core.actors import Role
    from syros_app.identity.models import Person

    both = personas.actor(session, personas.make_person(session, "both", roles=(Role.MODERATOR, Role.DEPARTMENT_OFFICER),
                                                         department="lighting"))
    _reach(session, both, "both")
    session.commit()
    assert session.get(Person, both.person_id) is not None
    report_id = _report(session)
    report_actions.assign_department(session, actor=both, report_id=report_id, department="lighting")
    session.commit()
    assert _push_addresses(session) == ["https://push.example/light1", "https://push.example/light2"]
    assert "both@syros.example" not in [d.address for d in _digests(session)]


def test_assigning_a_report_tells_that_officer_only_and_nobody_for_oneself(session, staff):
    report_id = _report(session)
    report_actions.assign_department(session, actor=staff["admin"], report_id=report_id, department="lighting")
    session.commit()
    before = len(_push_addresses(session))
    report_actions.assign_officer(session, actor=staff["admin"], report_id=report_id,
                                  officer_id=staff["light2"].person_id)
    session.commit()
    assert len(_push_addresses(session)) == before + 1
    assert _push_addresses(session).count("https://push.example/light2") == 2
    # light1 takes another report herself: nobody is told
    other = _report(session)
    report_actions.assign_department(session, actor=staff["admin"], report_id=other, department="lighting")
    session.commit()
    count = len(_push_addresses(session))
    report_actions.assign_officer(session, actor=staff["light1"], report_id=other, officer_id=staff["light1"].person_id)
    session.commit()
    assert len(_push_addresses(session)) == count


def test_a_kind_turned_off_is_not_sent_and_the_others_still_are(session, staff):
    notice_actions.set_staff_alerts(session, actor=staff["light2"], kinds=["moderation", "applications", "bogus"])
    session.commit()
    assert session.exec(select(StaffAlertOff.kind).where(StaffAlertOff.person_id == staff["light2"].person_id)).all() \
        == ["reports"]
    report_id = _report(session)
    report_actions.assign_department(session, actor=staff["admin"], report_id=report_id, department="lighting")
    session.commit()
    assert _push_addresses(session) == ["https://push.example/light1"]
    # on again
    notice_actions.set_staff_alerts(session, actor=staff["light2"], kinds=list(staff_alerts.KINDS))
    session.commit()
    assert staff_alerts.kinds_off(session, staff["light2"].person_id) == set()


def test_only_staff_choose_alerts(session):
    eleni = personas.resident(session, "eleni")
    with pytest.raises(PermissionDenied):
        notice_actions.set_staff_alerts(session, actor=eleni, kinds=[])
    with pytest.raises(PermissionDenied):
        notice_actions.set_staff_alerts(session, actor=None, kinds=[])
    assert session.exec(select(StaffAlertOff)).all() == []


def test_a_comment_held_for_moderation_tells_the_moderators_not_its_author(session, staff):
    from tests.unit.consultations.helpers import NOW, make_consultation
    from syros_app.consultations import actions as consultation_actions

    c = make_consultation(session, staff["admin"], mode="pre")
    eleni = personas.resident(session, "eleni")
    consultation_actions.post_comment(session, actor=eleni, consultation_id=c.id, body="Περιμένει έγκριση", now=NOW)
    session.commit()
    assert _push_addresses(session) == ["https://push.example/mod"]
    title = session.exec(select(OutboundMessage.title).where(OutboundMessage.source.startswith("staff:"))).one()
    assert title == "Ένα σχόλιο περιμένει συντονισμό: Κανονισμός παραλιών"
    # the moderator's own comment (held too) tells nobody else: she is the only moderator
    consultation_actions.post_comment(session, actor=staff["mod"], consultation_id=c.id, body="Του συντονιστή",
                                      now=NOW + timedelta(minutes=1))
    session.commit()
    assert _push_addresses(session) == ["https://push.example/mod"]


def test_an_application_arriving_tells_its_departments_officers(session, staff):
    from syros_app.applications import actions as application_actions
    from syros_app.applications import demo
    from tests.unit.applications.conftest import NOW, bulky_answers

    demo.load_services(session, NOW)
    demo.load_slots(session, NOW)
    session.commit()
    eleni = personas.resident(session, "eleni")
    application = application_actions.submit_application(session, actor=eleni, service_slug="bulky-waste-pickup",
                                                         answers=bulky_answers(session), now=NOW)
    session.commit()
    assert application.department == "cleaning"
    assert _push_addresses(session) == ["https://push.example/clean"]
    item = json.loads(_digests(session)[0].payload)["items"][0]
    assert item["key"] == "application_arrived" and item["params"] == {"reference": application.reference}


def test_e_mail_waits_and_gathers_within_the_window(session, staff, monkeypatch):
    monkeypatch.setenv("SYROS_STAFF_DIGEST_MINUTES", "30")
    now = utcnow()
    first, second = _report(session), _report(session)
    report_actions.assign_department(session, actor=staff["admin"], report_id=first, department="cleaning", now=now)
    report_actions.assign_department(session, actor=staff["admin"], report_id=second, department="cleaning",
                                     now=now + timedelta(minutes=1))
    session.commit()
    digests = _digests(session)
    assert len(digests) == 1  # one e-mail, two items: it goes out at once (nothing sent before)
    assert [i["params"]["id"] for i in json.loads(digests[0].payload)["items"]] == [first, second]
    assert len(_push_addresses(session)) == 2  # a push per event
    # once it is sent, the next alert waits for the end of the window
    digests[0].status, digests[0].sent_at = "sent", now + timedelta(minutes=2)
    session.add(digests[0])
    session.commit()
    third = _report(session)
    report_actions.assign_department(session, actor=staff["admin"], report_id=third, department="cleaning",
                                     now=now + timedelta(minutes=5))
    session.commit()
    waiting = _digests(session)[-1]
    assert waiting.status == "pending" and len(_digests(session)) == 2
    assert abs((waiting.next_attempt_at.replace(tzinfo=None) - (now + timedelta(minutes=32)).replace(tzinfo=None))
               .total_seconds()) < 1


def test_the_digest_e_mail_lists_each_item_in_the_readers_language(session, staff):
    from syros_app.core.settings import notices_settings
    from syros_app.notices.worker import Job, Worker

    payload = {"items": [{"key": "report_routed", "params": {"id": 7}, "url": "/staff/reports"},
                         {"key": "comment_waiting", "params": {"title": "Παραλίες"}, "url": "/staff/moderation"}]}
    job = Job(id=1, token="t", kind=staff_alerts.DIGEST, channel="email", address="light1@syros.example",
              payload=payload, attempts=0, subscription_id=1, message_id=None, title="", body="", url="/", urgent=False,
              p256dh=None, auth=None, lang="en")
    message = Worker(None, notices_settings())._email_for(job)
    text = message.get_body(("plain",)).get_content()
    assert message["Subject"] == "Syros Agora: 2 new for your desk"
    assert "Report #7 was given to your department" in text and "A comment awaits moderation: Παραλίες" in text
    assert "/staff/reports" in text and "/staff/alerts" in text
