"""The scheduler: the one process that decides when crawls, scoring, task generation and upkeep run.

Jobs run the other packages through their CLI as subprocesses (a Scrapy reactor cannot restart in one
process, and a crash stays in its child). Every run goes through the job_run ledger: a (job, slot) row
is inserted before the run, so a slot runs once whatever the number of schedulers or restarts. One
scheduler is active at a time (flock on SQLite, an advisory lock on PostgreSQL); others wait as standbys.
Chains: a successful crawl:NAME slot is followed by score:NAME, then tasks:NAME, under the same slot.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shlex
import signal
import sys
import threading
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from store.cli import CliError, cli_engine, cli_settings, console, new_app
from store.cron import crontab_trigger
from store.enums import JobRunStatus
from store.settings import Settings
from store.types import utcnow

log = logging.getLogger("labourwatch.scheduler")
Clock = Callable[[], datetime]
CHAIN_LOOKBACK = timedelta(days=1)


@dataclass(frozen=True)
class JobSpec:
    """One schedulable job: its ledger name, its kind (the command table key) and when it runs."""

    name: str
    kind: str
    cron: str | None = None  # None: runs only as the next step of a chain
    source: str = ""
    then: str | None = None  # the job run under the same slot after this one succeeds


@dataclass(frozen=True)
class RunResult:
    """What one claimed run ended as."""

    job: str
    slot: datetime
    status: str
    attempts: int
    error: str | None = None


@dataclass(frozen=True)
class Work:
    """A decision of the planner: run JOB for SLOT (a new slot, or a retry of a failed row)."""

    job: str
    slot: datetime
    retry: Any = None  # the failed LedgerRow to retry, if any


# --- configuration --------------------------------------------------------------------------------------


def load_source_schedules(sources_dir: Path) -> list[tuple[str, str]]:
    """(name, cron) of every enabled source file in SOURCES_DIR that has a schedule."""
    schedules = []
    for path in sorted(sources_dir.glob("*.toml")) if sources_dir.is_dir() else []:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"source file {path}: {exc}") from None
        table = data.get("source", data)  # a [source] table or top-level keys
        name, cron = table.get("name") or path.stem, table.get("schedule")
        if table.get("enabled", True) and cron:
            try:
                crontab_trigger(str(cron), "UTC")
            except ValueError as exc:
                raise ValueError(f"source file {path}: schedule: {exc}") from None
            schedules.append((str(name), str(cron)))
    return schedules


def job_specs(settings: Settings) -> dict[str, JobSpec]:
    """Every job: crawl -> score -> tasks per scheduled source, plus the nightly and daily upkeep jobs."""
    specs = [
        JobSpec("evaluate", "evaluate", settings.schedule_evaluate_cron),
        JobSpec("retention", "retention", settings.schedule_retention_cron),
        JobSpec("audit", "audit", settings.schedule_audit_cron),
        JobSpec("drift", "drift", settings.schedule_drift_cron),
        JobSpec("report", "report", settings.schedule_report_cron),
    ]
    for name, cron in load_source_schedules(settings.sources_dir):
        specs += [
            JobSpec(f"crawl:{name}", "crawl", cron, source=name, then=f"score:{name}"),
            JobSpec(f"score:{name}", "score", source=name, then=f"tasks:{name}"),
            JobSpec(f"tasks:{name}", "tasks", source=name),
        ]
    return {spec.name: spec for spec in specs}


def latest_slot(trigger: Any, now: datetime, grace: timedelta) -> datetime | None:
    """The newest fire time of TRIGGER in [now - grace, now] (older misses coalesce into it), or None."""
    window = timedelta(seconds=1)
    while True:  # widen the window by doubling so a once-a-second cron does not scan an hour of fires
        window = min(window, grace)
        slot = _last_fire_in(trigger, now - window, now)
        if slot is not None or window >= grace:
            return slot
        window *= 2


def _last_fire_in(trigger: Any, start: datetime, end: datetime) -> datetime | None:
    slot, candidate = None, trigger.get_next_fire_time(None, start)
    while candidate is not None and candidate <= end:
        slot = candidate
        candidate = trigger.get_next_fire_time(candidate, candidate + timedelta(microseconds=1))
    return slot.astimezone(UTC) if slot else None


def command_argvs(settings: Settings, spec: JobSpec, slot: datetime) -> list[list[str]]:
    """The argv lists of SPEC's kind, with {labourwatch}, {python}, {source}, {job}, {slot} filled in."""
    values = {
        "{python}": sys.executable,
        "{source}": spec.source,
        "{job}": spec.name,
        "{slot}": slot.isoformat(),
    }
    argvs = []
    for line in settings.schedule_commands[spec.kind]:
        argv: list[str] = []
        for token in shlex.split(line):
            if token == "{labourwatch}":
                argv += [sys.executable, "-m", "labourwatch"]
                continue
            for key, value in values.items():
                token = token.replace(key, value)
            argv.append(token)
        argvs.append(argv)
    return argvs


