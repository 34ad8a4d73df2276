"""Scheduler test helpers: a sandbox with a source file, the recorder job command and settings."""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from store.settings import Settings, load_settings
from store.settings.scheduler import SCHEDULE_COMMANDS

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RECORDER = HERE / "recorder.py"
SLOT_RUNNER = HERE / "slot_runner.py"


def far_away_cron(today: date) -> str:
    """A yearly slot half a year from TODAY: its last fire is months old and its next months off, so no
    misfire grace (an hour, a week at most) reaches it while the tests run, on any date they are run.
    A fixed date (1 January) would fire into the tests run within an hour after it."""
    return f"0 12 15 {(today.month + 5) % 12 + 1} *"


FAR_AWAY_CRON = far_away_cron(date.today())  # upkeep jobs stay out of the way unless a test wants them
# Every upkeep job's cron (evaluate, retention, audit, drift, report, and any added later).
UPKEEP_CRONS = tuple(
    name for name in Settings.model_fields if name.startswith("schedule_") and name.endswith("_cron")
)


def clear_of_the_hour(margin_s: float) -> None:
    """Return once the next full hour is more than MARGIN_S seconds away, polling the clock until that hour
    has begun if it is nearer: a test that serves an hourly source on the wall clock and expects one slot
    must not see the next one come due while it runs."""
    while True:
        now = datetime.now(UTC)
        next_hour = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        if (next_hour - now).total_seconds() > margin_s:
            return
        time.sleep(1.0)


@dataclass
class Sandbox:
    """A data dir, a sources dir and the recorder's folder, plus the settings that tie them together."""

    root: Path
    db_url: str
    engine: Engine

    @property
    def sources(self) -> Path:
        return self.root / "sources"

    def add_source(self, name: str, schedule: str, *, enabled: bool = True) -> None:
        self.sources.mkdir(exist_ok=True)
        body = (
            f'name = "{name}"\nschedule = "{schedule}"\nenabled = {str(enabled).lower()}\nstart_urls = []\n'
        )
        (self.sources / f"{name}.toml").write_text(body, encoding="utf-8")

    def fail(self, job: str, failing: bool = True) -> None:
        marker = self.root / "fail" / job.replace(":", "_")
        marker.parent.mkdir(exist_ok=True)
        if failing:
            marker.touch()
        else:
            marker.unlink(missing_ok=True)

    def sleep(self, seconds: float, job: str = "", slot: str = "") -> None:
        """Make the recorder sleep SECONDS (only for JOB, and only at SLOT, when given)."""
        (self.root / "sleep").write_text(f"{seconds} {job} {slot}".strip())

    def env_overrides(self, **extra: object) -> dict[str, object]:
        command = [f"{{python}} {RECORDER} {self.root} {{job}} {{slot}}"]
        values: dict[str, object] = {
            "database_url": self.db_url,
            "data_dir": self.root / "data",
            "sources_dir": self.sources,
            "schedule_commands": dict.fromkeys(SCHEDULE_COMMANDS, command),
            **dict.fromkeys(UPKEEP_CRONS, FAR_AWAY_CRON),
            "schedule_timezone": "UTC",
            "schedule_heartbeat_s": 0.5,
            "schedule_stale_after_s": 60,
            "schedule_poll_s": 0.2,
            "schedule_stop_grace_s": 10,
        }
        values.update(extra)
        return values

    def settings(self, **extra: object) -> Settings:
        return load_settings(**self.env_overrides(**extra))

    def environ(self, **extra: object) -> dict[str, str]:
        """The environment a scheduler subprocess needs to see these settings."""
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        for key, value in self.env_overrides(**extra).items():
            text = json.dumps(value) if isinstance(value, dict) else str(value)
            env[f"LABOURWATCH_{key.upper()}"] = text
        env.pop("DATABASE_URL", None)
        return env

    def records(self) -> list[list[str]]:
        path = self.root / "record.log"
        return [line.split() for line in path.read_text().splitlines()] if path.exists() else []

    def done(self) -> Counter[tuple[str, str]]:
        return Counter((r[1], r[2]) for r in self.records() if r[0] == "done")

    def starts(self) -> Counter[tuple[str, str]]:
        return Counter((r[1], r[2]) for r in self.records() if r[0] == "start")


@pytest.fixture
def sandbox(tmp_path: Path, db: Engine, db_url: str) -> Sandbox:
    """A fresh sandbox on the clean test database."""
    return Sandbox(tmp_path, db_url, db)


class FakeClock:
    """A clock a test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def at(text: str) -> datetime:
    """An aware UTC datetime from 'YYYY-MM-DD HH:MM[:SS]'."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


PYTHON = sys.executable


def migrated_pg_engine(prefix: str) -> Iterator[Engine]:
    """A PostgreSQL database of its own, migrated, for one module's tests; dropped afterwards."""
    from store.db import make_engine
    from store.migrate import db_upgrade
    from tests.conftest import create_pg_database, drop_pg_database, require_pg

    require_pg()
    url = create_pg_database(prefix)
    engine = make_engine(url)
    db_upgrade(engine)
    yield engine
    engine.dispose()
    drop_pg_database(url)
