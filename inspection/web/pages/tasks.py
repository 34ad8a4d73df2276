"""Pages for people: the queue, a task, its raw snapshot, status changes and the finding form."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from inspection import findings
from inspection.findings import FindingError
from inspection.tasks import actions
from inspection.tasks.workflow import StaleTaskError, WorkflowError
from inspection.views import queries
from inspection.views.queue_filter import OPEN_FILTER, QueueFilter
from inspection.web.deps import CurrentUser, SessionDep, SettingsDep
from inspection.web.filters import (
    MAX_ID,
    Mine,
    ObjectId,
    PageNo,
    ShowClosed,
    Sort,
    TaskId,
    query_of,
    queue_filters,
)
from inspection.web.i18n import translator
from inspection.web.pages import queue, saved_filters, shaping
from inspection.web.render.messages import service_message
from inspection.web.security.headers import RAW_CSP
from inspection.web.security.uploads import read_uploads
from inspection.web.templating import render, request_language
from store.enums import Outcome, RiskType, TaskStatus, Violation
from store.types import utcnow

router = APIRouter(include_in_schema=False)

Filters = Annotated[QueueFilter, Depends(queue_filters)]
# Origins explained in the queue's legend (and as each tag's title), in the order people meet them.
ORIGIN_LEGEND = (
    "model",
    "audit",
    "active_learning",
    "rule",
    "tip",
    "mandated_report",
    "reinspection",
    "manual",
)
Version = Annotated[int, Form(ge=1, le=MAX_ID)]
Note = Annotated[str, Form(max_length=2000)]


@router.get("/")
def queue_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    filters: Filters,
    mine: Mine = False,
    page: PageNo = 1,
    sort: Sort = "priority",
    closed: ShowClosed = False,
) -> Response:
    """The queue (closed tasks hidden unless asked for); htmx filter requests get just the rows."""
    chosen = replace(filters, assigned_to_me=mine)
    shown = replace(chosen, status=chosen.status or (None if closed else OPEN_FILTER))
    result = queries.queue_for_user(session, user=user, filters=shown, page=page, per_page=50, sort=sort)
    query = query_of(chosen) | ({"closed": "true"} if closed else {})
    context = {
        "mine": mine,
        "closed": closed,
        "sort": sort,
        "queue": result,
        "filters": filters,
        "filtered": bool(query_of(filters)),
        "reasons": queue.top_reasons(session, result.items, request_language(request)),
        "sort_links": queue.sort_links(query, sort),
        "origins": ORIGIN_LEGEND,
        "bulk_assignees": shaping.bulk_assignees(session, user),
        "notice": request.session.pop("queue_notice", None),
        "new_tasks": _new_tasks(request, session, user),
        "query": query | ({"sort": sort} if sort != "priority" else {}),
        "risk_types": list(RiskType),
        "statuses": list(TaskStatus),
        "regions": shaping.regions_for(user),
    }
    if request.headers.get("hx-request"):
        return render(request, "queue_rows.html", context)
    return render(request, "queue.html", context | {"saved_views": saved_filters.views_of(session, user)})


def _new_tasks(request: Request, session: Any, user: Any) -> dict[str, Any] | None:
    """The new-high-risk notice on a full page load (not on htmx row swaps); then the queue counts as seen."""
    # For the workers who take tasks; a province supervisor's whole queue would be read twice per page.
    if request.headers.get("hx-request") or user.role not in shaping.WORKER_ROLES:
        return None
    now = utcnow()
    found = queue.new_high_risk(session, user, request.session.get(queue.SEEN_KEY), now)
    request.session[queue.SEEN_KEY] = now.isoformat()
    return found if found["count"] else None


@router.post("/tasks/bulk-assign")
def bulk_assign(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    assignee_id: Annotated[int, Form(ge=1, le=MAX_ID)],
    task: Annotated[list[str], Form(max_length=200)] = [],  # noqa: B006 ("id:version" per ticked row)
    back: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Assign the ticked tasks to one person (supervisors); the queue then says how many and which failed."""
    items = [_id_version(value) for value in task]
    done, refused = actions.tasks_assign_many(
        session, actor=user, items=[i for i in items if i is not None], assignee_id=assignee_id
    )
    session.commit()
    t = translator(request_language(request))
    notice = t("bulk.done").format(len(done))
    if refused:
        notice += " " + t("bulk.refused").format("、".join(f"#{task_id}" for task_id, _ in refused))
    request.session["queue_notice"] = notice
    target = back if back.startswith("/") and not back.startswith("//") else "/"
    return RedirectResponse(target, status_code=303)


