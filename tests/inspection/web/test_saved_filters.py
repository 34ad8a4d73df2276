"""Saved queue views: save under a Chinese name, links above the queue, delete, private, validated, audited."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from inspection.web.pages.saved_filters import clean_query
from store.models import AuditEvent, SavedFilter
from tests.inspection.web.conftest import CaseFactory


def saved_links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a href="([^"]*)" data-saved-id="\d+">([^<]*)</a>', html)


def test_save_shows_link_and_applies_filters(cases: CaseFactory, login_as: Any, db: Engine) -> None:
    child = cases.make(risk_type="child_labour")
    cases.make(risk_type="illegal_agency")
    client, csrf = login_as("inspector.sz")
    response = client.post(
        "/filters?risk_type=child_labour&region=320505&overdue_only=false&closed=true&sort=-id",
        data={"csrf_token": csrf, "name": "  吴中 童工  "},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/?risk_type=child_labour&region=320505&closed=true&sort=-id"
    page = client.get(response.headers["location"])
    assert "已保存筛选「吴中 童工」。" in page.text
    [(href, name)] = saved_links(page.text)
    assert (
        name == "吴中 童工"
        and href == "/?risk_type=child_labour&amp;region=320505&amp;closed=true&amp;sort=-id"
    )
    assert re.findall(r'data-task-id="(\d+)"', client.get(href.replace("&amp;", "&")).text) == [
        str(child.task_id)
    ]
    with Session(db) as session:
        event = session.execute(
            select(AuditEvent).where(col(AuditEvent.action) == "filter.save")
        ).scalar_one()
        assert event.actor == "inspector.sz" and event.details["name"] == "吴中 童工"


def test_same_name_replaces_and_delete_removes(login_as: Any, db: Engine) -> None:
    client, csrf = login_as("inspector.sz")
    client.post("/filters?status=new", data={"csrf_token": csrf, "name": "新任务"})
    client.post("/filters?status=assigned", data={"csrf_token": csrf, "name": "新任务"})
    [(href, _)] = saved_links(client.get("/").text)
    assert href == "/?status=assigned"
    with Session(db) as session:
        row = session.execute(select(SavedFilter)).scalar_one()
    response = client.post(f"/filters/{row.id}/delete", data={"csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303
    page = client.get("/").text
    assert saved_links(page) == [] and "已删除筛选「新任务」。" in page
    with Session(db) as session:
        statement = select(col(AuditEvent.action)).where(col(AuditEvent.action).like("filter.%"))
        actions = session.execute(statement.order_by(col(AuditEvent.id))).all()
        assert [a for (a,) in actions] == ["filter.save", "filter.save", "filter.delete"]


def test_views_are_private(login_as: Any, db: Engine) -> None:
    owner, csrf = login_as("inspector.sz")
    owner.post("/filters?status=new", data={"csrf_token": csrf, "name": "我的视图"})
    other, other_csrf = login_as("inspector.wx")
    assert "我的视图" not in other.get("/").text
    with Session(db) as session:
        row = session.execute(select(SavedFilter)).scalar_one()
    assert other.post(f"/filters/{row.id}/delete", data={"csrf_token": other_csrf}).status_code == 404
    assert "我的视图" in owner.get("/").text


def test_names_and_forms_are_validated(login_as: Any, db: Engine) -> None:
    client, csrf = login_as("inspector.sz")
    for bad in ["", "   ", "名" * 41, "坏\u202e名", "坏\u200b名", "坏\t名"]:
        response = client.post("/filters", data={"csrf_token": csrf, "name": bad})
        assert response.status_code == 422, bad
        assert "筛选名称须为1至40个字符" in response.text or "控制字符" in response.text
    assert client.post("/filters", data={"csrf_token": csrf, "name": "坏\x00名"}).status_code == 422
    assert client.post("/filters", data={"name": "无令牌"}).status_code == 403
    assert (
        client.post("/filters?risk_type=<script>", data={"csrf_token": csrf, "name": "x"}).status_code == 422
    )
    assert client.post("/filters?sort=title;drop", data={"csrf_token": csrf, "name": "x"}).status_code == 422
    with Session(db) as session:
        assert session.execute(select(SavedFilter)).first() is None


def test_markup_in_a_name_is_text(login_as: Any) -> None:
    client, csrf = login_as("inspector.sz")
    client.post("/filters", data={"csrf_token": csrf, "name": "<b>粗</b>"})
    html = client.get("/").text
    assert "&lt;b&gt;粗&lt;/b&gt;" in html and "<b>粗</b>" not in html


def test_at_most_twenty_views(login_as: Any) -> None:
    client, csrf = login_as("inspector.sz")
    for i in range(20):
        assert client.post("/filters", data={"csrf_token": csrf, "name": f"视图{i}"}).status_code == 200
    response = client.post("/filters", data={"csrf_token": csrf, "name": "第二十一个"})
    assert response.status_code == 422 and "最多保存 20 个筛选" in response.text
    assert client.post("/filters?status=new", data={"csrf_token": csrf, "name": "视图3"}).status_code == 200


def test_stored_query_keeps_only_known_parameters() -> None:
    assert clean_query("status=new&evil=%3Cscript%3E&sort=-id") == "status=new&sort=-id"
    assert clean_query("javascript:alert(1)") == ""
