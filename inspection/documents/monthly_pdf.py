"""The monthly assessment (考核) as a PDF with a chart drawn by matplotlib in the same CJK font."""

from __future__ import annotations

import io
from pathlib import Path

from inspection.clock import beijing_text
from inspection.documents.pdf import Document, find_cjk_font
from inspection.documents.words import RISK_NAMES
from inspection.reports.assessment import MonthlyReport


def figure_lines(report: MonthlyReport) -> list[tuple[str, str]]:
    """The month's figures as (label, value) rows: the page and the PDF print the same ones."""
    median = "—" if report.median_days_to_close is None else f"{report.median_days_to_close:.1f} 天"
    rate = report.audit_hit_rate
    return [
        ("本月立案", f"{report.opened} 件"),
        ("本月办结", f"{report.closed} 件"),
        ("办结用时中位数", median),
        ("月末逾期", f"{report.overdue} 件"),
        ("挂牌督办", f"{report.escalations} 件"),
        ("督办按期办结", f"{report.escalations_closed_on_time} 件"),
        ("督办逾期办结", f"{report.escalations_closed_late} 件"),
        ("督办逾期未结", f"{report.escalations_open_overdue} 件"),
        ("督办期限内在办", f"{report.escalations_open} 件"),
        ("复查", f"{report.reinspections} 件，已整改 {report.reinspections_rectified} 件"),
        (
            "随机抽查命中率",
            "—" if rate is None else f"{report.audit_hits}/{report.audit_findings}（{rate:.0%}）",
        ),
    ]


def chart_png(report: MonthlyReport, font: Path) -> bytes:
    """Bars: violations found by risk type, and tasks opened/closed/overdue."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    prop = font_manager.FontProperties(fname=str(font))
    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3), dpi=120)
    names = [RISK_NAMES[r] for r in report.violations_by_risk]
    left.bar(names, list(report.violations_by_risk.values()), color="#b03a2e")
    left.set_title("查实违法（按风险类型）", fontproperties=prop)
    right.bar(["立案", "办结", "逾期"], [report.opened, report.closed, report.overdue], color="#1f5f8b")
    right.set_title("任务办理", fontproperties=prop)
    for axis in (left, right):
        for tick in axis.get_xticklabels():
            tick.set_fontproperties(prop)
        axis.yaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def monthly_pdf(report: MonthlyReport, *, font: str = "") -> bytes:
    """The assessment report of one region and month as a PDF."""
    font_path = find_cjk_font(font)
    title = f"{report.region_name} {report.month} 劳动保障监察考核月报"
    doc = Document(title=title, font=font_path)
    doc.heading(title)
    doc.para(f"地区代码 {report.region_code} · 生成时间 {beijing_text(report.generated_at)}")
    doc.section("一、主要指标")
    doc.fields(figure_lines(report))
    doc.section("二、查实违法（按风险类型）")
    rows = [[RISK_NAMES[r], f"{n} 件"] for r, n in report.violations_by_risk.items()]
    doc.grid(["风险类型", "查实违法"], rows, [87, 87])
    doc.section("三、图表")
    doc.image(io.BytesIO(chart_png(report, font_path)), w=doc.epw)
    doc.para("口径：月份按北京时间计；办结以任务最后一次变更（关闭）计；逾期为月末前到期且月末未办结。", 8)
    return doc.to_bytes()
