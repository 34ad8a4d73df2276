"""Hostile input: control characters and oversized values refused alike by forms, JSON and queries."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from inspection.web.app import create_app
from store.models import InspectionTask
from tests.inspection.web.conftest import TestClient, make_settings

TIP = {
    "risk_type": "child_labour",
    "region_code": "320505",
    "title": "群众举报：工厂使用童工",
    "tip_source": "12333热线",
    "tip_text": "第一行\r\n第二行\t制表",
}


def _tasks(db: Engine) -> int:
    with Session(db) as session:
        return session.execute(select(func.count()).select_from(InspectionTask)).scalar_one()


@pytest.mark.parametrize("bad", ["\x00", "\x1b[31m", "\x07", "\x7f", "\x0b"])
def test_the_html_tip_form_and_the_api_refuse_control_characters_alike(
    login_as, db: Engine, bad: str
) -> None:  # type: ignore[no-untyped-def]
    client, token = login_as("supervisor.sz")
    form = client.post("/tips", data={**TIP, "tip_text": "举报" + bad, "csrf_token": token})
    api = client.post("/api/tips", json={**TIP, "tip_text": "举报" + bad}, headers={"X-CSRF-Token": token})
    assert form.status_code == api.status_code == 422
    assert "字段「tip_text」含有不允许的控制字符" in form.text
    assert api.json()["field"] == "tip_text" and "控制字符" in api.json()["detail"]
    assert _tasks(db) == 0


def test_newlines_and_tabs_are_accepted(login_as, db: Engine) -> None:  # type: ignore[no-untyped-def]
    client, token = login_as("supervisor.sz")
    assert client.post("/tips", data={**TIP, "csrf_token": token}, follow_redirects=False).status_code == 303
    assert client.post("/api/tips", json=TIP, headers={"X-CSRF-Token": token}).status_code == 201
    assert _tasks(db) == 2


def test_nested_json_values_and_query_parameters_are_checked(login_as) -> None:  # type: ignore[no-untyped-def]
    client, token = login_as("supervisor.sz")
    finding = {
        "expected_version": 1,
        "violations": [],
        "outcome": "no_violation",
        "victims": [{"name": "张\x00三"}],
    }
    refused = client.post("/api/tasks/1/findings", json=finding, headers={"X-CSRF-Token": token})
    assert refused.status_code == 422 and refused.json()["field"] == "victims[0].name"
    assert client.get("/api/tasks", params={"q": "童\x00工"}).status_code == 422
    page = client.get("/", params={"q": "童\x00工"})
    assert page.status_code == 422 and "字段「q」" in page.text


def test_every_text_value_is_bounded(login_as) -> None:  # type: ignore[no-untyped-def]
    client, token = login_as("supervisor.sz")
    long_query = client.get("/api/tasks", params={"q": "童" * 501})
    assert long_query.status_code == 422 and "过长" in long_query.json()["detail"]
    long_form = client.post("/tips", data={**TIP, "extra": "x" * 20_001, "csrf_token": token})
    assert long_form.status_code == 422 and "字段「extra」过长" in long_form.text
    body = urlencode([("v", "1")] * 301 + [("csrf_token", token)])
    many = client.post("/tips", content=body, headers={"content-type": "application/x-www-form-urlencoded"})
    assert many.status_code == 422


def test_server_errors_are_never_cached(db: Engine, tmp_path: Path) -> None:
    app: FastAPI = create_app(make_settings(tmp_path), engine=db)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("internals")

    @app.get("/api/boom")
    def api_boom() -> None:
        raise RuntimeError("internals")

    with TestClient(app, raise_server_exceptions=False) as client:
        for path in ("/boom", "/api/boom"):
            response = client.get(path)
            assert response.status_code == 500 and response.headers["cache-control"] == "no-store"
