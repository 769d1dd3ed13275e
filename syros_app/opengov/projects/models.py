"""Tables of the accountability tracker: projects (a tree), their milestones, public
updates, links to where they came from, and the residents who follow them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Project(SQLModel, table=True):
    __tablename__ = "project"

    id: int | None = Field(default=None, primary_key=True)
    parent_id: int | None = Field(default=None, foreign_key="project.id", index=True)
    title: str = Field(max_length=200)
    department: str = Field(max_length=40, index=True)
    status: str = Field(max_length=20)
    # A leaf's own progress (0–100); a parent shows the weighted mean of its children.
    progress: int = 0
    # This project's weight among its siblings (shown beside it).
    weight: int = 1
    budget: float | None = None
    starts_on: date | None = None
    created_at: datetime
    spent: float | None = None
    ends_on: date | None = None
    updated_at: datetime
    # The last public update (the stale flag is computed from it).
    last_update_at: datetime | None = None
    summary: str = Field(default="", sa_column=Column(Text, nullable=False))


class ProjectMilestone(SQLModel, table=True):
    __tablename__ = "project_milestone"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    title: str = Field(max_length=200)
    due_on: date
    done_on: date | None = None


class ProjectUpdate(SQLModel, table=True):
    """A dated public text about a project's progress."""

    __tablename__ = "project_update"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime
    author_id: int | None = Field(default=None, foreign_key="person.id")


class ProjectLink(SQLModel, table=True):
    """Where a project came from: a (kind, id) pair owned by the project (no foreign
    key into another capability's tables; the target is checked when linked)."""

    __tablename__ = "project_link"
    __table_args__ = (UniqueConstraint("project_id", "kind", "target"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    kind: str = Field(max_length=20)
    target: str = Field(max_length=40)
    title: str = Field(default="", max_length=300)  # the target's title when linked
    created_at: datetime


class ProjectFollow(SQLModel, table=True):
    """A resident following a project (its updates reach their notices)."""

    __tablename__ = "project_follow"

    project_id: int = Field(foreign_key="project.id", primary_key=True)
    person_id: int = Field(foreign_key="person.id", primary_key=True, index=True)
    created_at: datetime
