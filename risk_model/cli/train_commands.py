"""`labourwatch model train` and `model evaluate`."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table

from risk_model.cli.formatting import metrics_table, progress_display
from store.cli import CliError, cli_engine, cli_settings, console

EVALUATION_COLUMNS = ("roc_auc", "average_precision", "f1", "precision_at_50", "precision_at_100", "brier")
EVALUATION_HEADERS = ("ROC-AUC", "AP", "F1@thr", "P@50", "P@100", "Brier")
EVALUATION_CAPTION = (
    "Source rows: pooled out-of-fold scores of that source. 'all': mean over folds, but P@k on "
    "the pooled scores. F1 at each fold's own threshold. Time split: newest ~20% of each source "
    "held out. –: fewer than k rows, or one class."
)


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
    """Train a candidate on ORFD, the synthetic corpus, the hand-written development ads and inspection findings."""
    from risk_model.ops.train import model_train
    from store.db import session_scope

    settings = cli_settings()
    with progress_display() as progress, session_scope(cli_engine()) as session:
        task = progress.add_task("training", total=4)

        def step(message: str) -> None:
            progress.update(task, description=message, advance=1)

        version = model_train(
            session, settings=settings, quick=quick, progress=step, promote_first=promote_first
        )
        progress.update(task, completed=4, description="done")
        console.print(metrics_table(f"{version.version} ({version.status})", version.metrics))
        console.print(
            f"trained in {version.training['seconds']} s; data fingerprint {version.data_fingerprint[:16]}…"
        )


def evaluate_cmd(
    quick: Annotated[
        bool | None, typer.Option("--quick/--full", help="Small sample or the full data.")
    ] = None,
    risk_type: Annotated[str | None, typer.Option(help="Only this risk type.")] = None,
    folds: Annotated[int, typer.Option(min=2, max=10, help="Grouped cross-validation folds.")] = 5,
) -> None:
    """Grouped k-fold CV and a time-ordered split, per source and overall: ROC-AUC, AP, F1, P@k, Brier."""
    from risk_model.data.examples import RISK_TYPES
    from risk_model.training.cross_validation import evaluate_risk_type, protocol
    from risk_model.training.data_sources import DataPlan, collect_training_data
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
    with progress_display() as progress:
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
    from risk_model.training.cross_validation import source_label

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
