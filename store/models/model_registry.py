"""The risk model registry: model versions (champion, candidates) and the scores they gave."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Index,
    Text,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

from store.enums import (
    ModelStatus,
    RiskType,
)
from store.models.base import json_field, one_of, when
from store.types import UTCDateTime


class ModelVersion(SQLModel, table=True):
    """A trained model file with what it was trained on, how well it did, and its status."""

    __tablename__ = "model_version"
    __table_args__ = (
        one_of("status", ModelStatus),
        CheckConstraint("length(sha256) = 64", name="sha256"),
        # At most one champion at a time.
        Index(
            "uq_model_version_one_champion",
            "status",
            unique=True,
            sqlite_where=text("status = 'champion'"),
            postgresql_where=text("status = 'champion'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    version: str = Field(max_length=60, unique=True)
    file_path: str = Field(max_length=500)
    sha256: str = Field(max_length=64)
    status: str = Field(default=ModelStatus.candidate, max_length=16)
    data_fingerprint: str = Field(max_length=64)
    code_version: str = Field(default="", max_length=60)
    library_versions: dict[str, Any] = json_field()
    metrics: dict[str, Any] = json_field()
    thresholds: dict[str, Any] = json_field()
    training: dict[str, Any] = json_field()
    notes: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = when()
    promoted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    previous_champion_id: int | None = Field(
        default=None, foreign_key="model_version.id", ondelete="SET NULL"
    )


class RiskScore(SQLModel, table=True):
    """Listing × model version × risk type → calibrated probability with its explanation."""

    __tablename__ = "risk_score"
    __table_args__ = (
        UniqueConstraint("listing_id", "model_version_id", "risk_type"),
        one_of("risk_type", RiskType),
        CheckConstraint("probability >= 0 AND probability <= 1", name="probability"),
        Index("ix_risk_score_rank", "model_version_id", "risk_type", "probability"),
    )

    id: int | None = Field(default=None, primary_key=True)
    listing_id: int = Field(foreign_key="listing.id", index=True, ondelete="CASCADE")
    model_version_id: int = Field(foreign_key="model_version.id", ondelete="CASCADE")
    risk_type: str = Field(max_length=32)
    probability: float
    content_hash: str = Field(max_length=64)
    explanation: list[Any] = json_field(list)
    scored_at: datetime = when()
