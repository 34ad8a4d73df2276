"""Jobs on Celery workers, on the real broker (Redis) and PostgreSQL: each slot runs once, whatever happens.

Workers are real `labourwatch worker` processes; jobs are the recorder stand-in (tests/scheduler/recorder.py).
Redis is LABOURWATCH_TEST_REDIS (default redis://127.0.0.1:6379/15, emptied before each test); the tests
skip locally when it is unreachable and fail in CI, like the PostgreSQL ones.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from scheduling.jobs import Work
from scheduling.service import build_scheduler
from store.runs.ledger import ledger_get, ledger_history
from tests.conftest import AUDIT_TEST_KEY, clean_tables
from tests.scheduler.conftest import ROOT, Sandbox, migrated_pg_engine
from tests.scheduler.test_processes import wait_for

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
REDIS_URL = os.environ.get("LABOURWATCH_TEST_REDIS", "redis://127.0.0.1:6379/15")
SLOT = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
CHAIN = ("crawl:alpha", "score:alpha", "tasks:alpha")


def require_redis() -> None:
    """Skip (locally) or fail (in CI) when the Redis broker is unreachable; empty the test database."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb()
    except redis.RedisError as exc:
        reason = f"Redis at {REDIS_URL} unreachable: {type(exc).__name__}: {exc}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI needs Redis: {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="module")
def pg_engine() -> Iterator[Engine]:
    yield from migrated_pg_engine("lw_engine")