def _id_version(value: str) -> tuple[int, int] | None:
    task_id, _, version = value.partition(":")
    if not (task_id.isdigit() and version.isdigit()):
        return None
    return min(int(task_id), MAX_ID), min(int(version), MAX_ID)


@router.get("/tips/new")
def tip_form(request: Request, user: CurrentUser) -> Response:
    """The form for a tip (hotline call, letter, mandated report) that opens a task."""
    return render(request, "tip_form.html", _tip_context(user, {"region_code": user.region_code}))


def _tip_context(user: Any, form: dict[str, str], error: str | None = None) -> dict[str, Any]:
    return {"form": form, "error": error, "risk_types": list(RiskType), "regions": shaping.regions_for(user)}


@router.post("/tips")
def tip_submit(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    risk_type: Annotated[str, Form(max_length=40)],
    region_code: Annotated[str, Form(max_length=6)],
    title: Annotated[str, Form(max_length=300)],
    tip_source: Annotated[str, Form(max_length=300)],
    tip_text: Annotated[str, Form(max_length=20_000)],
    origin: Annotated[str, Form(max_length=20)] = "tip",
) -> Response:
    """Open the task; invalid input re-shows the form with everything typed."""
    form = {"risk_type": risk_type, "region_code": region_code, "title": title, "tip_source": tip_source}
    form |= {"tip_text": tip_text, "origin": origin}
    try:
        task = actions.task_open_from_tip(
            session,
            actor=user,
            settings=settings,
            risk_type=risk_type,
            region_code=region_code,
            title=title,
            tip_source=tip_source,
            tip_text=tip_text,
            origin=origin,
        )
    except WorkflowError as exc:
        session.rollback()
        message = service_message(str(exc), request_language(request))
        return render(request, "tip_form.html", _tip_context(user, form, message), status_code=422)
    session.commit()
    return RedirectResponse(f"/tasks/{task.id}", status_code=303)


@router.get("/tasks/{task_id}")
def task_page(request: Request, session: SessionDep, user: CurrentUser, task_id: TaskId) -> Response:
    """A task with its evidence, reasons, organisation, findings and history."""
    detail = shaping.load_detail(session, user, task_id)
    return render(
        request, "task.html", shaping.task_context(session, user, detail, request_language(request))
    )


@router.get("/tasks/{task_id}/raw/{version_id}")
def raw_snapshot(session: SessionDep, user: CurrentUser, task_id: TaskId, version_id: ObjectId) -> Response:
    """The crawled page as stored, for a sandboxed iframe only: its own CSP forbids everything."""
    detail = shaping.load_detail(session, user, task_id)
    text = shaping.raw_snapshot_text(session, user, detail, version_id)
    headers = {"content-security-policy": RAW_CSP, "x-frame-options": "SAMEORIGIN"}
    return Response(text, media_type="text/html; charset=utf-8", headers=headers)


@router.get("/tasks/{task_id}/attachments/{attachment_id}")
def attachment_download(
    session: SessionDep, user: CurrentUser, task_id: TaskId, attachment_id: ObjectId
) -> Response:
    """An evidence file of one of the task's findings, as a download that never renders inline."""
    detail = shaping.load_detail(session, user, task_id)
    attachment = shaping.attachment_of(session, user, detail, attachment_id)
    headers = {
        "content-disposition": f"attachment; filename*=UTF-8''{quote(attachment.filename)}",
        "content-security-policy": RAW_CSP,
    }
    return Response(attachment.data, media_type=attachment.content_type, headers=headers)


@router.post("/tasks/{task_id}/transition")
def transition(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    task_id: TaskId,
    expected_version: Version,
    to_status: Annotated[TaskStatus, Form()],
    note: Note = "",
) -> Response:
    """Move the task to another status; a stale version answers 409 with both sides."""
    try:
        actions.task_transition(
            session,
            task_id=task_id,
            expected_version=expected_version,
            actor=user,
            to_status=to_status,
            note=note,
        )
    except StaleTaskError:
        session.rollback()
        return _conflict(request, session, user, task_id, {"to_status": to_status.value, "note": note})
    session.commit()
    return RedirectResponse(f"/tasks/{task_id}", status_code=303)


