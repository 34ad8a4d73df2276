"""The queue page: total, closed hidden by default, my tasks, sorting, reasons, origins, empty results."""

from __future__ import annotations

import re
from typing import Any

from tests.inspection.web.conftest import CaseFactory


def row_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-task-id="(\d+)"', html)]


def test_queue_hides_closed_and_counts(cases: CaseFactory, login_as: Any, users: dict[str, Any]) -> None:
    open_case = cases.make()
    closed = cases.make(status="closed")
    client, _ = login_as("supervisor.sz")
    html = client.get("/").text
    assert row_ids(html) == [open_case.task_id] and "共 1 条" in html
    shown = client.get("/?closed=true").text
    assert set(row_ids(shown)) == {open_case.task_id, closed.task_id} and "共 2 条" in shown
    assert row_ids(client.get("/?status=closed").text) == [closed.task_id]


def test_my_tasks_only_mine(cases: CaseFactory, login_as: Any, users: dict[str, Any]) -> None:
    mine = cases.make(status="assigned", assignee_id=users["inspector.sz"].id)
    cases.make()
    client, _ = login_as("inspector.sz")
    assert row_ids(client.get("/?mine=true").text) == [mine.task_id]
    assert 'href="/?mine=true"' in client.get("/").text


def test_row_shows_reason_colour_origin_and_countdown(cases: CaseFactory, login_as: Any) -> None:
    cases.make(priority=0.9)
    client, _ = login_as("inspector.sz")
    html = client.get("/").text
    assert '<div class="reason">要求年龄低于16岁</div>' in html  # the indicator's meaning, not a phrase
    assert 'class="risk-high' in html and "高风险" in html
    assert 'title="风险模型评分超过阈值自动生成">模型预警</span>' in html
    assert re.search(r'class="sla sla-ok">剩 \d+ 天', html)
    assert "任务来源说明" in html and "随机抽查：" in html


def test_overdue_countdown(cases: CaseFactory, login_as: Any) -> None:
    cases.make(overdue=True)
    client, _ = login_as("inspector.sz")
    assert re.search(r'class="sla sla-overdue">逾期 \d+ 天', client.get("/").text)


def test_sorting(cases: CaseFactory, login_as: Any) -> None:
    low = cases.make(priority=0.2)
    high = cases.make(priority=0.9)
    client, _ = login_as("inspector.sz")
    assert row_ids(client.get("/").text) == [high.task_id, low.task_id]
    assert row_ids(client.get("/?sort=id").text) == [low.task_id, high.task_id]
    assert row_ids(client.get("/?sort=-id").text) == [high.task_id, low.task_id]
    html = client.get("/?sort=id").text
    assert "sort=-id" in html  # clicking the active column again reverses it
    assert client.get("/?sort=title;drop").status_code == 422


def test_empty_results_offer_to_clear(cases: CaseFactory, login_as: Any) -> None:
    cases.make()
    client, _ = login_as("inspector.sz")
    html = client.get("/?q=没有这样的任务").text
    assert "没有符合筛选条件的任务" in html and 'id="clear-filters"' in html
    assert "共 0 条" in html


def test_bulk_assign_by_a_supervisor(cases: CaseFactory, login_as: Any, users: dict[str, Any]) -> None:
    first, second, third = cases.make(), cases.make(), cases.make()
    client, token = login_as("supervisor.sz")
    html = client.get("/").text
    assert 'id="bulk-form"' in html and f'value="{first.task_id}:1" form="bulk-form"' in html
    inspector = users["inspector.sz"].id
    response = client.post(
        "/tasks/bulk-assign",
        data={
            "csrf_token": token,
            "assignee_id": inspector,
            "task": [f"{first.task_id}:1", f"{second.task_id}:1", f"{third.task_id}:7"],  # the last is stale
            "back": "/",
        },
    )
    assert response.status_code == 200
    assert "已指派 2 件任务。" in response.text and f"未能指派：#{third.task_id}" in response.text
    mine = [t["id"] for t in client.get("/api/tasks?status=assigned").json()["items"]]
    assert sorted(mine) == sorted([first.task_id, second.task_id])
    worker, worker_token = login_as("inspector.sz")
    assert 'id="bulk-form"' not in worker.get("/").text
    other = users["inspector.wx"].id  # a worker may only claim for themselves
    refused = worker.post(
        "/tasks/bulk-assign",
        data={"csrf_token": worker_token, "assignee_id": other, "task": [f"{third.task_id}:1"]},
    )
    assert "已指派 0 件任务。" in refused.text


def test_new_high_risk_tasks_are_announced_once(cases: CaseFactory, login_as: Any) -> None:
    fresh = cases.make()  # created now, score 0.91
    client, _ = login_as("inspector.sz")
    first = client.get("/").text
    assert (
        'id="new-tasks"' in first
        and "新增高风险任务 1 件" in first
        and f'href="/tasks/{fresh.task_id}"' in first
    )
    assert 'id="new-tasks"' not in client.get("/").text  # seen now
    later = cases.make()
    assert f'href="/tasks/{later.task_id}">#' in client.get("/").text


def test_province_queue_names_the_city_of_a_county(cases: CaseFactory, login_as: Any) -> None:
    cases.make(region="320102")  # 南京市玄武区
    client, _ = login_as("supervisor")
    assert ">南京市玄武区</td>" in client.get("/").text
    city, _ = login_as("supervisor.sz")
    cases.make(region="320505")
    assert ">虎丘区</td>" in city.get("/").text
