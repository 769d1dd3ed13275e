"""Publishing, targeting, the outbox in the same transaction, subscriptions, events."""

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from syros_app.core import events
from syros_app.core.audit import AuditEntry
from syros_app.core.db import session_scope
from syros_app.core.errors import InvalidInput, NotFound, PermissionDenied
from syros_app.core.timefmt import utcnow
from syros_app.notices import actions, outbox, queries, rules, views
from syros_app.notices.models import Delivery, Notice, OutboundMessage, Subscription
from tests.support import personas

from .fakes import BrowserSubscription


def _push(session, endpoint, categories=("water",), areas=(), actor=None):
    sub = BrowserSubscription(endpoint)
    return actions.save_push_subscription(session, actor=actor, endpoint=endpoint, p256dh=sub.p256dh, auth=sub.auth,
                                          categories=list(categories), areas=list(areas))


def _confirmed(session, channel, address, categories=("water",), areas=()):
    sub = Subscription(channel=channel, address=address, categories=rules.join(categories), areas=rules.join(areas),
                       created_at=utcnow(), confirmed_at=utcnow())
    session.add(sub)
    session.flush()
    return sub


def test_publishing_writes_notice_message_deliveries_and_audit_together(session):
    staff = personas.administrator(session, "moderator")
    _push(session, "https://push.example/a", ["water"], ["Άνω Σύρος"])
    _push(session, "https://push.example/b", ["water"], [])
    _push(session, "https://push.example/c", ["water"], ["Ερμούπολη"])
    _push(session, "https://push.example/d", ["culture_events"], [])
    _confirmed(session, "email", "eleni@example.gr", ["water"])
    unconfirmed = Subscription(channel="email", address="nikos@example.gr", categories="water", areas="",
                               created_at=utcnow())
    session.add(unconfirmed)
    session.commit()

    notice = actions.publish_notice(session, actor=staff, title="Διακοπή νερού", body="Αύριο 09:00–14:00",
                                    category="water", area="Άνω Σύρος", urgent=True)
    session.commit()

    message = session.exec(select(OutboundMessage).where(OutboundMessage.notice_id == notice.id)).one()
    rows = session.exec(select(Delivery).where(Delivery.message_id == message.id)).all()
    # urgent: every subscriber of the area whatever topics (d chose culture only, all areas)
    assert sorted(r.address for r in rows) == ["eleni@example.gr", "https://push.example/a", "https://push.example/b",
                                               "https://push.example/d"]
    assert {r.priority for r in rows} == {0} and {r.status for r in rows} == {"pending"}
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "notices.publish")).one()
    assert entry.actor == staff.audit_name and entry.target == f"notice:{notice.id}"
    assert queries.delivery_counts(session, [notice.id]) == {notice.id: {"sent": 0, "failed": 0, "pending": 4}}


def test_a_failed_transaction_leaves_neither_notice_nor_deliveries(engine):
    with session_scope() as session:
        staff = personas.administrator(session, "moderator")
        _push(session, "https://push.example/a")
    with pytest.raises(RuntimeError), session_scope() as session:
        actions.publish_notice(session, actor=staff, title="Τίτλος", body="Κείμενο", category="water")
        assert session.exec(select(Delivery)).all()  # written inside the transaction …
        raise RuntimeError("the caller fails after publishing")
    with session_scope() as session:  # … and gone with it
        assert session.exec(select(Notice)).all() == []
        assert session.exec(select(Delivery)).all() == []


def test_only_staff_publish(session):
    resident = personas.resident(session)
    for who in (None, resident):
        with pytest.raises(PermissionDenied):
            actions.publish_notice(session, actor=who, title="x", body="y", category="water")
    assert session.exec(select(Notice)).all() == []


@pytest.mark.parametrize("kwargs, key", [
    (dict(title=""), "notices.errors.title_missing"), (dict(body=" "), "notices.errors.body_missing"),
    (dict(category="weather"), "notices.errors.bad_category"), (dict(area="Μύκονος"), "notices.errors.bad_area"),
    (dict(link="javascript:alert(1)"), "notices.errors.bad_link_url"),
])
def test_publish_validates(session, kwargs, key):
    staff = personas.administrator(session, "moderator")
    data = dict(title="Τίτλος", body="Κείμενο", category="water") | kwargs
    with pytest.raises(InvalidInput) as info:
        actions.publish_notice(session, actor=staff, **data)
    assert info.value.key == key


