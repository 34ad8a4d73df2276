"""CSV exports are limited per user per window (pages and API together), in Chinese, and audited."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, func, select
from sqlmodel import Session, col

import store.audit.chain
from inspection.web.app import create_app
from store.audit import audit_verify
from store.models import AuditEvent, User
from store.types import utcnow
from tests.inspection.web.conftest import TestClient, login, make_settings

LIMIT, WINDOW_S = 3, 3600


@pytest.fixture
def limited_app(db: Engine, tmp_path: Path, users: dict[str, User]) -> FastAPI:
    settings = make_settings(tmp_path, export_max_per_window=LIMIT, export_window_s=WINDOW_S)
    return create_app(settings, engine=db)


@pytest.fixture
def analyst(limited_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(limited_app, base_url="http://testserver") as client:
        login(client, "analyst")
        yield client


def exports_by(db: Engine, username: str) -> int:
    with Session(db) as session:
        query = select(func.count()).where(
            col(AuditEvent.actor) == username, col(AuditEvent.action) == "tasks.export"
        )
        return int(session.execute(query).scalar_one())


def test_exports_beyond_the_limit_are_refused_in_chinese_until_the_window_passes(
    limited_app: FastAPI, analyst: TestClient, db: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = ["/export/tasks.csv", "/api/export/tasks.csv", "/export/tasks.csv"]
    assert [analyst.get(p).status_code for p in paths] == [200, 200, 200]

    page = analyst.get("/export/tasks.csv")
    assert page.status_code == 429 and "导出过于频繁" in page.text
    assert 1 <= int(page.headers["retry-after"]) <= WINDOW_S
    assert page.headers["cache-control"] == "no-store" and "content-security-policy" in page.headers
    api = analyst.get("/api/export/tasks.csv")
    assert api.status_code == 429 and api.json() == {"detail": "too many exports, retry later"}
    assert exports_by(db, "analyst") == LIMIT  # refused exports are not counted (nor extend the wait)

    with TestClient(limited_app, base_url="http://testserver") as colleague:
        login(colleague, "supervisor")
        assert colleague.get("/export/tasks.csv").status_code == 200  # per user, not global

    later = utcnow() + timedelta(seconds=WINDOW_S + 1)
    monkeypatch.setattr(store.audit.chain, "utcnow", lambda: later)
    assert analyst.get("/export/tasks.csv").status_code == 200
    with Session(db) as session:
        denied = session.execute(
            select(func.count()).where(col(AuditEvent.action) == "access.denied")
        ).scalar_one()
        assert denied == 2
        assert audit_verify(session).ok


def test_parallel_exports_get_no_more_than_the_limit(analyst: TestClient, db: Engine) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = sorted(pool.map(lambda _: analyst.get("/api/export/tasks.csv").status_code, range(8)))
    assert codes == [200] * LIMIT + [429] * (8 - LIMIT)
    assert exports_by(db, "analyst") == LIMIT
    with Session(db) as session:
        assert audit_verify(session).ok
