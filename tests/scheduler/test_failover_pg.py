"""Two real `labourwatch schedule start` processes on one PostgreSQL database: the leader is SIGKILLed.

The standby holds no lock until the leader's session ends (PostgreSQL frees the advisory lock when the
killed process's connection closes); it must then take over within 60 s, recover the run the leader was in
the middle of, and go on scheduling, with no (job, slot) completed twice. Jobs are the recorder stand-in
(tests/scheduler/recorder.py) on a cron line that fires every second, on the wall clock.
"""

from __future__ import annotations

import signal
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from store.runs.ledger import LedgerRow, ledger_history
from tests.conftest import AUDIT_TEST_KEY, clean_tables
from tests.scheduler.conftest import Sandbox, migrated_pg_engine
from tests.scheduler.test_processes import Proc, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
TAKEOVER_LIMIT_S = 60


@pytest.fixture(scope="module")
def pg_engine() -> Iterator[Engine]:
    yield from migrated_pg_engine("lw_failover")


@pytest.fixture
def box(tmp_path: Path, pg_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    monkeypatch.setenv("LABOURWATCH_AUDIT_KEY", AUDIT_TEST_KEY)
    yield Sandbox(tmp_path, pg_engine.url.render_as_string(hide_password=False), pg_engine)
    clean_tables(pg_engine)


@pytest.fixture
def procs() -> Iterator[list[Proc]]:
    started: list[Proc] = []
    yield started
    for proc in started:  # never leave a scheduler running into the next test
        proc.kill()


def _owner(output: str) -> str:
    """The owner id a scheduler printed when it was elected ("active scheduler HOST:PID:TAG: ...")."""
    return output.split("active scheduler ", 1)[1].split(": ", 1)[0]


def _diagnose(box: Sandbox, *procs: Proc) -> str:
    twice = {key for key, n in box.starts().items() if n > 1}
    records = "\n".join(" ".join(r) for r in box.records() if (r[1], r[2]) in twice)
    rows = [r for r in ledger_history(box.engine, limit=1000) if (r.job, r.slot.isoformat()) in twice]
    ledger = "\n".join(
        f"{r.job} {r.slot} {r.status} x{r.attempts} {r.owner} {r.error} {r.result}" for r in rows
    )
    return f"\n--- records\n{records}\n--- ledger\n{ledger}\n--- output\n" + "\n".join(
        p.text() for p in procs
    )


def _epoch(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()


def _running(box: Sandbox) -> list[LedgerRow]:
    return [r for r in ledger_history(box.engine, limit=50) if r.status == "running"]


def test_the_standby_takes_over_within_a_minute_of_a_sigkilled_leader_and_no_slot_runs_twice(
    box: Sandbox, procs: list[Proc]
) -> None:
    box.add_source("alpha", "* * * * * *")  # every second
    box.sleep(0.2, "crawl:alpha")
    argv = [sys.executable, "-m", "labourwatch", "schedule", "start"]
    env = box.environ(schedule_misfire_grace_s=5)
    leader = Proc(argv, env, box.root / "a.out")
    procs.append(leader)
    wait_for(lambda: "active scheduler" in leader.text(), what="the first scheduler to be elected")
    standby = Proc(argv, env, box.root / "b.out")
    procs.append(standby)
    wait_for(lambda: "standby" in standby.text(), what="the second scheduler to wait as standby")
    wait_for(lambda: sum(job == "tasks:alpha" for job, _ in box.done()) >= 2, what="two chains by the leader")
    assert "active scheduler" not in standby.text()  # one leads at a time

    # The kill must land mid-job, not in the instant between a job's end and the ledger's `succeeded`
    # (a job killed there has done its work and is run again: docs/scheduler.md, "Known limits"; an earlier
    # version of this test, killing at random, hit that with a tasks job). So: the next crawl sleeps a
    # minute, and the leader is killed once that crawl is the only run it has.
    long_from = datetime.now(UTC)
    box.sleep(60, "crawl:alpha")

    def only_a_long_crawl_runs() -> bool:
        running = _running(box)
        if len(running) != 1 or running[0].job != "crawl:alpha" or running[0].started_at <= long_from:
            return False
        return box.starts()[("crawl:alpha", running[0].slot.isoformat())] == 1  # its child is sleeping

    wait_for(only_a_long_crawl_runs, TAKEOVER_LIMIT_S, "a long crawl to be the leader's only run")
    [victim] = _running(box)
    box.sleep(0.2, "crawl:alpha")  # crawls after the kill are short again
    leader.popen.send_signal(signal.SIGKILL)
    killed_at, killed_wall = time.monotonic(), time.time()
    leader.finish()
    wait_for(lambda: "active scheduler" in standby.text(), TAKEOVER_LIMIT_S, "the standby to take over")
    takeover_s = time.monotonic() - killed_at
    assert takeover_s < TAKEOVER_LIMIT_S
    wait_for(
        lambda: any(_epoch(slot) > killed_wall for job, slot in box.done() if job == "tasks:alpha"),
        TAKEOVER_LIMIT_S,
        "a whole chain scheduled by the new leader",
    )
    standby.popen.send_signal(signal.SIGTERM)
    assert standby.finish(timeout=60) == 0, standby.text()

    assert set(box.done().values()) == {1}, _diagnose(box, leader, standby)  # none ran to the end twice
    rows = {(r.job, r.slot.isoformat()): r for r in ledger_history(box.engine, limit=1000)}
    leader_owner, standby_owner = _owner(leader.text()), _owner(standby.text())
    assert leader_owner != standby_owner
    assert not [r for r in rows.values() if r.status == "running"]  # the dead leader's run was recovered
    [crashed] = [r for r in rows.values() if r.result.get("crashed_owner") == leader_owner]
    assert (crashed.job, crashed.slot) == (victim.job, victim.slot)
    key = (crashed.job, crashed.slot.isoformat())
    assert key not in box.done() or crashed.attempts == 2  # it never finished under the dead leader
    if crashed.status == "succeeded":  # retried once by the new leader (started twice, done once)
        assert crashed.attempts == 2 and crashed.owner == standby_owner and box.starts()[key] == 2
        assert "is no longer running" in crashed.result["previous_error"]
    else:  # or superseded by a newer slot of the same job (an older failure is not retried)
        assert (
            crashed.attempts == 1 and box.starts()[key] == 1 and "is no longer running" in str(crashed.error)
        )
    assert all(n == 1 for k, n in box.starts().items() if k != key), _diagnose(box, leader, standby)
    others = [r for r in rows.values() if r is not crashed]
    assert {r.owner for r in others} == {leader_owner, standby_owner}
    failed = [r for r in others if r.status == "failed"]
    assert all(r.result.get("interrupted") for r in failed), failed  # only the standby's own clean stop
    print(f"takeover after SIGKILL: {takeover_s:.2f} s")
