"""`serve` in this process: APScheduler on the wall clock, catch-up on start, stepping down on a lost lock."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import text

from scheduling.service import LabourScheduler, build_scheduler
from store.runs.ledger import ledger_history
from tests.conftest import test_db_kind
from tests.scheduler.conftest import Sandbox, clear_of_the_hour

CHAIN = ("crawl:alpha", "score:alpha", "tasks:alpha")


def wait_until(predicate, timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


@contextmanager
def serving(scheduler: LabourScheduler) -> Iterator[list[str]]:
    """Run SCHEDULER.serve in a thread; stop it and wait for it on the way out."""
    states: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(target=scheduler.serve, args=(stop, states.append), daemon=True)
    thread.start()
    try:
        yield states
    finally:
        stop.set()
        thread.join(timeout=30)
        assert not thread.is_alive()


def test_serve_catches_up_the_missed_slot_once_at_start(sandbox: Sandbox) -> None:
    sandbox.add_source("alpha", "0 * * * *")  # hourly: its newest slot is at most an hour old
    clear_of_the_hour(120)  # the next hour's slot must not come due while the test looks for one
    scheduler = build_scheduler(sandbox.settings(schedule_misfire_grace_s=3600), engine=sandbox.engine)
    with serving(scheduler) as states:
        wait_until(lambda: len(sandbox.done()) == 3)
        time.sleep(1.0)  # further sweeps (every 0.2 s) must find nothing to do
    assert states[0].startswith("active scheduler")
    assert sorted(job for job, _ in sandbox.done()) == sorted(CHAIN)
    assert set(sandbox.done().values()) == {1}
    assert {r.status for r in ledger_history(sandbox.engine)} == {"succeeded"}


def test_serve_stops_a_running_job_and_leaves_it_for_a_retry(sandbox: Sandbox) -> None:
    sandbox.add_source("alpha", "0 * * * *")
    sandbox.sleep(30)
    clear_of_the_hour(120)  # one slot, the newest: the next hour's must not come due meanwhile
    scheduler = build_scheduler(sandbox.settings(schedule_stop_grace_s=0.5), engine=sandbox.engine)
    started = time.monotonic()
    with serving(scheduler):
        wait_until(lambda: sandbox.starts())
    assert time.monotonic() - started < 15  # the 30 s job was stopped, not waited for
    [row] = ledger_history(sandbox.engine)
    assert (row.job, row.status, row.result["interrupted"]) == ("crawl:alpha", "failed", True)
    assert row.error == "interrupted: the scheduler stopped" and row.result["retry_at"]


@pytest.mark.postgres
def test_a_leader_that_loses_its_database_connection_steps_down_and_is_elected_again(
    sandbox: Sandbox,
) -> None:
    if test_db_kind() != "postgresql":
        pytest.skip("the advisory lock is PostgreSQL's")
    scheduler = build_scheduler(sandbox.settings(), engine=sandbox.engine)
    with serving(scheduler) as states:
        wait_until(lambda: any(s.startswith("active") for s in states))
        with sandbox.engine.connect() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name LIKE :n AND pid <> pg_backend_pid()"
                ),
                {"n": "labourwatch-scheduler%"},
            )
        wait_until(lambda: "lost the scheduler lock; back to standby" in states)
        wait_until(lambda: sum(s.startswith("active") for s in states) == 2)
    assert scheduler.election.holder() is None  # released on the way out
