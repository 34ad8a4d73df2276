"""What the model commands share: the progress display, the metrics table, one-line errors."""

from __future__ import annotations

from typing import Any

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from store.cli import CliError, console

METRIC_COLUMNS = ("roc_auc", "average_precision", "f1", "precision_at_50", "brier", "threshold")
METRIC_HEADERS = ("ROC-AUC", "AP", "F1@thr", "P@50", "Brier", "threshold")


def progress_display() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def metrics_table(title: str, rows: dict[str, dict[str, Any]]) -> Table:
    table = Table("risk type", *METRIC_HEADERS, "n test", title=title)
    for risk, m in rows.items():
        cells = [f"{m[k]:.3f}" if k in m else "–" for k in METRIC_COLUMNS]
        table.add_row(risk, *cells, str(int(m.get("n_test", 0))))
    return table


def fail(error: Exception) -> CliError:
    return CliError(str(error))
