"""Every voting action: the role matrix first, then the typed input — a typed refusal, never another exception."""

from datetime import timedelta

import pytest
from sqlmodel import select

from syros_app.core.actions import RoleMatrix
from syros_app.core.audit import AuditEntry
from syros_app.core.errors import InvalidInput, NotFound, PermissionDenied
from syros_app.voting import actions
from syros_app.voting.models import Vote
from syros_app.voting.permissions import MATRIX
from tests.support import personas

from .helpers import NOW, create_legacy_plaintext_vote, make_roll, open_legacy_plaintext_vote, option_ids

STAFF_ACTIONS = {
    "create_vote": dict(title="x", question="y", roll_id=1),
    "update_vote": dict(vote_id=1, title="x", question="y", roll_id=1),
    "attach_document": dict(vote_id=1, filename="a.pdf", content_type="application/pdf", data=b"%PDF-1.4"),
    "schedule_vote": dict(vote_id=1, opens_at=NOW + timedelta(days=1), closes_at=NOW + timedelta(days=2)),
    "open_vote": dict(vote_id=1),
    "close_vote": dict(vote_id=1, reason="r"),
    "publish_results": dict(vote_id=1),
    "return_to_draft": dict(vote_id=1),
}


def test_the_matrix_is_voting_s_only_guard():
    assert RoleMatrix.all() and MATRIX in RoleMatrix.all()
    for name in STAFF_ACTIONS:
        assert getattr(actions, name).action_info.permission == "manage_votes"
    assert actions.cast_ballot.action_info.permission == "cast_ballot"
    assert "| `manage_votes` | · | · | · | · | ✓ |" in MATRIX.markdown()


@pytest.mark.parametrize("name", sorted(STAFF_ACTIONS))
def test_visitors_and_residents_are_refused_before_any_input_is_read(session, name):
    eleni = personas.resident(session, "eleni")
    garbage = {key: {"not": "input"} for key in STAFF_ACTIONS[name]}  # the matrix answers first
    for who, key in ((None, "voting.reason.not_logged_in"), (eleni, "voting.errors.administrators_only")):
        for inputs in (STAFF_ACTIONS[name], garbage):
            with pytest.raises(PermissionDenied) as refused:
                getattr(actions, name)(session, actor=who, **inputs)
            assert refused.value.key == key
    assert session.exec(select(Vote)).all() == [] and session.exec(select(AuditEntry)).all() == []


def test_a_visitor_cannot_cast(session):
    staff = personas.administrator(session, "moderator")
    vote = open_legacy_plaintext_vote(session, staff, make_roll(session, {"eleni": None}))
    with pytest.raises(PermissionDenied, match="voting.reason.not_logged_in"):
        actions.cast_ballot(session, actor=None, vote_id=vote.id, choice=option_ids(session, vote.id)[:1])


@pytest.mark.parametrize("name", sorted(STAFF_ACTIONS))
def test_text_given_a_dict_is_invalid_and_a_huge_id_is_not_found(session, name):
    staff = personas.administrator(session, "moderator")
    roll = make_roll(session, {})
    vote = create_legacy_plaintext_vote(session, actor=staff, title="x", question="y", roll_id=roll.id, now=NOW)
    inputs = {**STAFF_ACTIONS[name], **({"vote_id": vote.id} if "vote_id" in STAFF_ACTIONS[name] else {})}
    text_fields = [k for k in ("title", "question", "reason", "filename", "content_type") if k in inputs]
    for field in text_fields:
        with pytest.raises(InvalidInput) as refused:
            getattr(actions, name)(session, actor=staff, **{**inputs, field: {"$ne": ""}})
        assert (refused.value.key, refused.value.params.get("field")) == ("errors.invalid_input", field)
    id_fields = [k for k in ("vote_id", "roll_id") if k in inputs]
    for field in id_fields:
        for bad in (2**70, -(2**70), "abc"):
            with pytest.raises(NotFound):
                getattr(actions, name)(session, actor=staff, **{**inputs, field: bad})
    with pytest.raises(InvalidInput, match="errors.invalid_input"):  # unknown keywords are refused
        getattr(actions, name)(session, actor=staff, **inputs, is_admin=True)


def test_cast_input_is_typed(session):
    staff = personas.administrator(session, "moderator")
    eleni = personas.resident(session, "eleni")
    vote = open_legacy_plaintext_vote(session, staff, make_roll(session, {"eleni": None}))
    yes = option_ids(session, vote.id)[0]
    for choice in ({"id": yes}, "1", [{"id": yes}]):
        with pytest.raises(InvalidInput, match="errors.invalid_input"):
            actions.cast_ballot(session, actor=eleni, vote_id=vote.id, choice=choice)
    with pytest.raises(InvalidInput, match="voting.errors.unknown_option"):
        actions.cast_ballot(session, actor=eleni, vote_id=vote.id, choice=[2**70])
    for bad in (2**70, "x"):
        with pytest.raises(NotFound):
            actions.cast_ballot(session, actor=eleni, vote_id=bad, choice=[yes])
    assert actions.cast_ballot(session, actor=eleni, vote_id=str(vote.id), choice=[str(yes)]).tracker
