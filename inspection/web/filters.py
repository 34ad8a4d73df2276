"""Queue filters parsed once for pages, the API and the CSV export (empty form fields mean 'all')."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Path, Query

from store.enums import RiskType, TaskStatus


def _choice(enum: type[StrEnum]) -> str:
    return "^(" + "|".join(member.value for member in enum) + ")?$"


@dataclass(frozen=True)
class QueueFilters:
    """What the user asked the queue to show."""

    risk_type: str | None = None
    region: str | None = None
    status: str | None = None
    q: str | None = None
    overdue_only: bool = False

    def as_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for the query services."""
        return asdict(self)

    def as_query(self) -> dict[str, str]:
        """The non-empty filters, for links that keep them (paging, export)."""
        return {k: ("1" if v is True else str(v)) for k, v in asdict(self).items() if v not in (None, False)}


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
) -> QueueFilters:
    """Parse the filters; empty strings become None."""
    return QueueFilters(
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
