"""Printed documents: the monthly assessment PDF, the case file PDF and the 督办通知 hold the database's facts."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine, func, select
from sqlmodel import Session, col

from inspection.access import AccessDenied, NotFound
from inspection.documents.case_pdf import case_file_pdf
from inspection.documents.notice import escalation_notice, notice_pdf
from inspection.reports.assessment import monthly_report, parse_month
from inspection.tasks.actions import task_escalate
from inspection.tasks.changes import add_evidence
from inspection.tasks.workflow import WorkflowError
from inspection.views.case_file import task_detail
from store.enums import TaskOrigin
from store.models import Finding, FindingAttachment, InspectionTask, ListingVersion, TaskEscalation, User
from tests import rows as f

NOV = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)


def pdf_text(data: bytes) -> str:
    """All text of a PDF, whitespace removed (long hashes wrap across lines)."""
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def figure(text: str, label: str) -> str:
    match = re.search(re.escape(label) + r"([0-9.—/（）%]+)", text)
    assert match, f"{label} not in the PDF"
    return match[1]


def _month_tasks(session: Session, users: dict[str, User]) -> None:
    """Tasks in 苏州 and 南京 in November 2026 (Beijing), some closed, some overdue, with findings."""
    for k in range(3):
        t = f.task(session, region="320505", due_at=NOV + timedelta(days=3))
        t.created_at = NOV + timedelta(days=k)
    closed = f.task(session, region="320500", status="closed", risk_type="child_labour")
    closed.created_at, closed.updated_at = NOV, NOV + timedelta(days=4)
    audit = f.task(session, region="320500", status="closed")
    audit.origin, audit.created_at, audit.updated_at = TaskOrigin.audit, NOV, NOV + timedelta(days=8)
    other = f.task(session, region="320100")
    other.created_at = NOV
    early = f.task(session, region="320500")
    early.created_at = NOV - timedelta(days=40)  # October: not opened this month
    session.flush()
    for t, found in ((closed, ["child_labour"]), (audit, ["no_violation"])):
        session.add(
            Finding(task_id=t.id or 0, inspector_id=users["insp_sz"].id or 0, violations=found,
                    outcome="warning", created_at=NOV + timedelta(days=3))
        )  # fmt: skip
    session.commit()


def test_report_monthly_cli_writes_the_databases_figures(  # type: ignore[no-untyped-def]
    db: Engine,
    session: Session,
    users: dict[str, User],
    run_in_process,
    tmp_path,
) -> None:
    _month_tasks(session, users)
    out = tmp_path / "sz.pdf"
    result = run_in_process(
        "report", "monthly", "--region", "320500", "--month", "2026-11", "--output", str(out)
    )
    assert result.exit_code == 0, result.output
    text = pdf_text(out.read_bytes())
    start, end = parse_month("2026-11")
    in_sz = col(InspectionTask.region_code).like("3205%")
    opened = session.execute(
        select(func.count()).where(
            in_sz, col(InspectionTask.created_at) >= start, col(InspectionTask.created_at) < end
        )
    ).scalar()
    closed = session.execute(
        select(func.count()).where(in_sz, col(InspectionTask.status) == "closed", col(InspectionTask.updated_at) >= start,
                                   col(InspectionTask.updated_at) < end)
    ).scalar()  # fmt: skip
    overdue = session.execute(
        select(func.count()).where(
            in_sz, col(InspectionTask.status) != "closed", col(InspectionTask.due_at) < end
        )
    ).scalar()
    assert "苏州市" in text and "2026-11" in text
    assert (opened, closed, overdue) == (5, 2, 3)  # the query itself, so a wrong fixture cannot hide
    assert figure(text, "本月立案") == str(opened)
    assert figure(text, "本月办结") == str(closed)
    assert figure(text, "月末逾期") == str(overdue)
    assert figure(text, "办结用时中位数") == "6.0"  # 4 and 8 days
    assert figure(text, "随机抽查命中率") == "0/1（0%）"
    assert "使用童工" in text and "非法婚介" in text and "强迫劳动" in text


def test_monthly_report_province_and_access(session: Session, users: dict[str, User]) -> None:
    _month_tasks(session, users)
    province = monthly_report(session, region_code="320000", month="2026-11", user=users["sup_prov"])
    assert (province.region_name, province.opened) == ("江苏省", 6)
    assert province.violations_by_risk == {
        "illegal_agency": 0, "child_labour": 1, "forced_labour": 0, "illegal_marriage_broker": 0
    }  # fmt: skip
    with pytest.raises(AccessDenied):
        monthly_report(session, region_code="320000", month="2026-11", user=users["sup_sz"])
    with pytest.raises(ValueError, match="YYYY-MM"):
        monthly_report(session, region_code="320500", month="2026-13")


def _case(session: Session, users: dict[str, User]) -> tuple[InspectionTask, str]:
    src = f.source(session)
    item = f.listing(session, src, title="招聘童工", body="年龄十四岁以上即可，联系13912345678")
    version = session.execute(
        select(ListingVersion).where(col(ListingVersion.listing_id) == item.id)
    ).scalar_one()
    t = f.task(session, risk_type="child_labour", status="finding_recorded", assignee=users["insp_sz"],
               listing_id=item.id, due_at=datetime.now(UTC) + timedelta(days=3))  # fmt: skip
    add_evidence(session, [(t.id or 0, item.id or 0, version.id)])
    finding = Finding(task_id=t.id or 0, inspector_id=users["insp_sz"].id or 0, violations=["child_labour"],
                      outcome="fine", notes="现场查见两名十四岁工人，已责令清退。")  # fmt: skip
    session.add(finding)
    session.flush()
    session.add(FindingAttachment(finding_id=finding.id or 0, filename="现场照片.png", content_type="image/png",
                                  size_bytes=3, sha256="ab" * 32, data=b"png"))  # fmt: skip
    session.commit()
    return t, version.raw_sha256 or ""


def test_case_file_pdf_holds_the_evidence_hash_and_finding(session: Session, users: dict[str, User]) -> None:
    t, sha = _case(session, users)
    detail = task_detail(session, user=users["sup_sz"], task_id=t.id or 0)
    text = pdf_text(case_file_pdf(detail))
    assert sha and sha in text
    assert "现场查见两名十四岁工人，已责令清退。" in text and "使用童工" in text and "罚款" in text
    assert "现场照片.png" in text and "ab" * 32 in text
    assert "北京时间" in text and "检查人员" in text
    assert "13912345678" in text  # a supervisor of the region sees it, as on the page


def test_case_file_pdf_masks_as_the_page_does(session: Session, users: dict[str, User]) -> None:
    t, sha = _case(session, users)
    detail = task_detail(session, user=users["analyst"], task_id=t.id or 0)
    text = pdf_text(case_file_pdf(detail))
    assert sha in text and "13912345678" not in text and "现场照片.png" not in text


def test_escalation_records_a_notice(session: Session, users: dict[str, User]) -> None:
    t, sha = _case(session, users)
    deadline = date.today() + timedelta(days=10)
    with pytest.raises(WorkflowError, match="督办理由"):
        task_escalate(session, task_id=t.id or 0, expected_version=1, actor=users["sup_sz"], reason=" ",
                      office="江苏省人社厅", deadline=deadline)  # fmt: skip
    with pytest.raises(NotFound):
        escalation_notice(session, user=users["sup_sz"], task_id=t.id or 0)
    task_escalate(session, task_id=t.id or 0, expected_version=1, actor=users["sup_sz"],
                  reason="涉及多名未成年人", office="江苏省人力资源和社会保障厅", deadline=deadline)  # fmt: skip
    session.commit()
    row = session.execute(select(TaskEscalation)).scalar_one()
    assert (row.reason, row.deadline, row.escalated_by_id) == (
        "涉及多名未成年人",
        deadline,
        users["sup_sz"].id,
    )
    notice = escalation_notice(session, user=users["sup_sz"], task_id=t.id or 0)
    assert notice.evidence[0].sha256 == sha and not notice.overdue
    text = pdf_text(notice_pdf(notice))
    for fact in (
        "挂牌督办通知书",
        "涉及多名未成年人",
        "江苏省人力资源和社会保障厅",
        deadline.isoformat(),
        sha,
        "北京时间",
    ):
        assert fact in text


def test_report_monthly_all_writes_province_and_cities(  # type: ignore[no-untyped-def]
    db: Engine,
    session: Session,
    users: dict[str, User],
    run_in_process,
    tmp_path,
) -> None:
    _month_tasks(session, users)
    result = run_in_process("report", "monthly-all", "--month", "2026-11", "--output-dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "2026-11").iterdir())
    assert len(files) == 14 and "考核月报-320000-2026-11.pdf" in files
    assert "南京市" in pdf_text((tmp_path / "2026-11" / "考核月报-320100-2026-11.pdf").read_bytes())
    bad = run_in_process("report", "monthly", "--region", "320505", "--output", str(tmp_path / "x.pdf"))
    assert bad.exit_code == 1 and "city or the province" in str(bad.exception)


def test_monthly_escalation_outcomes_and_reinspections(session: Session, users: dict[str, User]) -> None:
    on_time, late, open_late, open_ok = (f.task(session, region="320500", status=s)
                                         for s in ("closed", "closed", "escalated", "escalated"))  # fmt: skip
    on_time.updated_at, late.updated_at = NOV + timedelta(days=2), NOV + timedelta(days=12)
    for t, deadline in ((on_time, date(2026, 11, 15)), (late, date(2026, 11, 15)),
                        (open_late, date(2026, 11, 20)), (open_ok, date(2026, 12, 5))):  # fmt: skip
        session.add(
            TaskEscalation(task_id=t.id or 0, reason="r", office="o", deadline=deadline, created_at=NOV)
        )
    again = f.task(session, region="320500", status="closed")
    again.origin = TaskOrigin.reinspection
    still = f.task(session, region="320500", status="closed")
    still.origin = TaskOrigin.reinspection
    session.flush()
    for t, found in ((again, ["no_violation"]), (still, ["deposits_or_fees"])):
        session.add(Finding(task_id=t.id or 0, inspector_id=users["insp_sz"].id or 0, violations=found,
                            outcome="warning", created_at=NOV))  # fmt: skip
    session.commit()
    report = monthly_report(session, region_code="320500", month="2026-11")
    outcomes = (report.escalations_closed_on_time, report.escalations_closed_late,
                report.escalations_open_overdue, report.escalations_open)  # fmt: skip
    assert (report.escalations, outcomes) == (4, (1, 1, 1, 1))
    assert (report.reinspections, report.reinspections_rectified) == (2, 1)
    assert report.violations_by_risk["illegal_agency"] == 1
