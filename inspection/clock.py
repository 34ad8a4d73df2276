"""Beijing time for people: dates and times in documents are shown in Asia/Shanghai, labelled."""

from __future__ import annotations

from datetime import datetime

from store.types import BEIJING, beijing_today

__all__ = ["BEIJING", "beijing_text", "beijing_today"]


def beijing_text(moment: datetime | None) -> str:
    """A stored (UTC) time as Beijing time with its label, e.g. 2026-12-04 14:40（北京时间）."""
    if moment is None:
        return "—"
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") + "（北京时间）"
