"""Read side: work queues, task details, dashboards and CSV export, with access and PII rules applied."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from store.models import Finding, InspectionTask, User


@dataclass(frozen=True)
class QueueItem:
    """One row of a work queue."""

    id: int
    title: str
    risk_type: str
    agency: str
    region_code: str
    region_name: str
    status: str
    origin: str
    priority: float
    score: float | None
    assignee_id: int | None
    assignee_name: str | None
    due_at: datetime | None
    overdue: bool
    version: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class QueuePage:
    """A page of a work queue, in priority order."""

    items: list[QueueItem]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class EvidenceView:
    """A listing attached to a task, at the version captured, with its latest scores (masked as needed)."""

    listing_id: int
    listing_version_id: int | None
    version_no: int | None
    raw_sha256: str | None
    url: str
    title: str
    body: str
    employer_name: str | None
    contacts: dict[str, Any]
    location_text: str | None
    posted_date: date | None
    score: float | None
    scores: list[dict[str, Any]]  # {risk_type, probability, model_version_id, explanation}
    versions: list[dict[str, Any]]  # {id, version_no, captured_at, raw_sha256}


@dataclass(frozen=True)
class TaskDetail:
    """Everything a task page shows."""

    task: InspectionTask
    region_name: str
    overdue: bool
    evidence: list[EvidenceView]
    organisation: dict[str, Any] | None  # id, name, kind, licence_status, licence_no, credit_code, flags
    other_listings: list[dict[str, Any]]  # same organisation, not yet evidence: id, title, url, last_seen
    findings: list[Finding]
    history: list[dict[str, Any]]  # audit events: at, actor, action, details
    allowed_actions: list[str]
    can_see_pii: bool


@dataclass(frozen=True)
class RegionStats:
    """Dashboard counts for one region (a city, or the user's own region)."""

    region_code: str
    region_name: str
    open: int = 0
    overdue: int = 0
    closed: int = 0
    escalated: int = 0
    violations_found: int = 0


@dataclass(frozen=True)
class Dashboard:
    """Per-region counts and weekly trends for charts."""

    regions: list[RegionStats]
    weeks: list[str] = field(default_factory=list)  # ISO week starts (Monday), oldest first
    created_per_week: list[int] = field(default_factory=list)
    closed_per_week: list[int] = field(default_factory=list)
    violations_per_week: list[int] = field(default_factory=list)


def queue_for_user(
    session: Session,
    *,
    user: User,
    risk_type: str | None = None,
    region: str | None = None,
    status: str | None = None,
    q: str | None = None,
    overdue_only: bool = False,
    assigned_to_me: bool = False,
    page: int = 1,
    per_page: int = 50,
    now: datetime | None = None,
) -> QueuePage:
    """The tasks USER may see, filtered, highest priority first."""
    raise NotImplementedError


def task_detail(session: Session, *, user: User, task_id: int, now: datetime | None = None) -> TaskDetail:
    """A task with its evidence, scores, organisation, findings and history (access checked, PII masked)."""
    raise NotImplementedError


def dashboard(session: Session, *, user: User, now: datetime | None = None, weeks: int = 12) -> Dashboard:
    """Counts per region in USER's remit and weekly trends."""
    raise NotImplementedError


def export_tasks_csv(
    session: Session,
    *,
    user: User,
    risk_type: str | None = None,
    region: str | None = None,
    status: str | None = None,
    q: str | None = None,
    overdue_only: bool = False,
    now: datetime | None = None,
) -> str:
    """The queue as CSV (UTF-8 with BOM so Excel opens Chinese correctly), masked per role."""
    raise NotImplementedError


_ = InspectionTask
