"""Tables of surveys: a survey, its typed questions, and the answers.

Answers are kept apart from who answered:

* ``survey_participation`` says only *that* someone answered a once-per-person
  survey: ``respondent_key`` is ``scoped_hmac(taxid_hmac, "survey:<id>")``
  (unique per survey: a second answer, even a concurrent one, is refused by the
  database). Anonymous surveys key it on the browser session's token instead.
  Random id, no time, no person id.
* ``survey_response`` and ``survey_answer`` hold what was answered: a random
  response id, nothing about a person, no time.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Survey(SQLModel, table=True):
    __tablename__ = "survey"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_column=Column(Text, nullable=False))
    status: str = Field(default="draft", max_length=12, index=True)  # rules.STATUSES
    mode: str = Field(default="person", max_length=12)  # rules.MODES
    # Short-text answers go into the open data only when this is set, and only those a
    # moderator approved.
    publish_text: bool = False
    created_at: datetime
    opened_at: datetime | None = None
    closes_at: datetime | None = None
    closed_at: datetime | None = None
    published_at: datetime | None = None


class SurveyQuestion(SQLModel, table=True):
    __tablename__ = "survey_question"

    id: int | None = Field(default=None, primary_key=True)
    survey_id: int = Field(foreign_key="survey.id", index=True)
    position: int = 0
    kind: str = Field(max_length=12)  # rules.KINDS
    prompt: str = Field(max_length=300)
    required: bool = True
    # Choices, one per line (single and multiple choice).
    choices: str = Field(default="", sa_column=Column(Text, nullable=False))
    max_choices: int | None = None  # multiple choice: at most this many (None: any)
    scale_min: int = 1
    scale_max: int = 5
    label_low: str = Field(default="", max_length=60)
    label_high: str = Field(default="", max_length=60)


class SurveyParticipation(SQLModel, table=True):
    """That someone answered (never what). Random id; no time. The unique
    ``(survey_id, respondent_key)`` is what refuses a second answer, also under concurrency
    (and indexes ``survey_id``)."""

    __table_args__ = (UniqueConstraint("survey_id", "respondent_key"), {"sqlite_with_rowid": False})
    __tablename__ = "survey_participation"
    id: str = Field(primary_key=True, max_length=32)
    survey_id: int = Field(foreign_key="survey.id")
    # scoped_hmac(person's taxid HMAC, "survey:<id>"), or of the browser session's token
    respondent_key: str = Field(max_length=64)


class SurveyResponse(SQLModel, table=True):
    """One submitted answer sheet: random id, nothing else."""

    __tablename__ = "survey_response"
    __table_args__ = ({"sqlite_with_rowid": False},)

    id: str = Field(primary_key=True, max_length=32)
    survey_id: int = Field(foreign_key="survey.id", index=True)


class SurveyAnswer(SQLModel, table=True):
    """One value of one response: a choice's number, a scale point, or a short text."""

    __tablename__ = "survey_answer"

    id: int | None = Field(default=None, primary_key=True)
    response_id: str = Field(foreign_key="survey_response.id", index=True, max_length=32)
    question_id: int = Field(foreign_key="survey_question.id", index=True)
    value: str = Field(max_length=500)
    # Short texts only: None until a moderator decides; True: may be published.
    approved: bool | None = None
