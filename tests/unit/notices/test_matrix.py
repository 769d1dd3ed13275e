"""The notices matrix guards every action, and every action's schema refuses bad input
with a typed refusal (never another exception), before anything is written."""

import pytest
from sqlmodel import select

from syros_app.core.actors import Role
from syros_app.core.errors import AgoraError, InvalidInput, NotFound, PermissionDenied
from syros_app.notices import actions
from syros_app.notices.models import Notice, Subscription
from syros_app.notices.permissions import MATRIX
from tests.support import personas

from .fakes import BrowserSubscription

ACTIONS = {name: fn for name, fn in vars(actions).items() if hasattr(fn, "action_info")}
GOOD_PUSH = BrowserSubscription("https://push.example/device")
# Valid-looking input for each action (what the refusal or the schema must stop first).
INPUT = {
    "publish_notice": dict(title="Τίτλος", body="Κείμενο", category="water"),
    "withdraw_notice": dict(notice_id=1, correction="Η διακοπή αναβλήθηκε."),
    "save_push_subscription": dict(endpoint=GOOD_PUSH.endpoint, p256dh=GOOD_PUSH.p256dh, auth=GOOD_PUSH.auth,
                                   categories=["water"]),
    "remove_push_subscription": dict(endpoint=GOOD_PUSH.endpoint),
    "subscribe_email": dict(email="eleni@example.gr", categories=["water"]),
    "confirm_email": dict(token="x~y"),
    "subscribe_sms": dict(phone="6941234567", categories=["water"]),
    "confirm_sms": dict(phone="6941234567", code="123456", categories=["water"]),
    "unsubscribe": dict(token="x"),
    "remove_my_subscription": dict(subscription_id=1),
    "set_staff_alerts": dict(kinds=["reports"]),
}
TEXT_FIELD = {"publish_notice": "title", "withdraw_notice": "correction", "save_push_subscription": "endpoint", "remove_push_subscription": "endpoint",
              "subscribe_email": "email", "confirm_email": "token", "subscribe_sms": "phone", "confirm_sms": "code",
              "unsubscribe": "token"}


def _written(session) -> int:
    return len(session.exec(select(Notice)).all()) + len(session.exec(select(Subscription)).all())


def test_every_action_has_its_permission_and_every_write_permission_its_action():
    assert {fn.action_info.permission for fn in ACTIONS.values()} == set(MATRIX.permissions) - {"view_deliveries"}
    assert set(ACTIONS) == set(INPUT)


@pytest.mark.parametrize("name", sorted(INPUT))
def test_each_action_refuses_whom_the_matrix_refuses(session, name):
    people = {"visitor": None, "resident": personas.resident(session), "moderator": personas.moderator(session),
              "administrator": personas.administrator(session)}
    roles = {"visitor": Role.VISITOR, "resident": Role.RESIDENT, "moderator": Role.MODERATOR,
             "administrator": Role.ADMINISTRATOR}
    allowed_roles = MATRIX.permissions[ACTIONS[name].action_info.permission].roles
    before = _written(session)
    for who, actor in people.items():
        held = {Role.VISITOR} if actor is None else {Role.VISITOR, Role.RESIDENT, roles[who]}
        try:
            ACTIONS[name](session, actor=actor, **INPUT[name])
        except PermissionDenied as exc:
            assert not held & allowed_roles, f"{name} refused a {who}"
            permission = ACTIONS[name].action_info.permission
            refusal = MATRIX.refusal_keys.get(permission, "notices.errors.administrators_only")
            assert exc.key == ("errors.login_required" if actor is None else refusal)
            assert _written(session) == before
        except AgoraError:  # allowed, and refused later for what the input says
            assert held & allowed_roles, f"{name} let a {who} past the matrix"
        else:
            assert held & allowed_roles, f"{name} let a {who} act"
        session.rollback()


def test_publishing_is_for_administrators_only(session):
    resident, moderator = personas.resident(session), personas.moderator(session)
    officer = personas.officer(session)
    for who, key in ((None, "errors.login_required"), (resident, "notices.errors.administrators_only"),
                     (moderator, "notices.errors.administrators_only"),
                     (officer, "notices.errors.administrators_only")):
        with pytest.raises(PermissionDenied) as info:
            actions.publish_notice(session, actor=who, title={"not": "text"}, body="b", category="water")
        assert info.value.key == key  # the matrix answers before the input is looked at
    actions.publish_notice(session, actor=personas.administrator(session), title="Τίτλος", body="Κείμενο",
                           category="water")
    assert len(session.exec(select(Notice)).all()) == 1


@pytest.mark.parametrize("name", sorted(TEXT_FIELD))
def test_a_dict_for_text_is_invalid_input(session, name):
    staff = personas.administrator(session, "moderator")
    with pytest.raises(InvalidInput) as info:
        ACTIONS[name](session, actor=staff, **(INPUT[name] | {TEXT_FIELD[name]: {"$ne": ""}}))
    assert info.value.key == "errors.invalid_input" and info.value.params["field"] == TEXT_FIELD[name]
    assert _written(session) == 0


@pytest.mark.parametrize("name", ["save_push_subscription", "subscribe_email", "subscribe_sms", "confirm_sms"])
def test_topics_must_be_a_list_of_text(session, name):
    for bad in ("water", [{"a": 1}], [1]):
        with pytest.raises(InvalidInput) as info:
            ACTIONS[name](session, actor=None, **(INPUT[name] | {"categories": bad}))
        assert info.value.key == "errors.invalid_input"
    assert _written(session) == 0


@pytest.mark.parametrize("bad", [2**70, -(2**70), "abc", "1.5", {"id": 1}])
def test_an_impossible_id_is_not_found(session, bad):
    eleni = personas.resident(session)
    with pytest.raises(NotFound) as info:
        actions.remove_my_subscription(session, actor=eleni, subscription_id=bad)
    assert info.value.key == "errors.not_found"


def test_unknown_input_and_bad_dates_are_refused(session):
    staff = personas.administrator(session, "moderator")
    with pytest.raises(InvalidInput):
        actions.publish_notice(session, actor=staff, **INPUT["publish_notice"], created_by=1)
    with pytest.raises(InvalidInput) as info:
        actions.publish_notice(session, actor=staff, **INPUT["publish_notice"], valid_from="χθες")
    assert info.value.params["field"] == "valid_from"
    assert _written(session) == 0


def test_a_naive_time_is_island_time(session):
    staff = personas.administrator(session, "moderator")
    notice = actions.publish_notice(session, actor=staff, **INPUT["publish_notice"], valid_from="2026-07-01T08:00")
    assert notice.valid_from.hour == 5  # 08:00 in Athens (UTC+3 in summer)
