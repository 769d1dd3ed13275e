"""Public routes of votes, for the OpenAPI document. The cryptographic objects of the
bulletin board, the trustee kit and the election record are specified in
``syros_app/voting/RECORD.md``; here they are JSON objects."""

from __future__ import annotations

from typing import Any

from syros_app.api.operation import PDF, ZIP, Answer, Operation


class VoteSummary(Answer):
    id: int
    title: str
    question: str
    kind: str
    status: str
    municipal_unit: str | None
    min_age: int
    opens_at: str | None
    closes_at: str | None
    url: str
    results_url: str | None
    ballots_url: str | None
    encrypted: bool
    board_url: str | None
    record_url: str | None


class VoteList(Answer):
    votes: list[VoteSummary]


class OptionResult(Answer):
    id: int
    title: str
    cost: int | None
    votes: int
    percent: float


class UnitTurnout(Answer):
    unit: str
    participations: int
    roll_size: int
    turnout_percent: float


class VoteResults(Answer):
    vote_id: int
    title: str
    question: str
    kind: str
    ballots: int
    participations: int
    roll_size: int
    turnout_percent: float
    turnout_by_unit: list[UnitTurnout]
    options: list[OptionResult]
    published_at: str | None = None
    budget_total: int | None = None
    winners: list[int] | None = None
    winners_cost: int | None = None


class BoardEntry(Answer):
    fingerprint: str
    receipt: str


class BulletinBoard(Answer):
    ballots: list[BoardEntry]


class ElectionParameters(Answer):
    vote_id: int
    kind: str
    options: list[int]
    costs: list[int] | None
    max_choices: int | None
    budget_total: int | None
    threshold: int
    trustees: int
    group: str


class KitTrustee(Answer):
    index: int
    name: str
    transport_key: str | None
    commitments: dict[str, Any] | None
    sealed_shares: Any


class KitComplaint(Answer):
    dealer: int
    complainant: int
    share: str | None  # f_dealer(complainant) as the dealer revealed it; None: not answered yet
    status: str  # pending | answered | disqualifying


class TrusteeKit(Answer):
    vote_id: int
    status: str
    parameters: ElectionParameters
    context: str
    trustees: list[KitTrustee]
    public_key: str | None
    complaints: list[KitComplaint]
    qualified: list[int] | None  # QUAL once the key is fixed
    disqualified: list[int]
    aggregates: list[dict[str, Any]] | None


OPERATIONS = [
    Operation("GET", "/api/v1/votes", "api.op.votes", "voting", VoteList),
    Operation("GET", "/api/v1/votes/{vote_id}/results.json", "api.op.vote_results", "voting", VoteResults,
              errors=(403, 404)),
    Operation("GET", "/api/v1/votes/{vote_id}/ballots.csv", "api.op.vote_ballots", "voting", None,
              media_type="text/csv", errors=(403, 404)),
    Operation("GET", "/api/v1/votes/{vote_id}/board.json", "api.op.vote_board", "voting", BulletinBoard,
              errors=(404,)),
    Operation("GET", "/api/v1/votes/{vote_id}/record", "api.op.vote_record", "voting", None, media_type=ZIP,
              errors=(403, 404)),
    Operation("GET", "/api/v1/votes/{vote_id}/trustee-kit.json", "api.op.vote_trustee_kit", "voting", TrusteeKit,
              errors=(404,)),
    Operation("GET", "/api/v1/votes/{vote_id}/document.pdf", "api.op.vote_document", "voting", None,
              media_type=PDF, errors=(404,)),
]
