"""The scheduler's run ledger."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from store.enums import (
    JobRunStatus,
)
from store.models.base import json_field, one_of, when
from store.types import UTCDateTime


class JobRun(SQLModel, table=True):
    """The scheduler's ledger: one row per (job, scheduled slot), so a slot runs once."""

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("job", "slot"), one_of("status", JobRunStatus))

    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=120)
    slot: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(default=JobRunStatus.running, max_length=16)
    attempts: int = 1
    started_at: datetime = when()
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    owner: str = Field(default="", max_length=120)
    error: str | None = Field(default=None, sa_type=Text)
    result: dict[str, Any] = json_field()
