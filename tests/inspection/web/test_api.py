"""The JSON API: shapes, masking, 409 on stale versions, tips, findings, the OpenAPI spec, fuzzing."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error


def test_unauthenticated_api_gets_401_json(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/tasks")
    assert response.status_code == 401 and response.json() == {"detail": "login required"}


def test_list_and_get_task_with_masking(login_as, cases) -> None:  # type: ignore[no-untyped-def]
    case = cases.make()
    client, _ = login_as("inspector.sz")
    queue = client.get("/api/tasks?risk_type=child_labour&status=open").json()
    assert queue["total"] == 1 and queue["items"][0]["id"] == case.task_id
    assert set(queue["items"][0]) >= {"id", "title", "priority", "overdue", "version", "region_name"}
    task = client.get(f"/api/tasks/{case.task_id}").json()
    text = task["evidence"][0]["text"]
    assert "<script" not in text and "<img" not in text and "童工" in text
    assert "13912345678" not in text and "139****5678" in text
    assert task["allowed_actions"] == ["assigned"] and task["version"] == 1  # may claim it
    assert "password_hash" not in str(task)


def test_transition_stale_version_is_409_with_current_state(login_as, cases) -> None:  # type: ignore[no-untyped-def]
    case = cases.make()
    client, token = login_as("supervisor")
    headers = {"X-CSRF-Token": token}
    ok = client.post(
        f"/api/tasks/{case.task_id}/transition",
        json={"expected_version": 1, "to_status": "escalated"},
        headers=headers,
    )
    assert ok.status_code == 200 and ok.json() == {"id": case.task_id, "status": "escalated", "version": 2}
    stale = client.post(
        f"/api/tasks/{case.task_id}/transition",
        json={"expected_version": 1, "to_status": "closed", "note": "保留我的备注"},
        headers=headers,
    )
    assert stale.status_code == 409
    body = stale.json()
    assert body["current_version"] == 2 and body["current_status"] == "escalated"
    assert body["submitted"]["note"] == "保留我的备注"


def test_tip_then_assign_then_finding_over_the_api(login_as, users) -> None:  # type: ignore[no-untyped-def]
    supervisor, token = login_as("supervisor.sz")
    tip = {
        "risk_type": "child_labour",
        "region_code": "320505",
        "title": "群众举报：工厂使用童工",
        "tip_source": "12333热线",
        "tip_text": "举报人电话13912345678",
    }
    created = supervisor.post("/api/tips", json=tip, headers={"X-CSRF-Token": token})
    assert created.status_code == 201, created.text
    task_id, version = created.json()["id"], created.json()["version"]
    inspector_id = users["inspector.sz"].id
    assigned = supervisor.post(
        f"/api/tasks/{task_id}/assign",
        json={"expected_version": version, "assignee_id": inspector_id},
        headers={"X-CSRF-Token": token},
    )
    assert assigned.status_code == 200, assigned.text
    inspector, itoken = login_as("inspector.sz")
    assert inspector.get(f"/api/tasks/{task_id}").json()["tip_text"] == "举报人电话13912345678"
    h = {"X-CSRF-Token": itoken}
    started = inspector.post(
        f"/api/tasks/{task_id}/transition",
        json={"expected_version": assigned.json()["version"], "to_status": "in_progress"},
        headers=h,
    )
    assert started.status_code == 200, started.text
    finding = {
        "expected_version": started.json()["version"],
        "violations": ["child_labour"],
        "outcome": "fine",
        "notes": "查实",
        "victims": [{"name": "李四", "age": 14}],
    }
    recorded = inspector.post(f"/api/tasks/{task_id}/findings", json=finding, headers=h)
    assert recorded.status_code == 200 and recorded.json()["status"] == "finding_recorded"
    other, _ = login_as("inspector.wx")
    assert other.get(f"/api/tasks/{task_id}").status_code == 404


def test_invalid_finding_is_422(login_as, cases) -> None:  # type: ignore[no-untyped-def]
    case = cases.make()
    client, token = login_as("supervisor")
    bad = {"expected_version": 1, "violations": ["no_violation"], "outcome": "fine"}
    response = client.post(f"/api/tasks/{case.task_id}/findings", json=bad, headers={"X-CSRF-Token": token})
    assert response.status_code in (409, 422)
    nul = {"expected_version": 1, "to_status": "escalated", "note": "a\x00b"}
    assert (
        client.post(
            f"/api/tasks/{case.task_id}/transition", json=nul, headers={"X-CSRF-Token": token}
        ).status_code
        == 422
    )


def test_openapi_spec_lists_the_api_only(client) -> None:  # type: ignore[no-untyped-def]
    spec = client.get("/api/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/tasks", "/api/tasks/{task_id}", "/api/tasks/{task_id}/transition", "/api/tips"} <= paths
    assert {"/api/organisations", "/api/export/tasks.csv", "/api/tasks/{task_id}/findings"} <= paths
    assert all(p.startswith("/api/") for p in paths)
    schemas = set(spec["components"]["schemas"])
    assert not schemas & {"InspectionTask", "User", "Finding"}


FUZZ_SETTINGS = settings(
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


def test_api_fuzz_finds_no_server_error(app, login_as, cases) -> None:  # type: ignore[no-untyped-def]
    """Schemathesis examples for every operation, logged in as a supervisor: never a 5xx."""
    cases.make()
    cases.make(region="320102")
    client, token = login_as("supervisor")
    cookies, headers = {"lw_session": client.cookies.get("lw_session")}, {"X-CSRF-Token": token}
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9
    for operation in operations:

        @FUZZ_SETTINGS
        @given(case=operation.as_strategy())
        def check(case) -> None:  # type: ignore[no-untyped-def]
            case.call_and_validate(cookies=cookies, headers=headers, checks=[not_a_server_error])

        check()
