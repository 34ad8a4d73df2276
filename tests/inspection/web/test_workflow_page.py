"""The task page explains the workflow: valid steps only, confirmations, review notes, countdown."""

from __future__ import annotations

import re
from typing import Any

from tests.inspection.web.conftest import CaseFactory


def buttons(html: str) -> set[str]:
    return set(re.findall(r'id="to-([a-z_]+)"', html))


def record_finding(client: Any, token: str, task_id: int) -> None:
    version = client.get(f"/api/tasks/{task_id}").json()["version"]
    response = client.post(
        f"/tasks/{task_id}/finding",
        data={
            "csrf_token": token,
            "expected_version": version,
            "violations": "child_labour",
            "outcome": "fine",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]


def test_inspector_sees_only_valid_steps(cases: CaseFactory, login_as: Any, users: dict[str, Any]) -> None:
    case = cases.make(status="assigned", assignee_id=users["inspector.sz"].id)
    client, token = login_as("inspector.sz")
    html = client.get(f"/tasks/{case.task_id}").text
    assert buttons(html) == {"in_progress", "new"}  # no "→ 已指派" after taking it, no failing 已记录结论
    assert "开始办理" in html and re.search(r'id="sla">剩 \d+ 天', html)
    version = client.get(f"/api/tasks/{case.task_id}").json()["version"]
    client.post(
        f"/tasks/{case.task_id}/transition",
        data={"csrf_token": token, "expected_version": version, "to_status": "in_progress"},
    )
    html = client.get(f"/tasks/{case.task_id}").text
    assert "finding_recorded" not in buttons(html) and 'id="record-finding"' in html
    record_finding(client, token, case.task_id)
    html = client.get(f"/tasks/{case.task_id}").text
    assert 'id="awaiting-review"' in html and "待督导审核" in html
    assert buttons(html) == {"in_progress"} and "退回补充调查" in html  # closing is the supervisor's


def test_supervisor_closes_with_a_note_and_reopens_with_a_reason(
    cases: CaseFactory, login_as: Any, users: dict[str, Any]
) -> None:
    case = cases.make(status="in_progress", assignee_id=users["inspector.sz"].id)
    inspector, itoken = login_as("inspector.sz")
    record_finding(inspector, itoken, case.task_id)
    client, token = login_as("supervisor.sz")
    html = client.get(f"/tasks/{case.task_id}").text
    assert '<summary id="to-closed">审核通过并办结</summary>' in html and 'id="note-closed"' in html
    base = {"csrf_token": token, "to_status": "closed"}
    version = client.get(f"/api/tasks/{case.task_id}").json()["version"]
    refused = client.post(f"/tasks/{case.task_id}/transition", data={**base, "expected_version": version})
    assert refused.status_code == 409 and "办结须填写审核意见" in refused.text
    closed = client.post(
        f"/tasks/{case.task_id}/transition",
        data={**base, "expected_version": version, "note": "证据充分，同意"},
    )
    assert closed.status_code == 200 and "已办结" in closed.text and "证据充分，同意" in closed.text
    html = closed.text
    assert buttons(html) == {"reopened"} and 'id="note-reopened"' in html
    version = client.get(f"/api/tasks/{case.task_id}").json()["version"]
    no_reason = client.post(
        f"/tasks/{case.task_id}/transition",
        data={"csrf_token": token, "to_status": "reopened", "expected_version": version},
    )
    assert no_reason.status_code == 409 and "须说明理由" in no_reason.text


def test_no_close_without_a_finding(cases: CaseFactory, login_as: Any) -> None:
    case = cases.make(status="escalated")
    client, token = login_as("supervisor.sz")
    html = client.get(f"/tasks/{case.task_id}").text
    assert "closed" not in buttons(html) and 'id="close-blocked"' in html
    assert 'id="escalated-notice"' in html
    refused = client.post(
        f"/tasks/{case.task_id}/transition",
        data={"csrf_token": token, "to_status": "closed", "expected_version": 1, "note": "同意"},
    )
    assert refused.status_code == 409 and "办结前须先记录检查结论" in refused.text


def test_overdue_task_counts_days(cases: CaseFactory, login_as: Any) -> None:
    case = cases.make(overdue=True)
    client, _ = login_as("inspector.sz")
    assert re.search(r'id="sla">逾期 \d+ 天', client.get(f"/tasks/{case.task_id}").text)


def test_dashboard_counts_link_to_the_queue(cases: CaseFactory, login_as: Any) -> None:
    cases.make(status="finding_recorded")
    client, _ = login_as("supervisor.sz")
    html = client.get("/dashboard").text
    assert "待督导审核" in html
    assert '<a href="/?region=320505&status=finding_recorded" class="count-review">1</a>' in html
    assert 'data-task-id="' in client.get("/?region=320505&status=finding_recorded").text


def test_trend_chart_labels_every_week(cases: CaseFactory, login_as: Any) -> None:
    cases.make()
    client, _ = login_as("supervisor.sz")
    chart = client.get("/dashboard").text.split('<figure id="trend-chart">')[1].split("</figure>")[0]
    assert chart.count('text-anchor="middle"') == 12  # one label per week (MM-DD)
    assert chart.count("<circle") == 36 and "<script" not in chart and "style=" not in chart
