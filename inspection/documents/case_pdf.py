"""检查记录（案卷）: a task's case file as a PDF, masked for the reader exactly as the task page is."""

from __future__ import annotations

from typing import Any

from inspection.clock import beijing_text
from inspection.documents.pdf import Document, find_cjk_font
from inspection.documents.words import RISK_NAMES, action_words, label
from inspection.views.case_file import EvidenceView, FindingView, TaskDetail
from inspection.web.i18n import reason_text

MAX_REASONS = 8
FOLDED_ACTIONS = frozenset({"task.view_pii", "attachment.download"})  # reads, not steps of the case


def _weight(entry: dict[str, Any]) -> float:
    try:
        return float(entry.get("weight", 0))
    except (TypeError, ValueError):
        return 0.0


def reasons_of(ev: EvidenceView, risk_type: str) -> list[tuple[str, str]]:
    """(reason in words, legal basis) of the task's risk type: rules first, then what raised the score."""
    score = next((s for s in ev.scores if s.get("risk_type") == risk_type), None)
    entries = [e for e in (score or {}).get("explanation") or [] if isinstance(e, dict)]
    rules = [e for e in entries if e.get("kind") == "rule"]
    raised = sorted(
        (e for e in entries if e.get("kind") != "rule" and _weight(e) > 0), key=_weight, reverse=True
    )
    return [(reason_text(e, "zh"), str(e.get("legal_basis") or "—")) for e in [*rules, *raised][:MAX_REASONS]]


def _captured_at(ev: EvidenceView) -> str:
    captured = next((v["captured_at"] for v in ev.versions if v["id"] == ev.listing_version_id), None)
    return beijing_text(captured)


def _evidence(doc: Document, detail: TaskDetail) -> None:
    doc.section("一、网络信息证据")
    for ev in detail.evidence:
        doc.fields(
            [
                ("信息编号", f"{ev.listing_id}（第 {ev.version_no or '—'} 版）"),
                ("标题", ev.title),
                ("网址", ev.url),
                ("单位名称", ev.employer_name or "—"),
                ("采集时间", _captured_at(ev)),
                ("SHA-256", ev.raw_sha256 or "—"),
            ]
        )
        doc.para(ev.body[:1500] + ("……" if len(ev.body) > 1500 else ""), size=9)
        reasons = reasons_of(ev, detail.task.risk_type)
        if reasons:
            doc.grid(["风险理由", "法律依据"], [list(r) for r in reasons], [80, 94])


def _finding(doc: Document, finding: FindingView) -> None:
    doc.fields(
        [
            ("结论时间", beijing_text(finding.created_at)),
            ("违法事实", "、".join(label("violation", v) for v in finding.violations)),
            ("处理结果", label("outcome", finding.outcome)),
            ("复查日期", finding.follow_up_date.isoformat() if finding.follow_up_date else "—"),
            ("涉及人员", f"{finding.victim_count} 人"),
        ]
    )
    doc.para(f"检查情况：{finding.notes}")
    if finding.attachments:
        rows = [[a["filename"], f"{a['size_bytes']} 字节", a["sha256"]] for a in finding.attachments]
        doc.grid(["附件名称", "大小", "SHA-256"], rows, [56, 24, 94])
    elif finding.victim_count or finding.notes:
        doc.para("附件：按权限不予列出或无附件。", size=9)


def _history(doc: Document, detail: TaskDetail) -> None:
    doc.section("四、办理经过")
    rows = [
        [beijing_text(h["at"]), str(h["actor"] or "系统"), action_words(h["action"], h["details"] or {})]
        for h in detail.history
        if h["action"] not in FOLDED_ACTIONS
    ]
    doc.grid(["时间", "操作人", "事项"], rows or [["—", "—", "—"]], [46, 30, 98])


def case_file_pdf(detail: TaskDetail, *, font: str = "") -> bytes:
    """The case file of DETAIL (built by ``task_detail`` for the reader, so already masked)."""
    task = detail.task
    doc = Document(title=f"检查记录（案卷）任务 {task.id}", font=find_cjk_font(font))
    doc.heading("劳动保障监察检查记录（案卷）")
    doc.fields(
        [
            ("任务编号", str(task.id)),
            ("案件名称", detail.title),
            ("风险类型", RISK_NAMES.get(task.risk_type, task.risk_type)),
            ("所属地区", detail.region_name),
            ("涉事单位", (detail.organisation or {}).get("name") or "—"),
            ("当前状态", label("status", task.status)),
            ("承办人", detail.assignee_name or "—"),
            ("立案时间", beijing_text(task.created_at)),
            ("办理期限", beijing_text(task.due_at)),
        ]
    )
    if detail.tip_text:
        doc.para(f"举报内容：{detail.tip_text}")
    _evidence(doc, detail)
    doc.section("二、检查结论")
    for finding in detail.findings:
        _finding(doc, finding)
    if not detail.findings:
        doc.para("尚未记录检查结论。")
    doc.section("三、附件清单")
    names = [a for f in detail.findings for a in f.attachments]
    doc.para(
        "；".join(f"{a['filename']}（SHA-256 {a['sha256']}）" for a in names) or "无（或按权限不予列出）", 9
    )
    _history(doc, detail)
    doc.section("五、签字")
    doc.signatures(["检查人员", "检查人员", "被检查单位负责人", "审核人（督导）"])
    return doc.to_bytes()