# --- the scheduler --------------------------------------------------------------------------------------


class LabourScheduler:
    """Plans due slots from the cron triggers and the ledger, and runs them (by tick or under APScheduler)."""

    def __init__(self, settings: Settings, engine: Engine, clock: Clock, jobs: dict[str, JobSpec]) -> None:
        from scheduler_jobs import CommandRunner, FileLockElection, PgAdvisoryElection, new_owner

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
        self.dispatcher: Any = None  # scheduler_engine.Dispatcher when jobs go to a broker's workers
        self.worker: str | None = None  # the Celery worker name, when this runs jobs inside a worker

    # planning ---------------------------------------------------------------------------------------

    def plan(self, now: datetime) -> list[Work]:
        """What should run at NOW: crashed runs are failed first, then retries, missing chain steps, slots."""
        from scheduler_jobs import ledger_has, ledger_missing_children, ledger_retry_due

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
        from scheduler_jobs import HOST, kill_leftovers, ledger_recover_crashed

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

    def _running_here(self, row: Any) -> bool:
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
        fire = trigger.get_next_fire_time(None, now) if trigger else None
        return fire.astimezone(UTC) if fire else None

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
        from scheduler_jobs import ledger_claim, ledger_reclaim

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
        from scheduler_jobs import ledger_update

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
    from store.audit import AuditSeal, use_seal
    from store.db import make_engine

    engine = engine or make_engine(settings.db_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    use_seal(engine, AuditSeal.from_settings(settings))
    scheduler = LabourScheduler(settings, engine, clock or utcnow, job_specs(settings))
    if dispatch and settings.broker_url:
        from scheduler_engine import Dispatcher, make_celery

        scheduler.dispatcher = Dispatcher(settings, make_celery(settings), scheduler.jobs)
    return scheduler


# --- command line ---------------------------------------------------------------------------------------

schedule_app = new_app("Scheduler: run crawls, scoring, task generation and upkeep on their schedules.")


def _cli_scheduler(*, dispatch: bool = False) -> LabourScheduler:
    from sqlalchemy import inspect

    engine = cli_engine()
    if not inspect(engine).has_table("job_run"):
        raise CliError("the database has no job_run table yet: run `labourwatch db upgrade` first")
    try:
        return build_scheduler(cli_settings(), engine=engine, dispatch=dispatch)
    except ValueError as exc:
        raise CliError(str(exc)) from None


@schedule_app.command("start")
def schedule_start_cmd() -> None:
    """Run the scheduler (blocking). A second one waits as standby; Ctrl-C or SIGTERM stops cleanly.

    With BROKER_URL set it only dispatches: `labourwatch worker` processes run the jobs.
    """
    scheduler = _cli_scheduler(dispatch=True)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    scheduler.serve(stop, on_state=lambda line: console.print(line, highlight=False))
    console.print("scheduler stopped")


@schedule_app.command("list")
def schedule_list_cmd() -> None:
    """Show every job: schedule, next run, last slot and status, and its failing streak."""
    from rich.table import Table

    from scheduler_jobs import failing_streak, ledger_history

    scheduler = _cli_scheduler()
    settings, now = scheduler.settings, utcnow()
    table = Table("job", "schedule", "next run (UTC)", "last slot", "last status", "attempts", "failing")
    for name, spec in scheduler.jobs.items():
        rows = ledger_history(scheduler.engine, job=name, limit=50)
        streak = failing_streak(rows)
        next_run = scheduler.next_run(name, now)
        flag = (
            f"[bold red]FAILING ({streak})[/]" if streak >= settings.schedule_failing_streak else str(streak)
        )
        table.add_row(
            name,
            spec.cron or f"after {_parent(scheduler, name)}",
            _when(next_run),
            _when(rows[0].slot) if rows else "-",
            _status_text(rows[0]) if rows else "never ran",
            str(rows[0].attempts) if rows else "-",
            flag,
        )
    console.print(table)
    console.print(f"active scheduler: {scheduler.election.holder() or 'none running'}", highlight=False)
    if settings.broker_url:
        from scheduler_engine import make_celery, queue_lengths

        waiting = queue_lengths(make_celery(settings))
        console.print(
            "waiting in queues: " + ", ".join(f"{q} {n}" for q, n in waiting.items()), highlight=False
        )


def _parent(scheduler: LabourScheduler, name: str) -> str:
    return next((parent for parent, child in scheduler.chain.items() if child == name), "?")


def _when(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if moment else "-"


def _status_text(row: Any) -> str:
    if row.status == JobRunStatus.failed.value and row.result.get("interrupted"):
        return "interrupted, will retry"
    if row.status == JobRunStatus.failed.value and row.result.get("retry_at"):
        return f"failed, retry at {_when(datetime.fromisoformat(row.result['retry_at']))}"
    if row.status == JobRunStatus.failed.value and row.result.get("gave_up"):
        return "failed, gave up"
    return row.status


@schedule_app.command("run")
def schedule_run_cmd(
    job: Annotated[
        str, typer.Argument(help="Job name as `schedule list` shows it, e.g. crawl:58job or audit.")
    ],
    chain: Annotated[bool, typer.Option(help="Also run the chain's next jobs after success.")] = True,
) -> None:
    """Run one job now, through the ledger, under a manual slot (the current time)."""
    scheduler = _cli_scheduler()
    if job not in scheduler.jobs:
        raise CliError(f"unknown job {job!r}; known: {', '.join(scheduler.jobs)}")
    results = scheduler.run_now(job, chain=chain)
    for result in results:
        colour = "green" if result.status == JobRunStatus.succeeded.value else "red"
        console.print(
            f"{result.job} @ {_when(result.slot)}: [{colour}]{result.status}[/] {result.error or ''}"
        )
    if not results or any(r.status != JobRunStatus.succeeded.value for r in results):
        raise typer.Exit(1)


@schedule_app.command("history")
def schedule_history_cmd(
    job: Annotated[str | None, typer.Option(help="Only this job.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="Rows to show.")] = 20,
) -> None:
    """Show the newest ledger rows: slot, status, attempts, duration and the error of failed runs."""
    from rich.table import Table

    from scheduler_jobs import failing_streak, ledger_history

    scheduler = _cli_scheduler()
    table = Table("job", "slot (UTC)", "status", "attempts", "seconds", "owner", "worker", "error")
    rows = ledger_history(scheduler.engine, job=job, limit=limit)
    for row in rows:
        seconds = row.result.get("seconds")
        table.add_row(
            row.job,
            _when(row.slot),
            _status_text(row),
            str(row.attempts),
            "-" if seconds is None else f"{seconds:.1f}",
            row.owner,
            row.result.get("worker") or "-",
            (row.error or "")[:160],
        )
    console.print(table)
    for name in sorted({row.job for row in rows}):
        streak = failing_streak(ledger_history(scheduler.engine, job=name, limit=50))
        if streak >= scheduler.settings.schedule_failing_streak:
            console.print(f"[bold red]{name} is FAILING[/]: its last {streak} slots failed", highlight=False)
