"""The tables: the single source of truth every other package reads and writes.

Enumerated columns carry CHECK constraints, natural keys carry UNIQUE constraints, and every
reference is a foreign key, so a bad row is refused by the database itself on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Index,
    LargeBinary,
    MetaData,
    Text,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

from store.enums import (
    Agency,
    JobRunStatus,
    LicenceStatus,
    ListingKind,
    ModelStatus,
    OrgKind,
    Outcome,
    RegistryKind,
    RiskType,
    Role,
    RunStatus,
    SourceKind,
    TaskOrigin,
    TaskStatus,
)
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


def _when() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def _json(default: Any = dict) -> Any:
    return Field(default_factory=default, sa_type=JSON, nullable=False)


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
    config: dict[str, Any] = _json()
    created_at: datetime = _when()


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
    started_at: datetime = _when()
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    pages: int = 0
    items: int = 0
    items_new: int = 0
    items_changed: int = 0
    items_invalid: int = 0
    errors: int = 0
    reason: str | None = Field(default=None, sa_type=Text)
    crawler_version: str = Field(default="", max_length=40)
    stats: dict[str, Any] = _json()


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
    identifiers: dict[str, Any] = _json()
    flags: list[Any] = _json(list)
    merged_into_id: int | None = Field(default=None, foreign_key="organisation.id", ondelete="SET NULL")
    created_at: datetime = _when()
    updated_at: datetime = _when()


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
    contacts: dict[str, Any] = _json()
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
    extra: dict[str, Any] = _json()
    content_hash: str = Field(max_length=64)
    search_bigrams: str = Field(default="", sa_type=Text)
    first_seen: datetime = _when()
    last_seen: datetime = _when()
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
    fields: dict[str, Any] = _json()
    raw_gz: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    raw_sha256: str = Field(max_length=64)
    raw_content_type: str = Field(default="text/html", max_length=100)
    captured_at: datetime = _when()
    crawler_version: str = Field(max_length=40)
    crawl_run_id: int | None = Field(default=None, foreign_key="crawl_run.id", ondelete="SET NULL")


class RejectedItem(SQLModel, table=True):
    """An item that failed validation during a crawl, kept with the reason."""

    __tablename__ = "rejected_item"

    id: int | None = Field(default=None, primary_key=True)
    crawl_run_id: int = Field(foreign_key="crawl_run.id", index=True, ondelete="CASCADE")
    url: str = Field(max_length=2000)
    reason: str = Field(sa_type=Text)
    item: dict[str, Any] = _json()
    created_at: datetime = _when()


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
    data: dict[str, Any] = _json()
    imported_at: datetime = _when()


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
    library_versions: dict[str, Any] = _json()
    metrics: dict[str, Any] = _json()
    thresholds: dict[str, Any] = _json()
    training: dict[str, Any] = _json()
    notes: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = _when()
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
    explanation: list[Any] = _json(list)
    scored_at: datetime = _when()


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
    created_at: datetime = _when()


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
    created_at: datetime = _when()
    updated_at: datetime = _when()


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
    added_at: datetime = _when()


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
    violations: list[Any] = _json(list)
    outcome: str = Field(max_length=32)
    notes: str = Field(default="", sa_type=Text)
    victims: list[Any] = _json(list)
    labels: dict[str, Any] = _json()
    follow_up_date: date | None = None
    created_at: datetime = _when()


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
    uploaded_at: datetime = _when()


class TaskEscalation(SQLModel, table=True):
    """挂牌督办: a task put under supervision, with the reason, supervising office and deadline of its notice."""

    __tablename__ = "task_escalation"

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="inspection_task.id", index=True, ondelete="CASCADE")
    reason: str = Field(sa_type=Text)
    office: str = Field(max_length=200)
    deadline: date
    escalated_by_id: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")
    created_at: datetime = _when()


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
    created_at: datetime = _when()


class AuditEvent(SQLModel, table=True):
    """Append-only, hash-chained record of every change and of every view of protected data."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _when()
    actor_id: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")
    actor: str = Field(default="system", max_length=64)
    action: str = Field(max_length=64, index=True)
    object_type: str = Field(default="", max_length=40)
    object_id: str = Field(default="", max_length=40)
    details: dict[str, Any] = _json()
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)


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


class JobRun(SQLModel, table=True):
    """The scheduler's ledger: one row per (job, scheduled slot), so a slot runs once."""

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("job", "slot"), one_of("status", JobRunStatus))

    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=120)
    slot: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(default=JobRunStatus.running, max_length=16)
    attempts: int = 1
    started_at: datetime = _when()
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    owner: str = Field(default="", max_length=120)
    error: str | None = Field(default=None, sa_type=Text)
    result: dict[str, Any] = _json()
