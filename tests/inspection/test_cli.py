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
from store.models import AuditEvent, User
from store.seed.cases import build_cases

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
    assert f"事件 {ids[2]} 的内容与其哈希不符" in result.stderr and "审计链有 1 处问题" in result.stderr


@pytest.mark.slow
def test_audit_verify_detects_a_deleted_event(db: Engine, db_url: str) -> None:
    ids = _chain(db)
    with db.begin() as connection:
        connection.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": ids[1]})
    result = _cli(db_url, "audit", "verify")
    assert result.returncode == 1
    assert f"事件 {ids[2]} 与前一条（事件 {ids[0]}）不相连" in result.stderr


def test_tasks_commands_end_to_end(db: Engine, run_in_process) -> None:  # type: ignore[no-untyped-def]
    with Session(db) as session:
        build_cases(session, n_listings=300, n_tasks=0, users=False)
        session.add(User(username="supervisor", password_hash="-", role="supervisor", region_code="320000"))
        session.add(User(username="inspector.sz", password_hash="-", role="inspector", region_code="320500"))
        session.commit()
    first = run_in_process("tasks", "generate", "--seed", "3")
    assert first.exit_code == 0, first.output
    assert " 0 tasks" not in first.output
    again = run_in_process("tasks", "generate", "--seed", "3")
    assert (
        "0 tasks, 0 audit tasks, 0 active-learning tasks, 0 rule tasks, 0 listings attached" in again.output
    )
    listed = run_in_process("tasks", "list", "--user", "supervisor", "--limit", "3")
    assert listed.exit_code == 0 and "priority" in listed.output
    tip = run_in_process("tasks", "open-tip", "--user", "inspector.sz", "--risk", "child_labour", "--region",
                         "320505", "--title", "热线举报", "--source", "12333", "--text", "工厂使用童工")  # fmt: skip
    assert tip.exit_code == 0 and "labour_inspection" in tip.output, tip.output
    refused = run_in_process("tasks", "open-tip", "--user", "inspector.sz", "--risk", "child_labour", "--region",
                             "320100", "--title", "x", "--source", "y", "--text", "z")  # fmt: skip
    assert refused.exit_code != 0 and "outside your region" in str(refused.exception)
    assert "released 0" in run_in_process("tasks", "release-backlog").output
    assert "opened 0" in run_in_process("tasks", "reinspections").output
    assert "审计链完好" in run_in_process("audit", "verify").output
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
    assert made.scores == again.scores == 3 * 160 + 40  # job ads get three risk types, marriage ads one
    from synthetic_ads.ads import generate_ads

    ads = sorted(generate_ads(2014, 160, 40), key=lambda a: a.ad_id)
    assert titles == [a.title for a in ads[:3]]
