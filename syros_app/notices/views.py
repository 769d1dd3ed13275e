"""What the notices pages show: view models and the builders from rows to them.

Builders run inside a ``read`` (the rows are still attached) and take the reader's
language, so the states only assign what they return.
"""

from __future__ import annotations
import json

from pydantic import BaseModel

from syros_app.core.i18n import translate
from syros_app.core.timefmt import format_local

from . import rules, staff_alerts
from .models import Notice, Subscription


class NoticeCard(BaseModel):
    id: int
    url: str
    title: str
    excerpt: str
    body: str
    category: str
    category_label: str
    area_label: str
    area_greek: bool = False  # the label is a place name (Greek in any language)
    published: str
    validity: str
    urgent: bool
    link: str
    correction: str = ""  # set when the notice was withdrawn: shown beside it, publicly


class SubscriptionView(BaseModel):
    id: int
    channel_label: str
    address: str
    categories: str
    confirmed: bool


class StaffNoticeRow(BaseModel):
    id: int
    url: str
    title: str
    category_label: str
    area_label: str
    area_greek: bool = False
    published: str
    urgent: bool
    sent: int
    failed: int
    pending: int
    failures: str
    withdrawn: bool = False


def _common(notice: Notice, lang: str) -> dict:
    """The fields the public card and the staff row share."""
    return {"id": notice.id, "url": f"/notices/{notice.id}", "title": notice.title, "urgent": notice.urgent,
            "category_label": translate(rules.category_key(notice.category), lang),
            "area_label": notice.area or translate("notices.area_all", lang), "area_greek": notice.area is not None,
            "published": format_local(notice.published_at, lang) if notice.published_at else ""}


def _correction(notice: Notice, lang: str) -> str:
    if notice.withdrawn_at is None:
        return ""
    return translate("notices.withdrawn_banner", lang, when=format_local(notice.withdrawn_at, lang),
                     correction=notice.correction or "")


def _validity(notice: Notice, lang: str) -> str:
    if not (notice.valid_from or notice.valid_until):
        return ""
    start = format_local(notice.valid_from, lang) if notice.valid_from else ""
    end = format_local(notice.valid_until, lang) if notice.valid_until else ""
    return translate("notices.validity_range", lang, start=start or "…", end=end or "…")


def notice_card(notice: Notice | None, lang: str) -> NoticeCard | None:
    if notice is None:
        return None
    return NoticeCard(**_common(notice, lang), excerpt=rules.excerpt(notice.body, 220), body=notice.body,
                      category=notice.category, validity=_validity(notice, lang), link=notice.link or "",
                      correction=_correction(notice, lang))


def notice_cards(notices: list[Notice], lang: str) -> list[NoticeCard]:
    return [notice_card(n, lang) for n in notices]


def staff_rows(board: list[tuple[Notice, dict[str, int], list[str]]], lang: str) -> list[StaffNoticeRow]:
    return [StaffNoticeRow(**_common(n, lang), sent=counts.get("sent", 0), failed=counts.get("failed", 0),
                           pending=counts.get("pending", 0), failures="; ".join(failures),
                           withdrawn=n.withdrawn_at is not None)
            for n, counts, failures in board]


def my_subscriptions(subs: list[Subscription], lang: str) -> list[SubscriptionView]:
    return [SubscriptionView(
        id=s.id, channel_label=translate(f"notices.channel.{s.channel}", lang),
        address=rules.mask_address(s.channel, s.address),
        categories=", ".join(translate(rules.category_key(c), lang) for c in rules.split(s.categories)),
        confirmed=s.confirmed_at is not None) for s in subs]


def masked_address(sub: Subscription | None) -> str:
    """The address an unsubscribe page names, masked ("" once the subscription is gone)."""
    return rules.mask_address(sub.channel, sub.address) if sub is not None else ""


# --- the staff form, before and after its confirmation -------------------------------------

_DRAFT_TEXT = ("title", "body", "category", "link", "valid_from", "valid_until", "area")


def notice_draft(form: object) -> dict:
    """The notice form's fields as the action takes them (text, and ``urgent`` as a flag);
    anything that is not text becomes empty (any client can send anything)."""
    data = form if isinstance(form, dict) else {}
    draft = {name: data.get(name) if isinstance(data.get(name), str) else "" for name in _DRAFT_TEXT}
    draft["category"] = draft["category"] or "general"
    draft["urgent"] = data.get("urgent") in ("on", "true", "1", True)
    return draft


def payload_of(form: object) -> dict:
    """The draft a confirmation dialog carried back (``payload``: JSON), or {}."""
    raw = form.get("payload") if isinstance(form, dict) else None
    try:
        value = json.loads(raw) if isinstance(raw, str) else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def recipient_counts(counts: dict[str, int]) -> dict[str, int]:
    """Per-channel counts for the confirmation text (every channel named, 0 when none)."""
    return {"total": sum(counts.values()), "push": counts.get("push", 0), "email": counts.get("email", 0),
            "sms": counts.get("sms", 0)}


class StaffAlertsView(BaseModel):
    """A staff person's alert settings: the kinds on, the channels that reach them, and the
    page's explanation (with the e-mail window in minutes)."""

    kinds_on: list[str] = []
    channels: list[str] = []
    intro: str = ""


def staff_alerts_view(session, person_id: int, lang: str) -> StaffAlertsView:
    found = staff_alerts.settings_view(session, person_id)
    return StaffAlertsView(kinds_on=found["kinds_on"], channels=found["channels"],
                           intro=translate("notices.staff_alert.intro", lang, minutes=found["minutes"]))
