"""Staff accounts, their saved queue filters, login throttling and the hash-chained audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Index,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from store.enums import (
    Role,
)
from store.models.base import json_field, one_of, when
from store.types import UTCDateTime, utcnow


class User(SQLModel, table=True):
    """A member of staff with one role and the region they work in."""

    __tablename__ = "app_user"
    __table_args__ = (
        one_of("role", Role),
        CheckConstraint("language IN ('zh', 'en')", name="language"),
        CheckConstraint("length(region_code) = 6", name="region_code"),
    )

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    display_name: str = Field(default="", max_length=100)
    password_hash: str = Field(max_length=300)
    role: str = Field(max_length=20)
    region_code: str = Field(max_length=6)
    language: str = Field(default="zh", max_length=2)
    active: bool = True
    # Bumped at logout: every session cookie carries the epoch it was issued under, so a copied cookie
    # stops working once its user logs out (on any device).
    session_epoch: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = when()


class SavedFilter(SQLModel, table=True):
    """A user's named queue view: the query string of known queue filter parameters, never other text.

    Private to its owner (pages look rows up by user and id); a name is unique per user.
    """

    __tablename__ = "saved_filter"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=40)
    query: str = Field(max_length=500)
    created_at: datetime = when()


class LoginFailure(SQLModel, table=True):
    """One checked login that failed (or one still being checked): the per-account and per-IP throttle.

    Operational state, not the record (the audit log keeps that): rows older than the throttle window
    are deleted, and a successful login deletes its account's rows.
    """

    __tablename__ = "login_failure"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True)
    # SHA-256 of the folded username (people type passwords into the username field), unknown names too.
    account_key: str = Field(max_length=40, index=True)
    ip: str = Field(max_length=45, index=True)


class AuditEvent(SQLModel, table=True):
    """Append-only, hash-chained record of every change and of every view of protected data."""

    __tablename__ = "audit_event"
    # A task's or finding's history is read by its object (migration 0008): without this index the case
    # file scanned the whole chain (45 ms at 400,000 events, a province's first weeks).
    __table_args__ = (Index("ix_audit_event_object", "object_type", "object_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = when()
    actor_id: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")
    actor: str = Field(default="system", max_length=64)
    action: str = Field(max_length=64, index=True)
    object_type: str = Field(default="", max_length=40)
    object_id: str = Field(default="", max_length=40)
    details: dict[str, Any] = json_field()
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)
