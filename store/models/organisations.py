"""Organisations behind listings and the licence-registry records they are checked against."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from store.enums import (
    LicenceStatus,
    OrgKind,
    RegistryKind,
)
from store.models.base import json_field, one_of, when


class Organisation(SQLModel, table=True):
    """The real-world actor behind listings: agency, employer or broker."""

    __tablename__ = "organisation"
    __table_args__ = (one_of("kind", OrgKind), one_of("licence_status", LicenceStatus))

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    normalised_name: str = Field(default="", max_length=200, index=True)
    kind: str = Field(default=OrgKind.unknown, max_length=16)
    credit_code: str | None = Field(default=None, max_length=18, unique=True)
    licence_no: str | None = Field(default=None, max_length=80, index=True)
    region_code: str | None = Field(default=None, max_length=6, index=True)
    licence_status: str = Field(default=LicenceStatus.unknown, max_length=16)
    identifiers: dict[str, Any] = json_field()
    flags: list[Any] = json_field(list)
    merged_into_id: int | None = Field(default=None, foreign_key="organisation.id", ondelete="SET NULL")
    created_at: datetime = when()
    updated_at: datetime = when()


class RegistryRecord(SQLModel, table=True):
    """A licensed HR-service agency, registered marriage agency or business registration."""

    __tablename__ = "registry_record"
    __table_args__ = (
        UniqueConstraint("kind", "registry_key"),
        one_of("kind", RegistryKind),
        CheckConstraint("valid_to IS NULL OR valid_from IS NULL OR valid_from <= valid_to", name="validity"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    registry_key: str = Field(max_length=80)
    name: str = Field(max_length=200)
    normalised_name: str = Field(default="", max_length=200, index=True)
    credit_code: str | None = Field(default=None, max_length=18, index=True)
    licence_no: str | None = Field(default=None, max_length=80, index=True)
    address: str | None = Field(default=None, max_length=300)
    scope: str | None = Field(default=None, sa_type=Text)
    status: str | None = Field(default=None, max_length=40)
    region_code: str | None = Field(default=None, max_length=6)
    valid_from: date | None = None
    valid_to: date | None = None
    source_file: str = Field(default="", max_length=300)
    data: dict[str, Any] = json_field()
    imported_at: datetime = when()
