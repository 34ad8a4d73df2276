"""Every page renders on the shared deterministic case data (store.seed.cases), for every role."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from store.models import InspectionTask
from store.seed.cases import build_cases
from store.seed.users import DEMO_USERS
from tests.inspection.web.conftest import TestClient, login


@pytest.fixture
def built(db: Engine) -> Engine:
    with Session(db) as session:
        build_cases(session, seed=2014, n_listings=400, n_tasks=60)
        session.commit()
    return db


def test_pages_render_on_case_builder_data_for_every_role(app, built: Engine) -> None:  # type: ignore[no-untyped-def]
    with Session(built) as session:
        task_ids = list(
            session.execute(select(col(InspectionTask.id)).order_by(col(InspectionTask.id))).scalars()
        )
    assert len(task_ids) == 60
    seen = 0
    for username, role, _region, _name in DEMO_USERS:
        with TestClient(app) as client:
            login(client, username)
            queue = client.get("/?status=open")
            assert queue.status_code == 200, username
            assert client.get("/api/tasks").status_code == 200, username
            for item in queue.context["queue"].items[:3]:
                page = client.get(f"/tasks/{item.id}")
                assert page.status_code == 200 and page.template.name == "task.html", (username, item.id)
                seen += 1
            if role in ("supervisor", "admin", "analyst"):
                assert client.get("/dashboard").status_code == 200, username
            if role in ("market_officer", "supervisor", "admin", "analyst"):
                assert client.get("/market").status_code == 200, username
            assert client.get("/export/tasks.csv").status_code == 200, username
    assert seen >= 10
