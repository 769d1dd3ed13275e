"""Public routes of notices (feeds, push subscriptions, one-click unsubscribe), for OpenAPI."""

from __future__ import annotations

from syros_app.api.operation import ATOM, Answer, Operation, Param

from .rules import CATEGORIES


class VapidKey(Answer):
    publicKey: str  # noqa: N815 - the name the Push API's applicationServerKey examples use


class PushKeys(Answer):
    p256dh: str
    auth: str


class PushSubscriptionJSON(Answer):
    """What ``PushSubscription.toJSON()`` gives in the browser."""

    endpoint: str
    expirationTime: int | None = None  # noqa: N815 - the browser's own name
    keys: PushKeys


class PushSubscribe(Answer):
    subscription: PushSubscriptionJSON
    categories: list[str]
    areas: list[str] = []
    lang: str = "el"


class PushEndpoint(Answer):
    endpoint: str


class PushSaved(Answer):
    id: int
    categories: list[str]
    areas: list[str]


class PushRemoved(Answer):
    removed: bool


class PushStatus(Answer):
    subscribed: bool
    categories: list[str] | None = None
    areas: list[str] | None = None


OPERATIONS = [
    Operation("GET", "/api/v1/push/vapid-public-key", "api.op.vapid_key", "notices", VapidKey),
    Operation("POST", "/api/v1/push/subscriptions", "api.op.push_subscribe", "notices", PushSaved,
              request=PushSubscribe, errors=(400,)),
    Operation("DELETE", "/api/v1/push/subscriptions", "api.op.push_unsubscribe", "notices", PushRemoved,
              request=PushEndpoint, errors=(400,)),
    Operation("POST", "/api/v1/push/subscription-status", "api.op.push_status", "notices", PushStatus,
              request=PushEndpoint, errors=(400,)),
    Operation("GET", "/api/v1/notices.atom", "api.op.notices_feed", "notices", None, media_type=ATOM),
    Operation("GET", "/api/v1/notices/{category}.atom", "api.op.notices_category_feed", "notices", None,
              media_type=ATOM, params=(Param("category", "path", enum=CATEGORIES),)),
    Operation("POST", "/api/v1/notices/unsubscribe", "api.op.notices_unsubscribe", "notices", PushRemoved,
              params=(Param("token", description="The token of the List-Unsubscribe link (RFC 8058)"),),
              errors=(400,)),
]
