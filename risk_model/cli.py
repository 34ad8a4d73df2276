"""`labourwatch model ...`: train, evaluate, promote, rollback, compare, score, list, card, drift."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from store.cli import CliError, cli_engine, cli_settings, console, new_app

model_app = new_app("Risk models: train, evaluate, promote, roll back, compare, score, model cards, drift.")

METRIC_COLUMNS = ("roc_auc", "average_precision", "f1", "precision_at_50", "brier", "threshold")
METRIC_HEADERS = ("ROC-AUC", "AP", "F1@thr", "P@50", "Brier", "threshold")
EVALUATION_COLUMNS = ("roc_auc", "average_precision", "f1", "precision_at_50", "precision_at_100", "brier")
EVALUATION_HEADERS = ("ROC-AUC", "AP", "F1@thr", "P@50", "P@100", "Brier")
EVALUATION_CAPTION = (
    "Source rows: pooled out-of-fold scores of that source. 'all': mean over folds, but P@k on "
    "the pooled scores. F1 at each fold's own threshold. Time split: newest ~20% of each source "
    "held out. –: fewer than k rows, or one class."
)


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def _metrics_table(title: str, rows: dict[str, dict[str, Any]]) -> Table:
    table = Table("risk type", *METRIC_HEADERS, "n test", title=title)
    for risk, m in rows.items():
        cells = [f"{m[k]:.3f}" if k in m else "–" for k in METRIC_COLUMNS]
        table.add_row(risk, *cells, str(int(m.get("n_test", 0))))
    return table


def _fail(error: Exception) -> CliError:
    return CliError(str(error))


@model_app.command("train")
def train_cmd(
    quick: Annotated[
        bool | None,
        typer.Option(
            "--quick/--full",
            help="Small sample (demo, tests) or the full data; default from LABOURWATCH_MODEL_QUICK.",
        ),
    ] = None,
    promote_first: Annotated[
        bool, typer.Option(help="Promote automatically when there is no champion yet.")
    ] = True,
) -> None:
    """Train a candidate on ORFD, the synthetic corpus and inspection findings."""
    from risk_model.training import model_train
    from store.db import session_scope

    settings = cli_settings()
    with _progress() as progress, session_scope(cli_engine()) as session:
        task = progress.add_task("training", total=4)

        def step(message: str) -> None:
            progress.update(task, description=message, advance=1)

        version = model_train(
            session, settings=settings, quick=quick, progress=step, promote_first=promote_first
        )
        progress.update(task, completed=4, description="done")
        console.print(_metrics_table(f"{version.version} ({version.status})", version.metrics))
        console.print(
            f"trained in {version.training['seconds']} s; data fingerprint {version.data_fingerprint[:16]}…"
        )


@model_app.command("evaluate")
def evaluate_cmd(
    quick: Annotated[
        bool | None, typer.Option("--quick/--full", help="Small sample or the full data.")
    ] = None,
    risk_type: Annotated[str | None, typer.Option(help="Only this risk type.")] = None,
    folds: Annotated[int, typer.Option(min=2, max=10, help="Grouped cross-validation folds.")] = 5,
) -> None:
    """Grouped k-fold CV and a time-ordered split, per source and overall: ROC-AUC, AP, F1, P@k, Brier."""
    from risk_model.evaluation import evaluate_risk_type, protocol
    from risk_model.examples import RISK_TYPES
    from risk_model.training import DataPlan, collect_training_data
    from store.db import session_scope
    from store.types import utcnow

    settings = cli_settings()
    chosen = [risk_type] if risk_type else list(RISK_TYPES)
    if not set(chosen) <= set(RISK_TYPES):
        raise CliError(f"unknown risk type {risk_type!r}; expected one of {', '.join(RISK_TYPES)}")
    plan = DataPlan.from_settings(settings, quick=quick)
    with session_scope(cli_engine()) as session:
        data = collect_training_data(session, plan)
    folder = settings.data_dir / "reports" / f"evaluate-{utcnow():%Y%m%d-%H%M%S}"
    results = {}
    with _progress() as progress:
        task = progress.add_task("evaluating", total=len(chosen) * (folds + 1))
        for risk in chosen:
            progress.update(task, description=f"{risk}")
            results[risk] = evaluate_risk_type(
                data[risk], risk, folds=folds, folder=folder, tick=lambda: progress.advance(task)
            )
    for risk, result in results.items():
        console.print(_evaluation_table(risk, result, folds))
    report = {"protocol": protocol(folds, plan), "risk_types": results}
    (folder / "evaluation.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    console.print(f"reliability curves and evaluation.json in {folder}")


def _evaluation_table(risk: str, result: dict[str, Any], folds: int) -> Table:
    """One risk type's evaluation: per source (real data first) and all sources, for both protocols."""
    from risk_model.evaluation import source_label

    mix = " + ".join(f"{c['rows']:,} {source_label(s)}" for s, c in result["sources"].items())
    table = Table(
        box=box.SIMPLE_HEAD,
        title=f"{risk}: all = {mix}",
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column("data", no_wrap=True)
    for header in (*EVALUATION_HEADERS, "n (pos)"):
        table.add_column(header, justify="right", no_wrap=True)
    overall = "all, mixed" if len(result["sources"]) > 1 else "all"
    thresholds = []
    for key, name in (("grouped_cv", f"{folds}-fold grouped CV"), ("time_split", "time split")):
        part = result[key]
        table.add_row(f"[bold]{name}[/]")
        for source, found in part["by_source"].items():
            table.add_row(f"  {source_label(source)}", *_evaluation_cells(found))
        table.add_row(f"  {overall}", *_evaluation_cells(part["overall"]), end_section=True)
        thresholds.append(f"{name} {part['overall']['threshold']:.3f}")
    table.caption = f"{EVALUATION_CAPTION} Mean threshold: {', '.join(thresholds)}."
    table.caption_justify = "left"
    return table


def _evaluation_cells(found: dict[str, float]) -> list[str]:
    cells = [f"{found[k]:.3f}" if k in found else "–" for k in EVALUATION_COLUMNS]
    return [*cells, f"{int(found['n_test'])} ({int(found['n_test_positive'])})"]


@model_app.command("promote")
def promote_cmd(
    version: Annotated[str, typer.Argument(help="Model version to make champion.")],
    force_reason: Annotated[
        str | None, typer.Option(help="Promote despite regressions; the reason is audited.")
    ] = None,
    actor: Annotated[str, typer.Option(help="Who promotes (recorded in the audit log).")] = "cli",
) -> None:
    """Promote a candidate; refused when a tracked metric regresses beyond the tolerance, unless forced."""
    from risk_model.registry import PromotionError, model_promote
    from store.db import session_scope

    try:
        with session_scope(cli_engine()) as session:
            promoted = model_promote(
                session, version=version, actor=actor, settings=cli_settings(), force_reason=force_reason
            )
            console.print(f"champion is now [bold]{promoted.version}[/]")
    except PromotionError as error:
        raise _fail(error) from None


@model_app.command("rollback")
def rollback_cmd(actor: Annotated[str, typer.Option(help="Who rolls back (audited).")] = "cli") -> None:
    """Restore the previous champion."""
    from risk_model.registry import PromotionError, model_rollback
    from store.db import session_scope

    try:
        with session_scope(cli_engine()) as session:
            restored = model_rollback(session, actor=actor, settings=cli_settings())
            console.print(f"champion restored to [bold]{restored.version}[/]")
    except PromotionError as error:
        raise _fail(error) from None


@model_app.command("compare")
def compare_cmd(
    candidate: Annotated[str, typer.Argument(help="Candidate version.")],
    champion: Annotated[
        str | None, typer.Option(help="Version to compare with (default: the champion).")
    ] = None,
    output: Annotated[Path | None, typer.Option(help="Also write the full comparison as JSON here.")] = None,
) -> None:
    """Candidate against champion on the same held-out data, with per-source/region slices and label bias."""
    from risk_model.compare import model_compare
    from risk_model.registry import PromotionError, version_by_name
    from risk_model.registry import champion as current_champion
    from store.db import session_scope

    try:
        with session_scope(cli_engine()) as session:
            cand = version_by_name(session, candidate)
            champ = version_by_name(session, champion) if champion else current_champion(session)
            if champ is None:
                raise PromotionError("no champion to compare with")
            result = model_compare(session, candidate=cand, champion=champ, settings=cli_settings())
    except PromotionError as error:
        raise _fail(error) from None
    for risk, by_model in result["risk_types"].items():
        console.print(
            _metrics_table(f"{risk}: hold-out", {name: part["overall"] for name, part in by_model.items()})
        )
    if output:
        output.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
        console.print(f"full comparison in {output}")


@model_app.command("score")
def score_cmd(
    input: Annotated[
        Path | None, typer.Option("--input", help="JSON-lines file of ads to score (format in README.md).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", help="Where to write the scored JSON lines.")
    ] = None,
    batch_size: Annotated[int | None, typer.Option(min=1, help="Listings per batch.")] = None,
) -> None:
    """Score new and changed listings with the champion, or a JSON-lines file with --input/--output."""
    if (input is None) != (output is None):
        raise CliError("--input and --output go together")
    if input is not None and output is not None:
        return _score_file(input, output, batch_size)
    from risk_model.registry import PromotionError
    from risk_model.scoring import score_listings
    from store.db import session_scope

    with _progress() as progress, session_scope(cli_engine()) as session:
        task = progress.add_task("scoring listings", total=None)
        try:
            run = score_listings(
                session,
                settings=cli_settings(),
                batch_size=batch_size,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
        except PromotionError as error:
            raise _fail(error) from None
    console.print(
        f"{run.listings} listings scored ({run.scores} scores) with {run.model_version} in {run.seconds} s"
    )


def _score_file(input_path: Path, output_path: Path, batch_size: int | None) -> None:
    from rich.markup import escape

    from risk_model.jsonl_files import MAX_FIELD_CHARS, check_input_path, check_output_path
    from risk_model.registry import PromotionError, load_champion
    from risk_model.scoring import score_jsonl
    from store.db import session_scope

    settings = cli_settings()
    try:  # both paths are checked before the (slow) model load
        check_input_path(input_path)
        check_output_path(output_path, input_path)
        with session_scope(cli_engine()) as session:
            version, bundle = load_champion(session, settings)
        with console.status(f"scoring {escape(str(input_path))} with {version.version}"):
            report = score_jsonl(
                input_path,
                output_path,
                bundle,
                thresholds=settings.model_thresholds,
                batch_size=batch_size or 500,
            )
    except (PromotionError, ValueError) as error:  # JsonlError and UnsafeModelError are ValueErrors
        raise _fail(error) from None
    for line, reason in report.errors:
        console.print(f"[yellow]line {line}[/]: {escape(reason)}", highlight=False)
    if report.invalid > len(report.errors):
        console.print(f"… and {report.invalid - len(report.errors):,} more invalid lines", highlight=False)
    cut = (
        f"; {report.truncated} with a field cut to {MAX_FIELD_CHARS:,} characters" if report.truncated else ""
    )
    console.print(
        f"{report.scored} scored into {escape(str(output_path))}; {report.invalid} invalid lines{cut}",
        highlight=False,
    )
    if report.invalid and not report.scored:
        raise typer.Exit(1)


@model_app.command("list")
def list_cmd() -> None:
    """Every model version with its status and headline metrics."""
    from risk_model.registry import list_versions
    from store.db import session_scope

    table = Table(title="model versions (newest first)")
    table.add_column("version", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("ROC-AUC agency/child/marriage", no_wrap=True)
    table.add_column("findings")
    with session_scope(cli_engine()) as session:
        for v in list_versions(session):
            from risk_model.examples import RISK_TYPES as risks

            aucs = [v.metrics.get(r, {}).get("roc_auc") for r in risks]
            findings = len((v.training or {}).get("finding_examples", []))
            auc_text = "/".join("–" if a is None else f"{a:.3f}" for a in aucs)
            table.add_row(v.version, v.status, auc_text, str(findings))
    console.print(table)


@model_app.command("card")
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
    from risk_model.registry import PromotionError, champion, version_by_name
    from risk_model.reports import model_card, write_charts
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
        raise _fail(error) from None
    if output:
        output.write_text(card, encoding="utf-8")
        console.print(f"model card written to {output}")
    else:
        console.print(card, markup=False, highlight=False)
    for path in drawn:
        console.print(f"chart: {path}")


@model_app.command("drift")
def drift_cmd(
    now: Annotated[
        str | None, typer.Option(help="End of the latest week (ISO date/time, UTC); default now.")
    ] = None,
) -> None:
    """Weekly drift report per source (PSI of scores and indicator rates); alerts are audited."""
    from risk_model.drift import drift_report
    from risk_model.reports import drift_png
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
