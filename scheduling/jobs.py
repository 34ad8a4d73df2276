"""What the scheduler runs: the job table (crawl -> score -> tasks per source, and upkeep) and its commands."""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass
from datetime import datetime

from crawlers.config.load import load_source_schedules
from store.runs.ledger import LedgerRow
from store.settings import Settings


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
    retry: LedgerRow | None = None  # the failed row to retry, if any


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
