"""Real scheduler processes: SIGKILL mid-cycle and restart, two schedulers at once, `schedule start` and the CLI.

The jobs are the recorder stand-in (tests/scheduler/recorder.py); times are an explicit list of instants
(slot_runner.py) except for `schedule start`, which runs on the wall clock with a once-a-second cron.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from store.runs.ledger import ledger_history
from store.settings.scheduler import SCHEDULE_COMMANDS
from tests.scheduler.conftest import RECORDER, ROOT, SLOT_RUNNER, Sandbox

pytestmark = pytest.mark.slow
CHAIN = ("crawl:alpha", "score:alpha", "tasks:alpha")
TIMES = [f"2026-06-01T{hour:02d}:00:30+00:00" for hour in range(10, 15)]
SLOTS = [t.replace(":30+", ":00+") for t in TIMES]


def wait_for(predicate: Callable[[], object], timeout: float = 30.0, what: str = "condition") -> None:
    """Poll PREDICATE until true; fail the test after TIMEOUT seconds."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.02)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


class Proc:
    """A child process whose output goes to a file the test can read while it runs."""

    def __init__(self, argv: list[str], env: dict[str, str], out: Path) -> None:
        self.out = out
        self._handle = out.open("w")
        self.popen = subprocess.Popen(argv, env=env, stdout=self._handle, stderr=subprocess.STDOUT, cwd=ROOT)

    def text(self) -> str:
        return self.out.read_text()

    def finish(self, timeout: float = 60) -> int:
        try:
            return self.popen.wait(timeout=timeout)
        finally:
            self._handle.close()

    def kill(self) -> None:
        if self.popen.poll() is None:
            self.popen.kill()
        self.finish()


@pytest.fixture
def procs():
    started: list[Proc] = []
    yield started
    for proc in started:  # never leave a scheduler running into the next test
        proc.kill()


def slot_runner(
    sandbox: Sandbox, procs: list[Proc], label: str, times: list[str] = TIMES, **settings: object
) -> Proc:
    argv = [sys.executable, str(SLOT_RUNNER), *times]
    proc = Proc(argv, sandbox.environ(**settings), sandbox.root / f"{label}.out")
    procs.append(proc)
    return proc


def pid_gone(pid: int) -> bool:
    """True when PID no longer runs: it is gone, or a zombie (killed, not yet reaped by init)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:  # an orphan's zombie waits for init, which reaps it when it gets round to it
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[0] == "Z"


def started_pid(sandbox: Sandbox, job: str, slot: str) -> int | None:
    pids = [int(r[3]) for r in sandbox.records() if r[0] == "start" and (r[1], r[2]) == (job, slot)]
    return pids[0] if pids else None


def assert_every_slot_done_once(sandbox: Sandbox) -> None:
    assert sandbox.done() == {(job, slot): 1 for job in CHAIN for slot in SLOTS}
    rows = ledger_history(sandbox.engine, limit=100)
    assert len(rows) == len(CHAIN) * len(SLOTS) and {r.status for r in rows} == {"succeeded"}


def test_sigkill_mid_cycle_then_restart_runs_every_slot_exactly_once(sandbox: Sandbox, procs) -> None:
    sandbox.add_source("alpha", "0 * * * *")
    sandbox.sleep(0.4)
    first = slot_runner(sandbox, procs, "first")
    wait_for(lambda: started_pid(sandbox, "crawl:alpha", SLOTS[2]), what="the third crawl to start")
    first.popen.send_signal(signal.SIGKILL)
    first.finish()
    victim = started_pid(sandbox, "crawl:alpha", SLOTS[2])
    assert victim is not None
    wait_for(lambda: pid_gone(victim), timeout=5, what="the orphaned job to die with its scheduler")
    assert ("crawl:alpha", SLOTS[2]) not in sandbox.done()

    second = slot_runner(sandbox, procs, "second")
    assert second.finish() == 0, second.text()
    assert_every_slot_done_once(sandbox)
    assert sandbox.starts()[("crawl:alpha", SLOTS[2])] == 2  # the killed attempt, then its retry
    crashed = next(r for r in ledger_history(sandbox.engine, job="crawl:alpha") if r.slot.hour == 12)
    assert crashed.attempts == 2 and "is no longer running" in crashed.result["previous_error"]


def _diagnose(sandbox: Sandbox, *procs: Proc) -> str:
    """What the runners printed, the recorder's log and the ledger: why a slot went missing."""
    rows = ledger_history(sandbox.engine, limit=100)
    ledger = "\n".join(
        f"{r.job} {r.slot} {r.status} x{r.attempts} {r.owner} {r.error} {r.result}" for r in rows
    )
    outputs = "\n".join(proc.text() for proc in procs)
    records = "\n".join(" ".join(r) for r in sandbox.records())
    return f"\n--- runners\n{outputs}\n--- records\n{records}\n--- ledger\n{ledger}"