def test_validity_and_urgent_on_the_home_page(session):
    from syros_app.core import registry

    staff = personas.administrator(session, "moderator")
    now = utcnow()
    actions.publish_notice(session, actor=staff, title="Άνεμοι", body="9 μποφόρ", category="civil_protection",
                           urgent=True, valid_until=now + timedelta(hours=5))
    actions.publish_notice(session, actor=staff, title="Παλιό", body="έληξε", category="civil_protection",
                           urgent=True, valid_from=now - timedelta(days=2), valid_until=now - timedelta(days=1))
    actions.publish_notice(session, actor=staff, title="Κανονικό", body="κ", category="general")
    session.commit()
    items = registry.open_now(session, now)
    urgent = [i for i in items if i.kind_key == "notices.kind_urgent"]
    assert [i.title for i in urgent] == ["Άνεμοι"] and items[0].title == "Άνεμοι" and urgent[0].pinned


def test_archive_filters(session):
    staff = personas.administrator(session, "moderator")
    actions.publish_notice(session, actor=staff, title="Νερό Άνω Σύρου", body="b", category="water", area="Άνω Σύρος")
    actions.publish_notice(session, actor=staff, title="Νερό παντού", body="b", category="water")
    actions.publish_notice(session, actor=staff, title="Έργα Ερμούπολη", body="b", category="roads_works", area="Ερμούπολη")
    titles = lambda **kw: sorted(n.title for n in queries.published_notices(session, **kw))  # noqa: E731
    assert titles(category="water") == ["Νερό Άνω Σύρου", "Νερό παντού"]
    assert titles(area="Ερμούπολη") == ["Έργα Ερμούπολη", "Νερό παντού"]


def test_push_subscription_upsert_and_removal(session):
    _push(session, "https://push.example/x", ["water"])
    _push(session, "https://push.example/x", ["general", "water"], ["Ποσειδωνία"])
    subs = session.exec(select(Subscription)).all()
    assert len(subs) == 1 and subs[0].categories == "water,general" and subs[0].areas == "Ποσειδωνία"
    assert actions.remove_push_subscription(session, actor=None, endpoint="https://push.example/x")
    assert session.exec(select(Subscription)).all() == []


@pytest.mark.parametrize("endpoint, p256dh, auth", [
    ("ftp://push.example/x", None, None), ("https://push.example/x", "AAAA", None),
    ("https://push.example/x", None, "c2hvcnQ"),
])
def test_bad_push_subscriptions_are_refused(session, endpoint, p256dh, auth):
    good = BrowserSubscription("https://push.example/x")
    with pytest.raises(InvalidInput):
        actions.save_push_subscription(session, actor=None, endpoint=endpoint, p256dh=p256dh or good.p256dh,
                                       auth=auth or good.auth, categories=["water"])


def test_a_push_subscription_needs_a_category(session):
    good = BrowserSubscription("https://push.example/x")
    with pytest.raises(InvalidInput) as info:
        actions.save_push_subscription(session, actor=None, endpoint=good.endpoint, p256dh=good.p256dh,
                                       auth=good.auth, categories=["nonsense"])
    assert info.value.key == "notices.errors.no_category"


def test_email_subscription_is_confirmed_by_the_signed_link(session):
    sub = actions.subscribe_email(session, actor=None, email="Eleni@Example.gr", categories=["water"], areas=[])
    session.commit()
    confirm = session.exec(select(Delivery).where(Delivery.kind == "confirm_email")).one()
    assert confirm.address == "Eleni@example.gr" and sub.confirmed_at is None
    link = json.loads(confirm.payload)["link"]
    token = link.split("token=", 1)[1]
    with pytest.raises(InvalidInput):
        actions.confirm_email(session, actor=None, token=token.replace("~", "~x"))
    confirmed = actions.confirm_email(session, actor=None, token=token)
    assert confirmed.confirmed_at is not None and confirmed.categories == "water"