@pytest.fixture
def box(tmp_path: Path, pg_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    require_redis()
    monkeypatch.setenv("LABOURWATCH_AUDIT_KEY", AUDIT_TEST_KEY)
    sandbox = Sandbox(tmp_path, pg_engine.url.render_as_string(hide_password=False), pg_engine)
    sandbox.add_source("alpha", "0 * * * *")
    yield sandbox
    clean_tables(pg_engine)


class Worker:
    """A `labourwatch worker` in its own process group (so SIGKILL takes its pool down like a dead machine)."""

    def __init__(self, box: Sandbox, name: str, concurrency: int = 1, **settings: object) -> None:
        self.out = box.root / f"{name.partition('@')[0]}.log"
        argv = [sys.executable, "-m", "labourwatch", "worker", f"--concurrency={concurrency}"]
        argv.append(f"--name={name}")
        env = box.environ(**{**_engine_settings(), **settings})
        with self.out.open("w") as handle:
            self.popen = subprocess.Popen(
                argv, env=env, stdout=handle, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True
            )

    def kill(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=30)

    def stop(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def _engine_settings() -> dict[str, object]:
    return {"broker_url": REDIS_URL, "broker_visibility_timeout_s": 3, "worker_busy_retry_s": 1}


@pytest.fixture
def workers() -> Iterator[list[Worker]]:
    started: list[Worker] = []
    yield started
    for worker in started:
        worker.stop()


def dispatch(box: Sandbox, job: str = "crawl:alpha") -> None:
    """What `schedule start` does with a due slot: the scheduler sends it to the broker."""
    scheduler = build_scheduler(box.settings(**_engine_settings()), engine=box.engine, dispatch=True)
    assert scheduler.execute(Work(job, SLOT)) == []


def status(box: Sandbox, job: str) -> str | None:
    row = ledger_get(box.engine, job, SLOT)
    return row.status if row else None


def chain_succeeded(box: Sandbox) -> bool:
    return all(status(box, job) == "succeeded" for job in CHAIN)


def broker_idle() -> bool:
    """Nothing waiting and nothing taken but unacknowledged (kombu keeps those in the `unacked` hash)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    return client.llen("crawl") == 0 and client.llen("work") == 0 and client.hlen("unacked") == 0


def test_a_worker_runs_the_dispatched_chain_once_and_history_names_it(
    box: Sandbox, workers: list[Worker]
) -> None:
    workers.append(Worker(box, "w1@%h"))
    dispatch(box)
    wait_for(lambda: chain_succeeded(box), 60, "the chain to succeed on the worker")
    wait_for(broker_idle, 30, "the broker to be empty")
    assert box.starts() == {(job, SLOT.isoformat()): 1 for job in CHAIN}
    row = ledger_get(box.engine, "crawl:alpha", SLOT)
    assert row is not None and row.attempts == 1 and row.result["worker"].startswith("w1@")

    history = subprocess.run(
        [sys.executable, "-m", "labourwatch", "schedule", "history"],
        env=box.environ(**_engine_settings()),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "w1@" in history.stdout and "worker" in history.stdout


def test_the_same_slot_dispatched_twice_runs_once(box: Sandbox, workers: list[Worker]) -> None:
    dispatch(box)  # two schedulers (or a new leader after fail-over) send the same slot
    dispatch(box)
    workers += [Worker(box, "w1@%h", concurrency=2), Worker(box, "w2@%h", concurrency=2)]
    wait_for(lambda: chain_succeeded(box), 60, "the chain to succeed")
    wait_for(broker_idle, 30, "every delivered copy to be handled")
    assert box.starts() == {(job, SLOT.isoformat()): 1 for job in CHAIN}
    assert box.done() == {(job, SLOT.isoformat()): 1 for job in CHAIN}


def test_a_worker_killed_mid_job_has_it_delivered_to_another_and_it_completes_once(
    box: Sandbox, workers: list[Worker]
) -> None:
    box.sleep(60, "crawl:alpha")
    first = Worker(box, "w1@%h")
    workers.append(first)
    dispatch(box)
    wait_for(lambda: box.starts()[("crawl:alpha", SLOT.isoformat())] == 1, 60, "the crawl to start on w1")
    row = ledger_get(box.engine, "crawl:alpha", SLOT)
    assert row is not None and row.status == "running" and row.result["worker"].startswith("w1@")
    child = int(next(r for r in box.records() if r[0] == "start")[3])

    first.kill()
    wait_for(lambda: not Path(f"/proc/{child}").exists(), 10, "the job's child to die with its worker")
    box.sleep(0)
    workers.append(Worker(box, "w2@%h"))
    wait_for(lambda: chain_succeeded(box), 90, "the re-delivered chain to succeed on w2")
    wait_for(broker_idle, 30, "the broker to be empty")

    crawl = ledger_get(box.engine, "crawl:alpha", SLOT)
    assert crawl is not None and crawl.attempts == 2 and crawl.result["worker"].startswith("w2@")
    assert box.starts()[("crawl:alpha", SLOT.isoformat())] == 2  # killed once, run again from the start
    assert box.done() == {(job, SLOT.isoformat()): 1 for job in CHAIN}


def test_a_crawl_whose_source_is_busy_comes_back_later_without_costing_an_attempt(
    box: Sandbox, workers: list[Worker]
) -> None:
    from scheduling.engine import SOURCE_BUSY_MARK

    busy = box.root / "busy"
    busy.touch()
    script = (
        f"import pathlib, sys; p = pathlib.Path({str(busy)!r}); "
        f"sys.exit(print('source alpha {SOURCE_BUSY_MARK}') or 1) if p.exists() else None"
    )
    commands = {"crawl": [f"{{python}} -c {_quote(script)}"], "score": ["true"], "tasks": ["true"]}
    dispatch(box)
    workers.append(Worker(box, "w1@%h", schedule_commands=commands))

    def busy_seen() -> bool:
        row = ledger_get(box.engine, "crawl:alpha", SLOT)
        return row is not None and bool(row.result.get("busy"))

    wait_for(busy_seen, 60, "the worker to find the source busy")
    row = ledger_get(box.engine, "crawl:alpha", SLOT)
    assert row is not None and row.status == "failed" and row.attempts == 0
    busy.unlink()
    wait_for(lambda: chain_succeeded(box), 60, "the crawl to run once the source is free")
    crawl = ledger_get(box.engine, "crawl:alpha", SLOT)
    assert crawl is not None and crawl.attempts == 1


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def test_schedule_start_with_a_broker_dispatches_and_every_slot_runs_once(
    box: Sandbox, workers: list[Worker]
) -> None:
    box.add_source("alpha", "*/2 * * * * *")  # every 2 seconds, on the wall clock
    workers += [Worker(box, "w1@%h", concurrency=2), Worker(box, "w2@%h", concurrency=2)]
    env = box.environ(**_engine_settings())
    leader = subprocess.Popen(
        [sys.executable, "-m", "labourwatch", "schedule", "start"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(lambda: len(box.done()) >= 9, 90, "three slots' chains to finish on the workers")
    finally:
        os.killpg(leader.pid, signal.SIGTERM)
        leader.wait(timeout=60)
    wait_for(broker_idle, 30, "the broker to be empty")
    assert set(box.starts().values()) == {1}  # no (job, slot) started twice
    rows = ledger_history(box.engine, limit=100)
    assert {row.result.get("worker", "")[:3] for row in rows if row.status == "succeeded"} <= {"w1@", "w2@"}
