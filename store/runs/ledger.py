"""The run ledger: the job_run table, as the scheduler claims, retries and recovers its slots.

A slot is claimed by inserting its ledger row: the unique (job, slot) key lets exactly one claimant win,
whatever the number of schedulers or workers. Each row names its owner (host, pid and a random tag), so a
run whose owner died is found and failed for a retry. The scheduler (scheduling/) writes the ledger; the
web UI's operations page reads it, which is why it lives here, beneath both.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from store.enums import JobRunStatus
from store.models import JobRun

JOB_RUN = JobRun.__table__  # type: ignore[attr-defined]
HOST = socket.gethostname()


def new_owner() -> str:
    """An id for this scheduler process: host, pid and a random tag (the pid says if it still lives)."""
    return f"{HOST}:{os.getpid()}:{os.urandom(3).hex()}"


def owner_is_dead(owner: str) -> bool:
    """True when OWNER ran on this host and its process is gone (other hosts: judged by heartbeat)."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != HOST or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, but someone else's
        return False
    return False


# --- the ledger -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    """One job_run row, as the scheduler reads it."""

    id: int
    job: str
    slot: datetime
    status: str
    attempts: int
    started_at: datetime
    finished_at: datetime | None
    owner: str
    error: str | None
    result: dict[str, Any]


def _rows(connection: Connection, statement: Any) -> list[LedgerRow]:
    return [LedgerRow(**row._mapping) for row in connection.execute(statement)]


def ledger_claim(
    engine: Engine, *, job: str, slot: datetime, owner: str, now: datetime, result: dict
) -> int | None:
    """Insert the running row of (JOB, SLOT); None when another claimant already holds that slot."""
    values = {
        "job": job,
        "slot": slot,
        "status": JobRunStatus.running.value,
        "attempts": 1,
        "started_at": now,
        "owner": owner,
        "result": result,
    }
    try:
        with engine.begin() as connection:
            key = connection.execute(insert(JOB_RUN).values(**values)).inserted_primary_key
            return int(key[0]) if key else None
    except IntegrityError:
        return None


def ledger_reclaim(engine: Engine, row: LedgerRow, *, owner: str, now: datetime, result: dict) -> bool:
    """Take a failed row for another attempt; False when someone else took it first (compare-and-set)."""
    statement = (
        update(JOB_RUN)
        .where(JOB_RUN.c.id == row.id, JOB_RUN.c.status == JobRunStatus.failed.value)
        .where(JOB_RUN.c.attempts == row.attempts)
        .values(
            status=JobRunStatus.running.value,
            attempts=row.attempts + 1,
            owner=owner,
            started_at=now,
            finished_at=None,
            result=result,
        )
    )
    with engine.begin() as connection:
        return connection.execute(statement).rowcount == 1


def ledger_update(engine: Engine, run_id: int, *, owner: str, **values: Any) -> bool:
    """Update a running row this OWNER still holds; False when ownership was lost (run recovered)."""
    statement = (
        update(JOB_RUN)
        .where(JOB_RUN.c.id == run_id, JOB_RUN.c.owner == owner)
        .where(JOB_RUN.c.status == JobRunStatus.running.value)
        .values(**values)
    )
    with engine.begin() as connection:
        return connection.execute(statement).rowcount == 1


def ledger_recover_crashed(
    engine: Engine,
    *,
    now: datetime,
    stale_after: timedelta,
    running_here: Callable[[LedgerRow], bool] = lambda _row: False,
) -> list[LedgerRow]:
    """Mark running rows whose owner died (or went silent) as failed, retry due now; return them.

    RUNNING_HERE says which rows the calling process is running right now: those are never crashed,
    however old their heartbeat (a database hiccup can delay heartbeats, not kill the job).
    """
    with engine.connect() as connection:
        running = _rows(connection, select(JOB_RUN).where(JOB_RUN.c.status == JobRunStatus.running.value))
    recovered = []
    for row in running:
        reason = None if running_here(row) else _crash_reason(row, now, stale_after)
        if reason is None:
            continue
        result = {**row.result, "retry_at": now.isoformat(), "crashed_owner": row.owner}
        statement = (
            update(JOB_RUN)
            .where(JOB_RUN.c.id == row.id, JOB_RUN.c.owner == row.owner)
            .where(JOB_RUN.c.status == JobRunStatus.running.value)
            .values(status=JobRunStatus.failed.value, finished_at=now, error=reason, result=result)
        )
        with engine.begin() as connection:
            if connection.execute(statement).rowcount == 1:
                recovered.append(row)
    return recovered


