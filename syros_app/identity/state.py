"""The Reflex side of identity: who is acting, resolved on the server.

``current_actor(state)`` reads the session cookie from the websocket handshake
headers (set by the server from the socket, never from an event's payload)
and looks the session up in the database, on every call. Handlers that write
call it and pass the result to a service, which checks permissions.
"""

from __future__ import annotations

import reflex as rx

from syros_app.core.db import session_scope

from syros_app.core.actors import actor_of

from .roles import Actor
from .sessions import resolve_cookie_header


def current_actor(state: rx.State) -> Actor | None:
    """The person behind the state's websocket (resolved once per event; see ``guard``)."""
    return actor_of(state)


class StaffState(rx.State):
    """Base of every state whose handlers only staff may use.

    It is a marker for the refusal test (tests/support/refusal.py), which fires
    every event handler of every subclass as an anonymous visitor and as a
    resident and asserts that nothing changes. Handlers still check on the
    server, through the capability's service and permissions.
    """


# --- states of identity's own pages -------------------------------------------------------------

from urllib.parse import quote  # noqa: E402

from pydantic import BaseModel  # noqa: E402

from syros_app.core.errors import AgoraError  # noqa: E402
from syros_app.core.i18n import translate  # noqa: E402
from syros_app.core.timefmt import format_local  # noqa: E402
from syros_app.ui.state_helpers import reader_language as _lang  # noqa: E402

from . import actions, permissions, queries  # noqa: E402
from .govgr import LOGIN_ERROR_REASONS, safe_next  # noqa: E402
from .models import Person  # noqa: E402


def _role_label(role: str, lang: str) -> str:
    return translate(f"identity.role.{role}", lang)


class AccountMenuState(rx.State):
    """The header's account area, resolved on the server on every page."""

    logged_in: bool = False
    name: str = ""
    login_href: str = "/auth/login"

    @rx.event
    def load(self):
        actor = current_actor(self)
        self.logged_in = actor is not None
        self.name = actor.display_name if actor else ""
        path = safe_next(self.router.url.path if self.router and self.router.url else "/")
        self.login_href = "/auth/login?next=" + quote(path, safe="/")


class RollView(BaseModel):
    name: str
    unit: str


class AccountState(rx.State):
    """A resident's own data: reads and writes only the person behind the session."""

    loaded: bool = False
    logged_in: bool = False
    display_name: str = ""
    nickname: str = ""
    birth_year: str = ""
    first_login: str = ""
    rolls: list[RollView] = []
    is_staff: bool = False
    message: str = ""
    error: str = ""
    confirming_delete: bool = False
    delete_error: str = ""

    def _fill(self, session, actor, lang: str) -> None:
        person = session.get(Person, actor.person_id)
        self.logged_in = True
        self.display_name = person.display_name
        self.nickname = person.nickname or ""
        self.birth_year = str(person.birth_year or "")
        self.first_login = format_local(person.first_login_at, lang) if person.first_login_at else ""
        none = translate("identity.account.no_unit", lang)
        self.rolls = [RollView(name=name, unit=unit or none) for name, unit in queries.rolls_of(session, person.taxid_hmac)]
        self.is_staff = actor.is_staff

    @rx.event
    async def load(self):
        lang = await _lang(self)
        self.message = self.error = self.delete_error = ""
        self.confirming_delete = False
        with session_scope() as session:
            actor = resolve_cookie_header(session, self.router.headers.cookie if self.router else "")
            if actor is None:
                self.logged_in = False
            else:
                self._fill(session, actor, lang)
        self.loaded = True

    @rx.event
    async def save_nickname(self, form_data: dict):
        actor = current_actor(self)
        lang = await _lang(self)
        self.message = self.error = ""
        if actor is None:
            self.logged_in = False
            self.error = translate("identity.errors.login_required", lang)
            return
        nickname = form_data.get("nickname", "") if isinstance(form_data, dict) else ""
        try:
            with session_scope() as session:
                actions.update_nickname(session, actor=actor, nickname=str(nickname))
        except AgoraError as exc:
            self.error = exc.message(lang)
            return
        with session_scope() as session:
            self._fill(session, actor, lang)
        self.message = translate("identity.account.nickname_saved", lang)

    @rx.event
    def ask_delete(self):
        self.confirming_delete = True
        self.delete_error = ""

    @rx.event
    def cancel_delete(self):
        self.confirming_delete = False
        self.delete_error = ""

    @rx.event
    async def delete_account(self, form_data: dict):
        actor = current_actor(self)
        lang = await _lang(self)
        if actor is None:
            self.logged_in = False
            return
        if not isinstance(form_data, dict) or form_data.get("confirm") not in ("on", "yes", "1", True):
            self.delete_error = translate("identity.account.delete_confirm_required", lang)
            return
        try:
            with session_scope() as session:
                actions.delete_account(session, actor=actor)
        except AgoraError as exc:
            self.delete_error = exc.message(lang)
            return
        self.logged_in = False
        return rx.call_script("window.location.assign('/auth/logout')")


class LoginErrorState(rx.State):
    reason: str = "provider"

    @rx.event
    def load(self):
        reason = self.router.url.query_parameters.get("reason", "") if self.router and self.router.url else ""
        self.reason = reason if reason in LOGIN_ERROR_REASONS else "provider"


