"""What the queue page adds to the query's rows: each row's top reason, sort links, the filter state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from inspection.views.queries import new_open_task_ids
from inspection.views.task_view import TaskView
from inspection.web.i18n import reason_text
from store.models import InspectionTask, RiskScore, User

SORTABLE = ("id", "priority", "score", "due", "created")
HIGH_RISK = 0.8
NEW_WINDOW = timedelta(hours=24)  # what counts as new on a first visit of the session
NEW_LOOKAHEAD = 50  # newest open tasks looked at for the notice (it counts "at least" beyond that)
SEEN_KEY = "queue_seen_at"


def new_high_risk(session: Session, user: User, seen: str | None, now: datetime) -> dict[str, Any]:
    """Open high-risk tasks created since the user last looked at the queue (the notice above it)."""
    since = _parse(seen) or now - NEW_WINDOW
    fresh = new_open_task_ids(session, user, since=since, min_score=HIGH_RISK, limit=NEW_LOOKAHEAD, now=now)
    return {"count": len(fresh), "more": len(fresh) == NEW_LOOKAHEAD, "ids": fresh}


def _parse(value: str | None) -> datetime | None:
    try:
        return _aware(datetime.fromisoformat(value)) if value else None
    except ValueError:
        return None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def top_reasons(session: Session, items: list[TaskView], lang: str) -> dict[int, str]:
    """Task id -> the reason that raised its score most (its Chinese `meaning`), for the rows shown."""
    ids = [item.id for item in items]
    if not ids:
        return {}
    statement = (
        select(col(InspectionTask.id), col(RiskScore.explanation), col(RiskScore.id))
        .join(RiskScore, col(RiskScore.listing_id) == col(InspectionTask.listing_id))
        .where(col(InspectionTask.id).in_(ids), col(RiskScore.risk_type) == col(InspectionTask.risk_type))
        .order_by(col(RiskScore.id))
    )
    latest: dict[int, Any] = {}
    for task_id, explanation, _ in session.execute(statement):
        latest[int(task_id)] = explanation  # the newest score of the task's listing wins
    return {task_id: text for task_id, e in latest.items() if (text := _top(e, lang))}


def _top(explanation: Any, lang: str) -> str:
    entries = [e for e in explanation or [] if isinstance(e, dict)]
    rules = [e for e in entries if e.get("kind") == "rule"]
    if rules:
        return reason_text(rules[0], lang)
    raised = sorted((e for e in entries if _weight(e) > 0), key=_weight, reverse=True)
    # A reason with its own words first: a bare phrase n-gram says less than an indicator's meaning.
    worded = [e for e in raised if str(e.get("meaning") or "").strip()]
    best = (worded or raised)[:1]
    return reason_text(best[0], lang) if best else ""


def _weight(entry: dict[str, Any]) -> float:
    try:
        return float(entry.get("weight", 0))
    except (TypeError, ValueError):
        return 0.0


def sort_links(query: dict[str, str], current: str) -> dict[str, dict[str, str]]:
    """For each sortable column: the query that sorts by it (again: reversed) and the arrow to show."""
    links = {}
    for key in SORTABLE:
        active = current.lstrip("-") == key
        target = ("" if current.startswith("-") else "-") + key if active else key
        arrow = ("↑" if current.startswith("-") else "↓") if active else ""
        links[key] = {"query": _encode({**query, "sort": target}), "arrow": arrow}
    return links


def _encode(query: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(query)
