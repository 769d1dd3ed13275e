"""Open datasets of votes: the votes and, once published, their results per option."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

from pydantic import Field
from sqlmodel import Session

from syros_app.core.datasets import Dataset, Row

from . import queries


class VoteRow(Row):
    id: int = Field(description="Vote number")
    title: str
    question: str
    kind: str = Field(description="yes_no | single | multiple | budget")
    status: str = Field(description="scheduled | open | closed | published")
    municipal_unit: str | None = Field(description="Municipal unit voting; empty for the whole island")
    min_age: int
    opens_at: datetime | None
    closes_at: datetime | None
    encrypted: bool = Field(description="Ballots encrypted in the voter's browser, tally decrypted by trustees")
    url: str


class ResultRow(Row):
    vote_id: int
    option_id: int
    option: str
    votes: int
    percent: float = Field(description="Share of the ballots cast, in percent")
    ballots: int = Field(description="Ballots cast in this vote")
    participations: int = Field(description="Residents who took part")
    roll_size: int = Field(description="Residents entitled to vote")


def vote_rows(session: Session, now: datetime) -> Iterator[VoteRow]:
    for vote, status in sorted(queries.list_votes(session, now=now), key=lambda r: r[0].id):
        yield VoteRow(id=vote.id, title=vote.title, question=vote.question, kind=vote.kind, status=status,
                      municipal_unit=vote.municipal_unit, min_age=vote.min_age, opens_at=vote.opens_at,
                      closes_at=vote.closes_at, encrypted=vote.encrypted, url=f"/votes/{vote.id}")


def result_rows(session: Session, now: datetime) -> Iterator[ResultRow]:
    for vote, status in sorted(queries.list_votes(session, now=now), key=lambda r: r[0].id):
        if status != "published" or not vote.results_json:
            continue
        results = json.loads(vote.results_json)
        for option in results["options"]:
            yield ResultRow(vote_id=vote.id, option_id=option["id"], option=option["title"], votes=option["votes"],
                            percent=option["percent"], ballots=results["ballots"],
                            participations=results["participations"], roll_size=results["roll_size"])


DATASETS = [
    Dataset("votes", "opendata.ds.votes", "opendata.ds.votes_text", VoteRow, vote_rows),
    Dataset("vote_results", "opendata.ds.vote_results", "opendata.ds.vote_results_text", ResultRow, result_rows),
]