@router.post("/tasks/{task_id}/assign")
def assign(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    task_id: TaskId,
    expected_version: Version,
    assignee_id: Annotated[int, Form(ge=1, le=MAX_ID)],
) -> Response:
    """Assign the task (a worker may claim it for themselves)."""
    try:
        actions.task_assign(
            session, task_id=task_id, expected_version=expected_version, actor=user, assignee_id=assignee_id
        )
    except StaleTaskError:
        session.rollback()
        return _conflict(request, session, user, task_id, {"assignee_id": str(assignee_id)})
    session.commit()
    return RedirectResponse(f"/tasks/{task_id}", status_code=303)


def _conflict(
    request: Request, session: Any, user: Any, task_id: TaskId, submitted: dict[str, str]
) -> Response:
    detail = shaping.load_detail(session, user, task_id)
    return render(request, "conflict.html", {"submitted": submitted, "detail": detail}, status_code=409)


@router.get("/tasks/{task_id}/finding")
def finding_form(request: Request, session: SessionDep, user: CurrentUser, task_id: TaskId) -> Response:
    """The finding form."""
    detail = shaping.load_detail(session, user, task_id)
    return render(request, "finding_form.html", _finding_context(detail, shaping.empty_finding(detail)))


def _finding_context(detail: Any, form: dict[str, Any], **extra: Any) -> dict[str, Any]:
    context = {"detail": detail, "form": form, "violations": list(Violation), "outcomes": list(Outcome)}
    return {**context, "error": None, "conflict": False, **extra}


@router.post("/tasks/{task_id}/finding")
async def finding_submit(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    task_id: TaskId,
    expected_version: Version,
    outcome: Annotated[str, Form(max_length=40)],
    violations: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies defaults)
    notes: Annotated[str, Form(max_length=20_000)] = "",
    follow_up_date: Annotated[str, Form(max_length=10)] = "",
    victim_name: Annotated[list[str], Form()] = [],  # noqa: B006
    victim_age: Annotated[list[str], Form()] = [],  # noqa: B006
    victim_phone: Annotated[list[str], Form()] = [],  # noqa: B006
    victim_id_number: Annotated[list[str], Form()] = [],  # noqa: B006
    attachments: Annotated[list[UploadFile], File()] = [],  # noqa: B006
) -> Response:
    """Record a finding; invalid input re-shows the form, a stale version shows both sides (409)."""
    form = shaping.finding_form_values(
        expected_version,
        violations,
        outcome,
        notes,
        follow_up_date,
        [victim_name, victim_age, victim_phone, victim_id_number],
    )
    try:
        uploads = await read_uploads(attachments, settings)
        findings.finding_record(
            session,
            task_id=task_id,
            expected_version=expected_version,
            actor=user,
            violations=violations,
            outcome=outcome,
            notes=notes,
            victims=form["victims"],
            follow_up_date=_parse_date(follow_up_date),
            attachments=uploads,
            settings=settings,
        )
    except StaleTaskError:
        session.rollback()
        return _finding_retry(request, session, user, task_id, form, 409, conflict=True)
    except FindingError as exc:
        session.rollback()
        message = service_message(str(exc), request_language(request))
        return _finding_retry(request, session, user, task_id, form, 422, error=message)
    session.commit()
    return RedirectResponse(f"/tasks/{task_id}", status_code=303)


def _finding_retry(
    request: Request,
    session: Any,
    user: Any,
    task_id: TaskId,
    form: dict[str, Any],
    status: int,
    **extra: Any,
) -> Response:
    detail = shaping.load_detail(session, user, task_id)
    # The form keeps everything typed; on a conflict it carries the current version so a resubmission is
    # a deliberate choice made after seeing the current state.
    submitted_version = form["expected_version"]
    form = {**form, "expected_version": detail.task.version, "submitted_version": submitted_version}
    return render(request, "finding_form.html", _finding_context(detail, form, **extra), status_code=status)


def _parse_date(value: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise FindingError(f"follow-up date: not a date (YYYY-MM-DD): {value!r}") from None
