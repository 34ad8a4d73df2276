"""The operations page (运行状态): recent runs with their worker, queue lengths from the broker, failures."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from inspection.web.app import create_app
from store.models import User
from store.runs.ledger import ledger_claim, ledger_update
from store.types import utcnow
from tests.inspection.web.conftest import login, make_settings

LoginAs = Callable[[str], TestClient]


def record(db: Engine, job: str, hours_ago: int, status: str, **result: object) -> None:
    """One finished ledger row, as a scheduler or worker leaves it."""
    now = utcnow()
    slot = (now - timedelta(hours=hours_ago)).replace(minute=0, second=0, microsecond=0)
    run_id = ledger_claim(db, job=job, slot=slot, owner="host:1:abc", now=now, result={})
    assert run_id is not None
    error = result.pop("error", None)
    values = {"seconds": 1.5, "exit_code": 0 if status == "succeeded" else 3, **result}
    ledger_update(db, run_id, owner="host:1:abc", status=status, finished_at=now, error=error, result=values)


@pytest.fixture
def runs(db: Engine) -> None:
    record(db, "crawl:alpha", 1, "succeeded", worker="crawl@node-7")
    record(db, "score:alpha", 1, "succeeded")  # the embedded scheduler: no worker
    for hours in (2, 3, 4):
        record(
            db, "audit", hours, "failed", gave_up=True, error="Traceback ...\naudit chain broken at event 17"
        )


def client_for(db: Engine, tmp_path: Path, users: dict[str, User], broker_url: str = "") -> Iterator[LoginAs]:
    app: FastAPI = create_app(make_settings(tmp_path, broker_url=broker_url), engine=db)
    clients: list[TestClient] = []

    def make(username: str) -> TestClient:
        test_client = TestClient(app, base_url="http://testserver")
        clients.append(test_client)
        login(test_client, username)
        return test_client

    yield make
    for test_client in clients:
        test_client.close()


@pytest.fixture
def as_user(db: Engine, tmp_path: Path, users: dict[str, User]) -> Iterator[LoginAs]:
    yield from client_for(db, tmp_path, users)


def test_recent_runs_name_their_worker_and_failures_show_in_chinese(as_user: LoginAs, runs: None) -> None:
    page = as_user("analyst").get("/analyst/operations")
    assert page.status_code == 200 and page.template.name == "operations.html"
    assert "运行状态" in page.text and "最近的作业" in page.text
    by_job = {r.job: r for r in page.context["runs"]}
    assert by_job["crawl:alpha"].worker == "crawl@node-7" and "crawl@node-7" in page.text
    assert by_job["score:alpha"].worker is None and "调度器本机" in page.text
    failures = page.context["failures"]
    assert [r.job for r in failures] == ["audit"] * 3
    assert {r.status for r in failures} == {"gave_up"} and "失败，已放弃" in page.text
    assert failures[0].error == "audit chain broken at event 17" and "Traceback" not in page.text
    assert page.context["failing"] == [("audit", 3)] and 'data-failing="audit"' in page.text
    # no broker configured: a sentence, not a table
    assert page.context["queues"].note == "none" and "未配置消息代理" in page.text


def test_the_models_page_links_to_it_for_province_staff(as_user: LoginAs) -> None:
    assert 'href="/analyst/operations"' in as_user("supervisor").get("/analyst/models").text
    assert 'href="/analyst/operations"' not in as_user("supervisor.sz").get("/analyst/models").text


@pytest.mark.parametrize("username", ["inspector.sz", "officer.nj", "supervisor.sz"])
def test_others_and_city_staff_get_404(as_user: LoginAs, runs: None, username: str) -> None:
    assert as_user(username).get("/analyst/operations").status_code == 404


@pytest.mark.parametrize("username", ["supervisor", "admin"])
def test_province_supervisor_and_admin_see_it(as_user: LoginAs, runs: None, username: str) -> None:
    assert as_user(username).get("/analyst/operations").status_code == 200


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def silent_broker() -> Iterator[int]:
    """A port that accepts connections and never answers (a hung broker)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield int(server.getsockname()[1])
    server.close()


@pytest.mark.parametrize("kind", ["refused", "silent"])
def test_an_unreachable_broker_is_a_chinese_note_within_seconds_never_a_traceback(
    db: Engine, tmp_path: Path, users: dict[str, User], runs: None, silent_broker: int, kind: str
) -> None:
    port = _closed_port() if kind == "refused" else silent_broker
    url = f"redis://:secret-password@127.0.0.1:{port}/0"
    for make in client_for(db, tmp_path, users, broker_url=url):
        client = make("analyst")
        started = time.monotonic()
        page = client.get("/analyst/operations")
        assert time.monotonic() - started < 5  # one try, 1 s timeouts
        assert page.status_code == 200
        assert page.context["queues"].note == "unreachable" and "消息代理暂时无法连接" in page.text
        assert "secret-password" not in page.text and "Traceback" not in page.text
        assert page.context["runs"]  # the ledger part still shows


def test_queue_lengths_come_from_the_broker(
    db: Engine, tmp_path: Path, users: dict[str, User], runs: None
) -> None:
    from tests.scheduler.test_broker_restart import RedisServer

    redis = RedisServer(tmp_path / "redis", appendonly=False)
    try:
        client = redis.client()
        client.lpush("crawl", "a", "b", "c")
        client.lpush("work", "d")
        client.hset("unacked", "tag1", "x")
        for make in client_for(db, tmp_path, users, broker_url=redis.url):
            page = make("analyst").get("/analyst/operations")
            assert page.context["queues"].lengths == {"crawl": 3, "work": 1, "taken": 1}
            assert "采集队列（crawl）" in page.text and "处理队列（work）" in page.text
            assert 'data-queue="crawl"><td>采集队列（crawl）</td><td>3</td>' in page.text
    finally:
        redis.stop()
