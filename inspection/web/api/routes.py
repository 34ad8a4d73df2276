"""The JSON API under /api/: same session cookie as the pages, X-CSRF-Token header on every change."""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from starlette.responses import Response

from inspection import findings
from inspection.findings import FindingError
from inspection.tasks import actions
from inspection.tasks.workflow import WorkflowError
from inspection.views import queries
from inspection.views.case_file import TaskDetail
from inspection.views.queue_filter import QueueFilter
from inspection.views.task_view import TaskView
from inspection.web.analyst.common import require_role
from inspection.web.api.schemas import (
    AssignIn,
    ConflictOut,
    ErrorOut,
    EscalateIn,
    EvidenceOut,
    FindingIn,
    FindingOut,
    MeOut,
    OrganisationOut,
    QueueOut,
    TaskOut,
    TaskRefOut,
    TaskSummaryOut,
    TipIn,
    TransitionIn,
)
from inspection.web.deps import CurrentUser, SessionDep, SettingsDep
from inspection.web.filters import Mine, PageNo, PerPage, TaskId, queue_filters
from inspection.web.pages import shaping
from inspection.web.pages.market import flagged_organisations
from inspection.web.pages.overview import MARKET_ROLES, export_response
from inspection.web.render.evidence import plain_text
from inspection.web.security.headers import csrf_token
from store.enums import LicenceStatus
from store.models import InspectionTask, User

LICENCE_PATTERN = "^(" + "|".join(LicenceStatus) + ")?$"
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "Not logged in."},
    403: {"model": ErrorOut, "description": "Missing or wrong X-CSRF-Token."},
    404: {"model": ErrorOut, "description": "No such object, or outside your region or agency."},
    422: {"model": ErrorOut, "description": "Invalid request."},
}
CHANGE_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    409: {"model": ConflictOut, "description": "Stale version or transition not allowed."},
}

router = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)
Filters = Annotated[QueueFilter, Depends(queue_filters)]


@router.get("/me", response_model=MeOut)
def me(request: Request, user: CurrentUser) -> MeOut:
    """The logged-in user, with the CSRF token to send as X-CSRF-Token on changes."""
    fields = {
        k: getattr(user, k) for k in ("id", "username", "display_name", "role", "region_code", "language")
    }
    return MeOut(**fields, csrf_token=csrf_token(request))


@router.get("/tasks", response_model=QueueOut)
def list_tasks(
    session: SessionDep,
    user: CurrentUser,
    filters: Filters,
    mine: Mine = False,
    page: PageNo = 1,
    per_page: PerPage = 50,
) -> QueueOut:
    """The queue: tasks you may see, highest priority first, with the same filters as the page."""
    chosen = replace(filters, assigned_to_me=mine)
    result = queries.queue_for_user(session, user=user, filters=chosen, page=page, per_page=per_page)
    items = [TaskSummaryOut.model_validate(item, from_attributes=True) for item in result.items]
    return QueueOut(
        items=items, total=result.total, page=result.page, per_page=result.per_page, pages=result.pages
    )


@router.get("/tasks/{task_id}", response_model=TaskOut)
def get_task(session: SessionDep, user: CurrentUser, task_id: TaskId) -> TaskOut:
    """One task (personal data masked unless your role and assignment allow it; such views are audited)."""
    return task_out(shaping.load_detail(session, user, task_id))


# TaskOut's fields that are the task's read model (the rest is the case file).
VIEW_FIELDS = [name for name in TaskOut.model_fields if name in {f.name for f in fields(TaskView)}]


def task_out(detail: TaskDetail) -> TaskOut:
    """The API shape of a task detail."""
    return TaskOut(
        **{k: getattr(detail.view, k) for k in VIEW_FIELDS},
        tip_text=detail.tip_text or None,
        evidence=[_evidence_out(ev) for ev in detail.evidence],
        organisation=detail.organisation,
        other_listings=[_jsonable(row) for row in detail.other_listings],
        findings=[_finding_out(f) for f in detail.findings],
        history=[_jsonable(row) for row in detail.history],
        allowed_actions=[str(a) for a in detail.allowed_actions],
    )


def _evidence_out(ev: Any) -> EvidenceOut:
    return EvidenceOut(
        listing_id=ev.listing_id,
        listing_version_id=ev.listing_version_id,
        url=ev.url,
        title=plain_text(ev.title),
        text=plain_text(ev.body),
        employer_name=ev.employer_name,
        score=ev.score,
        scores=[_jsonable(s) for s in ev.scores],
    )


def _finding_out(finding: Any) -> FindingOut:
    return FindingOut(
        id=finding.id,
        violations=list(finding.violations),
        outcome=finding.outcome,
        notes=finding.notes,
        victims=list(finding.victims) if finding.victims else None,
        victim_count=finding.victim_count,
        follow_up_date=finding.follow_up_date,
        created_at=finding.created_at,
    )


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}


def _ref(task: InspectionTask) -> TaskRefOut:
    return TaskRefOut(id=task.id or 0, status=task.status, version=task.version)


