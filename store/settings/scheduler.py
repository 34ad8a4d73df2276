"""Scheduler settings (scheduling/): cron lines, the command table of each job kind, retries, election, broker."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings

# Scheduler: what each job kind runs, and for how long (merged under LABOURWATCH_SCHEDULE_COMMANDS / _TIMEOUTS_S).
SCHEDULE_COMMANDS: dict[str, list[str]] = {
    "crawl": ["{labourwatch} crawl {source}"],
    "score": ["{labourwatch} model score"],
    "tasks": [
        "{labourwatch} tasks generate",
        "{labourwatch} tasks release-backlog",
        "{labourwatch} tasks reinspections",
    ],
    "evaluate": ["{labourwatch} model train", "{labourwatch} model evaluate"],
    "retention": ["{labourwatch} retention purge"],
    "audit": ["{labourwatch} audit verify"],
    "drift": ["{labourwatch} model drift"],
    "report": ["{labourwatch} report monthly-all"],
}
SCHEDULE_TIMEOUTS_S: dict[str, int] = {
    "crawl": 3 * 3600,
    "score": 3600,
    "tasks": 1800,
    "evaluate": 4 * 3600,
    "retention": 1800,
    "audit": 1800,
    "drift": 1800,
    "report": 1800,
}


class SchedulerSettings(BaseSettings):
    """When jobs run, what each kind runs and for how long, retries, election, the Celery broker."""

    schedule_timezone: str = Field(
        default="Asia/Shanghai",
        description="Time zone in which every schedule's cron expression is read (slots are stored in UTC).",
    )
    schedule_evaluate_cron: str = Field(
        default="30 2 * * *",
        description="Cron (minute hour day month weekday; 0=Sunday) of the nightly retrain-and-evaluate job.",
    )
    schedule_retention_cron: str = Field(
        default="0 3 * * *", description="Cron of the daily purge of expired personal data."
    )
    schedule_audit_cron: str = Field(
        default="30 3 * * *", description="Cron of the daily check of the audit log's hash chain."
    )
    schedule_drift_cron: str = Field(
        default="0 4 * * 1", description="Cron of the weekly drift report (score and feature PSI per source)."
    )
    schedule_report_cron: str = Field(
        default="0 6 1 * *",
        description="Cron of the monthly assessment reports (last month's, province and every city).",
    )
    schedule_commands: dict[str, list[str]] = Field(
        default=SCHEDULE_COMMANDS,
        description="JSON table job kind -> command lines run in order by the scheduler (each a subprocess). "
        "Kinds: crawl, score, tasks, evaluate, retention, audit, drift, report; a value given here replaces that kind's "
        "default only. Placeholders: {labourwatch} ({python} -m labourwatch), {python}, {source}, {job}, "
        "{slot} (ISO UTC).",
    )
    schedule_timeouts_s: dict[str, int] = Field(
        default=SCHEDULE_TIMEOUTS_S,
        description="JSON table job kind -> seconds all of its commands together may run before they are "
        "killed and the run recorded as failed (a value given here replaces that kind's default only).",
    )
    schedule_misfire_grace_s: int = Field(
        default=3600,
        ge=1,
        le=7 * 86400,
        description="A slot missed (scheduler down or busy) still runs, once, if it is at most this old.",
    )
    schedule_retry_max_attempts: int = Field(
        default=3, ge=1, le=20, description="Attempts per slot before a failing run is given up."
    )
    schedule_retry_base_s: float = Field(
        default=60, gt=0, description="Wait before the first retry; doubled for each later retry."
    )
    schedule_retry_max_s: float = Field(
        default=3600, gt=0, description="Longest wait between retries of a failed slot."
    )
    schedule_failing_streak: int = Field(
        default=3, ge=1, description="Consecutive failed slots after which a job is shown as FAILING."
    )
    schedule_heartbeat_s: float = Field(
        default=30, gt=0, description="How often a running job's ledger row is marked alive."
    )
    schedule_stale_after_s: float = Field(
        default=300,
        gt=0,
        description="A running row whose heartbeat is older than this is taken as crashed and retried.",
    )
    schedule_poll_s: float = Field(
        default=15,
        gt=0,
        description="How often the scheduler sweeps for retries/crashed runs and a standby tries the lock.",
    )
    schedule_stop_grace_s: float = Field(
        default=30,
        ge=0,
        description="On stop, how long running jobs may finish on their own before they get SIGTERM "
        "(then SIGKILL 10 s later); a job stopped this way is retried by the next scheduler.",
    )
    schedule_max_workers: int = Field(
        default=4, ge=1, le=64, description="Jobs the scheduler runs at the same time (one per job at most)."
    )
    broker_url: str = Field(
        default="",
        description="Celery broker (redis://127.0.0.1:6379/0 or amqp://guest:guest@127.0.0.1:5672//). Empty: "
        "the scheduler runs jobs as its own child processes; set: `schedule start` sends them to "
        "`labourwatch worker` processes on any machine.",
    )
    broker_visibility_timeout_s: int = Field(
        default=0,
        ge=0,
        description="Redis broker: seconds after which a task taken by a worker that died is delivered "
        "again. 0: the longest job time limit plus 10 minutes (a live job is never delivered twice).",
    )
    worker_busy_retry_s: float = Field(
        default=60,
        gt=0,
        description="When a worker finds its crawl's source being crawled elsewhere (or the slot running "
        "on a live worker), how long before the task is tried again.",
    )

    @field_validator(
        "schedule_evaluate_cron",
        "schedule_retention_cron",
        "schedule_audit_cron",
        "schedule_drift_cron",
        "schedule_report_cron",
    )
    @classmethod
    def _cron_shape(cls, value: str) -> str:
        if len(value.split()) not in (5, 6):
            raise ValueError("must be a cron expression of 5 fields (or 6 with seconds first)")
        return value

    @field_validator("schedule_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("must be an IANA time zone such as Asia/Shanghai") from None
        return value

    @field_validator("schedule_commands", mode="before")
    @classmethod
    def _one_line_is_a_list(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {kind: [lines] if isinstance(lines, str) else lines for kind, lines in value.items()}
        return value

    @field_validator("schedule_commands")
    @classmethod
    def _merge_commands(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = set(value) - set(SCHEDULE_COMMANDS)
        if unknown:
            raise ValueError(f"unknown job kind(s) {sorted(unknown)}; known: {sorted(SCHEDULE_COMMANDS)}")
        if any(not lines or not all(line.strip() for line in lines) for lines in value.values()):
            raise ValueError("every job kind needs at least one non-empty command line")
        return {**SCHEDULE_COMMANDS, **value}

    @field_validator("schedule_timeouts_s")
    @classmethod
    def _merge_timeouts(cls, value: dict[str, int]) -> dict[str, int]:
        if set(value) - set(SCHEDULE_TIMEOUTS_S) or any(v <= 0 for v in value.values()):
            raise ValueError(f"keys must be among {sorted(SCHEDULE_TIMEOUTS_S)} and values positive")
        return {**SCHEDULE_TIMEOUTS_S, **value}

    @field_validator("schedule_stale_after_s")
    @classmethod
    def _stale_after_beats(cls, value: float, info: Any) -> float:
        beat = info.data.get("schedule_heartbeat_s")
        if beat is not None and value <= 2 * beat:
            raise ValueError("must be more than twice SCHEDULE_HEARTBEAT_S")
        return value
