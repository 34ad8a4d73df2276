"""The scheduler service: plans due slots from the cron triggers and the ledger, and runs them.

Jobs run the other packages through their CLI as subprocesses (scheduling/runner.py). Every run goes
through the job_run ledger (store/runs/ledger.py): a (job, slot) row is inserted before the run, so a slot
runs once whatever the number of schedulers or restarts. One scheduler is active at a time
(scheduling/election.py); others wait as standbys. Chains: a successful crawl:NAME slot is followed by
score:NAME, then tasks:NAME, under the same slot. With a broker, due work goes to Celery workers
(scheduling/engine.py) instead.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from scheduling.election import FileLockElection, PgAdvisoryElection
from scheduling.engine import Dispatcher, make_celery
from scheduling.jobs import JobSpec, RunResult, Work, command_argvs, job_specs
from scheduling.runner import CommandRunner, kill_leftovers
from scheduling.triggers import latest_slot, next_fire
from store.audit import AuditSeal, use_seal
from store.cron import crontab_trigger
from store.db import make_engine
from store.enums import JobRunStatus
from store.runs.ledger import (
    HOST,
    LedgerRow,
    ledger_claim,
    ledger_has,
    ledger_missing_children,
    ledger_reclaim,
    ledger_recover_crashed,
    ledger_retry_due,
    ledger_update,
    new_owner,
)
from store.settings import Settings
from store.types import utcnow

log = logging.getLogger("labourwatch.scheduler")
Clock = Callable[[], datetime]
CHAIN_LOOKBACK = timedelta(days=1)


class LabourScheduler:
    """Plans due slots from the cron triggers and the ledger, and runs them (by tick or under APScheduler)."""

    def __init__(self, settings: Settings, engine: Engine, clock: Clock, jobs: dict[str, JobSpec]) -> None:
        self.settings, self.engine, self.clock, self.jobs = settings, engine, clock, jobs
        self.owner = new_owner()
        self.triggers = {
            n: crontab_trigger(s.cron, settings.schedule_timezone) for n, s in jobs.items() if s.cron
        }
        self.chain = {name: spec.then for name, spec in jobs.items() if spec.then}
        self.grace = timedelta(seconds=settings.schedule_misfire_grace_s)
        self.runner = CommandRunner(heartbeat_s=settings.schedule_heartbeat_s)
        self.election: FileLockElection | PgAdvisoryElection = (
            PgAdvisoryElection(engine, self.owner)
            if engine.dialect.name == "postgresql"
            else FileLockElection(_lock_path(settings, engine), self.owner)
        )
        self._job_locks = {name: threading.Lock() for name in jobs}
        self._aps: Any = None
        self.dispatcher: Dispatcher | None = None  # set when jobs go to a broker's workers
        self.worker: str | None = None  # the Celery worker name, when this runs jobs inside a worker

    # planning ---------------------------------------------------------------------------------------

    def plan(self, now: datetime) -> list[Work]:
        """What should run at NOW: crashed runs are failed first, then retries, missing chain steps, slots."""
        self._recover_crashed(now)
        since = now - max(self.grace, CHAIN_LOOKBACK)
        fresh = []
        for name, trigger in self.triggers.items():
            slot = latest_slot(trigger, now, self.grace)
            if slot is not None and not ledger_has(self.engine, name, slot):
                fresh.append(Work(name, slot))
        superseded = {work.job for work in fresh}  # a new slot makes retrying an older one pointless
        retries = ledger_retry_due(
            self.engine, now=now, since=since, max_attempts=self.settings.schedule_retry_max_attempts
        )
        work = [Work(r.job, r.slot, r) for r in retries if r.job in self.jobs and r.job not in superseded]
        work += [
            Work(job, slot)
            for job, slot in ledger_missing_children(self.engine, chain=self.chain, since=since)
        ]
        work += fresh
        return work

    def _recover_crashed(self, now: datetime) -> None:
        """Fail the runs whose owner died (they are retried) and kill what they left on this host."""
        stale = timedelta(seconds=self.settings.schedule_stale_after_s)
        crashed = ledger_recover_crashed(
            self.engine, now=now, stale_after=stale, running_here=self._running_here
        )
        for row in crashed:
            log.warning("run %s@%s crashed (owner %s); it will be retried", row.job, row.slot, row.owner)
            if row.owner.partition(":")[0] == HOST:
                killed = kill_leftovers(row.job, row.slot.isoformat())
                if killed:
                    log.warning("killed leftover processes %s of that run", killed)

    def _running_here(self, row: LedgerRow) -> bool:
        lock = self._job_locks.get(row.job)
        return row.owner == self.owner and lock is not None and lock.locked()

    def tick(self, now: datetime | None = None) -> list[RunResult]:
        """Plan at NOW (default: the clock) and run everything due, one after another; the test-friendly loop."""
        results: list[RunResult] = []
        for work in self.plan(now or self.clock()):
            results += self.execute(work)
        return results

    def next_run(self, name: str, now: datetime) -> datetime | None:
        """When JOB's next slot falls (None for chained jobs)."""
        trigger = self.triggers.get(name)
        return next_fire(trigger, now) if trigger else None

    # running ----------------------------------------------------------------------------------------

    def run_now(self, name: str, *, chain: bool = True) -> list[RunResult]:
        """Run JOB at once under a manual slot (now), through the ledger; the follow-up chain too if CHAIN."""
        if name not in self.jobs:
            raise KeyError(name)
        slot = self.clock().astimezone(UTC)
        return self.execute(Work(name, slot), manual=True, follow=chain)

    def execute(self, work: Work, *, manual: bool = False, follow: bool = True) -> list[RunResult]:
        """Claim WORK in the ledger and run it; on success run the chain's next job under the same slot."""
        if self.runner.stopping.is_set():  # queued before a stop: leave it to the next scheduler
            return []
        if self.dispatcher is not None:  # a worker claims the slot and runs the chain's next step
            self.dispatcher.dispatch(work)
            return []
        lock = self._job_locks[work.job]
        if not lock.acquire(blocking=False):  # this job is busy here; the next sweep will come back
            return []
        try:
            result = self._claim_and_run(work, manual)
        finally:
            lock.release()
        if result is None:
            return []
        results = [result]
        spec = self.jobs[work.job]
        if (
            follow
            and spec.then
            and result.status == JobRunStatus.succeeded.value
            and not self.runner.stopping.is_set()
        ):
            results += self.execute(Work(spec.then, work.slot), manual=manual)
        return results

    def _claim_and_run(self, work: Work, manual: bool) -> RunResult | None:
        now = self.clock()
        result: dict[str, Any] = {"heartbeat_at": now.isoformat(), "manual": manual}
        if self.worker:
            result["worker"] = self.worker  # `schedule history` shows which worker ran what
        if work.retry is None:
            run_id = ledger_claim(
                self.engine, job=work.job, slot=work.slot, owner=self.owner, now=now, result=result
            )
            attempts = 1
        else:
            stale = ("retry_at", "interrupted", "gave_up", "busy", "worker")
            result = {**{k: v for k, v in work.retry.result.items() if k not in stale}, **result}
            result["previous_error"] = work.retry.error  # kept: the retry's success clears `error`
            claimed = ledger_reclaim(self.engine, work.retry, owner=self.owner, now=now, result=result)
            run_id, attempts = (work.retry.id if claimed else None), work.retry.attempts + 1
        if run_id is None:
            return None  # another scheduler (or an earlier run) owns this slot
        log.info("running %s for slot %s (attempt %d)", work.job, work.slot.isoformat(), attempts)
        return self._run(run_id, work, attempts, result)

    def _run(self, run_id: int, work: Work, attempts: int, result: dict[str, Any]) -> RunResult:
        spec = self.jobs[work.job]
        log_path = _log_path(self.settings, work.job, work.slot, attempts)
        result["log"] = str(log_path)

        def beat() -> bool:
            result["heartbeat_at"] = self.clock().isoformat()
            try:
                return ledger_update(self.engine, run_id, owner=self.owner, result=result)
            except SQLAlchemyError as exc:  # a database hiccup must not orphan the running child
                log.warning("heartbeat of %s@%s not recorded: %s", work.job, work.slot, exc)
                return True

        outcome = self.runner.run(
            command_argvs(self.settings, spec, work.slot),
            env=self._child_env(spec, work.slot),
            timeout_s=self.settings.schedule_timeouts_s[spec.kind],
            log_path=log_path,
            beat=beat,
        )
        finished = self.clock()
        result.update(seconds=outcome.seconds, exit_code=outcome.exit_code, commands=outcome.commands)
        status = JobRunStatus.succeeded.value if outcome.ok else JobRunStatus.failed.value
        if not outcome.ok:
            result.update(
                self._retry_plan(attempts, finished, outcome.interrupted), interrupted=outcome.interrupted
            )
        ledger_update(
            self.engine,
            run_id,
            owner=self.owner,
            status=status,
            finished_at=finished,
            error=outcome.error,
            result=result,
        )
        log.log(
            logging.INFO if outcome.ok else logging.WARNING,
            "%s@%s %s %s",
            work.job,
            work.slot,
            status,
            outcome.error or "",
        )
        return RunResult(work.job, work.slot, status, attempts, outcome.error)

    def _retry_plan(self, attempts: int, finished: datetime, interrupted: bool) -> dict[str, Any]:
        """When to try a failed slot again: exponential backoff, at once after an interruption."""
        if attempts >= self.settings.schedule_retry_max_attempts and not interrupted:
            return {"gave_up": True}
        if interrupted:
            return {"retry_at": finished.isoformat()}
        delay = min(
            self.settings.schedule_retry_base_s * 2 ** (attempts - 1), self.settings.schedule_retry_max_s
        )
        return {"retry_at": (finished + timedelta(seconds=delay)).isoformat()}

    def _child_env(self, spec: JobSpec, slot: datetime) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            LABOURWATCH_DATABASE_URL=self.settings.db_url,
            LABOURWATCH_DATA_DIR=str(self.settings.data_dir),
            LABOURWATCH_SOURCES_DIR=str(self.settings.sources_dir),
            LABOURWATCH_JOB=spec.name,
            LABOURWATCH_JOB_SLOT=slot.isoformat(),
            LABOURWATCH_JOB_SOURCE=spec.source,
        )
        return env

    # serving under APScheduler ----------------------------------------------------------------------

    def fire(self, name: str) -> None:
        """APScheduler's entry for a cron job: run the slot that just fell due."""
        slot = latest_slot(self.triggers[name], self.clock(), self.grace)
        if slot is not None:
            self.execute(Work(name, slot))

    def sweep(self) -> None:
        """APScheduler's periodic entry: hand every planned run (catch-up, retries, chains) to the pool."""
        from apscheduler.jobstores.base import ConflictingIdError

        for work in self.plan(self.clock()):
            with contextlib.suppress(ConflictingIdError):  # already queued
                self._aps.add_job(
                    self.execute,
                    args=[work],
                    id=f"{work.job}@{work.slot.isoformat()}",
                    misfire_grace_time=None,
                )

    def start(self) -> None:
        """Start APScheduler: a cron job per scheduled job, and a sweep now and every poll interval."""
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.schedulers.background import BackgroundScheduler
        from apscheduler.triggers.interval import IntervalTrigger

        self.runner.stopping.clear()
        self._aps = BackgroundScheduler(
            timezone=self.settings.schedule_timezone,
            executors={"default": ThreadPoolExecutor(self.settings.schedule_max_workers)},
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": int(self.grace.total_seconds()),
            },
        )
        for name, trigger in self.triggers.items():
            self._aps.add_job(self.fire, trigger, args=[name], id=name, name=name)
        poll = IntervalTrigger(
            seconds=self.settings.schedule_poll_s, timezone=self.settings.schedule_timezone
        )
        self._aps.add_job(self.sweep, poll, id="_sweep", next_run_time=datetime.now(UTC))
        self._aps.start()

    def shutdown(self) -> None:
        """Stop cleanly: stop firing, stop running children (their rows are retried later), wait for threads."""
        self.runner.stopping.set()
        if self._aps is not None and self._aps.running:
            self._aps.pause()
            self.runner.stop_all(wait_s=self.settings.schedule_stop_grace_s)
            self._aps.shutdown(wait=True)
        self._aps = None

    def serve(self, stop: threading.Event, on_state: Callable[[str], None] = lambda _: None) -> None:
        """Wait as a standby until elected, then schedule until STOP is set or leadership is lost."""
        poll = self.settings.schedule_poll_s
        try:
            while not stop.is_set():
                if not self.election.try_acquire():
                    on_state(f"standby: another scheduler is active ({self._holder()})")
                    while not stop.wait(poll) and not self.election.try_acquire():
                        pass
                    if stop.is_set():
                        return
                on_state(f"active scheduler {self.owner}: {len(self.triggers)} scheduled jobs")
                self.start()
                while not stop.wait(poll) and self.election.still_held():
                    pass
                self.shutdown()
                if not stop.is_set():
                    on_state("lost the scheduler lock; back to standby")
        finally:
            self.shutdown()
            self.election.release()

    def _holder(self) -> str:
        try:
            return self.election.holder() or "it just stopped"
        except Exception as exc:  # the database may be what is down; say so instead of dying
            return f"unknown: {type(exc).__name__}"


