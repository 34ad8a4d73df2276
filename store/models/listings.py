"""Sources, crawl runs, listings and their evidence versions (what the crawlers write)."""

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
)
from sqlmodel import Field, SQLModel

from store.enums import (
    ListingKind,
    RunStatus,
    SourceKind,
)
from store.models.base import json_field, one_of, when
from store.types import UTCDateTime


class Source(SQLModel, table=True):
    """A configured site: where to crawl, how, and when."""

    __tablename__ = "source"
    __table_args__ = (one_of("kind", SourceKind),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    kind: str = Field(max_length=16)
    title: str = Field(default="", max_length=200)
    region_code: str | None = Field(default=None, max_length=6)
    schedule: str | None = Field(default=None, max_length=100)
    enabled: bool = Field(default=True)
    config: dict[str, Any] = json_field()
    created_at: datetime = when()


class CrawlRun(SQLModel, table=True):
    """One run of one source, with its statistics and, when it failed, why."""

    __tablename__ = "crawl_run"
    __table_args__ = (
        one_of("status", RunStatus),
        CheckConstraint("pages >= 0 AND items >= 0 AND items_invalid >= 0", name="counts"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True, ondelete="CASCADE")
    status: str = Field(default=RunStatus.running, max_length=16)
    started_at: datetime = when()
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    pages: int = 0
    items: int = 0
    items_new: int = 0
    items_changed: int = 0
    items_invalid: int = 0
    errors: int = 0
    reason: str | None = Field(default=None, sa_type=Text)
    crawler_version: str = Field(default="", max_length=40)
    stats: dict[str, Any] = json_field()


class Listing(SQLModel, table=True):
    """One ad, keyed by (source, external id or canonical URL), with its current normalised fields."""

    __tablename__ = "listing"
    __table_args__ = (
        UniqueConstraint("source_id", "key"),
        one_of("kind", ListingKind),
        CheckConstraint("salary_min IS NULL OR salary_min >= 0", name="salary_min"),
        CheckConstraint(
            "salary_min IS NULL OR salary_max IS NULL OR salary_min <= salary_max", name="salary_order"
        ),
        CheckConstraint("age_min IS NULL OR (age_min >= 0 AND age_min <= 120)", name="age_min"),
        CheckConstraint("age_max IS NULL OR (age_max >= 0 AND age_max <= 120)", name="age_max"),
        CheckConstraint("missed_runs >= 0", name="missed_runs"),
        Index("ix_listing_region", "city_code", "county_code"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True, ondelete="CASCADE")
    key: str = Field(max_length=500)
    url: str = Field(max_length=2000)
    kind: str = Field(max_length=16)
    title: str = Field(default="", max_length=500)
    body: str = Field(default="", sa_type=Text)
    employer_name: str | None = Field(default=None, max_length=200)
    contacts: dict[str, Any] = json_field()
    salary_min: int | None = None
    salary_max: int | None = None
    salary_text: str | None = Field(default=None, max_length=200)
    age_min: int | None = None
    age_max: int | None = None
    location_text: str | None = Field(default=None, max_length=300)
    province_code: str | None = Field(default=None, max_length=6)
    city_code: str | None = Field(default=None, max_length=6)
    county_code: str | None = Field(default=None, max_length=6)
    licence_no: str | None = Field(default=None, max_length=80)
    credit_code: str | None = Field(default=None, max_length=18)
    posted_date: date | None = None
    extra: dict[str, Any] = json_field()
    content_hash: str = Field(max_length=64)
    search_bigrams: str = Field(default="", sa_type=Text)
    first_seen: datetime = when()
    last_seen: datetime = when()
    last_run_id: int | None = Field(default=None, foreign_key="crawl_run.id", ondelete="SET NULL")
    missed_runs: int = 0
    active: bool = True
    version_count: int = 1
    organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True, ondelete="SET NULL"
    )
    organisation_confidence: float | None = None


class ListingVersion(SQLModel, table=True):
    """Each distinct content of a listing with its raw page: the evidence shown in a case."""

    __tablename__ = "listing_version"
    __table_args__ = (
        UniqueConstraint("listing_id", "version_no"),
        CheckConstraint("version_no >= 1", name="version_no"),
        CheckConstraint("length(raw_sha256) = 64", name="raw_sha256"),
    )

    id: int | None = Field(default=None, primary_key=True)
    listing_id: int = Field(foreign_key="listing.id", index=True, ondelete="CASCADE")
    version_no: int
    content_hash: str = Field(max_length=64)
    fields: dict[str, Any] = json_field()
    raw_gz: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    raw_sha256: str = Field(max_length=64)
    raw_content_type: str = Field(default="text/html", max_length=100)
    captured_at: datetime = when()
    crawler_version: str = Field(max_length=40)
    crawl_run_id: int | None = Field(default=None, foreign_key="crawl_run.id", ondelete="SET NULL")


class RejectedItem(SQLModel, table=True):
    """An item that failed validation during a crawl, kept with the reason."""

    __tablename__ = "rejected_item"

    id: int | None = Field(default=None, primary_key=True)
    crawl_run_id: int = Field(foreign_key="crawl_run.id", index=True, ondelete="CASCADE")
    url: str = Field(max_length=2000)
    reason: str = Field(sa_type=Text)
    item: dict[str, Any] = json_field()
    created_at: datetime = when()
