"""督办通知: the notice of a 挂牌督办 escalation, as data (for the HTML page) and as a PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session, col

from inspection.access import NotFound
from inspection.clock import beijing_text, beijing_today
from inspection.documents.pdf import Document, find_cjk_font
from inspection.documents.words import RISK_NAMES, label
from inspection.views.case_file import TaskDetail, task_detail
from store.models import TaskEscalation, User


@dataclass(frozen=True)
class EvidenceHash:
    listing_id: int
    url: str
    version_no: int | None
    captured_at: str  # Beijing time, labelled
    sha256: str


@dataclass(frozen=True)
class EscalationNotice:
    """Everything a 督办通知 states (masked for the reader as the task page is)."""

    task_id: int
    notice_no: str
    title: str
    risk_name: str
    region_name: str
    organisation: str
    status: str
    reason: str
    office: str
    deadline: date
    overdue: bool
    escalated_at: str  # Beijing time, labelled
    escalated_by: str
    evidence: list[EvidenceHash]


def latest_escalation(session: Session, task_id: int) -> TaskEscalation | None:
    statement = (
        select(TaskEscalation)
        .where(col(TaskEscalation.task_id) == task_id)
        .order_by(col(TaskEscalation.id).desc())
        .limit(1)
    )
    return session.execute(statement).scalars().first()


def _evidence_hashes(detail: TaskDetail) -> list[EvidenceHash]:
    hashes = []
    for ev in detail.evidence:
        captured = next((v["captured_at"] for v in ev.versions if v["id"] == ev.listing_version_id), None)
        hashes.append(
            EvidenceHash(ev.listing_id, ev.url, ev.version_no, beijing_text(captured), ev.raw_sha256 or "—")
        )
    return hashes


def escalation_notice(
    session: Session, *, user: User, task_id: int, now: datetime | None = None
) -> EscalationNotice:
    """The notice of the task's latest escalation (NotFound when it was never escalated with a notice)."""
    detail = task_detail(session, user=user, task_id=task_id, now=now)
    escalation = latest_escalation(session, task_id)
    if escalation is None:
        raise NotFound(f"task {task_id} has no 督办通知 (never escalated with a reason, office and deadline)")
    by = session.get(User, escalation.escalated_by_id) if escalation.escalated_by_id else None
    task = detail.task
    return EscalationNotice(
        task_id=task_id,
        notice_no=f"督〔{escalation.created_at.year}〕{escalation.id}号",
        title=detail.title,
        risk_name=RISK_NAMES.get(task.risk_type, task.risk_type),
        region_name=detail.region_name,
        organisation=(detail.organisation or {}).get("name") or "—",
        status=label("status", task.status),
        reason=escalation.reason,
        office=escalation.office,
        deadline=escalation.deadline,
        overdue=task.status != "closed" and escalation.deadline < beijing_today(now),
        escalated_at=beijing_text(escalation.created_at),
        escalated_by=by.display_name if by else "—",
        evidence=_evidence_hashes(detail),
    )


def notice_pdf(notice: EscalationNotice, *, font: str = "") -> bytes:
    """The 督办通知 as a PDF."""
    doc = Document(title=f"督办通知 {notice.notice_no}", font=find_cjk_font(font))
    doc.heading("挂牌督办通知书")
    doc.para(notice.notice_no)
    doc.section("案件基本情况")
    doc.fields(
        [
            ("任务编号", str(notice.task_id)),
            ("案件名称", notice.title),
            ("风险类型", notice.risk_name),
            ("所属地区", notice.region_name),
            ("涉事单位", notice.organisation),
            ("当前状态", notice.status),
        ]
    )
    doc.section("督办事项")
    doc.fields(
        [
            ("督办理由", notice.reason),
            ("督办单位", notice.office),
            (
                "办结期限",
                f"{notice.deadline.isoformat()}（北京时间当日）" + ("  已逾期" if notice.overdue else ""),
            ),
            ("督办时间", notice.escalated_at),
            ("督办人", notice.escalated_by),
        ]
    )
    doc.section("证据固定（网页快照 SHA-256）")
    rows = [[str(e.listing_id), str(e.version_no or "—"), e.captured_at, e.sha256] for e in notice.evidence]
    doc.grid(["信息编号", "版本", "采集时间", "SHA-256"], rows or [["—", "—", "—", "—"]], [20, 14, 46, 94])
    doc.para("请承办单位在办结期限前查处并报送结果；逾期未办结的，督办单位将予以通报。")
    doc.signatures(["督办单位（盖章）", "承办单位签收"])
    return doc.to_bytes()
