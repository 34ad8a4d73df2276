"""Web test fixtures: the app on the test database, demo users, logged-in clients and small case data
(rows from tests/rows.py)."""

from __future__ import annotations

import gzip
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from inspection.tasks.changes import add_evidence
from inspection.web.app import create_app
from store.accounts.passwords import hash_password
from store.models import (
    ModelVersion,
    Source,
    User,
)
from store.seed.users import DEMO_PASSWORD, DEMO_USERS
from store.settings import Settings
from store.text import bigrams
from store.types import utcnow
from tests.rows import ROWS

with warnings.catch_warnings():
    # Starlette 1.x prefers httpx2 and warns when it finds only httpx; the test client works with either.
    warnings.simplefilter("ignore", UserWarning)
    from starlette.testclient import TestClient

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


@lru_cache(maxsize=1)
def demo_hash() -> str:
    """One argon2 hash of the demo password for every test user (hashing per user per test is slow)."""
    return hash_password(DEMO_PASSWORD)


def make_settings(tmp: Path, **overrides: object) -> Settings:
    """Settings for a test app: fixed secret, data in TMP."""
    return Settings(data_dir=tmp, secret_key="t" * 40, **overrides)  # type: ignore[arg-type]


@pytest.fixture
def users(db: Engine) -> dict[str, User]:
    """Every demo user, by username."""
    with Session(db, expire_on_commit=False) as session:
        rows = {
            u: ROWS.user(session, u, role, region, display_name=name, password_hash=demo_hash())
            for u, role, region, name in DEMO_USERS
        }
        session.commit()
        return rows


@pytest.fixture
def app(db: Engine, tmp_path: Path) -> FastAPI:
    """The web app on the test database."""
    return create_app(make_settings(tmp_path), engine=db)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """An anonymous client."""
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


def csrf_from(html: str) -> str:
    """The CSRF token embedded in a page."""
    match = CSRF_INPUT.search(html)
    assert match, "no csrf_token field on the page"
    return match.group(1)


def login(client: TestClient, username: str, password: str = DEMO_PASSWORD) -> str:
    """Log CLIENT in as USERNAME; returns the session's CSRF token."""
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]
    return str(client.get("/api/me").json()["csrf_token"])


@pytest.fixture
def login_as(app: FastAPI, users: dict[str, User]) -> Iterator[Callable[[str], tuple[TestClient, str]]]:
    """A factory of logged-in clients: login_as('inspector.sz') -> (client, csrf token)."""
    clients: list[TestClient] = []

    def make(username: str) -> tuple[TestClient, str]:
        test_client = TestClient(app, base_url="http://testserver")
        clients.append(test_client)
        return test_client, login(test_client, username)

    yield make
    for test_client in clients:
        test_client.close()


@dataclass
class Case:
    """Ids of one small case: a task with a listing as evidence."""

    task_id: int
    listing_id: int
    version_id: int
    organisation_id: int


HOSTILE_BODY = (
    "招聘16岁童工，包吃住，押金500元。联系电话13912345678，身份证320102199001011232。"
    '<script>window.__pwned = "script"</script>'
    "<img src=x onerror=\"window.__pwned='img'\">"
    "<a href=\"javascript:window.__pwned='link'\">点我</a>"
    "<div><b>未闭合 <i>标签"
)
EXPLANATION = [
    {"feature": "童工", "kind": "phrase", "value": 1.0, "weight": 1.2, "legal_basis": "", "meaning": ""},
    {
        "feature": "age_below_16",
        "kind": "indicator",
        "value": 1.0,
        "weight": 2.0,
        "legal_basis": "《禁止使用童工规定》第二条",
        "meaning": "要求年龄低于16岁",
    },
    {
        "feature": "押金 | 金5",
        "kind": "phrase",
        "value": 1.0,
        "weight": 0.8,
        "legal_basis": "",
        "meaning": "",
    },
]


class CaseFactory:
    """Makes tasks with evidence straight in the tables (independent of the case builder), with ROWS."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _source_and_model(self, session: Session) -> tuple[Source, ModelVersion]:
        source = session.execute(select(Source).where(Source.name == "test-board")).scalar_one_or_none()
        if source is None:
            source = ROWS.source(session, name="test-board", kind="job")
            ROWS.model_version(session, "test-1", file_path="x", sha256="a" * 64, data_fingerprint="f" * 64)
        model = session.execute(select(ModelVersion).where(ModelVersion.version == "test-1")).scalar_one()
        return source, model

    def make(
        self,
        *,
        region: str = "320505",
        risk_type: str = "child_labour",
        agency: str = "labour_inspection",
        status: str = "new",
        body: str = HOSTILE_BODY,
        title: str = "电子厂招聘童工<b>急</b>",
        assignee_id: int | None = None,
        overdue: bool = False,
        priority: float = 0.8,
        licence_status: str = "missing",
        explanation: list[dict[str, Any]] | None = None,
    ) -> Case:
        """One task in REGION with a hostile listing as evidence."""
        n = ROWS.serial()
        with Session(self.engine, expire_on_commit=False) as session:
            source, model = self._source_and_model(session)
            org = ROWS.organisation(
                session, f"苏州速达劳务{n}", kind="agency", region_code=region, licence_status=licence_status
            )
            listing = ROWS.listing(
                session,
                source,
                key=f"k{n}",
                url=f"https://jobs.example/{n}",
                kind="job",
                title=title,
                body=body,
                content_hash=f"{n:064d}",
                search_bigrams=bigrams(title + " " + body),
                city_code=region[:4] + "00",
                county_code=region,
                organisation_id=org.id,
                employer_name=org.name,
            )
            if licence_status in LICENCE_FLAGS:  # as the registry linker flags a bad licence
                org.flags = [flag_for(LICENCE_FLAGS[licence_status], listing.id or 0)]
            raw = f"<html><body><h1>{title}</h1>{body}</body></html>".encode()
            version = ROWS.version(session, listing, gzip.compress(raw), sha256_of=raw, crawler_version="t")
            ROWS.score(
                session,
                model,
                listing,
                risk_type,
                0.91,
                explanation=EXPLANATION if explanation is None else explanation,
            )
            task = ROWS.task(
                session,
                index=False,  # add_evidence below indexes the search terms
                title=title,
                risk_type=risk_type,
                agency=agency,
                region_code=region,
                status=status,
                priority=priority,
                organisation_id=org.id,
                listing_id=listing.id,
                model_version_id=model.id,
                score=0.91,
                assignee_id=assignee_id,
                due_at=utcnow() + timedelta(days=-2 if overdue else 10),
            )
            add_evidence(session, [(task.id or 0, listing.id or 0, 0.91)])  # also indexes search terms
            session.commit()
            return Case(task.id or 0, listing.id or 0, version.id or 0, org.id or 0)


LICENCE_FLAGS = {
    "missing": "unlicensed_agency",
    "expired": "licence_expired",
    "name_mismatch": "licence_name_mismatch",
}


def flag_for(code: str, listing_id: int) -> dict[str, object]:
    """An organisation flag shaped as organisations.registry writes it (docs/organisations.md)."""
    record = (
        None
        if code == "unlicensed_agency"
        else {"id": 1, "kind": "hr_agency", "name": "苏州速达人力资源", "licence_no": "320500-2020-01"}
    )
    evidence = {"listing_ids": [listing_id], "phrases": ["介绍工作", "收取押金"], "registry_record": record}
    return {"code": code, "detail": "广告自称职业中介，许可证登记中查无此号", "evidence": evidence}


@pytest.fixture
def cases(db: Engine) -> CaseFactory:
    """The case factory on the test database."""
    return CaseFactory(db)
