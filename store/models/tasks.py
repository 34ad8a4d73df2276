"""Inspection tasks, their evidence, search terms, findings, attachments and escalations."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    Index,
    LargeBinary,
    Text,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

from store.enums import (
    Agency,
    Outcome,
    RiskType,
    TaskOrigin,
    TaskStatus,
)
from store.models.base import json_field, one_of, when
from store.types import UTCDateTime


class InspectionTask(SQLModel, table=True):
    """Work for an inspector or market officer, generated from risk scores or opened from a tip."""

    __tablename__ = "inspection_task"
    __table_args__ = (
        one_of("risk_type", RiskType),
        one_of("agency", Agency),
        one_of("status", TaskStatus),
        one_of("origin", TaskOrigin),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 1)", name="score"),
        CheckConstraint("version >= 1", name="version"),
        # One open task per organisation and risk type; more listings attach to it as evidence.
        Index(
            "uq_inspection_task_open_org_risk",
            "organisation_id",
            "risk_type",
            unique=True,
            sqlite_where=text("status != 'closed' AND organisation_id IS NOT NULL"),
            postgresql_where=text("status != 'closed' AND organisation_id IS NOT NULL"),
        ),
        Index("ix_inspection_task_queue", "region_code", "status", "priority"),
        # Queue pages: the top 50 by priority (or newest first) read from an index, not sorted from the
        # whole remit; the remit's count read from the index alone (migration 0009).
        Index("ix_inspection_task_priority", "priority", "id"),
        Index("ix_inspection_task_created", "created_at", "id"),
        Index("ix_inspection_task_remit", "agency", "region_code", "status"),
        # The dashboard's exact count of tasks falling overdue today (earlier days come from the tallies).
        Index("ix_inspection_task_due", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(default="", max_length=300)
    risk_type: str = Field(max_length=32)
    agency: str = Field(max_length=24)
    region_code: str = Field(max_length=6, index=True)
    status: str = Field(default=TaskStatus.new, max_length=20)
    origin: str = Field(default=TaskOrigin.model, max_length=20)
    priority: float = 0.0
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", ondelete="SET NULL")
    listing_id: int | None = Field(default=None, foreign_key="listing.id", ondelete="SET NULL")
    model_version_id: int | None = Field(default=None, foreign_key="model_version.id", ondelete="SET NULL")
    score: float | None = None
    tip_source: str | None = Field(default=None, max_length=300)
    tip_text: str | None = Field(default=None, sa_type=Text)
    assignee_id: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")
    due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    follow_up_of_id: int | None = Field(default=None, foreign_key="inspection_task.id", ondelete="SET NULL")
    version: int = 1
    created_at: datetime = when()
    updated_at: datetime = when()


class TaskEvidence(SQLModel, table=True):
    """A listing (at a given version) attached to a task as evidence."""

    __tablename__ = "task_evidence"
    __table_args__ = (UniqueConstraint("task_id", "listing_id"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="inspection_task.id", index=True, ondelete="CASCADE")
    listing_id: int = Field(foreign_key="listing.id", ondelete="CASCADE")
    listing_version_id: int | None = Field(
        default=None, foreign_key="listing_version.id", ondelete="SET NULL"
    )
    score: float | None = None
    added_at: datetime = when()


class TaskSearchTerm(SQLModel, table=True):
    """Inverted index of a task's evidence text: one row per (bigram term, task), for fast queue search.

    The primary key starts with the term, so a search is an index range scan per term; portable across
    SQLite and PostgreSQL (an FTS5 table or an expression GIN index would not be).
    """

    __tablename__ = "task_search_term"

    term: str = Field(max_length=40, primary_key=True)
    task_id: int = Field(foreign_key="inspection_task.id", primary_key=True, index=True, ondelete="CASCADE")


class Finding(SQLModel, table=True):
    """What the inspector established, and the training label it implies."""

    __tablename__ = "finding"
    __table_args__ = (one_of("outcome", Outcome),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="inspection_task.id", index=True, ondelete="CASCADE")
    inspector_id: int = Field(foreign_key="app_user.id", ondelete="RESTRICT")
    violations: list[Any] = json_field(list)
    outcome: str = Field(max_length=32)
    notes: str = Field(default="", sa_type=Text)
    victims: list[Any] = json_field(list)
    labels: dict[str, Any] = json_field()
    follow_up_date: date | None = None
    created_at: datetime = when()


class FindingAttachment(SQLModel, table=True):
    """An evidence file uploaded with a finding."""

    __tablename__ = "finding_attachment"
    __table_args__ = (CheckConstraint("size_bytes >= 0", name="size_bytes"),)

    id: int | None = Field(default=None, primary_key=True)
    finding_id: int = Field(foreign_key="finding.id", index=True, ondelete="CASCADE")
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=100)
    size_bytes: int
    sha256: str = Field(max_length=64)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    uploaded_at: datetime = when()


class TaskEscalation(SQLModel, table=True):
    """挂牌督办: a task put under supervision, with the reason, supervising office and deadline of its notice."""

    __tablename__ = "task_escalation"

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="inspection_task.id", index=True, ondelete="CASCADE")
    reason: str = Field(sa_type=Text)
    office: str = Field(max_length=200)
    deadline: date
    escalated_by_id: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")
    created_at: datetime = when()


class DashboardTally(SQLModel, table=True):
    """A signed count the dashboard sums, appended by triggers as tasks and findings change (store.tallies).

    KIND is status, created (KEY: the Beijing week's Monday), closed (the week), due (the Beijing day of
    a task that can fall overdue) or violation (the week of a finding with a violation).
    """

    __tablename__ = "dashboard_tally"
    __table_args__ = (Index("ix_dashboard_tally_remit", "agency", "region_code", "kind", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    agency: str = Field(max_length=24)
    region_code: str = Field(max_length=6)
    kind: str = Field(max_length=12)
    key: str = Field(max_length=20)
    n: int
