"""The scheduler sandbox keeps the upkeep jobs off the wall clock, whatever day the tests run.

The serve tests run APScheduler on the real clock with an hour's misfire grace. An upkeep job whose slot
fell within that hour (the weekly drift report on Monday 04:00, the monthly reports on the 1st) was caught
up beside the source's chain and failed them on those mornings only.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from scheduling.jobs import job_specs
from scheduling.triggers import latest_slot, next_fire
from store.cron import crontab_trigger
from tests.scheduler.conftest import UPKEEP_CRONS, Sandbox, far_away_cron

# The widest misfire grace a test here uses is an hour; the settings allow a week.
MARGIN = timedelta(days=60)


def test_the_far_away_slot_is_months_from_every_day_of_the_year() -> None:
    for year in (2026, 2028):  # a leap year too
        day = date(year, 1, 1)
        while day.year == year:
            trigger = crontab_trigger(far_away_cron(day), "UTC")
            for now in (
                datetime(day.year, day.month, day.day, tzinfo=UTC),
                datetime(day.year, day.month, day.day, 23, 59, tzinfo=UTC),
            ):
                assert latest_slot(trigger, now, MARGIN) is None, (day, now)
                upcoming = next_fire(trigger, now)
                assert upcoming is not None and upcoming - now > MARGIN, (day, upcoming)
            day += timedelta(days=1)


def test_every_upkeep_job_of_the_sandbox_is_far_from_now(sandbox: Sandbox) -> None:
    settings = sandbox.settings()
    upkeep = [spec for spec in job_specs(settings).values() if not spec.source]
    assert {spec.name for spec in upkeep} == {"evaluate", "retention", "audit", "drift", "report"}
    assert {name.removeprefix("schedule_").removesuffix("_cron") for name in UPKEEP_CRONS} == {
        spec.kind for spec in upkeep
    }
    now = datetime.now(UTC)
    for spec in upkeep:
        assert spec.cron is not None
        trigger = crontab_trigger(spec.cron, settings.schedule_timezone)
        assert latest_slot(trigger, now, MARGIN) is None, spec.name
        upcoming = next_fire(trigger, now)
        assert upcoming is not None and upcoming - now > MARGIN, spec.name
