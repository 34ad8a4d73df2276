"""Chinese words for stored codes in printed documents (the web catalogue's labels, plus history actions)."""

from __future__ import annotations

from typing import Any

from inspection.web.i18n import translate

RISK_NAMES = {
    "illegal_agency": "非法职业中介",
    "child_labour": "使用童工",
    "forced_labour": "强迫劳动",
    "illegal_marriage_broker": "非法婚介",
}
ACTION_WORDS = {
    "task.create": "生成任务",
    "task.open_tip": "登记举报立案",
    "task.reinspection": "生成复查任务",
    "task.referral": "移送生成任务",
    "task.assign": "指派",
    "task.evidence_add": "追加证据",
    "task.release_backlog": "从待分派池释放",
    "task.escalation_notice": "发出督办通知",
    "task.view_pii": "查看个人信息",
    "finding.record": "记录检查结论",
    "attachment.download": "下载附件",
}


def label(kind: str, code: str) -> str:
    """The Chinese label of a stored enum value (status, violation, outcome, origin)."""
    return translate(f"{kind}.{code}", "zh")


def action_words(action: str, details: dict[str, Any]) -> str:
    """One history event in words, e.g. 状态变更：办理中 → 已上报."""
    if action in ACTION_WORDS:
        words = ACTION_WORDS[action]
        if action == "task.assign" and details.get("assignee"):
            words += f"给 {details['assignee']}"
        return words
    if action.startswith("task.") and "to" in details:
        before = label("status", str(details.get("from", "")))
        words = f"状态变更：{before} → {label('status', str(details['to']))}"
        return words + (f"（{details['note']}）" if details.get("note") else "")
    return action
