"""The operations page (运行状态): which worker ran each recent job, the broker's queues, recent failures.

The scheduler and its workers serve the whole province, so the page is for province-level staff of the
analyst pages' roles (analyst, supervisor, admin); anyone else gets the 404 of every remit check. The run
ledger holds no personal data; a failed run's error (the tail of its log) is cut to its last line.
The broker is asked once, with a short timeout: when none is configured, or it does not answer, the page
says so in a sentence instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.engine import Engine
from starlette.responses import Response

from inspection.access import AccessDenied
from inspection.web.analyst.common import ANALYST_ROLES, require_role
from inspection.web.deps import CurrentUser, SettingsDep, get_engine
from inspection.web.templating import render
from store.enums import JobRunStatus
from store.models import User
from store.regions import get_region
from store.runs.broker import broker_queue_lengths
from store.runs.ledger import failing_streak, ledger_history
from store.settings import Settings
from store.types import utcnow

router = APIRouter(include_in_schema=False)

RECENT_RUNS = 30
FAILURE_DAYS = 7
BROKER_TIMEOUT_S = 1.0
ERROR_CHARS = 160


@dataclass(frozen=True)
class RunRow:
    """One ledger row as the page shows it."""

    job: str
    slot: datetime
    status: str  # a key under "ops.status."
    retry_at: str | None
    attempts: int
    seconds: float | None
    worker: str | None  # the Celery worker; None: the scheduler ran it as its own child process
    owner: str
    error: str


@dataclass(frozen=True)
class QueueState:
    """What the broker says: waiting messages per queue, or why there is nothing to show."""

    lengths: dict[str, int] | None
    note: str | None  # a key under "ops.broker_" when there are no lengths
    reason: str = ""  # the exception's type, for the unreachable note (never the URL: it holds a password)


def require_province(user: User) -> None:
    """AccessDenied (a 404) unless USER works at province level."""
    region = get_region(user.region_code)
    if region is None or region.level != "province":
        raise AccessDenied("operations are for province-level staff")


def status_key(row: Any) -> str:
    """The page's status of a ledger row (succeeded, running, interrupted, busy, retry, gave_up, failed)."""
    if row.status != JobRunStatus.failed.value:
        return str(row.status)
    for key in ("interrupted", "busy", "gave_up"):
        if row.result.get(key):
            return key
    return "retry" if row.result.get("retry_at") else "failed"


def _last_line(text: str | None) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1][:ERROR_CHARS] if lines else ""


def run_row(row: Any) -> RunRow:
    seconds = row.result.get("seconds")
    return RunRow(
        job=row.job,
        slot=row.slot,
        status=status_key(row),
        retry_at=row.result.get("retry_at"),
        attempts=row.attempts,
        seconds=float(seconds) if seconds is not None else None,
        worker=row.result.get("worker"),
        owner=row.owner,
        error=_last_line(row.error),
    )


def queue_state(settings: Settings, *, timeout_s: float = BROKER_TIMEOUT_S) -> QueueState:
    """The broker's queue lengths, or a note: no broker configured, or it did not answer."""
    if not settings.broker_url:
        return QueueState(None, "none")
    try:
        return QueueState(broker_queue_lengths(settings.broker_url, timeout_s=timeout_s), None)
    except Exception as exc:  # any failure is a sentence on the page, never a traceback
        return QueueState(None, "unreachable", type(exc).__name__)


def failing_jobs(engine: Engine, rows: list[Any], settings: Settings) -> list[tuple[str, int]]:
    """(job, streak) of the jobs among ROWS whose newest slots failed SCHEDULE_FAILING_STREAK times or more."""
    out = []
    for name in sorted({row.job for row in rows}):
        streak = failing_streak(ledger_history(engine, job=name, limit=50))
        if streak >= settings.schedule_failing_streak:
            out.append((name, streak))
    return out


@router.get("/analyst/operations")
def operations_page(
    request: Request,
    engine: Annotated[Engine, Depends(get_engine)],
    settings: SettingsDep,
    user: CurrentUser,
) -> Response:
    """Recent job runs with their worker, the queues' lengths and the failures of the last week."""
    require_role(user, ANALYST_ROLES)
    require_province(user)
    from sqlalchemy import inspect

    context: dict[str, Any] = {"queues": queue_state(settings), "failure_days": FAILURE_DAYS}
    if not inspect(engine).has_table("job_run"):
        return render(request, "operations.html", context | {"runs": [], "failures": [], "failing": []})
    history = ledger_history(engine, limit=500)
    since = utcnow() - timedelta(days=FAILURE_DAYS)
    failed = [
        r
        for r in history
        if r.status == JobRunStatus.failed.value and (r.finished_at or r.started_at) >= since
    ]
    context |= {
        "runs": [run_row(r) for r in history[:RECENT_RUNS]],
        "failures": [run_row(r) for r in failed[:RECENT_RUNS]],
        "failing": failing_jobs(engine, history, settings),
    }
    return render(request, "operations.html", context)
