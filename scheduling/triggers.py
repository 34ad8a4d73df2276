"""Triggers: when a cron job's slots fall (the cron rule itself is store/cron.py, shared with source files)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any


def latest_slot(trigger: Any, now: datetime, grace: timedelta) -> datetime | None:
    """The newest fire time of TRIGGER in [now - grace, now] (older misses coalesce into it), or None."""
    window = timedelta(seconds=1)
    while True:  # widen the window by doubling so a once-a-second cron does not scan an hour of fires
        window = min(window, grace)
        slot = _last_fire_in(trigger, now - window, now)
        if slot is not None or window >= grace:
            return slot
        window *= 2


def _last_fire_in(trigger: Any, start: datetime, end: datetime) -> datetime | None:
    slot, candidate = None, trigger.get_next_fire_time(None, start)
    while candidate is not None and candidate <= end:
        slot = candidate
        candidate = trigger.get_next_fire_time(candidate, candidate + timedelta(microseconds=1))
    return slot.astimezone(UTC) if slot else None


def next_fire(trigger: Any, now: datetime) -> datetime | None:
    """The first fire time of TRIGGER after NOW, in UTC (None when it never fires again)."""
    fire = trigger.get_next_fire_time(None, now)
    return fire.astimezone(UTC) if fire else None
