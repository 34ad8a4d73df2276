"""Service and validation messages in the reader's language.

The services raise English messages (the JSON API and logs keep them); pages show them in Chinese. Each
pattern names one message of inspection's services; an unknown message is shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from inspection.web.i18n import translate

PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), zh)
    for p, zh in (
        (r"a task cannot go from (\w+) to (\w+)", "任务不能从「{status1}」变为「{status2}」。"),
        (r"unknown task status", "任务状态无效。"),
        (r"use task_assign", "请使用“指派”功能指派任务。"),
        (r"use finding_record", "请通过“记录检查结论”提交结论。"),
        (r"violations: choose at least one", "请至少选择一项违法情形（未发现违法时选“未发现违法”）。"),
        (r"violations: unknown", "违法情形无效。"),
        (r"violations: no_violation cannot be combined", "“未发现违法”不能与其他违法情形同时选择。"),
        (r"outcome: must be one of", "请选择处理结果。"),
        (r"outcome: a finding of no violation", "未发现违法时，处理结果应为“不予处理”。"),
        (r"victims\[\d+\]\.age", "受害人年龄须为 0 至 120 的整数。"),
        (r"victims\[", "受害人信息有误。"),
        (r"attachment (.+?): only pdf", "附件「{1}」：只接受 PDF、JPG、PNG、TXT 文件。"),
        (r"attachment (.+?): content type", "附件「{1}」：文件类型与扩展名不符。"),
        (r"attachment (.+?): \d+ bytes is over", "附件「{1}」：文件超过大小限制。"),
        (r"attachment (.+?): the content is not", "附件「{1}」：文件内容与扩展名不符。"),
        (r"attachment (.+?): a txt file", "附件「{1}」：文本文件须为 UTF-8 编码。"),
        (r"follow_up_date: .* is in the past", "复查日期不能早于今天。"),
        (r"follow-up date: not a date", "复查日期格式应为 年-月-日（如 2026-12-31）。"),
        (r"risk type must be one of", "风险类型无效。"),
        (r"origin must be tip or mandated_report", "类型须为群众举报或强制报告。"),
        (r"unknown region code", "地区代码无效。"),
        (r"a task needs a title", "请填写标题。"),
        (r"already has an open", "该机构已有同类未结任务，请办理那一件，不必重新打开。"),
        (r"was changed by someone else", "任务已被他人修改，请刷新后重新操作。"),
        (r"is already the champion", "该版本已是在用模型，无需上线。"),
        (r"a forced promotion needs a reason", "强制上线须填写理由。"),
        (r"no champion to roll back", "当前没有在用模型，无法回滚。"),
        (r"has no previous champion to restore", "在用模型没有可恢复的上一版本，无法回滚。"),
        (r"the previous champion no longer exists", "上一版在用模型已不存在，无法回滚。"),
        (r"no champion to compare with", "尚无在用模型，无法比较。"),
        (r"no model version", "找不到该模型版本。"),
        (r"^invalid request$", "请求参数无效。"),
        (r"^invalid value$", "提交的值无效。"),
    )
)


def service_message(text: str, lang: str) -> str:
    """TEXT in LANG: English stays as the service wrote it; Chinese from the first matching pattern."""
    if lang == "en":
        return text
    for pattern, zh in PATTERNS:
        match = pattern.search(text)
        if match:
            groups = match.groups()
            statuses = [*(translate(f"status.{g}", lang) for g in groups), "", ""]
            return zh.format("", *groups, status1=statuses[0], status2=statuses[1])
    return text


def field_names(fields: Iterable[str], lang: str) -> str:
    """The invalid fields of a request, named in LANG where the catalogue knows them."""
    names = []
    for field in fields:
        label = translate(f"field.{field}", lang)
        names.append(field if label.startswith("field.") else label)
    return "、".join(dict.fromkeys(names))
