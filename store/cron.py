"""When a cron line is valid, and the trigger it means: one rule for source files and the scheduler."""

from __future__ import annotations

import re
from typing import Any

_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def crontab_trigger(expr: str, timezone: str) -> Any:
    """An APScheduler CronTrigger from a crontab line (5 fields, or 6 with seconds first; 0/7 = Sunday)."""
    from apscheduler.triggers.cron import CronTrigger

    fields = expr.split()
    if len(fields) not in (5, 6):
        raise ValueError(f"cron {expr!r}: expected 5 fields (or 6 with seconds first), got {len(fields)}")
    second = fields.pop(0) if len(fields) == 6 else "0"
    minute, hour, day, month, weekday = fields
    # APScheduler 3 counts weekdays from Monday=0; crontab from Sunday=0. Names mean the same to both.
    weekday = re.sub(r"(?<![/\d])\d+", lambda m: _WEEKDAYS[int(m.group()) % 7], weekday)
    try:
        return CronTrigger(
            second=second,
            minute=minute,
            hour=hour,
            day=day,
            month=month,
            day_of_week=weekday,
            timezone=timezone,
        )
    except ValueError as exc:
        raise ValueError(f"cron {expr!r}: {exc}") from None
