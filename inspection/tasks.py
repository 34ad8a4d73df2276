"""Task services: generate tasks from risk scores, open them from tips, and move them through the workflow.

Every service works inside the caller's session and flushes; the caller commits (``session_scope`` or the
web layer's session dependency). Every change bumps ``version``, sets ``updated_at`` and appends an audit
event; a stale ``expected_version`` raises StaleTaskError before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session

from store.models import InspectionTask, User
from store.settings import Settings


@dataclass
class GenerateReport:
    """What one run of tasks_generate did."""

    model_version_id: int | None = None
    created: int = 0
    created_audit: int = 0
    attached: int = 0
    backlog: int = 0
    skipped_known: int = 0
    task_ids: list[int] = field(default_factory=list)


def tasks_generate(
    session: Session, *, settings: Settings, now: datetime | None = None, rng_seed: int | None = None
) -> GenerateReport:
    """Create tasks from the champion model's scores (one open task per organisation and risk type)."""
    raise NotImplementedError


def tasks_release_backlog(session: Session, *, settings: Settings, now: datetime | None = None) -> int:
    """Move backlog tasks into `new`, highest priority first, as far as each team's capacity allows."""
    raise NotImplementedError


def task_open_from_tip(
    session: Session,
    *,
    actor: User,
    risk_type: str,
    region_code: str,
    title: str,
    tip_source: str,
    tip_text: str,
    origin: str = "tip",
    listing_id: int | None = None,
    settings: Settings | None = None,
) -> InspectionTask:
    """Open a task from a tip or a mandated report (routed to the risk type's agency)."""
    raise NotImplementedError


def task_assign(
    session: Session, *, task_id: int, expected_version: int, actor: User, assignee_id: int
) -> InspectionTask:
    """Assign the task to a worker of its agency whose region covers the task."""
    raise NotImplementedError


def task_transition(
    session: Session, *, task_id: int, expected_version: int, actor: User, to_status: str, note: str = ""
) -> InspectionTask:
    """Move the task to TO_STATUS if the table and ACTOR's role allow it."""
    raise NotImplementedError


def task_escalate(
    session: Session, *, task_id: int, expected_version: int, actor: User, note: str = ""
) -> InspectionTask:
    """挂牌督办: put the task under provincial supervision."""
    raise NotImplementedError


def task_close(
    session: Session, *, task_id: int, expected_version: int, actor: User, note: str = ""
) -> InspectionTask:
    """Close a task after review of its finding."""
    raise NotImplementedError


def task_reopen(
    session: Session, *, task_id: int, expected_version: int, actor: User, note: str = ""
) -> InspectionTask:
    """Reopen a closed task."""
    raise NotImplementedError


def reinspections_generate(
    session: Session, *, now: datetime | None = None, settings: Settings | None = None
) -> list[InspectionTask]:
    """Open a re-inspection task for every finding whose follow-up date has come (once per finding)."""
    raise NotImplementedError


def due_date_for(priority: float, *, settings: Settings, now: datetime) -> datetime:
    """When a task of PRIORITY is due (days per priority band from the settings)."""
    raise NotImplementedError


_ = date  # re-exported type used in signatures of findings
