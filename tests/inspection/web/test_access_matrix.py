"""Every role × every task endpoint × a task outside the user's remit: refused (404), audited, unchanged."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from store.models import AuditEvent, InspectionTask

# Who may see a task in Nanjing (320102), by the task's agency: written out here, not computed by the code
# under test, so the test fails if the rules drift.
SEES_NANJING = {
    "labour_inspection": {"inspector.nj", "supervisor", "analyst", "admin"},
    "market_regulation": {"officer.nj", "supervisor", "analyst", "admin"},
}
READ_ONLY = {"analyst"}
USERS = (
    "inspector.nj",
    "inspector.sz",
    "inspector.wx",
    "officer.nj",
    "officer.sz",
    "analyst",
    "supervisor",
    "supervisor.sz",
    "admin",
)


def endpoints(
    task_id: int, version_id: int, token: str, user_id: int
) -> list[tuple[str, str, dict[str, object]]]:
    """(method, path, request kwargs) of every endpoint that takes a task."""
    form = {"csrf_token": token, "expected_version": "1"}
    header = {"X-CSRF-Token": token}
    finding = {"violations": ["child_labour"], "outcome": "fine", "notes": "x"}
    return [
        ("GET", f"/tasks/{task_id}", {}),
        ("GET", f"/tasks/{task_id}/raw/{version_id}", {}),
        ("GET", f"/tasks/{task_id}/finding", {}),
        ("POST", f"/tasks/{task_id}/transition", {"data": {**form, "to_status": "escalated"}}),
        ("POST", f"/tasks/{task_id}/assign", {"data": {**form, "assignee_id": str(user_id)}}),
        ("POST", f"/tasks/{task_id}/finding", {"data": {**form, **finding}}),
        ("GET", f"/api/tasks/{task_id}", {}),
        (
            "POST",
            f"/api/tasks/{task_id}/transition",
            {"json": {"expected_version": 1, "to_status": "escalated"}, "headers": header},
        ),
        (
            "POST",
            f"/api/tasks/{task_id}/assign",
            {"json": {"expected_version": 1, "assignee_id": user_id}, "headers": header},
        ),
        (
            "POST",
            f"/api/tasks/{task_id}/findings",
            {"json": {"expected_version": 1, **finding}, "headers": header},
        ),
    ]


def denied_count(engine: Engine) -> int:
    with Session(engine) as session:
        return int(
            session.execute(select(func.count()).where(AuditEvent.action == "access.denied")).scalar() or 0
        )


@pytest.mark.parametrize("agency", ["labour_inspection", "market_regulation"])
@pytest.mark.parametrize("username", USERS)
def test_access_matrix(login_as, cases, db: Engine, users, username: str, agency: str) -> None:  # type: ignore[no-untyped-def]
    risk = "child_labour" if agency == "labour_inspection" else "illegal_marriage_broker"
    case = cases.make(region="320102", agency=agency, risk_type=risk)
    client, token = login_as(username)
    sees = username in SEES_NANJING[agency]
    for method, path, kwargs in endpoints(case.task_id, case.version_id, token, users[username].id):
        before = denied_count(db)
        response = client.request(method, path, follow_redirects=False, **kwargs)
        if not sees or (method == "POST" and username in READ_ONLY):
            assert response.status_code == 404, f"{username} {method} {path}: {response.status_code}"
            assert denied_count(db) == before + 1, f"{username} {method} {path} not audited"
        elif method == "GET":
            assert response.status_code == 200, f"{username} {method} {path}: {response.status_code}"
    if not sees or username in READ_ONLY:
        with Session(db) as session:
            task = session.get(InspectionTask, case.task_id)
            assert task is not None and task.version == 1 and task.status == "new"


def test_queue_and_api_list_only_own_remit(login_as, cases) -> None:  # type: ignore[no-untyped-def]
    sz = cases.make(region="320505")
    nj = cases.make(region="320102")
    market = cases.make(region="320505", agency="market_regulation", risk_type="illegal_marriage_broker")
    expected = {
        "inspector.sz": {sz.task_id},
        "inspector.nj": {nj.task_id},
        "officer.sz": {market.task_id},
        "supervisor.sz": {sz.task_id, market.task_id},
        "supervisor": {sz.task_id, nj.task_id, market.task_id},
    }
    for username, ids in expected.items():
        client, _ = login_as(username)
        assert {i["id"] for i in client.get("/api/tasks").json()["items"]} == ids, username
        assert {i.id for i in client.get("/").context["queue"].items} == ids, username