def test_a_grandchild_left_by_a_killed_scheduler_is_killed_before_the_retry(sandbox: Sandbox, procs) -> None:
    sandbox.add_source("alpha", "0 * * * *")
    # The orphan must outlive the second scheduler's start-up however loaded the machine is: a short
    # sleep let it finish on its own first (its "done" doubled the slot and its kill went untested).
    sandbox.sleep(120, "crawl:alpha", SLOTS[1])
    # like `labourwatch crawl`, which runs the spider in a child process of its own
    wrapper = f"{{python}} -c 'import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:]))' {{python}} {RECORDER} {sandbox.root} {{job}} {{slot}}"
    commands = {key: [f"{{python}} {RECORDER} {sandbox.root} {{job}} {{slot}}"] for key in SCHEDULE_COMMANDS}
    settings = {"schedule_commands": commands | {"crawl": [wrapper]}}
    first = slot_runner(sandbox, procs, "first", TIMES[:3], **settings)
    wait_for(lambda: started_pid(sandbox, "crawl:alpha", SLOTS[1]), what="the second crawl to start")
    first.popen.send_signal(signal.SIGKILL)
    first.finish()
    grandchild = started_pid(sandbox, "crawl:alpha", SLOTS[1])
    assert grandchild is not None
    try:
        time.sleep(0.3)
        assert not pid_gone(grandchild)  # the wrapper died with the scheduler; the grandchild did not
        sandbox.sleep(0.4, "crawl:alpha")  # the retry crawls briefly; the orphan read its 120 s already

        second = slot_runner(sandbox, procs, "second", TIMES[:3], **settings)
        assert second.finish() == 0, second.text()
        assert pid_gone(grandchild), _diagnose(sandbox, first, second)
        killed = next(line for line in second.text().splitlines() if "killed leftover processes" in line)
        assert str(grandchild) in killed.partition("[")[2].partition("]")[0].split(", "), second.text()
        assert sandbox.done() == {(job, slot): 1 for job in CHAIN for slot in SLOTS[:3]}, _diagnose(
            sandbox, first, second
        )
        assert sandbox.starts()[("crawl:alpha", SLOTS[1])] == 2
    finally:
        if not pid_gone(grandchild):  # never leave the orphan sleeping into the next test
            os.kill(grandchild, signal.SIGKILL)


def test_two_schedulers_one_runs_and_the_standby_takes_over(sandbox: Sandbox, procs) -> None:
    sandbox.add_source("alpha", "0 * * * *")
    sandbox.sleep(0.4)
    a, b = slot_runner(sandbox, procs, "a"), slot_runner(sandbox, procs, "b")
    wait_for(
        lambda: "elected" in a.text() + b.text() and "standby" in a.text() + b.text(), what="an election"
    )
    leader, standby = (a, b) if "elected" in a.text() else (b, a)
    wait_for(lambda: started_pid(sandbox, "crawl:alpha", SLOTS[2]), what="the third crawl to start")
    assert "elected" not in standby.text()
    leader.popen.send_signal(signal.SIGKILL)
    leader.finish()
    assert standby.finish() == 0, standby.text()
    assert_every_slot_done_once(sandbox)
    leader_owner = leader.text().split("elected ")[1].split()[0]
    standby_owner = standby.text().split("elected ")[1].split()[0]
    owners = {r.slot.hour: r.owner for r in ledger_history(sandbox.engine, job="crawl:alpha")}
    assert owners == {
        10: leader_owner,
        11: leader_owner,
        12: standby_owner,
        13: standby_owner,
        14: standby_owner,
    }