# --- staff pages ------------------------------------------------------------------------------------

class StaffRow(BaseModel):
    person_id: int
    name: str
    role: str
    role_label: str
    granted: str


class AuditRow(BaseModel):
    at: str
    text: str


class RolesState(StaffState):
    """/staff/roles: administrators grant and revoke staff roles."""

    loaded: bool = False
    allowed: bool = False
    staff: list[StaffRow] = []
    history: list[AuditRow] = []
    message: str = ""
    error: str = ""

    def _refresh(self, session, lang: str) -> None:
        self.staff = [
            StaffRow(person_id=m.person_id, name=m.name, role=m.role, role_label=_role_label(m.role, lang),
                     granted=format_local(m.granted_at, lang))
            for m in queries.staff_members(session)
        ]
        entries = queries.role_audit(session)
        ids = {int(ref.split(":")[1]) for e in entries for ref in (e.actor, e.target)
               if ref.startswith("person:") and ref.split(":")[1].isdigit()}
        people = queries.person_names(session, ids)

        def who(ref: str) -> str:
            if ref.startswith("person:") and ref.split(":")[1].isdigit():
                return queries.public_name_in(people.get(int(ref.split(":")[1])), lang)
            return ref

        import json

        rows = []
        for e in entries:
            role = json.loads(e.details or "{}").get("role", "")
            key = "identity.roles.history_grant" if e.action == "identity.grant_role" else "identity.roles.history_revoke"
            rows.append(AuditRow(at=format_local(e.created_at, lang),
                                 text=translate(key, lang, actor=who(e.actor), person=who(e.target),
                                                role=_role_label(role, lang))))
        self.history = rows

    @rx.event
    async def load(self):
        actor = current_actor(self)
        self.allowed = permissions.may_view_staff_list(actor)
        self.message = self.error = ""
        if self.allowed:
            lang = await _lang(self)
            with session_scope() as session:
                self._refresh(session, lang)
        else:
            self.staff, self.history = [], []
        self.loaded = True

    @rx.event
    async def grant(self, form_data: dict):
        actor = current_actor(self)
        if not permissions.may_grant_roles(actor):
            self.allowed = False
            return
        lang = await _lang(self)
        self.message = self.error = ""
        data = form_data if isinstance(form_data, dict) else {}
        try:
            with session_scope() as session:
                person = actions.grant_role(session, actor=actor, taxid=str(data.get("taxid", "")),
                                            role=str(data.get("role", "")))
                self.message = translate("identity.roles.granted", lang, person=person.public_name,
                                         role=_role_label(str(data.get("role")), lang))
        except AgoraError as exc:
            self.error = exc.message(lang)
        with session_scope() as session:
            self._refresh(session, lang)

    @rx.event
    async def revoke(self, person_id: int, role: str):
        actor = current_actor(self)
        if not permissions.may_grant_roles(actor):
            self.allowed = False
            return
        lang = await _lang(self)
        self.message = self.error = ""
        try:
            with session_scope() as session:
                actions.revoke_role(session, actor=actor, person_id=person_id, role=role)
            self.message = translate("identity.roles.revoked", lang, role=_role_label(str(role), lang))
        except AgoraError as exc:
            self.error = exc.message(lang)
        with session_scope() as session:
            self._refresh(session, lang)


class RollRow(BaseModel):
    name: str
    count: int
    created: str


class ProblemRow(BaseModel):
    line: int
    text: str


class RollsState(StaffState):
    """/staff/rolls: administrators load voter rolls (all or nothing)."""

    loaded: bool = False
    allowed: bool = False
    rolls: list[RollRow] = []
    problems: list[ProblemRow] = []
    problem_total: int = 0
    message: str = ""
    error: str = ""

    def _refresh(self, session, lang: str) -> None:
        self.rolls = [RollRow(name=r.name, count=r.entry_count, created=format_local(r.created_at, lang))
                      for r in queries.list_rolls(session)]

    @rx.event
    async def load(self):
        actor = current_actor(self)
        self.allowed = permissions.may_manage_rolls(actor)
        self.message = self.error = ""
        self.problems, self.problem_total = [], 0
        if self.allowed:
            lang = await _lang(self)
            with session_scope() as session:
                self._refresh(session, lang)
        else:
            self.rolls = []
        self.loaded = True

    @rx.event
    async def import_roll(self, form_data: dict):
        actor = current_actor(self)
        if not permissions.may_manage_rolls(actor):
            self.allowed = False
            return
        lang = await _lang(self)
        self.message = self.error = ""
        self.problems, self.problem_total = [], 0
        data = form_data if isinstance(form_data, dict) else {}
        try:
            with session_scope() as session:
                result = actions.import_roll(session, actor=actor, name=str(data.get("name", "")),
                                             csv_text=str(data.get("csv", "")))
            self.message = translate("identity.rolls.imported", lang, name=result.name, count=result.entries)
        except actions.RollRejected as exc:
            self.error = exc.message(lang)
            self.problem_total = exc.total
            self.problems = [
                ProblemRow(line=p.line, text=translate("identity.rolls.problem_line", lang, line=p.line,
                                                       problem=translate(p.key, lang, **p.params)))
                for p in exc.problems
            ]
        except AgoraError as exc:
            self.error = exc.message(lang)
        with session_scope() as session:
            self._refresh(session, lang)
