"""What every table module shares: the metadata with its constraint naming convention, and column helpers."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    MetaData,
)
from sqlmodel import Field, SQLModel

from store.types import UTCDateTime, utcnow

# Deterministic constraint names keep migrations and error messages stable across dialects.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def one_of(column: str, enum: type[StrEnum], *, nullable: bool = False) -> CheckConstraint:
    """CHECK that COLUMN holds one of ENUM's values."""
    values = ", ".join(f"'{member.value}'" for member in enum)
    condition = f"{column} IN ({values})"
    if nullable:
        condition = f"{column} IS NULL OR {condition}"
    return CheckConstraint(condition, name=column)


def when() -> Any:
    """A non-null aware-UTC timestamp column defaulting to now."""
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def json_field(default: Any = dict) -> Any:
    """A non-null JSON column (default: an empty dict, or DEFAULT's empty value)."""
    return Field(default_factory=default, sa_type=JSON, nullable=False)
