"""The `labourwatch schedule` commands (start, list, run, history) and `labourwatch worker`."""

from __future__ import annotations

import signal
import threading
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import inspect

from scheduling.engine import make_celery, queue_lengths
from scheduling.service import LabourScheduler, build_scheduler
from store.cli import CliError, cli_engine, cli_settings, console, new_app
from store.enums import JobRunStatus
from store.runs.broker import QUEUES
from store.runs.ledger import LedgerRow, failing_streak, ledger_history
from store.types import utcnow

schedule_app = new_app("Scheduler: run crawls, scoring, task generation and upkeep on their schedules.")


def _cli_scheduler(*, dispatch: bool = False) -> LabourScheduler:
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
        waiting = queue_lengths(make_celery(settings, build_scheduler))
        console.print(
            "waiting in queues: " + ", ".join(f"{q} {n}" for q, n in waiting.items()), highlight=False
        )


def _parent(scheduler: LabourScheduler, name: str) -> str:
    return next((parent for parent, child in scheduler.chain.items() if child == name), "?")


def _when(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if moment else "-"


def _status_text(row: LedgerRow) -> str:
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


def worker_cmd(
    concurrency: Annotated[int, typer.Option(min=1, max=256, help="Jobs this worker runs at once.")] = 2,
    queues: Annotated[str, typer.Option(help="Comma-separated queues to take jobs from: crawl, work.")] = (
        "crawl,work"
    ),
    name: Annotated[str, typer.Option(help="Worker name shown in `schedule history` (%h: host).")] = (
        "labourwatch@%h"
    ),
) -> None:
    """Run a worker (blocking) that takes jobs from the broker (BROKER_URL); Ctrl-C stops it after its jobs."""
    settings = cli_settings()
    if not settings.broker_url:
        raise CliError("no broker: set LABOURWATCH_BROKER_URL (for example redis://127.0.0.1:6379/0)")
    chosen = [q.strip() for q in queues.split(",") if q.strip()]
    unknown = sorted(set(chosen) - set(QUEUES))
    if unknown or not chosen:
        raise CliError(f"unknown queues {unknown}; choose from {', '.join(QUEUES)}")
    app = make_celery(settings, build_scheduler)
    argv = ["worker", f"--concurrency={concurrency}", f"--queues={','.join(chosen)}", f"--hostname={name}"]
    argv += ["--pool=prefork", f"--loglevel={settings.log_level}", "--without-gossip", "--without-mingle"]
    app.worker_main(argv=argv)