def test_someone_else_cannot_change_a_confirmed_email_without_the_link(session):
    sub = _confirmed(session, "email", "eleni@example.gr", ["water"])
    actions.subscribe_email(session, actor=None, email="eleni@example.gr", categories=["general"])
    session.refresh(sub)
    assert sub.categories == "water"  # unchanged until the new link is opened


def test_sms_code_flow(session, monkeypatch):
    sub = actions.subscribe_sms(session, actor=None, phone="694 123 4567", categories=["water"])
    session.commit()
    assert sub.address == "+306941234567"
    code = json.loads(session.exec(select(Delivery).where(Delivery.kind == "confirm_sms")).one().payload)["code"]
    wrong = "000000" if code != "000000" else "111111"
    check = actions.confirm_sms(session, actor=None, phone="+30 6941234567", code=wrong, categories=["water"])
    assert check.refusal.key == "notices.errors.code_wrong"
    with pytest.raises(InvalidInput):
        check.confirmed()
    done = actions.confirm_sms(session, actor=None, phone="6941234567", code=code,
                               categories=["water", "general"]).confirmed()
    assert done.confirmed_at is not None and done.categories == "water,general" and done.code_hash is None


def test_sms_code_attempts_are_limited_across_transactions(engine):
    """Each wrong attempt is committed by the caller's transaction (nothing is raised that
    would roll it back), so five wrong codes in five requests lock the code out."""
    with session_scope() as session:
        actions.subscribe_sms(session, actor=None, phone="6941234567", categories=["water"])
        code = json.loads(session.exec(select(Delivery).where(Delivery.kind == "confirm_sms")).one().payload)["code"]
    wrong = "000000" if code != "000000" else "111111"
    for attempt in range(1, actions.MAX_CODE_ATTEMPTS + 1):
        with session_scope() as session:
            check = actions.confirm_sms(session, actor=None, phone="6941234567", code=wrong, categories=["water"])
            assert check.refusal is not None and check.refusal.key == "notices.errors.code_wrong"
        with session_scope() as session:
            assert session.exec(select(Subscription)).one().code_attempts == attempt
    with pytest.raises(InvalidInput) as info, session_scope() as session:
        actions.confirm_sms(session, actor=None, phone="6941234567", code=code, categories=["water"])
    assert info.value.key == "notices.errors.code_expired"  # even the right code, now
    with session_scope() as session:
        assert session.exec(select(Subscription)).one().confirmed_at is None


def test_unsubscribe_link_removes_and_cancels_pending(session):
    staff = personas.administrator(session, "moderator")
    sub = _confirmed(session, "email", "eleni@example.gr", ["water"])
    actions.publish_notice(session, actor=staff, title="t", body="b", category="water")
    token = actions.unsubscribe_token(sub.id)
    assert actions.unsubscribe(session, actor=None, token=token) is True
    assert actions.unsubscribe(session, actor=None, token=token) is False
    assert session.exec(select(Subscription)).all() == []
    assert [d.status for d in session.exec(select(Delivery))] == ["failed"]


def test_remove_my_subscription_checks_the_owner(session):
    eleni = personas.resident(session, "eleni")
    nikos = personas.resident(session, "nikos")
    sub = _push(session, "https://push.example/e", actor=eleni)
    with pytest.raises(NotFound):
        actions.remove_my_subscription(session, actor=nikos, subscription_id=sub.id)
    actions.remove_my_subscription(session, actor=eleni, subscription_id=sub.id)
    assert session.exec(select(Subscription)).all() == []