def _lock_path(settings: Settings, engine: Engine) -> Path:
    """The SQLite election lock sits beside the database file (the data dir by default)."""
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        return Path(database).with_name(Path(database).name + ".scheduler.lock")
    return settings.data_dir / "scheduler.lock"


def _log_path(settings: Settings, job: str, slot: datetime, attempt: int) -> Path:
    safe_job = re.sub(r"[^\w.-]+", "_", job)
    name = f"{slot.strftime('%Y%m%dT%H%M%S.%fZ')}-{attempt}.log"
    return settings.data_dir / "logs" / "scheduler" / safe_job / name


def build_scheduler(
    settings: Settings, *, engine: Engine | None = None, clock: Clock | None = None, dispatch: bool = False
) -> LabourScheduler:
    """The scheduler for SETTINGS: every job with its trigger, the ledger on ENGINE, time from CLOCK.

    DISPATCH with a BROKER_URL set: due jobs go to the broker's workers instead of local children.
    """
    engine = engine or make_engine(settings.db_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    use_seal(engine, AuditSeal.from_settings(settings))
    scheduler = LabourScheduler(settings, engine, clock or utcnow, job_specs(settings))
    if dispatch and settings.broker_url:
        scheduler.dispatcher = Dispatcher(settings, make_celery(settings, build_scheduler), scheduler.jobs)
    return scheduler
