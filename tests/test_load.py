"""Issue 13's must-show: 50 concurrent mixed requests against `labourwatch serve` (a real process, two
workers) leave no server error and an intact audit chain; then, with the server stopped, each kind of
tampering with the chain it wrote is detected by `labourwatch audit verify` (and undoing it verifies again).

Runs on the session's test database: SQLite by default, PostgreSQL with LABOURWATCH_TEST_DB=postgresql.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from store.audit.chain import GENESIS, _keyed_digest
from store.models import AuditEvent, User
from store.seed.users import DEMO_PASSWORD
from tests.conftest import ROOT
from tests.inspection.web.conftest import CaseFactory, cases, users  # noqa: F401 (fixtures)

pytestmark = pytest.mark.slow

N_REQUESTS = 50
BATCH_LIMIT_S = 120.0  # the whole concurrent batch, on a shared 2-core machine
WORKERS = 2  # two web processes: appends from both must keep one chain
table = AuditEvent.__table__  # type: ignore[attr-defined]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    base: str
    env: dict[str, str]
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # uvicorn's supervisor stops its workers
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # its own session, started here
                self.process.wait(timeout=10)


def _wait_healthy(server: Server, limit_s: float = 90.0) -> None:
    """Poll /healthz until it answers 200 (never a fixed sleep); fail when the process dies or time runs out."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        assert server.process.poll() is None, (
            "serve exited:\n" + server.log.read_text(errors="replace")[-3000:]
        )
        try:
            if httpx.get(f"{server.base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)  # a polling interval, not a guess at the start-up time
    pytest.fail("serve never became healthy:\n" + server.log.read_text(errors="replace")[-3000:])


@pytest.fixture
def server(db: Engine, db_url: str, tmp_path: Path) -> Iterator[Server]:
    """`labourwatch serve --workers 2` on a free 127.0.0.1 port against the test database."""
    port = _free_port()
    env = dict(
        os.environ,  # carries the test audit key and anchor file (the db fixture sets them)
        DATABASE_URL=db_url,
        LABOURWATCH_DATA_DIR=str(tmp_path / "data"),
        LABOURWATCH_SECRET_KEY="s" * 40,
        LABOURWATCH_LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    env.pop("LABOURWATCH_DATABASE_URL", None)
    log = tmp_path / "serve.log"
    command = [sys.executable, "-m", "labourwatch", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--workers", str(WORKERS)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = Server(f"http://127.0.0.1:{port}", env, process, log)
    try:
        _wait_healthy(running)
        yield running
    finally:
        running.stop()


def _verify(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "labourwatch", "audit", "verify"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _login(base: str, username: str, password: str) -> tuple[httpx.Response, httpx.Client]:
    client = httpx.Client(base_url=base, timeout=60)
    page = client.get("/login").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    data = {"username": username, "password": password, "csrf_token": token}
    return client.post("/login", data=data), client


def _session(base: str, username: str) -> tuple[httpx.Cookies, str]:
    response, client = _login(base, username, DEMO_PASSWORD)
    assert response.status_code == 303, response.text[-500:]
    token = str(client.get("/api/me").json()["csrf_token"])
    cookies = client.cookies
    client.close()
    return cookies, token


Job = Callable[[], tuple[str, int]]


def _jobs(base: str, cases_made: list[Any], sessions: dict[str, tuple[httpx.Cookies, str]]) -> list[Job]:
    """Fifty mixed requests: logins (some wrong), task pages, raw frames, API reads, findings with CSRF."""

    def get(kind: str, username: str, path: str) -> Job:
        def run() -> tuple[str, int]:
            with httpx.Client(base_url=base, cookies=sessions[username][0], timeout=60) as client:
                return kind, client.get(path).status_code

        return run

    def login(kind: str, username: str, password: str) -> Job:
        def run() -> tuple[str, int]:
            response, client = _login(base, username, password)
            client.close()
            return kind, response.status_code

        return run

    def finding(case: Any) -> Job:
        def run() -> tuple[str, int]:
            cookies, token = sessions["inspector.sz"]
            body = {
                "expected_version": 1,
                "violations": ["child_labour"],
                "outcome": "fine",
                "notes": "现场查实",
                "victims": [{"name": "李四", "age": 15}],
            }
            with httpx.Client(base_url=base, cookies=cookies, timeout=60) as client:
                response = client.post(
                    f"/api/tasks/{case.task_id}/findings", json=body, headers={"X-CSRF-Token": token}
                )
                return "finding", response.status_code

        return run

    viewed, working = cases_made[:5], cases_made[5:]
    jobs: list[Job] = []
    for n in range(6):
        jobs.append(
            login("login_wrong", ["inspector.sz", "analyst", f"nobody{n}", "admin"][n % 4], f"wrong-{n}-pass")
        )
    for name in ("inspector.nj", "officer.sz", "supervisor", "analyst"):
        jobs.append(login("login_ok", name, DEMO_PASSWORD))
    for n in range(10):  # a task page and its raw frames, as a browser loads them at once
        case = viewed[n % len(viewed)]
        jobs.append(get("task_page", "supervisor.sz", f"/tasks/{case.task_id}"))
        jobs.append(get("raw_frame", "supervisor.sz", f"/tasks/{case.task_id}/raw/{case.version_id}"))
    for n in range(15):
        case = viewed[n % len(viewed)]
        path = ["/api/tasks", f"/api/tasks/{case.task_id}", "/api/me", "/api/tasks?q=童工"][n % 4]
        jobs.append(get("api_read", ["analyst", "supervisor.sz"][n % 2], path))
    jobs += [finding(case) for case in working]
    assert len(jobs) == N_REQUESTS
    random.Random(13).shuffle(jobs)
    return jobs


EXPECTED = {
    "login_wrong": 401,
    "login_ok": 303,
    "task_page": 200,
    "raw_frame": 200,
    "api_read": 200,
    "finding": 200,
}


def test_fifty_concurrent_requests_then_tampering_is_detected(
    server: Server,
    db: Engine,
    cases: CaseFactory,  # noqa: F811 (the imported fixture)
    users: dict[str, User],  # noqa: F811
) -> None:
    made = [cases.make(region="320505") for _ in range(5)]
    inspector = users["inspector.sz"].id
    made += [cases.make(region="320505", status="in_progress", assignee_id=inspector) for _ in range(5)]
    sessions = {name: _session(server.base, name) for name in ("supervisor.sz", "inspector.sz", "analyst")}
    jobs = _jobs(server.base, made, sessions)

    barrier = threading.Barrier(N_REQUESTS)
    timings: list[float] = []

    def fire(job: Job) -> tuple[str, int]:
        barrier.wait(timeout=60)
        started = time.monotonic()
        try:
            return job()
        finally:
            timings.append(time.monotonic() - started)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=N_REQUESTS) as pool:
        results = list(pool.map(fire, jobs, timeout=BATCH_LIMIT_S))
    wall = time.monotonic() - started
    timings.sort()
    print(
        f"\n{N_REQUESTS} concurrent requests: wall {wall:.1f} s, p50 {timings[len(timings) // 2]:.2f} s, "
        f"max {timings[-1]:.2f} s"
    )
    assert len(results) == N_REQUESTS and wall < BATCH_LIMIT_S
    assert [r for r in results if r[1] >= 500] == [], server.log.read_text(errors="replace")[-3000:]
    assert [r for r in results if r[1] != EXPECTED[r[0]]] == []

    server.stop()
    intact = _verify(server.env)
    assert intact.returncode == 0 and "审计链完好" in intact.stdout, intact.stderr
    with Session(db) as session:
        original = [dict(row._mapping) for row in session.execute(select(table).order_by(table.c.id))]
    actions = [row["action"] for row in original]
    assert actions.count("auth.login_failed") == 6 and actions.count("auth.login") == 3 + 4
    assert actions.count("task.finding_recorded") == 5
    ids = [row["id"] for row in original]
    print(f"chain of {len(ids)} events verified intact after the load")

    def restore() -> None:
        with db.begin() as connection:
            connection.execute(delete(table))
            connection.execute(insert(table), original)

    def detected(tamper: Callable[[], None], words: str) -> None:
        tamper()
        result = _verify(server.env)
        assert result.returncode == 1 and words in result.stderr, (words, result.stdout, result.stderr)
        restore()
        assert _verify(server.env).returncode == 0  # undone, the chain verifies again: no false alarm

    def edit() -> None:
        with db.begin() as connection:
            connection.execute(table.update().where(table.c.id == ids[len(ids) // 2]).values(actor="mallory"))

    def delete_middle() -> None:
        with db.begin() as connection:
            connection.execute(delete(table).where(table.c.id == ids[len(ids) // 2]))

    def delete_newest() -> None:
        with db.begin() as connection:
            connection.execute(delete(table).where(table.c.id >= ids[-3]))

    def recompute_without_key() -> None:
        guessed = b"not-the-real-key-" * 3
        with Session(db) as session:
            prev = GENESIS
            for row in session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars():
                row.actor = "mallory" if row.id == ids[1] else row.actor
                row.prev_hash = prev
                row.hash = prev = _keyed_digest(guessed, prev, row)
            session.commit()

    detected(edit, f"事件 {ids[len(ids) // 2]} 的内容与其哈希不符")
    detected(delete_middle, f"与前一条（事件 {ids[len(ids) // 2 - 1]}）不相连")
    detected(delete_newest, "已不在库中")
    detected(recompute_without_key, "与锚点记录不同")
