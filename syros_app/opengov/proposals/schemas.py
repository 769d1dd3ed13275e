"""Public routes of residents' proposals, for the OpenAPI document."""

from __future__ import annotations

from syros_app.api.operation import Answer, Operation, Param

FORMAT = Param("format", enum=("json", "csv"), description="csv for the same rows as a CSV file")


class ProposalRow(Answer):
    id: int
    title: str
    body: str
    area: str  # a municipal unit, or * for the whole island
    author: str | None  # the public name the author chose
    created_at: str | None
    collect_until: str | None
    share: str  # p of the threshold rule, as a decimal string
    residents: int  # verified residents of the area when proposed
    threshold: int
    supports: int
    status: str
    overdue: bool
    reached_at: str | None
    answer_due_at: str | None
    answered_at: str | None
    answered_on_time: bool | None
    answer: str | None
    link_kind: str | None
    link_id: int | None
    link_url: str | None
    url: str


class ProposalList(Answer):
    threshold_rule: str
    answer_rule: str
    statuses: list[str]
    proposals: list[ProposalRow]


class ParticipationCell(Answer):
    municipal_unit: str
    age_band: str
    participants: int


class Participation(Answer):
    definition: str
    age_bands: list[str]
    rows: list[ParticipationCell]


OPERATIONS = [
    Operation("GET", "/api/v1/proposals", "api.op.proposals", "proposals", ProposalList, params=(FORMAT,),
              also=("text/csv",)),
    Operation("GET", "/api/v1/proposals/participation", "api.op.proposals_participation", "proposals", Participation,
              params=(FORMAT,), also=("text/csv",)),
    Operation("GET", "/api/v1/proposals/{proposal_id}/photo", "api.op.proposal_photo", "proposals", None,
              media_type="image/jpeg", errors=(404,)),
]
