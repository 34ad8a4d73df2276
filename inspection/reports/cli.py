"""`labourwatch report ...`: the monthly regional assessment (考核) as PDF files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from store.cli import CliError, cli_engine, cli_settings, console, new_app

report_app = new_app("Reports: the monthly regional assessment (考核) of a city or the province, as PDF.")


def _write(region: str, month: str, output: Path) -> None:
    from inspection.documents.monthly_pdf import monthly_pdf
    from inspection.reports.assessment import monthly_report
    from store.db import session_scope

    with session_scope(cli_engine()) as session:
        report = monthly_report(session, region_code=region, month=month)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(monthly_pdf(report, font=cli_settings().pdf_font))
    console.print(
        f"{report.region_name} {month}: {report.opened} opened, {report.closed} closed, "
        f"{report.overdue} overdue, {report.escalations} escalations -> {output}"
    )


@report_app.command("monthly")
def report_monthly_cmd(
    region: Annotated[str, typer.Option(help="City code (e.g. 320500) or the province (320000).")],
    output: Annotated[Path, typer.Option(help="PDF file to write.")],
    month: Annotated[str | None, typer.Option(help="YYYY-MM in Beijing time (default: last month).")] = None,
) -> None:
    """Write one region's monthly assessment report as a PDF."""
    from inspection.reports.assessment import last_month

    try:
        _write(region, month or last_month(), output)
    except ValueError as exc:
        raise CliError(str(exc)) from exc


@report_app.command("monthly-all")
def report_monthly_all_cmd(
    month: Annotated[str | None, typer.Option(help="YYYY-MM in Beijing time (default: last month).")] = None,
    output_dir: Annotated[
        Path | None, typer.Option(help="Folder for the PDFs (default: LABOURWATCH_REPORT_DIR).")
    ] = None,
) -> None:
    """Write the province's and every city's report for a month (the scheduler runs this on the 1st)."""
    from inspection.reports.assessment import last_month, report_regions

    month = month or last_month()
    settings = cli_settings()
    folder = output_dir or Path(settings.report_dir or settings.data_dir / "reports")
    for region in report_regions():
        _write(region, month, folder / month / f"考核月报-{region}-{month}.pdf")
