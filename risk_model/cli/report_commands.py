"""`labourwatch model card` and `model drift`: the model card with its charts, the weekly drift report."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from risk_model.cli.formatting import fail
from store.cli import CliError, cli_engine, cli_settings, console


def card_cmd(
    version: Annotated[str | None, typer.Argument(help="Model version (default: the champion).")] = None,
    output: Annotated[
        Path | None, typer.Option(help="Write the Markdown card here instead of printing it.")
    ] = None,
    charts: Annotated[
        bool, typer.Option(help="Also draw the PNG charts under DATA_DIR/reports/<version>/.")
    ] = True,
) -> None:
    """The model card (Markdown) and charts of a version."""
    from risk_model.ops.registry import PromotionError, champion, version_by_name
    from risk_model.ops.reports import model_card, write_charts
    from store.db import session_scope

    settings = cli_settings()
    try:
        with session_scope(cli_engine()) as session:
            chosen = version_by_name(session, version) if version else champion(session)
            if chosen is None:
                raise PromotionError("no champion yet; name a version")
            card = model_card(session, chosen)
            drawn = write_charts(session, chosen, settings) if charts else []
    except PromotionError as error:
        raise fail(error) from None
    if output:
        output.write_text(card, encoding="utf-8")
        console.print(f"model card written to {output}")
    else:
        console.print(card, markup=False, highlight=False)
    for path in drawn:
        console.print(f"chart: {path}")


def drift_cmd(
    now: Annotated[
        str | None, typer.Option(help="End of the latest week (ISO date/time, UTC); default now.")
    ] = None,
) -> None:
    """Weekly drift report per source (PSI of scores and indicator rates); alerts are audited."""
    from risk_model.ops.drift import drift_report
    from risk_model.ops.reports import drift_png
    from store.db import session_scope
    from store.types import utcnow

    settings = cli_settings()
    moment = utcnow() if now is None else _parse_utc(now)
    with session_scope(cli_engine()) as session:
        report = drift_report(session, now=moment, settings=settings)
    table = Table(
        "source", "risk type", "reference", "latest", "score PSI", "top indicator", "indicator PSI", "alert"
    )
    for r in report.rows:
        table.add_row(
            r.source,
            r.risk_type,
            str(r.n_reference),
            str(r.n_latest),
            _num(r.score_psi),
            r.top_indicator or "–",
            _num(r.indicator_psi),
            "ALERT" if r.alert else "",
        )
    console.print(table)
    if report.rows and report.path:
        chart = drift_png(report, Path(report.path).with_suffix(".png"))
        console.print(f"report {report.path}; chart {chart}")


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _parse_utc(text: str) -> datetime:
    from datetime import UTC

    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CliError(f"--now must be an ISO date or date-time, not {text!r}") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
