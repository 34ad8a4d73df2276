"""挂牌督办 and printed documents on the web: the escalation form's target, the 督办通知 (page and PDF),
the case file PDF and the monthly assessment (page and PDF)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from inspection.documents.case_pdf import case_file_pdf
from inspection.documents.monthly_pdf import chart_png, figure_lines, monthly_pdf
from inspection.documents.notice import escalation_notice, notice_pdf
from inspection.documents.pdf import PdfFontError, find_cjk_font
from inspection.documents.words import RISK_NAMES
from inspection.reports.assessment import MonthlyReport, last_month, monthly_report
from inspection.tasks import actions
from inspection.tasks.workflow import StaleTaskError
from inspection.web.deps import CurrentUser, SessionDep, SettingsDep
from inspection.web.filters import MAX_ID, TaskId
from inspection.web.pages import shaping
from inspection.web.templating import render

router = APIRouter(include_in_schema=False)
LOG = logging.getLogger(__name__)

Region = Annotated[str | None, Query(pattern=r"^\d{6}$")]
Month = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")]


def pdf_response(make: Callable[[], bytes], filename: str) -> Response:
    """A PDF download (never rendered inline by the app's own origin); 503 when no CJK font is installed."""
    try:
        data = make()
    except PdfFontError as exc:
        LOG.error("PDF %s not made: %s", filename, exc)
        raise HTTPException(503, f"无法生成 PDF：{exc}") from exc
    headers = {"content-disposition": f"attachment; filename*=UTF-8''{quote(filename)}"}
    return Response(data, media_type="application/pdf", headers=headers)


@router.post("/tasks/{task_id}/escalate")
def escalate(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    task_id: TaskId,
    expected_version: Annotated[int, Form(ge=1, le=MAX_ID)],
    reason: Annotated[str, Form(min_length=1, max_length=2000)],
    office: Annotated[str, Form(min_length=1, max_length=200)],
    deadline: Annotated[date, Form()],
) -> Response:
    """挂牌督办 with reason, supervising office and deadline; then the notice is shown."""
    try:
        actions.task_escalate(
            session,
            task_id=task_id,
            expected_version=expected_version,
            actor=user,
            reason=reason,
            office=office,
            deadline=deadline,
        )
    except StaleTaskError:
        session.rollback()
        detail = shaping.load_detail(session, user, task_id)
        submitted = {"reason": reason, "office": office, "deadline": deadline.isoformat()}
        return render(request, "conflict.html", {"submitted": submitted, "detail": detail}, status_code=409)
    session.commit()
    return RedirectResponse(f"/tasks/{task_id}/notice", status_code=303)


@router.get("/tasks/{task_id}/notice")
def notice_page(request: Request, session: SessionDep, user: CurrentUser, task_id: TaskId) -> Response:
    """The 督办通知 of the task's latest escalation, printable."""
    notice = escalation_notice(session, user=user, task_id=task_id)
    session.commit()  # a view of unmasked data is audited
    return render(request, "notice.html", {"notice": notice})


@router.get("/tasks/{task_id}/notice.pdf")
def notice_download(
    session: SessionDep, settings: SettingsDep, user: CurrentUser, task_id: TaskId
) -> Response:
    """The 督办通知 as a PDF."""
    notice = escalation_notice(session, user=user, task_id=task_id)
    session.commit()
    return pdf_response(lambda: notice_pdf(notice, font=settings.pdf_font), f"督办通知-{task_id}.pdf")


@router.get("/tasks/{task_id}/case-file.pdf")
def case_file_download(
    session: SessionDep, settings: SettingsDep, user: CurrentUser, task_id: TaskId
) -> Response:
    """The case file (检查记录/案卷), masked for the reader as the task page is."""
    detail = shaping.load_detail(session, user, task_id)
    return pdf_response(lambda: case_file_pdf(detail, font=settings.pdf_font), f"案卷-{task_id}.pdf")


def _report(session: SessionDep, user: CurrentUser, region: str | None, month: str | None) -> MonthlyReport:
    code = region or _home_region(user.region_code)
    return monthly_report(session, region_code=code, month=month or last_month(), user=user)


def _home_region(code: str) -> str:
    """A county supervisor's report is their city's."""
    return code if code.endswith("00") else code[:4] + "00"


@router.get("/reports/monthly")
def monthly_page(
    request: Request, session: SessionDep, user: CurrentUser, region: Region = None, month: Month = None
) -> Response:
    """The monthly assessment of a city or the province, for supervisors."""
    report = _report(session, user, region, month)
    context = {"report": report, "figures": figure_lines(report), "risk_names": RISK_NAMES}
    return render(request, "report_monthly.html", context)


@router.get("/reports/monthly.pdf")
def monthly_download(
    session: SessionDep, settings: SettingsDep, user: CurrentUser, region: Region = None, month: Month = None
) -> Response:
    """The monthly assessment as a PDF."""
    report = _report(session, user, region, month)
    name = f"考核月报-{report.region_code}-{report.month}.pdf"
    return pdf_response(lambda: monthly_pdf(report, font=settings.pdf_font), name)


@router.get("/reports/monthly/chart.png")
def monthly_chart(
    session: SessionDep, settings: SettingsDep, user: CurrentUser, region: Region = None, month: Month = None
) -> Response:
    """The report's bars (violations by risk type; opened, closed, overdue) as a PNG for the page."""
    report = _report(session, user, region, month)
    try:
        png = chart_png(report, find_cjk_font(settings.pdf_font))
    except PdfFontError as exc:
        LOG.error("report chart not drawn: %s", exc)
        raise HTTPException(503, "无法绘制图表") from exc
    return Response(png, media_type="image/png")