def test_events_write_outbox_rows_in_the_publishers_transaction(engine):
    with session_scope() as session:
        eleni = personas.resident(session, "eleni")
        _push(session, "https://push.example/ano", ["consultations_votes"], ["Άνω Σύρος"])
        _push(session, "https://push.example/erm", ["consultations_votes"], ["Ερμούπολη"])
        _push(session, "https://push.example/mine", ["water"], actor=eleni)
    with pytest.raises(RuntimeError), session_scope() as session:
        events.publish(session, "vote.opened", {"vote_id": 1, "title": "Πεζοδρόμηση", "area": "Άνω Σύρος", "url": "/votes/1"})
        raise RuntimeError("the vote failed to open")
    with session_scope() as session:
        assert session.exec(select(Delivery)).all() == []
    with session_scope() as session:
        events.publish(session, "vote.opened", {"vote_id": 1, "title": "Πεζοδρόμηση", "area": "Άνω Σύρος", "url": "/votes/1"})
        events.publish(session, "vote.opened", {"vote_id": 1, "title": "Πεζοδρόμηση", "area": "Άνω Σύρος", "url": "/votes/1"})
        events.publish(session, "consultation.opened", {"consultation_id": 4, "title": "Σχέδιο", "area": None,
                                                        "category": "general", "url": "/consultations/4"})
        events.publish(session, "comment.replied", {"comment_id": 1, "reply_id": 2, "person_id": eleni.person_id,
                                                    "url": "/consultations/4#c2"})
        events.publish(session, "report.status_changed", {"report_id": 9, "person_id": eleni.person_id,
                                                          "status": "resolved", "note": "", "url": "/reports/9"})
        events.publish(session, "vote.closing_soon", {"vote_id": 1, "title": "Πεζοδρόμηση", "area": "Ερμούπολη",
                                                      "url": "/votes/1", "closes_at": "2026-11-28T10:00:00Z"})
        events.publish(session, "vote.results_published", {"vote_id": 1, "title": "Πεζοδρόμηση", "area": None, "url": "/votes/1"})
    with session_scope() as session:
        by_source = {}
        for message in session.exec(select(OutboundMessage)):
            rows = session.exec(select(Delivery.address).where(Delivery.message_id == message.id)).all()
            by_source[message.source.split(":")[0]] = (sorted(rows), message)
    assert by_source["vote.opened"][0] == ["https://push.example/ano"]  # once, despite two events
    assert "Πεζοδρόμηση" in by_source["vote.opened"][1].title
    assert by_source["consultation.opened"][0] == ["https://push.example/ano", "https://push.example/erm"]
    assert by_source["comment.replied"][0] == ["https://push.example/mine"]
    assert by_source["report.status_changed"][0] == ["https://push.example/mine"]
    status_body = by_source["report.status_changed"][1].body  # the status as residents read it, not its code
    assert "«Επιλύθηκε»" in status_body and "resolved" not in status_body
    assert by_source["vote.closing_soon"][0] == ["https://push.example/erm"]
    assert len(by_source["vote.results_published"][0]) == 2


def test_sql_targeting_agrees_with_the_rule(session):
    import random

    rng = random.Random(7)
    staff = personas.administrator(session, "moderator")
    subs = []
    for i in range(60):
        cats = rng.sample(rules.CATEGORIES, rng.randint(1, 3))
        areas = rng.sample(rules.AREAS, rng.randint(0, 2))
        subs.append(_confirmed(session, rng.choice(["email", "sms"]), f"addr-{i}", cats, areas))
    session.commit()
    for category, urgent in (("water", False), ("civil_protection", False), ("civil_protection", True)):
        for area in (None, *rules.AREAS):
            expected = outbox.count_recipients(session, category=category, area=area, urgent=urgent)
            notice = actions.publish_notice(session, actor=staff, title="t", body="b", category=category, area=area,
                                            urgent=urgent)
            got = set(session.exec(select(Delivery.subscription_id).join(OutboundMessage, Delivery.message_id == OutboundMessage.id)
                                   .where(OutboundMessage.notice_id == notice.id)).all())
            want = {s.id for s in subs if rules.matches(s.categories, s.areas, category=category, area=area,
                                                        urgent=urgent)}
            assert got == want, (category, area, urgent)
            assert sum(expected.values()) == len(want)  # what the confirmation dialog announces
            if urgent:  # every subscriber of the area, whatever topics they chose
                assert want == {s.id for s in subs if rules.matches(s.categories, s.areas, category=s.categories.split(",")[0],
                                                                    area=area)}


