"""Stored values in words for people: Beijing time, history events, CSV cells (no rules, only wording)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from store.models import User
from store.regions import city_of, get_region, region_name
from store.types import BEIJING

# Events that record a reading, not a change: folded into one line so the history shows what happened.
VIEW_ACTIONS = frozenset({"task.view_pii", "attachment.download"})


def beijing(value: datetime | date | str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored time (naive values are UTC) as Beijing wall time; dates and text pass through."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return str(value)
    if not isinstance(value, datetime):
        return value.isoformat()
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(BEIJING).strftime(fmt)


def display_names(session: Session, usernames: Iterable[str]) -> dict[str, str]:
    """Username -> display name for the given users (others are left out)."""
    names = sorted({u for u in usernames if u})
    if not names:
        return {}
    rows = session.execute(
        select(col(User.username), col(User.display_name)).where(col(User.username).in_(names))
    )
    return {username: display or username for username, display in rows}


def history_rows(
    history: Sequence[dict[str, Any]], names: dict[str, str], t: Callable[[str], str]
) -> dict[str, Any]:
    """The history in words: changes one per line, views counted apart (who looked, how often, last when)."""
    rows, views = [], []
    for event in history:
        action = str(event.get("action", ""))
        if action in VIEW_ACTIONS:
            views.append(event)
            continue
        rows.append(
            {
                "at": beijing(event.get("at")),
                "actor": _actor(event.get("actor"), names, t),
                "text": action_text(action, event.get("details") or {}, t),
                "note": str((event.get("details") or {}).get("note") or ""),
            }
        )
    viewers = sorted({_actor(e.get("actor"), names, t) for e in views})
    last = beijing(views[-1].get("at")) if views else ""
    return {"rows": rows, "views": len(views), "viewers": viewers, "last_view": last}


def _actor(username: Any, names: dict[str, str], t: Callable[[str], str]) -> str:
    if not username or username == "system":
        return t("history.system")
    return names.get(str(username), t("history.other_user"))


def action_text(action: str, details: dict[str, Any], t: Callable[[str], str]) -> str:
    """One audit action in words; a status change names both states."""
    label = t(f"action.{action}")
    if not label.startswith("action."):
        return label
    source, target = details.get("from"), details.get("to")
    if source and target:
        return t("action.status_change").format(t(f"status.{source}"), t(f"status.{target}"))
    return t("action.other")


def csv_cell(column: str, value: Any, t: Callable[[str], str]) -> Any:
    """A CSV value in words: enums in Chinese, booleans as 是/否, times in Beijing time."""
    if isinstance(value, bool):
        return t("yes") if value else t("no")
    if isinstance(value, datetime):
        return beijing(value, "%Y-%m-%d %H:%M:%S")
    if column in {"risk_type", "agency", "status", "origin"} and value:
        key = {"risk_type": "risk", "agency": "agency", "status": "status", "origin": "origin"}[column]
        label = t(f"{key}.{value}")
        return value if label.startswith(f"{key}.") else label
    return value


def risk_level(score: float | None) -> str:
    """The colour band of a score: high, medium, low, or none (tips without a score)."""
    if score is None:
        return "none"
    return "high" if score >= 0.8 else "medium" if score >= 0.5 else "low"


def sla(
    due_at: datetime | None, status: str, t: Callable[[str], str], now: datetime | None = None
) -> dict[str, str]:
    """The deadline as a countdown in Beijing calendar days: days left, due today, or overdue by N days."""
    if due_at is None or status == "closed":
        return {}
    aware = due_at if due_at.tzinfo else due_at.replace(tzinfo=UTC)
    today = (now or datetime.now(UTC)).astimezone(BEIJING).date()
    days = (aware.astimezone(BEIJING).date() - today).days
    if days < 0:
        return {"text": t("sla.overdue").format(-days), "level": "overdue"}
    if days == 0:
        return {"text": t("sla.today"), "level": "soon"}
    return {"text": t("sla.left").format(days), "level": "soon" if days <= 3 else "ok"}


def region_label(code: str | None, viewer_region: str | None) -> str:
    """A region's name as the viewer needs it: a county under a province-level viewer gets its city too
    (Nanjing and Xuzhou both have a 鼓楼区)."""
    name = region_name(code)
    region, viewer = get_region(code), get_region(viewer_region)
    if region is None or viewer is None or region.level != "county" or viewer.level != "province":
        return name
    city = get_region(city_of(code))  # not the grouping row of 仙桃, 石河子 (省直辖县级行政区划)
    return f"{city.name}{name}" if city and city.code != code and city.administrative else name
