"""The Redis transport options: a dead worker's job is swept back soon after its visibility timeout."""

from __future__ import annotations

from scheduling.engine import transport_options, visibility_timeout_s
from store.settings import Settings


def test_a_short_timeout_is_swept_every_second_and_every_sweep_scans() -> None:
    options = transport_options(Settings(broker_visibility_timeout_s=3))
    assert options == {"visibility_timeout": 3, "unacked_restore_interval": 1, "unacked_restore_throttle": 1}


def test_the_production_timeout_outlasts_every_job_and_is_swept_once_a_minute() -> None:
    settings = Settings()
    options = transport_options(settings)
    assert options["visibility_timeout"] == visibility_timeout_s(settings)
    assert options["visibility_timeout"] > max(settings.schedule_timeouts_s.values())
    assert options["unacked_restore_interval"] == 60 and options["unacked_restore_throttle"] == 1