def _crash_reason(row: LedgerRow, now: datetime, stale_after: timedelta) -> str | None:
    if owner_is_dead(row.owner):
        return f"crashed: owner {row.owner} is no longer running"
    beat = row.result.get("heartbeat_at")
    last = datetime.fromisoformat(beat) if beat else row.started_at
    if now - last > stale_after:
        return f"crashed: no heartbeat from {row.owner} since {last.isoformat(timespec='seconds')}"
    return None


def ledger_retry_due(engine: Engine, *, now: datetime, since: datetime, max_attempts: int) -> list[LedgerRow]:
    """Failed rows whose backoff has passed, attempts remain, and no newer slot of the job exists."""
    with engine.connect() as connection:
        failed = _rows(
            connection,
            select(JOB_RUN)
            .where(JOB_RUN.c.status == JobRunStatus.failed.value, JOB_RUN.c.slot >= since)
            .where(JOB_RUN.c.attempts < max_attempts),
        )
        if not failed:
            return []
        latest: dict[str, Any] = dict(
            connection.execute(
                select(JOB_RUN.c.job, func.max(JOB_RUN.c.slot))
                .where(JOB_RUN.c.job.in_({row.job for row in failed}))
                .group_by(JOB_RUN.c.job)
            ).all()
        )
    due = []
    for row in failed:
        retry_at = row.result.get("retry_at")
        # A newer slot supersedes an older failure: retrying it would only repeat work.
        if retry_at and datetime.fromisoformat(retry_at) <= now and _same_instant(latest[row.job], row.slot):
            due.append(row)
    return sorted(due, key=lambda row: row.slot)


def _same_instant(a: datetime, b: datetime) -> bool:
    # SQLite hands max() back as a naive value or text; compare on UTC wall time.
    if isinstance(a, str):
        a = datetime.fromisoformat(a)
    return a.replace(tzinfo=None) == b.replace(tzinfo=None)


def ledger_missing_children(
    engine: Engine, *, chain: dict[str, str], since: datetime
) -> list[tuple[str, datetime]]:
    """(child job, slot) pairs whose parent succeeded at SLOT but the child never started."""
    if not chain:
        return []
    with engine.connect() as connection:
        parents = _rows(
            connection,
            select(JOB_RUN)
            .where(JOB_RUN.c.job.in_(list(chain)), JOB_RUN.c.slot >= since)
            .where(JOB_RUN.c.status == JobRunStatus.succeeded.value),
        )
        children = connection.execute(
            select(JOB_RUN.c.job, JOB_RUN.c.slot).where(
                JOB_RUN.c.job.in_(list(chain.values())), JOB_RUN.c.slot >= since
            )
        ).all()
    existing = {(job, slot) for job, slot in children}
    wanted = [(chain[row.job], row.slot) for row in parents]
    return sorted((pair for pair in wanted if pair not in existing), key=lambda pair: pair[1])


def ledger_get(engine: Engine, job: str, slot: datetime) -> LedgerRow | None:
    """The ledger row of (JOB, SLOT), or None."""
    statement = select(JOB_RUN).where(JOB_RUN.c.job == job, JOB_RUN.c.slot == slot)
    with engine.connect() as connection:
        rows = _rows(connection, statement)
    return rows[0] if rows else None


def ledger_has(engine: Engine, job: str, slot: datetime) -> bool:
    """True when (JOB, SLOT) has a ledger row in any state."""
    with engine.connect() as connection:
        statement = select(JOB_RUN.c.id).where(JOB_RUN.c.job == job, JOB_RUN.c.slot == slot)
        return connection.execute(statement).first() is not None


def ledger_history(engine: Engine, *, job: str | None = None, limit: int = 20) -> list[LedgerRow]:
    """The newest ledger rows (of JOB, or all jobs), newest slot first."""
    statement = select(JOB_RUN).order_by(JOB_RUN.c.slot.desc(), JOB_RUN.c.id.desc()).limit(limit)
    if job:
        statement = statement.where(JOB_RUN.c.job == job)
    with engine.connect() as connection:
        return _rows(connection, statement)


def failing_streak(rows: Iterable[LedgerRow]) -> int:
    """Consecutive failed slots, newest first (running or stop-interrupted slots neither count nor break it)."""
    streak = 0
    for row in rows:
        if row.status == JobRunStatus.running.value or row.result.get("interrupted"):
            continue
        if row.status != JobRunStatus.failed.value:
            break
        streak += 1
    return streak
