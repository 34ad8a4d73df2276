"""End to end on a fresh database: one full cycle over the demo web, a finding through the API, retraining.

This is the README's main job (`labourwatch demo --no-serve`) driven step by step: every step runs the
real `labourwatch` command in a child process against this test session's database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from crawlers.demo_web.server import DemoWeb
from inspection.tasks.routing import team_of
from inspection.web.app import create_app
from labourwatch_demo import first_cycle
from store.accounts.users import user_create
from store.models import InspectionTask, ModelVersion, RiskScore, TaskEvidence
from store.seed.users import build_demo
from store.settings import Settings
from tests.conftest import ROOT

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)  # Starlette prefers httpx2; httpx works
    from starlette.testclient import TestClient

pytestmark = pytest.mark.slow
PASSWORD = "e2e-pass-2014"


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "labourwatch", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture
def cycle_env(db: Engine, db_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    web = DemoWeb(seed=7, n_job=120, n_marriage=30, slow_seconds=0.2)
    urls = web.start("127.0.0.1", 0)
    env = dict(
        os.environ,
        DATABASE_URL=db_url,
        LABOURWATCH_DATA_DIR=str(tmp_path / "data"),
        LABOURWATCH_SOURCES_DIR=str(ROOT / "sources"),
        LABOURWATCH_SITE_URLS=json.dumps(urls),
        LABOURWATCH_MODEL_QUICK="true",
    )
    env.pop("LABOURWATCH_DATABASE_URL", None)
    try:
        yield env
    finally:
        web.stop()


def _login(client: TestClient, username: str) -> str:
    page = client.get("/login").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code in (200, 303), response.text[:300]
    return str(client.get("/api/me").json()["csrf_token"])


def test_cycle_then_finding_then_retraining(db: Engine, cycle_env: dict[str, str], tmp_path: Path) -> None:
    build_demo(db)
    first_cycle(cycle_env, seed=7, engine=db, data_dir=Path(cycle_env["LABOURWATCH_DATA_DIR"]))

    with Session(db) as session:
        tasks = (
            session.execute(select(InspectionTask).where(col(InspectionTask.origin) == "model"))
            .scalars()
            .all()
        )
        assert tasks, "the cycle generated no model tasks"
        audit = session.execute(select(InspectionTask).where(col(InspectionTask.origin) == "audit")).scalars()
        per_team = Counter(team_of(t.region_code, t.agency) for t in audit)
        assert per_team, "the cycle opened no random-audit tasks"
        assert max(per_team.values()) <= 10  # 5% of the default team capacity of 200
        for task in tasks:
            assert task.model_version_id is not None and task.score is not None
            evidence = (
                session.execute(select(TaskEvidence).where(col(TaskEvidence.task_id) == task.id))
                .scalars()
                .all()
            )
            assert evidence and all(e.listing_version_id for e in evidence)
        explanations = session.execute(select(col(RiskScore.explanation))).scalars().all()
        assert explanations and all(e for e in explanations), "every score carries its explanation"
        task = next(t for t in tasks if t.agency == "labour_inspection")
        inspector = user_create(
            session,
            username="e2e.inspector",
            password=PASSWORD,
            role="inspector",
            region_code=task.region_code[:4] + "00",
        )
        session.commit()
        task_id, version, risk_type, inspector_id = task.id, task.version, task.risk_type, inspector.id

    app = create_app(Settings(data_dir=tmp_path / "web", secret_key="e" * 40), engine=db)
    with TestClient(app) as client:
        csrf = {"X-CSRF-Token": _login(client, "e2e.inspector")}
        claimed = client.post(
            f"/api/tasks/{task_id}/assign",
            json={"expected_version": version, "assignee_id": inspector_id},
            headers=csrf,
        )
        assert claimed.status_code == 200, claimed.text
        started = client.post(
            f"/api/tasks/{task_id}/transition",
            json={"expected_version": claimed.json()["version"], "to_status": "in_progress"},
            headers=csrf,
        )
        assert started.status_code == 200, started.text
        violation = "child_labour" if risk_type == "child_labour" else "unlicensed_agency"
        finding = client.post(
            f"/api/tasks/{task_id}/findings",
            json={
                "expected_version": started.json()["version"],
                "violations": [violation],
                "outcome": "fine",
                "notes": "现场核查属实",
            },
            headers=csrf,
        )
        assert finding.status_code == 200, finding.text

    trained = _cli(cycle_env, "model", "train", "--quick")
    assert trained.returncode == 0, trained.stderr[-2000:]
    with Session(db) as session:
        newest = session.execute(select(ModelVersion).order_by(col(ModelVersion.id).desc())).scalars().first()
        assert newest is not None and newest.status == "candidate"
        used = json.dumps(newest.training, ensure_ascii=False)
        assert "finding:" in used, "the retraining run did not use the inspector's finding"
