"""The kernel: role matrices, the action decorator's order of checks, typed input."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated

import pytest
from pydantic import Field
from sqlmodel import select

from syros_app.core.actions import Conflict, RoleMatrix, action, audit, fast_path, input_schema
from syros_app.core.actors import Actor, Role, roles_of
from syros_app.core.audit import AuditEntry
from syros_app.core.db import session_scope
from syros_app.core.errors import InvalidInput, NotFound, PermissionDenied
from syros_app.identity.models import Person

RESIDENT = Actor(person_id=1, display_name="Ελένη Π.", taxid_hmac="h1")
MODERATOR = Actor(person_id=2, display_name="Μαρία Κ.", taxid_hmac="h2", roles=frozenset({Role.MODERATOR}))
ADMIN = Actor(person_id=3, display_name="Γιώργος Σ.", taxid_hmac="h3", roles=frozenset({Role.ADMINISTRATOR}))

MATRIX = RoleMatrix(
    "kerneltest",
    {
        "read": [Role.VISITOR],
        "post": [Role.RESIDENT],
        "hide": [Role.MODERATOR, Role.ADMINISTRATOR],
        "configure": [Role.ADMINISTRATOR],
    },
    conditions={"post": (lambda actor, subject: subject == actor.person_id, "own")},
    login_key="kerneltest.login",
    refusal_keys={"configure": "kerneltest.admins_only"},
    register=False,
)
CALLS: list[dict] = []


@action(MATRIX, "post")
def post_note(session, *, actor, body: str, parent_id: int | None = None, tags: list[str] | None = None,
              now: datetime):
    CALLS.append({"body": body, "parent_id": parent_id, "tags": tags, "now": now})
    return body


@action(MATRIX, "hide")
def hide_note(session, *, actor, note_id: int, reason: str = "", now: datetime):
    CALLS.append({"note_id": note_id})
    audit(session, actor, "kerneltest.hide", f"note:{note_id}", now=now, details={"reason": reason})
    return note_id


@action(MATRIX, "configure")
def add_duplicate_person(session, *, actor, taxid_hmac: str):
    for _ in range(2):
        session.add(Person(taxid_hmac=taxid_hmac, display_name="x"))
        session.flush()


def test_roles_of_visitor_resident_staff():
    assert roles_of(None) == {Role.VISITOR}
    assert roles_of(RESIDENT) == {Role.VISITOR, Role.RESIDENT}
    assert roles_of(ADMIN) == {Role.VISITOR, Role.RESIDENT, Role.ADMINISTRATOR}


@pytest.mark.parametrize("actor, perm, allowed", [
    (None, "read", True), (None, "post", False), (RESIDENT, "post", True), (RESIDENT, "hide", False),
    (MODERATOR, "hide", True), (MODERATOR, "configure", False), (ADMIN, "configure", True), (ADMIN, "post", True),
])
def test_matrix_is_the_table_it_says(actor, perm, allowed):
    assert MATRIX.allows(actor, perm) is allowed


def test_conditions_apply_to_the_subject():
    assert MATRIX.allows(RESIDENT, "post", 1)
    assert not MATRIX.allows(RESIDENT, "post", 2)
    with pytest.raises(PermissionDenied):
        MATRIX.enforce(RESIDENT, "post", 2)


def test_refusal_keys():
    with pytest.raises(PermissionDenied) as anonymous:
        MATRIX.enforce(None, "hide")
    assert anonymous.value.key == "kerneltest.login"
    with pytest.raises(PermissionDenied) as resident:
        MATRIX.enforce(RESIDENT, "configure")
    assert resident.value.key == "kerneltest.admins_only"
    with pytest.raises(PermissionDenied) as other:
        MATRIX.enforce(RESIDENT, "hide")
    assert other.value.key == "errors.permission_denied"


def test_unknown_permission_fails_at_import_time():
    with pytest.raises(KeyError):
        @action(MATRIX, "no_such_permission")
        def nothing(session, *, actor):
            pass


def test_an_action_needs_a_keyword_only_actor():
    with pytest.raises(TypeError):
        @action(MATRIX, "read")
        def positional(session, actor):
            pass


def test_permission_comes_before_input():
    """A visitor sending garbage learns only that they may not, never what was wrong."""
    CALLS.clear()
    with pytest.raises(PermissionDenied):
        hide_note(None, actor=RESIDENT, note_id={"evil": 1}, reason=["x"])
    assert CALLS == []


def test_input_is_typed_and_now_is_filled():
    CALLS.clear()
    assert post_note(None, actor=RESIDENT, body="Καλημέρα", parent_id="7", tags=["a"]) == "Καλημέρα"
    call = CALLS[0]
    assert call["parent_id"] == 7 and call["tags"] == ["a"]
    assert call["now"].tzinfo is not None and call["now"].utcoffset().total_seconds() == 0
    fixed = datetime(2026, 5, 1, 9, 0, tzinfo=timezone.utc)
    post_note(None, actor=RESIDENT, body="x", now=fixed)
    assert CALLS[-1]["now"] == fixed


@pytest.mark.parametrize("values", [
    {"body": {"text": "a dict where text is expected"}},
    {"body": ["a", "list"]},
    {"body": 12},
    {"body": "ok", "tags": "not-a-list"},
    {"body": "ok", "unexpected": 1},
    {},
])
def test_bad_input_is_invalid_input_and_nothing_runs(values):
    CALLS.clear()
    with pytest.raises(InvalidInput) as refused:
        post_note(None, actor=RESIDENT, **values)
    assert refused.value.key == "errors.invalid_input"
    assert CALLS == []


@pytest.mark.parametrize("note_id", [2**64, -(2**70), "12abc", 1.5, "∞", None])
def test_ids_beyond_64_bits_or_not_numbers_are_not_found(note_id):
    CALLS.clear()
    with pytest.raises(NotFound):
        hide_note(None, actor=MODERATOR, note_id=note_id)
    assert CALLS == []


def test_largest_id_passes(engine):
    CALLS.clear()
    with session_scope() as session:
        hide_note(session, actor=MODERATOR, note_id=2**63 - 1)
    assert CALLS == [{"note_id": 2**63 - 1}]


def test_schema_lists_only_the_input():
    schema = input_schema(post_note.__wrapped__)
    assert set(schema.model_fields) == {"body", "parent_id", "tags"}


def test_audit_row_is_written_in_the_same_transaction(engine):
    with session_scope() as session:
        hide_note(session, actor=ADMIN, note_id=5, reason="spam")
    with session_scope() as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "kerneltest.hide")).one()
    assert entry.actor == "person:3" and entry.target == "note:5" and '"spam"' in entry.details
    with pytest.raises(RuntimeError), session_scope() as session:
        hide_note(session, actor=ADMIN, note_id=6)
        raise RuntimeError("the caller's transaction fails after the action")
    with session_scope() as session:
        assert session.exec(select(AuditEntry).where(AuditEntry.target == "note:6")).first() is None


def test_integrity_error_becomes_conflict_and_nothing_is_kept(engine):
    with pytest.raises(Conflict) as refused, session_scope() as session:
        add_duplicate_person(session, actor=ADMIN, taxid_hmac="same")
    assert refused.value.key == "errors.conflict"
    with session_scope() as session:
        assert session.exec(select(Person).where(Person.taxid_hmac == "same")).first() is None


def test_matrix_renders_as_markdown():
    text = MATRIX.markdown()
    assert "| kerneltest | visitor | resident | moderator | department_officer | administrator |" in text
    assert "| `hide` | · | · | ✓ | · | ✓ |" in text
    assert "| `post` | · | ✓ (own) | ✓ (own) | ✓ (own) | ✓ (own) |" in text
    assert "| `read` | ✓ | ✓ | ✓ | ✓ | ✓ |" in text


def test_the_fast_path_takes_only_what_pydantic_would_take_unchanged():
    def cast(session, *, actor, vote_id: int, choice: list[int], note: str | None = None, now=None):
        pass

    take = fast_path(cast)
    assert take({"vote_id": 5, "choice": [1, 2]}) == {"vote_id": 5, "choice": [1, 2], "note": None}
    for odd in ({"vote_id": "5", "choice": [1]}, {"vote_id": 5, "choice": ["1"]}, {"vote_id": True, "choice": []},
                {"vote_id": 2**70, "choice": []}, {"vote_id": 5}, {"vote_id": 5, "choice": [], "x": 1},
                {"vote_id": 5, "choice": [], "note": 3}):
        assert take(odd) is None, odd  # these go through the schema (and are coerced or refused there)

    def constrained(session, *, actor, ids: list[Annotated[int, Field(ge=1)]]):
        pass

    assert fast_path(constrained) is None  # constraints are pydantic's to check
    assert post_note(None, actor=RESIDENT, body="x", parent_id="7") == "x" and CALLS[-1]["parent_id"] == 7
