"""The Reflex side of identity: who is acting, and the states of identity's pages.

States are thin: writes go through ``run_action`` (the action's role matrix is
the only guard — no state checks roles before writing), reads through ``read``
with the builders of ``views``; staff pages ask ``MATRIX.allows`` only to decide
whether to show staff data.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import reflex as rx

from syros_app.core.actors import actor_of
from syros_app.core.i18n import translate
from syros_app.ui.state_helpers import read, reader_language, run_action

from . import actions, views
from .govgr import LOGIN_ERROR_REASONS, safe_next
from .permissions import MATRIX
from .roles import Actor
from .views import AuditRow, ProblemRow, RollRow, StaffRow


def current_actor(state: rx.State) -> Actor | None:
    """The person behind the state's websocket (resolved once per event; see ``guard``)."""
    return actor_of(state)


class StaffState(rx.State):
    """Base of every state whose handlers only staff may use.

    A marker for the refusal test (tests/support/refusal.py), which fires every
    handler of every subclass as a visitor and as a resident and requires that
    nothing changes; the actions' role matrices are what refuses.
    """


def _field(form_data: Any, name: str) -> Any:
    """A form field as the browser sent it (the action's schema refuses a wrong type)."""
    return form_data.get(name, "") if isinstance(form_data, dict) else ""


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


class AccountState(rx.State):
    """A resident's own data: reads and writes only the person behind the session."""

    loaded: bool = False
    account: views.AccountView = views.AccountView()
    message: str = ""
    error: str = ""
    confirming_delete: bool = False
    delete_error: str = ""

    async def _show(self) -> None:
        """Show the person behind the session now (an empty account for a visitor)."""
        actor, lang = current_actor(self), await reader_language(self)
        self.account = await read(lambda session: views.account(session, actor, lang))
        self.loaded = True

    @rx.event
    async def load(self):
        self.message = self.error = self.delete_error = ""
        self.confirming_delete = False
        await self._show()

    @rx.event
    async def save_nickname(self, form_data: dict):
        if await run_action(self, actions.update_nickname, "identity.account.nickname_saved", done_attr="message",
                            nickname=_field(form_data, "nickname")) or current_actor(self) is None:
            await self._show()

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
        if _field(form_data, "confirm") not in ("on", "yes", "1", True):
            self.delete_error = translate("identity.account.delete_confirm_required", await reader_language(self))
            return None
        done = await run_action(self, actions.delete_account, done_attr="")
        self.delete_error, self.error = self.error, ""  # a refusal shows beside the delete button
        if not done:
            if current_actor(self) is None:
                await self._show()
            return None
        self.account = views.AccountView()
        return rx.call_script("window.location.assign('/auth/logout')")


class LoginErrorState(rx.State):
    reason: str = "provider"

    @rx.event
    def load(self):
        reason = self.router.url.query_parameters.get("reason", "") if self.router and self.router.url else ""
        self.reason = reason if reason in LOGIN_ERROR_REASONS else "provider"


# --- staff pages ------------------------------------------------------------------------------------

class RolesState(StaffState):
    """/staff/roles: administrators grant and revoke staff roles."""

    loaded: bool = False
    allowed: bool = False
    staff: list[StaffRow] = []
    history: list[AuditRow] = []
    departments: list[tuple[str, str]] = []
    department_error: str = ""
    message: str = ""
    error: str = ""

    async def _refresh(self) -> str:
        """Show the staff list and history to those the matrix lets see them; the reader's language."""
        lang = await reader_language(self)
        self.allowed = MATRIX.allows(current_actor(self), "view_staff_list")
        self.staff, self.history = (await read(lambda s: (views.staff_rows(s, lang), views.role_history(s, lang)))
                                    if self.allowed else ([], []))
        self.departments = views.department_choices(lang) if self.allowed else []
        self.loaded = True
        return lang

    @rx.event
    async def load(self):
        self.message = self.error = ""
        await self._refresh()

    @rx.event
    async def grant(self, form_data: dict):
        role = _field(form_data, "role")
        done = await run_action(self, actions.grant_role, done_attr="message", taxid=_field(form_data, "taxid"),
                                role=role, department=_field(form_data, "department"))
        self.department_error = ""
        if done.error is not None and done.error.params.get("field") == "department":
            self.department_error, self.error = self.error, ""  # shown beside the field
        lang = await self._refresh()
        if done:
            self.message = translate("identity.roles.granted", lang, person=done.value.public_name,
                                     role=views.role_label(role, lang))

    @rx.event
    async def revoke(self, person_id: int, role: str):
        done = await run_action(self, actions.revoke_role, done_attr="message", person_id=person_id, role=role)
        lang = await self._refresh()
        if done:
            self.message = translate("identity.roles.revoked", lang, role=views.role_label(role, lang))


class RollsState(StaffState):
    """/staff/rolls: administrators load voter rolls (all or nothing)."""

    loaded: bool = False
    allowed: bool = False
    rolls: list[RollRow] = []
    problems: list[ProblemRow] = []
    problem_total: int = 0
    message: str = ""
    error: str = ""

    async def _refresh(self) -> str:
        """Show the rolls to those the matrix lets see them; the reader's language."""
        lang = await reader_language(self)
        self.allowed = MATRIX.allows(current_actor(self), "view_rolls")
        self.rolls = await read(lambda s: views.roll_rows(s, lang)) if self.allowed else []
        self.loaded = True
        return lang

    @rx.event
    async def load(self):
        self.message = self.error = ""
        self.problems, self.problem_total = [], 0
        await self._refresh()

    @rx.event
    async def import_roll(self, form_data: dict):
        rejected: list[actions.RollRejected] = []

        def import_keeping_problems(session, *, actor, **inputs):
            """The action, remembering a rejection's line-by-line problems (run_action keeps only its text)."""
            try:
                return actions.import_roll(session, actor=actor, **inputs)
            except actions.RollRejected as exc:
                rejected.append(exc)
                raise

        done = await run_action(self, import_keeping_problems, done_attr="message", name=_field(form_data, "name"),
                                csv_text=_field(form_data, "csv"))
        lang = await self._refresh()
        self.problem_total = rejected[0].total if rejected else 0
        self.problems = views.problem_rows(rejected[0].problems, lang) if rejected else []
        if done:
            self.message = translate("identity.rolls.imported", lang, name=done.value.name, count=done.value.entries)
