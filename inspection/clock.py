"""Beijing time for people: dates and times in documents are shown in Asia/Shanghai, labelled."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from store.types import utcnow

BEIJING = ZoneInfo("Asia/Shanghai")


def beijing_today(now: datetime | None = None) -> date:
    """Today's date in Beijing (a deadline is a Beijing calendar day)."""
    return (now or utcnow()).astimezone(BEIJING).date()


def beijing_text(moment: datetime | None) -> str:
    """A stored (UTC) time as Beijing time with its label, e.g. 2026-12-04 14:40（北京时间）."""
    if moment is None:
        return "—"
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") + "（北京时间）"
