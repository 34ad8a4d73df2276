"""Queue filters parsed once for pages, the API and the CSV export (empty form fields mean 'all'), and the
query parameters of the page and the API."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import Path, Query

from inspection.views.queue_filter import QueueFilter
from store.enums import RiskType, TaskStatus


def _choice(enum: type[StrEnum]) -> str:
    return "^(" + "|".join(member.value for member in enum) + ")?$"


def query_of(filters: QueueFilter) -> dict[str, str]:
    """The chosen filters as query parameters, for links that keep them (paging, sorting, saved views)."""
    chosen = filters.chosen()
    if chosen.pop("assigned_to_me", False):
        chosen["mine"] = True
    return {k: ("true" if k == "mine" else "1" if v is True else str(v)) for k, v in chosen.items()}


def queue_filters(
    risk_type: Annotated[str | None, Query(pattern=_choice(RiskType), description="Risk type.")] = None,
    region: Annotated[str | None, Query(pattern=r"^(\d{6})?$", description="Region code.")] = None,
    status: Annotated[
        str | None,
        Query(pattern=_choice(TaskStatus).replace("(", "(open|", 1), description="Status or 'open'."),
    ] = None,
    q: Annotated[
        str | None, Query(max_length=100, pattern=r"^[^\x00]*$", description="Chinese search (bigrams).")
    ] = None,
    overdue_only: Annotated[bool, Query(description="Only overdue tasks.")] = False,
) -> QueueFilter:
    """Parse the filters; empty strings become None ("my tasks" is the pages' and the API's own `mine`)."""
    return QueueFilter(
        risk_type=risk_type or None,
        region=region or None,
        status=status or None,
        q=(q or "").strip() or None,
        overdue_only=overdue_only,
    )


# Ids are 32-bit integers on PostgreSQL; larger values are refused before they reach the database.
MAX_ID = 2_147_483_647
TaskId = Annotated[int, Path(ge=1, le=MAX_ID, description="Task id.")]
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]
Mine = Annotated[bool, Query(description="Only tasks assigned to me.")]
PageNo = Annotated[int, Query(ge=1, le=10_000, description="Page number.")]
Sort = Annotated[
    str, Query(pattern=r"^-?(priority|score|due|created|id)$", description="Order; '-' reverses it.")
]
ShowClosed = Annotated[bool, Query(description="Show closed tasks too (hidden by default).")]
PerPage = Annotated[int, Query(ge=1, le=200, description="Rows per page.")]
