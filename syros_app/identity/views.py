"""What identity's pages show: view models and the builders that turn rows into them.

States only assign these; builders run inside ``state_helpers.read`` (one
transaction, off the event loop) and format dates and labels in the reader's language.
"""

from __future__ import annotations

import json

from pydantic import BaseModel
from sqlmodel import Session

from syros_app.core.i18n import translate
from syros_app.core.registry import departments
from syros_app.core.timefmt import format_local

from . import queries, rules
from .models import Person
from .roles import Actor


def role_label(role: str, lang: str, department: str | None = None) -> str:
    """The role's name; a department officer's with her department's."""
    label = translate(f"identity.role.{role}", lang)
    key = dict(departments()).get(department or "")
    return f"{label} · {translate(key, lang)}" if key else label


def department_choices(lang: str) -> list[tuple[str, str]]:
    """(value, name) of every department a department officer may be granted."""
    return [(value, translate(key, lang)) for value, key in departments()]


class RollView(BaseModel):
    name: str
    unit: str


class AccountView(BaseModel):
    """The account page's fields (all empty for a visitor)."""

    logged_in: bool = False
    display_name: str = ""
    nickname: str = ""
    birth_year: str = ""
    first_login: str = ""
    rolls: list[RollView] = []
    father_name: str = ""  # as gov.gr gave it at the last login
    is_staff: bool = False


class StaffRow(BaseModel):
    person_id: int
    name: str
    role: str
    role_label: str
    granted: str


class AuditRow(BaseModel):
    at: str
    text: str


class RollRow(BaseModel):
    name: str
    count: int
    created: str


class ProblemRow(BaseModel):
    line: int
    text: str


def account(session: Session, actor: Actor | None, lang: str) -> AccountView:
    person = session.get(Person, actor.person_id) if actor is not None else None
    if person is None:
        return AccountView()
    none = translate("identity.account.no_unit", lang)
    return AccountView(
        logged_in=True,
        display_name=person.display_name,
        nickname=person.nickname or "",
        birth_year=str(person.birth_year or ""),
        father_name=person.father_name or "",
        first_login=format_local(person.first_login_at, lang) if person.first_login_at else "",
        rolls=[RollView(name=name, unit=unit or none) for name, unit in queries.rolls_of(session, person.taxid_hmac)],
        is_staff=actor.is_staff,
    )


def staff_rows(session: Session, lang: str) -> list[StaffRow]:
    return [StaffRow(person_id=m.person_id, name=m.name, role=m.role, role_label=role_label(m.role, lang, m.department),
                     granted=format_local(m.granted_at, lang))
            for m in queries.staff_members(session)]


def _person_id(ref: str) -> int | None:
    """The id in an audit reference ``person:<id>`` (other actors, e.g. ``cli:…``, have none)."""
    kind, _, number = ref.partition(":")
    return int(number) if kind == "person" and number.isdigit() else None


def role_history(session: Session, lang: str) -> list[AuditRow]:
    """The latest grants and revocations, as sentences naming people as others see them."""
    entries = queries.role_audit(session)
    people = queries.person_names(session, {i for e in entries for i in map(_person_id, (e.actor, e.target))
                                            if i is not None})

    def who(ref: str) -> str:
        person_id = _person_id(ref)
        return ref if person_id is None else queries.public_name_in(people.get(person_id), lang)

    rows = []
    for e in entries:
        key = "identity.roles.history_grant" if e.action == "identity.grant_role" else "identity.roles.history_revoke"
        role = json.loads(e.details or "{}").get("role", "")
        rows.append(AuditRow(at=format_local(e.created_at, lang),
                             text=translate(key, lang, actor=who(e.actor), person=who(e.target),
                                            role=role_label(role, lang))))
    return rows


def roll_rows(session: Session, lang: str) -> list[RollRow]:
    return [RollRow(name=r.name, count=r.entry_count, created=format_local(r.created_at, lang))
            for r in queries.list_rolls(session)]


def problem_rows(problems: list[rules.RollProblem], lang: str) -> list[ProblemRow]:
    return [ProblemRow(line=p.line, text=translate("identity.rolls.problem_line", lang, line=p.line,
                                                   problem=translate(p.key, lang, **p.params)))
            for p in problems]