def test_codes_and_links_are_rate_limited_per_address(session):
    now = utcnow()
    actions.subscribe_sms(session, actor=None, phone="6941234567", categories=["water"], now=now)
    with pytest.raises(InvalidInput) as info:
        actions.subscribe_sms(session, actor=None, phone="6941234567", categories=["water"], now=now + timedelta(seconds=20))
    assert info.value.message("el") == "Περιμένετε ένα λεπτό πριν ζητήσετε νέο κωδικό ή σύνδεσμο."
    actions.subscribe_sms(session, actor=None, phone="6941234567", categories=["water"], now=now + timedelta(minutes=2))
    actions.subscribe_sms(session, actor=None, phone="6941234567", categories=["water"], now=now + timedelta(minutes=4))
    with pytest.raises(InvalidInput) as info:
        actions.subscribe_sms(session, actor=None, phone="6941234567", categories=["water"], now=now + timedelta(minutes=6))
    assert info.value.key == "notices.errors.too_many_codes"
    actions.subscribe_email(session, actor=None, email="eleni@example.gr", categories=["water"], now=now)
    with pytest.raises(InvalidInput):
        actions.subscribe_email(session, actor=None, email="eleni@example.gr", categories=["water"], now=now)


def test_production_accepts_only_known_push_services():
    allowed = rules.DEFAULT_PUSH_HOSTS
    assert rules.push_host_allowed("fcm.googleapis.com", allowed)
    assert rules.push_host_allowed("updates.push.services.mozilla.com", allowed)
    assert rules.push_host_allowed("web.push.apple.com", allowed)
    assert rules.push_host_allowed("wns2-db5p.notify.windows.com", allowed)
    for host in ("evil.example", "169.254.169.254", "fcm.googleapis.com.evil.example", "notfcm.googleapis.com", None):
        assert not rules.push_host_allowed(host, allowed)


def test_push_hosts_are_enforced_in_production(session, monkeypatch):
    from types import SimpleNamespace

    monkeypatch.setattr(actions, "get_settings", lambda: SimpleNamespace(is_production=True, secret_key="k",
                                                                         public_url="https://agora.example"))
    good = BrowserSubscription("https://fcm.googleapis.com/fcm/send/abc")
    actions.save_push_subscription(session, actor=None, endpoint=good.endpoint, p256dh=good.p256dh, auth=good.auth,
                                   categories=["water"])
    for endpoint in ("https://evil.example/push", "http://127.0.0.1:9/push"):
        with pytest.raises(InvalidInput):
            actions.save_push_subscription(session, actor=None, endpoint=endpoint, p256dh=good.p256dh, auth=good.auth,
                                           categories=["water"])


def test_a_mistaken_notice_is_withdrawn_with_a_public_correction_to_the_same_people(session):
    staff = personas.administrator(session)
    _push(session, "https://push.example/a", ["water"], [])
    _push(session, "https://push.example/b", ["culture_events"], [])
    session.commit()
    notice = actions.publish_notice(session, actor=staff, title="Διακοπή νερού", body="Αύριο", category="water")
    session.commit()
    with pytest.raises(InvalidInput) as short:
        actions.withdraw_notice(session, actor=staff, notice_id=notice.id, correction="λάθος")
    assert short.value.params["field"] == "reason"
    session.rollback()
    actions.withdraw_notice(session, actor=staff, notice_id=notice.id, correction="Η διακοπή αναβλήθηκε για την Πέμπτη.")
    session.commit()
    assert notice.withdrawn_at is not None
    message = session.exec(select(OutboundMessage).where(OutboundMessage.notice_id == notice.id)
                           .order_by(OutboundMessage.id.desc())).first()
    assert message.title == "Διόρθωση: Διακοπή νερού"
    addresses = sorted(session.exec(select(Delivery.address).where(Delivery.message_id == message.id)).all())
    assert addresses == ["https://push.example/a"]  # the same people as the notice
    card = views.notice_card(notice, "el")
    assert card.correction.endswith("Διόρθωση: Η διακοπή αναβλήθηκε για την Πέμπτη.")
    with pytest.raises(InvalidInput):
        actions.withdraw_notice(session, actor=staff, notice_id=notice.id, correction="Και δεύτερη φορά όχι.")
    moderator = personas.moderator(session)
    with pytest.raises(PermissionDenied):
        actions.withdraw_notice(session, actor=moderator, notice_id=notice.id, correction="Δεν επιτρέπεται εδώ.")
