"""The command line: audit verify catches tampering; tasks generate/list/open-tip work end to end."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from store.audit import audit_append
from store.demo.cases import build_cases
from store.models import AuditEvent

ROOT = Path(__file__).resolve().parents[2]


def _cli(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LABOURWATCH_DATABASE_URL": db_url, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "labourwatch", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _chain(db: Engine, n: int = 5) -> list[int]:
    with Session(db) as session:
        ids = [audit_append(session, action="test.event", details={"n": i}).id or 0 for i in range(n)]
        session.commit()
    return ids


@pytest.mark.slow
def test_audit_verify_detects_an_edited_event(db: Engine, db_url: str) -> None:
    ids = _chain(db)
    assert _cli(db_url, "audit", "verify").returncode == 0
    with db.begin() as connection:
        connection.execute(text("UPDATE audit_event SET actor = 'mallory' WHERE id = :id"), {"id": ids[2]})
    result = _cli(db_url, "audit", "verify")
    assert result.returncode == 1
    assert f"broken at event {ids[2]}" in result.stderr and "edited" in result.stderr


@pytest.mark.slow
def test_audit_verify_detects_a_deleted_event(db: Engine, db_url: str) -> None:
    ids = _chain(db)
    with db.begin() as connection:
        connection.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": ids[1]})
    result = _cli(db_url, "audit", "verify")
    assert result.returncode == 1
    assert f"broken at event {ids[2]}" in result.stderr and "removed" in result.stderr


@pytest.mark.slow
def test_tasks_commands_end_to_end(db: Engine, db_url: str) -> None:
    with Session(db) as session:
        build_cases(session, n_listings=300, n_tasks=0)
        session.commit()
    first = _cli(db_url, "tasks", "generate", "--seed", "3")
    assert first.returncode == 0, first.stderr
    assert " 0 tasks" not in first.stdout
    again = _cli(db_url, "tasks", "generate", "--seed", "3")
    assert "0 tasks, 0 audit tasks, 0 listings attached" in again.stdout
    listed = _cli(db_url, "tasks", "list", "--user", "supervisor", "--limit", "3")
    assert listed.returncode == 0 and "priority" in listed.stdout
    tip = _cli(db_url, "tasks", "open-tip", "--user", "inspector.sz", "--risk", "child_labour", "--region", "320505",
               "--title", "热线举报", "--source", "12333", "--text", "工厂使用童工")  # fmt: skip
    assert tip.returncode == 0 and "labour_inspection" in tip.stdout
    refused = _cli(db_url, "tasks", "open-tip", "--user", "inspector.sz", "--risk", "child_labour", "--region",
                   "320100", "--title", "x", "--source", "y", "--text", "z")  # fmt: skip
    assert refused.returncode == 1 and "outside your region" in refused.stderr
    assert _cli(db_url, "tasks", "release-backlog").returncode == 0
    assert _cli(db_url, "tasks", "reinspections").returncode == 0
    assert _cli(db_url, "audit", "verify").returncode == 0
    with Session(db) as session:
        assert session.execute(select(AuditEvent.action).where(AuditEvent.action == "task.open_tip")).first()


def test_build_cases_is_deterministic_and_idempotent(db: Engine) -> None:
    with Session(db) as session:
        made = build_cases(session, n_listings=200, n_tasks=30, users=False)
        session.commit()
        again = build_cases(session, n_listings=200, n_tasks=30, users=False)
        session.commit()
        titles = session.execute(text("SELECT title FROM listing ORDER BY key LIMIT 3")).scalars().all()
    assert (made.listings, made.tasks, again.listings, again.tasks) == (200, 30, 200, 0)
    assert made.scores == again.scores == 200 + 160  # job ads get two risk types, marriage ads one
    from store.demo.ads import generate_ads

    ads = sorted(generate_ads(2014, 160, 40), key=lambda a: a.ad_id)
    assert titles == [a.title for a in ads[:3]]
