"""SIGKILL then re-run gives the uninterrupted result: `labourwatch model score` and `labourwatch tasks generate`
killed at several moments (found by polling the database, never by sleeping), re-run, and compared with an
uninterrupted run of the same database (restored from a backup). Crawls: tests/crawlers/test_demo_crawl.py."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from risk_model.ops.registry import model_promote
from store.backup.database import backup_database, restore_database
from store.models import InspectionTask, RiskScore, TaskEvidence
from synthetic_ads.ads import generate_ads
from tests.conftest import ROOT, test_db_kind
from tests.risk_model.ops_support import SMALL, register, small_settings
from tests.rows import make_listing, make_source

N_JOB, N_MARRIAGE = 900, 200


@pytest.fixture
def scored_world(db: Engine, db_url: str, tmp_path: Path) -> dict[str, str]:
    """Demo listings and a small champion; the environment for `labourwatch` children."""
    settings = small_settings(tmp_path)
    with Session(db, expire_on_commit=False) as session:
        sources = {
            "job": make_source(session, "jobs", "job"),
            "marriage": make_source(session, "mar", "marriage"),
        }
        for i, ad in enumerate(generate_ads(seed=7, n_job=N_JOB, n_marriage=N_MARRIAGE)):
            make_listing(session, sources[ad.kind], f"k{i}", ad.body, title=ad.title)
        version = register(session, settings)
        model_promote(session, version=version.version, actor="t", settings=settings)
        session.commit()
    env = {**os.environ, "LABOURWATCH_DATABASE_URL": db_url, "LABOURWATCH_DATA_DIR": str(tmp_path)}
    # settings read from the environment: JSON for a mapping (the source weights), text otherwise
    env.update(
        {
            f"LABOURWATCH_{k.upper()}": json.dumps(v) if isinstance(v, dict) else str(v)
            for k, v in SMALL.items()
        }
    )
    env["PYTHONPATH"] = str(ROOT)
    return env


def start(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "labourwatch", *args], env=env, cwd=ROOT, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def kill_when(child: subprocess.Popen[str], ready: Callable[[], bool], timeout_s: float = 120) -> bool:
    """SIGKILL CHILD as soon as READY() holds; False when it finished first."""
    deadline = time.monotonic() + timeout_s
    while child.poll() is None and time.monotonic() < deadline:
        if ready():
            child.send_signal(signal.SIGKILL)
            child.communicate()
            return True
        time.sleep(0.005)
    child.communicate()
    return False


def finish(env: dict[str, str], *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "labourwatch", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr


def count(engine: Engine, table: Any) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def scores(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(RiskScore.listing_id, RiskScore.risk_type, RiskScore.probability, RiskScore.content_hash,
                   RiskScore.explanation).order_by(RiskScore.listing_id, RiskScore.risk_type)  # type: ignore[arg-type]
        ).all()  # fmt: skip
    return [(r[0], r[1], round(r[2], 9), r[3], repr(r[4])) for r in rows]


def tasks(engine: Engine) -> list[tuple[Any, ...]]:
    """Each task's identity, routing and priority, and the number of evidence links."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(InspectionTask.title, InspectionTask.risk_type, InspectionTask.origin, InspectionTask.status,
                   InspectionTask.region_code, InspectionTask.priority, InspectionTask.organisation_id,
                   InspectionTask.listing_id).order_by(InspectionTask.id)  # type: ignore[arg-type]
        ).all()  # fmt: skip
        evidence = connection.execute(select(func.count()).select_from(TaskEvidence)).scalar_one()
    return [tuple(r) for r in rows] + [("evidence", evidence)]


def assert_same_tasks(got: list[tuple[Any, ...]], expected: list[tuple[Any, ...]]) -> None:
    """The same tasks and evidence; priorities to 0.001 and statuses as counts.

    Priorities decay with wall-clock recency and are rounded, so between two runs near-equal ones can swap
    places, and with them creation order and which of two tasks at a team's capacity waits in the backlog.
    """

    def key(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        return sorted((r[0], r[1], r[2], r[4], r[6], r[7]) for r in rows[:-1])

    assert key(got) == key(expected) and got[-1] == expected[-1]
    assert Counter(r[3] for r in got[:-1]) == Counter(r[3] for r in expected[:-1])
    assert sorted(r[5] for r in got[:-1]) == pytest.approx(sorted(r[5] for r in expected[:-1]), abs=1e-3)


def writing(engine: Engine) -> Callable[[], bool]:
    """True while another process holds an open write transaction on ENGINE's database."""
    if test_db_kind() == "sqlite":
        import sqlite3

        path = engine.url.database

        def locked() -> bool:
            probe = sqlite3.connect(path, timeout=0, isolation_level=None)
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
                return False
            except sqlite3.OperationalError:
                return True
            finally:
                probe.close()

        return locked

    def pg_writing() -> bool:
        with engine.connect() as connection:
            return bool(connection.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
            )).scalar_one())  # fmt: skip

    return pg_writing


def test_model_score_killed_then_rerun_gives_the_uninterrupted_scores(
    db: Engine, scored_world: dict[str, str], tmp_path: Path
) -> None:
    backup = tmp_path / "before.backup"
    backup_database(db, backup)
    finish(scored_world, "model", "score", "--batch-size", "40")
    expected = scores(db)
    assert len(expected) > 3 * (N_JOB + N_MARRIAGE) // 2

    moments: list[Callable[[], bool]] = [
        writing(db),  # the first batch's transaction is open
        lambda: count(db, RiskScore) > 0,  # a batch is committed
        lambda: count(db, RiskScore) > len(expected) // 2,  # half-way
    ]
    for ready in moments:
        restore_database(db, backup, overwrite=True)
        assert count(db, RiskScore) == 0
        child = start(scored_world, "model", "score", "--batch-size", "40")
        assert kill_when(child, ready), "the command finished before the kill"
        assert count(db, RiskScore) < len(expected)
        finish(scored_world, "model", "score", "--batch-size", "40")
        assert scores(db) == expected


def test_tasks_generate_killed_then_rerun_gives_the_uninterrupted_tasks(
    db: Engine, scored_world: dict[str, str], tmp_path: Path
) -> None:
    finish(scored_world, "model", "score")
    backup = tmp_path / "scored.backup"
    backup_database(db, backup)
    finish(scored_world, "tasks", "generate")
    expected = tasks(db)
    assert len(expected) > 5

    killed = 0
    for ready in [writing(db), lambda: count(db, InspectionTask) > 0]:
        restore_database(db, backup, overwrite=True)
        child = start(scored_world, "tasks", "generate")
        killed += kill_when(child, ready)
        finish(scored_world, "tasks", "generate")
        assert_same_tasks(tasks(db), expected)
    assert killed >= 1, "no kill landed while the command ran"
