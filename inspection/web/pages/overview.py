"""Overview pages: the supervisor dashboard with its charts, the market-officer view, the CSV export."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlmodel import Session
from starlette.responses import Response, StreamingResponse

from inspection.views import export
from inspection.views.dashboard import dashboard
from inspection.views.queue_filter import QueueFilter
from inspection.web.analyst.common import require_role
from inspection.web.analyst.pages import recent_drift_alerts
from inspection.web.deps import CurrentUser, SessionDep, SettingsDep
from inspection.web.filters import ObjectId, queue_filters
from inspection.web.i18n import translator
from inspection.web.pages import shaping
from inspection.web.pages.market import flagged_organisations, organisation_listings
from inspection.web.render import jiangsu_map
from inspection.web.render.charts import line_chart
from inspection.web.render.present import csv_cell
from inspection.web.templating import render, request_language
from store.enums import LicenceStatus, Role
from store.models import User
from store.settings import Settings
from store.types import utcnow

router = APIRouter(include_in_schema=False)
FLAG_CODES = (
    "unlicensed_agency",
    "licence_expired",
    "licence_name_mismatch",
    "unregistered_marriage_agency",
    "marriage_registration_expired",
    "job_seeker_fees",
)

DASHBOARD_ROLES = frozenset({Role.supervisor, Role.admin, Role.analyst})
MARKET_ROLES = frozenset({Role.market_officer, Role.supervisor, Role.admin, Role.analyst})


@router.get("/dashboard")
def dashboard_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    figure: Annotated[str, Query(pattern=r"^(open|overdue)?$", description="What the map shows.")] = "",
) -> Response:
    """Counts per region, the map of Jiangsu by city and weekly trends (inline SVG)."""
    require_role(user, DASHBOARD_ROLES)
    board = dashboard(session, user=user, now=utcnow())
    t = translator(request_language(request))
    chart = line_chart(
        t("dash.trend"),
        board.weeks,
        {
            t("dash.open"): board.created_per_week,
            t("dash.closed"): board.closed_per_week,
            t("dash.violations"): board.violations_per_week,
        },
    )
    alerts = recent_drift_alerts(session, now=utcnow())
    context = {"board": board, "chart": chart, "drift_alerts": alerts}
    return render(request, "dashboard.html", context | _city_map(user, board, figure or "open", t))


def _city_map(user: User, board: Any, figure: str, t: Callable[[str], str]) -> dict[str, Any]:
    """The map's context: cells (value, shade, link), the SVG, the legend and the chosen figure."""
    totals = jiangsu_map.city_figures(board.regions, figure)
    cells = jiangsu_map.map_cells(user, totals, jiangsu_map.MAP_FIGURES[figure])
    label = t(f"dash.{figure}")
    svg = jiangsu_map.map_svg(
        cells, t("map.title").format(label), lambda name: t("map.link").format(name, label)
    )
    legend = jiangsu_map.legend_ranges(max(totals.values(), default=0))
    return {"map_svg": svg, "map_cells": cells, "map_legend": legend, "map_figure": figure}


LICENCE_CHOICE = "^(" + "|".join(LicenceStatus) + ")?$"
MARKET_SORTS = {
    "": None,  # organisations.queries' order: worst licence status first, then most listings
    "listings": lambda o: (-o.listings, o.id),
    "risk": lambda o: (-(o.max_risk or 0.0), o.id),
    "tasks": lambda o: (-len(o.task_ids), o.id),
    "name": lambda o: (o.name, o.id),
}


@router.get("/market")
def market_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    licence_status: Annotated[str, Query(pattern=LICENCE_CHOICE)] = "",
    flag_code: Annotated[str, Query(pattern=r"^[a-z_]{0,40}$")] = "",
    q: Annotated[str, Query(max_length=100)] = "",
    sort: Annotated[str, Query(pattern=r"^(listings|risk|tasks|name)?$")] = "",
) -> Response:
    """Flagged brokers and agencies in the user's region: filter by licence and flag, search names, sort."""
    require_role(user, MARKET_ROLES)
    rows = flagged_organisations(
        session, user=user, licence_status=licence_status or None, flag_code=flag_code or None
    )
    if q.strip():
        rows = [o for o in rows if q.strip() in o.name]
    key = MARKET_SORTS[sort]
    if key is not None:
        rows = sorted(rows, key=key)
    form = {"licence_status": licence_status, "flag_code": flag_code, "q": q, "sort": sort}
    context = {"organisations": rows, "form": form, "licence_statuses": list(LicenceStatus)}
    return render(request, "market.html", context | {"flag_codes": FLAG_CODES})


@router.get("/market/organisations/{org_id}/listings")
def market_listings(request: Request, session: SessionDep, user: CurrentUser, org_id: ObjectId) -> Response:
    """An organisation's listings (an htmx fragment of the market page)."""
    require_role(user, MARKET_ROLES)
    rows = organisation_listings(session, user=user, org_id=org_id)
    return render(request, "market_listings.html", {"listings": rows, "org_id": org_id})


@router.get("/export/tasks.csv")
def export_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    filters: Annotated[QueueFilter, Depends(queue_filters)],
) -> Response:
    """The queue (same filters) as CSV in the user's language, masked per role; audited and rate-limited."""
    return export_response(session, settings, user, filters, request_language(request))


def export_response(
    session: Session, settings: Settings, user: User, filters: QueueFilter, language: str | None = None
) -> Response:
    """Check access, audit the export (within the user's limit), then stream every matching task as CSV.

    With a LANGUAGE (the page download) headers and values are worded for people, times in Beijing time;
    without one (the API) they stay the stored codes and UTC ISO times.
    """
    wording: dict[str, Any] = {}
    if language is not None:
        t = translator(language)
        wording["header"] = [t(f"csvcol.{name}") for name in export.CSV_COLUMNS]
        wording["cell"] = lambda column, value: csv_cell(column, value, t)
    chunks = export.iter_tasks_csv(session, user=user, filters=filters, now=utcnow(), **wording)
    shaping.audit_export(
        session,
        user,
        filters,
        limit=settings.export_max_per_window,
        window_s=settings.export_window_s,
    )
    return csv_response(chunks)


def csv_response(body: str | Iterator[str]) -> Response:
    """A CSV download (streamed when BODY is an iterator of chunks)."""
    headers = {"content-disposition": 'attachment; filename="tasks.csv"'}
    if isinstance(body, str):
        return Response(body, media_type="text/csv; charset=utf-8", headers=headers)
    return StreamingResponse(body, media_type="text/csv; charset=utf-8", headers=headers)