def cli(sandbox: Sandbox, *args: str) -> subprocess.CompletedProcess[str]:
    env = sandbox.environ(schedule_retry_max_attempts=1) | {"COLUMNS": "250"}
    argv = [sys.executable, "-m", "labourwatch", "schedule", *args]
    return subprocess.run(argv, env=env, capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_schedule_run_list_and_history(sandbox: Sandbox) -> None:
    sandbox.add_source("alpha", "0 * * * *")
    ran = cli(sandbox, "run", "crawl:alpha")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert [line.split()[0] for line in ran.stdout.splitlines()] == list(CHAIN)
    assert "succeeded" in ran.stdout
    sandbox.fail("audit")
    for _ in range(3):
        assert cli(sandbox, "run", "audit").returncode == 1
    listing = cli(sandbox, "list").stdout
    audit_line = next(line for line in listing.splitlines() if " audit " in line)
    assert "FAILING (3)" in audit_line and "failed, gave up" in audit_line
    crawl_line = next(line for line in listing.splitlines() if "crawl:alpha" in line)
    assert "0 * * * *" in crawl_line and "succeeded" in crawl_line and "FAILING" not in crawl_line
    assert "active scheduler: none running" in listing
    history = cli(sandbox, "history", "--job", "audit", "--limit", "2").stdout
    assert history.count("exit code 3") == 2 and "crawl:alpha" not in history
    assert "audit is FAILING: its last 3 slots failed" in history
    unknown = cli(sandbox, "run", "crawl:nope")
    assert unknown.returncode == 1 and "unknown job 'crawl:nope'" in unknown.stderr


def test_schedule_start_runs_on_the_clock_and_stops_cleanly(sandbox: Sandbox, procs) -> None:
    sandbox.add_source("alpha", "* * * * * *")  # every second
    sandbox.sleep(0.1)
    argv = [sys.executable, "-m", "labourwatch", "schedule", "start"]
    env = sandbox.environ(schedule_misfire_grace_s=5)
    first = Proc(argv, env, sandbox.root / "first.out")
    procs.append(first)
    wait_for(lambda: "active scheduler" in first.text(), what="the first scheduler to be elected")
    second = Proc(argv, env, sandbox.root / "second.out")
    procs.append(second)
    wait_for(lambda: "standby" in second.text(), what="the second scheduler to wait as standby")
    wait_for(lambda: sum(job == "tasks:alpha" for job, _ in sandbox.done()) >= 2, what="two whole chains")

    first.popen.send_signal(signal.SIGTERM)
    assert first.finish(timeout=30) == 0, first.text()
    assert "scheduler stopped" in first.text()
    stopped_at = time.time()
    wait_for(lambda: "active scheduler" in second.text(), what="the standby to take over")
    wait_for(
        lambda: any(_epoch(slot) > stopped_at for job, slot in sandbox.done() if job == "tasks:alpha"),
        what="a chain run by the new leader",
    )
    # a chain the old leader's stop cut short (crawl done, no score yet) is finished by the new one
    wait_for(lambda: not _unscored_crawls(sandbox, before=stopped_at), what="cut chains to be completed")
    second.popen.send_signal(signal.SIGTERM)
    assert second.finish(timeout=30) == 0, second.text()

    assert set(sandbox.done().values()) == {1}  # no (job, slot) ever ran twice
    rows = ledger_history(sandbox.engine, limit=1000)
    assert not [r for r in rows if r.status == "running"]  # a clean stop leaves nothing claimed
    assert not [r for r in rows if r.status == "failed" and not r.result.get("interrupted")]


def _unscored_crawls(sandbox: Sandbox, *, before: float) -> set:
    rows = ledger_history(sandbox.engine, limit=1000)
    crawled = {r.slot for r in rows if r.job == "crawl:alpha" and r.status == "succeeded"}
    return {slot for slot in crawled if slot.timestamp() < before} - {
        r.slot for r in rows if r.job == "score:alpha"
    }


def _epoch(iso: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(iso).timestamp()