def _conflict(
    session: SessionDep, user: User, task_id: int, exc: Exception, submitted: dict[str, Any]
) -> Response:
    session.rollback()
    detail = shaping.load_detail(session, user, task_id)
    body = ConflictOut(
        detail=str(exc),
        current_version=detail.task.version,
        current_status=detail.task.status,
        submitted=submitted,
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=409)


@router.post("/tasks/{task_id}/transition", response_model=TaskRefOut, responses=CHANGE_ERRORS)
def api_transition(session: SessionDep, user: CurrentUser, task_id: TaskId, body: TransitionIn) -> Any:
    """Move a task to another status (409 when your version is stale or the move is not allowed)."""
    try:
        task = actions.task_transition(
            session,
            task_id=task_id,
            expected_version=body.expected_version,
            actor=user,
            to_status=body.to_status,
            note=body.note,
        )
    except WorkflowError as exc:
        return _conflict(session, user, task_id, exc, body.model_dump(mode="json"))
    session.commit()
    return _ref(task)


@router.post("/tasks/{task_id}/escalate", response_model=TaskRefOut, responses=CHANGE_ERRORS)
def api_escalate(session: SessionDep, user: CurrentUser, task_id: TaskId, body: EscalateIn) -> Any:
    """挂牌督办 with reason, supervising office and deadline (the notice is at /tasks/{id}/notice)."""
    try:
        task = actions.task_escalate(
            session,
            task_id=task_id,
            expected_version=body.expected_version,
            actor=user,
            reason=body.reason,
            office=body.office,
            deadline=body.deadline,
        )
    except WorkflowError as exc:
        return _conflict(session, user, task_id, exc, body.model_dump(mode="json"))
    session.commit()
    return _ref(task)


@router.post("/tasks/{task_id}/assign", response_model=TaskRefOut, responses=CHANGE_ERRORS)
def api_assign(session: SessionDep, user: CurrentUser, task_id: TaskId, body: AssignIn) -> Any:
    """Assign a task to a worker of its agency and region."""
    try:
        task = actions.task_assign(
            session,
            task_id=task_id,
            expected_version=body.expected_version,
            actor=user,
            assignee_id=body.assignee_id,
        )
    except WorkflowError as exc:
        return _conflict(session, user, task_id, exc, body.model_dump(mode="json"))
    session.commit()
    return _ref(task)


@router.post("/tasks/{task_id}/findings", response_model=TaskRefOut, responses=CHANGE_ERRORS)
def api_finding(
    session: SessionDep, settings: SettingsDep, user: CurrentUser, task_id: TaskId, body: FindingIn
) -> Any:
    """Record a finding (the task moves to finding_recorded)."""
    try:
        findings.finding_record(
            session,
            task_id=task_id,
            expected_version=body.expected_version,
            actor=user,
            violations=[v.value for v in body.violations],
            outcome=body.outcome.value,
            notes=body.notes,
            victims=[v.model_dump() for v in body.victims],
            follow_up_date=body.follow_up_date,
            attachments=[],
            settings=settings,
        )
    except WorkflowError as exc:
        return _conflict(session, user, task_id, exc, body.model_dump(mode="json"))
    except FindingError as exc:
        session.rollback()
        return JSONResponse({"detail": str(exc)}, status_code=422)
    session.commit()
    task = session.get(InspectionTask, task_id)
    assert task is not None
    return _ref(task)


@router.post("/tips", response_model=TaskRefOut, status_code=201)
def api_tip(session: SessionDep, settings: SettingsDep, user: CurrentUser, body: TipIn) -> Any:
    """Open a task from a tip or a mandated report (in your own region)."""
    try:
        task = actions.task_open_from_tip(
            session, actor=user, settings=settings, **body.model_dump(mode="json")
        )
    except WorkflowError as exc:
        session.rollback()
        return JSONResponse({"detail": str(exc)}, status_code=422)
    session.commit()
    return _ref(task)


@router.get("/organisations", response_model=list[OrganisationOut])
def api_organisations(
    session: SessionDep,
    user: CurrentUser,
    flagged: Annotated[bool, Query(description="Only organisations with a flag (licence, fees).")] = True,
    licence_status: Annotated[
        str | None,
        Query(pattern=LICENCE_PATTERN, description="Only this licence status (flagged only)."),
    ] = None,
    flag_code: Annotated[
        str | None, Query(pattern=r"^[a-z_]{0,40}$", description="Only organisations with this flag code.")
    ] = None,
) -> list[OrganisationOut]:
    """Brokers and agencies in your region with their flags' evidence, flagged ones only by default."""
    require_role(user, MARKET_ROLES)
    rows = flagged_organisations(
        session,
        user=user,
        flagged_only=flagged,
        licence_status=licence_status or None,
        flag_code=flag_code or None,
    )
    return [OrganisationOut.model_validate(row, from_attributes=True) for row in rows]


@router.get("/export/tasks.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
def api_export(session: SessionDep, settings: SettingsDep, user: CurrentUser, filters: Filters) -> Response:
    """The queue as CSV (UTF-8 with BOM), masked per role; every export is audited and rate-limited."""
    return export_response(session, settings, user, filters)
