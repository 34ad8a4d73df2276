"""What the queue page adds to the query's rows: each row's top reason, sort links, the filter state."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from inspection.queries import QueueItem
from inspection.web.i18n import reason_text
from store.models import InspectionTask, RiskScore

SORTABLE = ("id", "priority", "score", "due", "created")


def top_reasons(session: Session, items: list[QueueItem], lang: str) -> dict[int, str]:
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
