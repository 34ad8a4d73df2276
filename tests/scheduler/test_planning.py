"""Scheduler planning and the ledger, in one process with explicit times (no real waiting)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select, text

from crawlers.config.load import load_source_schedules
from scheduling.election import FileLockElection
from scheduling.jobs import job_specs
from scheduling.service import build_scheduler
from scheduling.triggers import latest_slot
from store.cron import crontab_trigger
from store.models import JobRun
from store.runs.ledger import JOB_RUN, LedgerRow, failing_streak, ledger_history
from tests.scheduler.conftest import FakeClock, Sandbox, at

CHAIN = ("crawl:alpha", "score:alpha", "tasks:alpha")


def ledger(engine) -> list[tuple[str, datetime, str, int]]:
    with engine.connect() as connection:
        rows = connection.execute(select(JOB_RUN.c.job, JOB_RUN.c.slot, JOB_RUN.c.status, JOB_RUN.c.attempts))
        return sorted(tuple(row) for row in rows)


def test_crontab_reads_sunday_as_zero_and_accepts_seconds() -> None:
    sunday = crontab_trigger("0 9 * * 0", "UTC").get_next_fire_time(None, at("2026-06-01 00:00"))
    assert sunday == at("2026-06-07 09:00")  # 2026-06-07 is a Sunday
    weekdays = crontab_trigger("30 8 * * 1-5", "UTC").get_next_fire_time(None, at("2026-06-06 00:00"))
    assert weekdays == at("2026-06-08 08:30")  # Saturday -> Monday
    every_two_seconds = crontab_trigger("*/2 * * * * *", "UTC")
    assert every_two_seconds.get_next_fire_time(None, at("2026-06-01 00:00:01")) == at("2026-06-01 00:00:02")
    with pytest.raises(ValueError, match="cron"):
        crontab_trigger("61 * * * *", "UTC")


def test_cron_is_read_in_the_configured_time_zone() -> None:
    shanghai = crontab_trigger("0 2 * * *", "Asia/Shanghai").get_next_fire_time(None, at("2026-06-01 00:00"))
    assert shanghai.astimezone(UTC) == at("2026-06-01 18:00")


def test_latest_slot_coalesces_missed_fires_within_the_grace() -> None:
    hourly = crontab_trigger("0 * * * *", "UTC")
    assert latest_slot(hourly, at("2026-06-01 13:20"), timedelta(hours=4)) == at("2026-06-01 13:00")
    assert latest_slot(hourly, at("2026-06-01 13:20"), timedelta(minutes=10)) is None
    assert latest_slot(hourly, at("2026-06-01 13:00"), timedelta(minutes=1)) == at("2026-06-01 13:00")


def test_sources_become_crawl_score_tasks_chains(sandbox: Sandbox) -> None:
    sandbox.add_source("alpha", "0 * * * *")
    sandbox.add_source("beta", "*/30 * * * *", enabled=False)
    (sandbox.sources / "gamma.toml").write_text('[source]\nname = "gamma"\nschedule = "5 4 * * *"\n')
    (sandbox.sources / "nosched.toml").write_text('name = "nosched"\n')
    assert load_source_schedules(sandbox.sources) == [("alpha", "0 * * * *"), ("gamma", "5 4 * * *")]
    specs = job_specs(sandbox.settings())
    assert specs["crawl:alpha"].then == "score:alpha" and specs["score:alpha"].then == "tasks:alpha"
    assert specs["score:alpha"].cron is None and specs["crawl:gamma"].cron == "5 4 * * *"
    assert {"evaluate", "retention", "audit", "drift"} <= set(specs) and "crawl:beta" not in specs


def test_a_slot_runs_once_however_often_it_is_ticked(sandbox: Sandbox) -> None:
    sandbox.add_source("alpha", "0 * * * *")
    clock = FakeClock(at("2026-06-01 10:00:30"))
    first = build_scheduler(sandbox.settings(), engine=sandbox.engine, clock=clock)
    second = build_scheduler(sandbox.settings(), engine=sandbox.engine, clock=clock)
    results = first.tick(clock.now)
    assert [(r.job, r.status) for r in results] == [(job, "succeeded") for job in CHAIN]
    assert first.tick(clock.now) == [] and second.tick(clock.now) == []
    slot = "2026-06-01T10:00:00+00:00"
    assert sandbox.done() == {(job, slot): 1 for job in CHAIN}
    assert ledger(first.engine) == [(job, at("2026-06-01 10:00"), "succeeded", 1) for job in sorted(CHAIN)]


def test_a_failed_crawl_stops_the_chain_and_backs_off(sandbox: Sandbox) -> None:
    sandbox.add_source("alpha", "0 * * * *")
    sandbox.fail("crawl:alpha")
    clock = FakeClock(at("2026-06-01 10:00:05"))
    scheduler = build_scheduler(sandbox.settings(), engine=sandbox.engine, clock=clock)
    [result] = scheduler.tick(clock.now)
    assert result.status == "failed" and "exit code 3" in result.error and "told to fail" in result.error
    row = ledger_history(scheduler.engine, job="crawl:alpha")[0]
    assert datetime.fromisoformat(row.result["retry_at"]) == at("2026-06-01 10:01:05")  # base 60 s
    clock.now = at("2026-06-01 10:00:50")
    assert scheduler.tick(clock.now) == []  # still backing off
    clock.now = at("2026-06-01 10:01:06")
    [retry] = scheduler.tick(clock.now)
    assert (retry.attempts, retry.status) == (2, "failed")
    row = ledger_history(scheduler.engine, job="crawl:alpha")[0]
    assert datetime.fromisoformat(row.result["retry_at"]) == at("2026-06-01 10:03:06")  # doubled: 120 s
    sandbox.fail("crawl:alpha", failing=False)
    clock.now = at("2026-06-01 10:03:10")
    assert [(r.job, r.attempts, r.status) for r in scheduler.tick(clock.now)] == [
        ("crawl:alpha", 3, "succeeded"),
        ("score:alpha", 1, "succeeded"),
        ("tasks:alpha", 1, "succeeded"),
    ]
    assert ledger_history(scheduler.engine, job="crawl:alpha")[0].error is None


def test_a_job_that_keeps_failing_gives_up_and_shows_its_streak(sandbox: Sandbox) -> None:
    sandbox.add_source("alpha", "0 * * * *")
    sandbox.fail("crawl:alpha")
    clock = FakeClock(at("2026-06-01 10:00:00"))
    settings = sandbox.settings(schedule_retry_max_attempts=2, schedule_retry_base_s=10)
    scheduler = build_scheduler(settings, engine=sandbox.engine, clock=clock)
    for moment in ["10:00:00", "10:00:11", "10:00:40", "11:00:00", "11:00:11", "12:00:00", "12:00:11"]:
        clock.now = at(f"2026-06-01 {moment}")
        scheduler.tick(clock.now)
    rows = ledger_history(scheduler.engine, job="crawl:alpha")
    assert [(r.slot.hour, r.attempts, r.result.get("gave_up")) for r in rows] == [
        (12, 2, True),
        (11, 2, True),
        (10, 2, True),
    ]
    assert failing_streak(rows) == 3
    assert sandbox.starts()[("crawl:alpha", "2026-06-01T10:00:00+00:00")] == 2  # no third attempt


def test_failing_streak_counts_failed_slots_but_not_stops_or_running_ones() -> None:
    def row(status: str, **result: object) -> LedgerRow:
        slot = at("2026-06-01 10:00")
        return LedgerRow(0, "audit", slot, status, 1, slot, None, "o", None, dict(result))

    rows = [
        row("running"),
        row("failed"),
        row("failed", interrupted=True),
        row("failed"),
        row("succeeded"),
        row("failed"),
    ]
    assert failing_streak(rows) == 2
    assert failing_streak([row("succeeded"), row("failed")]) == 0 and failing_streak([]) == 0


def test_an_old_failure_is_not_retried_once_a_newer_slot_ran(sandbox: Sandbox) -> None:
    sandbox.add_source("alpha", "0 * * * *")
    sandbox.fail("crawl:alpha")
    clock = FakeClock(at("2026-06-01 10:59:59"))
    scheduler = build_scheduler(
        sandbox.settings(schedule_retry_base_s=3600), engine=sandbox.engine, clock=clock
    )
    scheduler.tick(clock.now)  # 10:00 fails, retry due at 11:59:59
    sandbox.fail("crawl:alpha", failing=False)
    clock.now = at("2026-06-01 12:00:30")
    assert [r.slot for r in scheduler.tick(clock.now) if r.job == "crawl:alpha"] == [at("2026-06-01 12:00")]
    assert scheduler.tick(clock.now) == []


def test_catch_up_runs_the_newest_missed_slot_once(sandbox: Sandbox) -> None:
    sandbox.add_source("alpha", "0 * * * *")
    clock = FakeClock(at("2026-06-01 10:00:10"))
    settings = sandbox.settings(schedule_misfire_grace_s=4 * 3600)
    scheduler = build_scheduler(settings, engine=sandbox.engine, clock=clock)
    scheduler.tick(clock.now)
    clock.now = at("2026-06-01 13:20")  # down from 10:00 to 13:20: 11:00, 12:00, 13:00 were missed
    restarted = build_scheduler(settings, engine=sandbox.engine, clock=clock)
    assert {(r.job, r.slot) for r in restarted.tick(clock.now)} == {
        (job, at("2026-06-01 13:00")) for job in CHAIN
    }
    assert restarted.tick(clock.now) == []
    crawl_slots = sorted(slot for job, slot in sandbox.done() if job == "crawl:alpha")
    assert crawl_slots == ["2026-06-01T10:00:00+00:00", "2026-06-01T13:00:00+00:00"]


def test_a_slot_older_than_the_grace_is_not_caught_up(sandbox: Sandbox) -> None:
    sandbox.add_source("alpha", "0 * * * *")
    clock = FakeClock(at("2026-06-01 13:20"))
    scheduler = build_scheduler(
        sandbox.settings(schedule_misfire_grace_s=600), engine=sandbox.engine, clock=clock
    )
    assert scheduler.tick(clock.now) == []
    assert scheduler.next_run("crawl:alpha", clock.now) == at("2026-06-01 14:00")


def _insert_running(engine, job: str, slot: datetime, owner: str, heartbeat: datetime) -> None:
    with engine.begin() as connection:
        connection.execute(
            insert(JOB_RUN).values(
                job=job,
                slot=slot,
                status="running",
                attempts=1,
                started_at=heartbeat,
                owner=owner,
                result={"heartbeat_at": heartbeat.isoformat()},
            )
        )


def test_a_run_whose_owner_died_is_retried(sandbox: Sandbox) -> None:
    import socket

    sandbox.add_source("alpha", "0 * * * *")
    clock = FakeClock(at("2026-06-01 10:00:20"))
    scheduler = build_scheduler(sandbox.settings(), engine=sandbox.engine, clock=clock)
    _insert_running(
        scheduler.engine,
        "crawl:alpha",
        at("2026-06-01 10:00"),
        f"{socket.gethostname()}:999999:dead",
        clock.now,
    )
    results = scheduler.tick(clock.now)
    assert (results[0].job, results[0].attempts, results[0].status) == ("crawl:alpha", 2, "succeeded")
    row = ledger_history(scheduler.engine, job="crawl:alpha")[0]
    assert row.result["crashed_owner"].endswith(":999999:dead") and row.owner == scheduler.owner
    assert "is no longer running" in row.result["previous_error"]


def test_a_run_on_another_host_is_retried_only_when_its_heartbeat_is_stale(sandbox: Sandbox) -> None:
    sandbox.add_source("alpha", "0 * * * *")
    clock = FakeClock(at("2026-06-01 10:00:30"))
    scheduler = build_scheduler(
        sandbox.settings(schedule_stale_after_s=60), engine=sandbox.engine, clock=clock
    )
    _insert_running(
        scheduler.engine, "crawl:alpha", at("2026-06-01 10:00"), "elsewhere:42:abc", at("2026-06-01 10:00:10")
    )
    assert scheduler.tick(clock.now) == []  # heartbeat 20 s old: alive
    clock.now = at("2026-06-01 10:01:30")
    assert [r.attempts for r in scheduler.tick(clock.now)][:1] == [2]
    row = ledger_history(scheduler.engine, job="crawl:alpha")[0]
    assert row.result["previous_error"].startswith("crashed: no heartbeat from elsewhere:42:abc")


def test_a_scheduler_never_takes_over_a_run_it_is_still_running(sandbox: Sandbox) -> None:
    sandbox.add_source("alpha", "0 * * * *")
    clock = FakeClock(at("2026-06-01 10:30:00"))
    scheduler = build_scheduler(
        sandbox.settings(schedule_stale_after_s=60), engine=sandbox.engine, clock=clock
    )
    _insert_running(
        scheduler.engine, "crawl:alpha", at("2026-06-01 10:00"), scheduler.owner, at("2026-06-01 10:00")
    )
    with scheduler._job_locks["crawl:alpha"]:  # its thread is busy with the run (heartbeats delayed)
        assert [w.job for w in scheduler.plan(clock.now)] == []
    assert ledger_history(scheduler.engine)[0].status == "running"
    [work] = scheduler.plan(clock.now)  # nothing holds it any more: it is a crashed run
    assert (work.job, work.retry.error[:20]) == ("crawl:alpha", "crashed: no heartbea")


def test_a_chain_step_lost_in_a_crash_is_run_later(sandbox: Sandbox) -> None:
    sandbox.add_source("alpha", "0 * * * *")
    clock = FakeClock(at("2026-06-01 10:30"))
    scheduler = build_scheduler(
        sandbox.settings(schedule_misfire_grace_s=60), engine=sandbox.engine, clock=clock
    )
    slot = at("2026-06-01 10:00")
    with scheduler.engine.begin() as connection:
        connection.execute(
            insert(JOB_RUN).values(
                job="crawl:alpha",
                slot=slot,
                status="succeeded",
                attempts=1,
                started_at=slot,
                owner="x",
                result={},
            )
        )
    assert [(r.job, r.slot) for r in scheduler.tick(clock.now)] == [
        ("score:alpha", slot),
        ("tasks:alpha", slot),
    ]


def test_a_job_over_its_time_limit_is_killed_and_recorded(sandbox: Sandbox) -> None:
    sandbox.sleep(30)
    clock = FakeClock(at("2026-06-01 03:30:05"))
    settings = sandbox.settings(schedule_audit_cron="30 3 * * *", schedule_timeouts_s={"audit": 1})
    scheduler = build_scheduler(settings, engine=sandbox.engine, clock=clock)
    started = datetime.now(UTC)
    [result] = scheduler.tick(clock.now)
    assert datetime.now(UTC) - started < timedelta(seconds=10)
    assert result.status == "failed" and result.error.startswith("timeout")


def test_a_missing_command_is_a_clear_failure(sandbox: Sandbox) -> None:
    commands = {
        "retention": ["{python} -m labourwatch retention no-such-step"],
        "audit": ["/nonexistent/lw-audit"],
    }
    clock = FakeClock(at("2026-06-01 03:00:00"))
    settings = sandbox.settings(
        schedule_commands=commands, schedule_retention_cron="0 3 * * *", schedule_audit_cron="0 3 * * *"
    )
    results = {
        r.job: r for r in build_scheduler(settings, engine=sandbox.engine, clock=clock).tick(clock.now)
    }
    assert "exit code 2" in results["retention"].error and "No such command" in results["retention"].error
    assert results["audit"].error.startswith("cannot start `/nonexistent/lw-audit`")


def test_run_now_uses_a_manual_slot_and_the_chain(sandbox: Sandbox) -> None:
    sandbox.add_source("alpha", "0 * * * *")
    clock = FakeClock(at("2026-06-01 10:17:42.5"))
    scheduler = build_scheduler(sandbox.settings(), engine=sandbox.engine, clock=clock)
    assert [(r.job, r.slot) for r in scheduler.run_now("crawl:alpha")] == [(job, clock.now) for job in CHAIN]
    assert scheduler.run_now("crawl:alpha") == []  # same instant: the ledger refuses a second run
    assert ledger_history(scheduler.engine, job="crawl:alpha")[0].result["manual"] is True
    with pytest.raises(KeyError):
        scheduler.run_now("crawl:nope")


def test_only_one_holder_of_the_lock_file(tmp_path) -> None:
    path = tmp_path / "db.scheduler.lock"
    first, second = FileLockElection(path, "host:1:a"), FileLockElection(path, "host:2:b")
    assert first.try_acquire() and not second.try_acquire()
    assert second.holder() == "host:1:a"
    first.release()
    assert first.holder() is None and second.try_acquire()
    second.release()


def test_one_scheduler_elected_on_the_database(sandbox: Sandbox) -> None:
    first = build_scheduler(sandbox.settings(), engine=sandbox.engine)
    second = build_scheduler(sandbox.settings(), engine=sandbox.engine)
    try:
        assert first.election.try_acquire() and not second.election.try_acquire()
        assert second.election.holder() == first.owner and first.election.still_held()
        first.election.release()
        assert second.election.try_acquire()
    finally:
        first.election.release()
        second.election.release()
    if sandbox.engine.dialect.name == "postgresql":  # no pooled session keeps the scheduler's name
        with sandbox.engine.connect() as connection:
            named = (
                "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'labourwatch-scheduler%'"
            )
            assert connection.execute(text(named)).scalar() == 0


def test_ledger_row_model_matches(sandbox: Sandbox) -> None:
    assert JOB_RUN is JobRun.__table__  # the ledger is the store's job_run table, nothing of our own
