"""ORFD bench: project model vs the plain char-TF-IDF baseline on the same grouped folds and time split.

Run: PYTHONPATH=. python bench/orfd.py [--limit N] [--folds 5] [--random-folds/--no-random-folds] [--out-dir DIR]
The last line printed is a JSON object with every figure. Metrics are means over the folds, except
precision@50/100: those are measured once on the pooled out-of-fold scores (a fold is too small for them). --random-folds adds plain stratified folds
(near-duplicates may straddle them): the protocol the published baseline figures were measured with,
shown for comparison only; the grouped folds are the figure to judge by.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import typer
from rich.console import Console
from rich.table import Table
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline

from risk_model.data.examples import AD_TEXT_FIELDS, COMPANY_TEXT_FIELDS, Example
from risk_model.data.grouping import near_duplicate_groups
from risk_model.data.orfd import load_orfd
from risk_model.model.pipeline import best_f1_threshold, calibration_split, train_risk_model
from risk_model.training.splits_and_metrics import (
    evaluate_splits,
    grouped_folds,
    reliability_plot,
    summarise,
    time_split,
)

BASELINE_FIELDS = AD_TEXT_FIELDS + COMPANY_TEXT_FIELDS
SHOWN = (
    "roc_auc",
    "average_precision",
    "f1",
    "precision",
    "recall",
    "precision_at_50",
    "precision_at_100",
    "brier",
)


def baseline_text(example: Example) -> str:
    """The raw text fields the baseline reads (the same fields the project model's n-grams read)."""
    record = example.record()
    return "\n".join(record[key] for key in BASELINE_FIELDS)


def baseline_pipeline() -> Pipeline:
    """The plain baseline: character 2-4-gram TF-IDF + logistic regression."""
    return Pipeline(
        [
            ("tfidf", TfidfVectorizer(analyzer="char", ngram_range=(2, 4))),
            ("clf", LogisticRegression(max_iter=1000, class_weight="balanced")),
        ]
    )


def train_baseline(examples: Sequence[Example], groups: np.ndarray) -> tuple[Any, float]:
    """Same protocol as the project model: fit on 80%, threshold on the held-out 20% of training data."""
    y = np.asarray([e.label for e in examples])
    texts = [baseline_text(e) for e in examples]
    fit, held = calibration_split(y, groups, 0.2, seed=0)
    model = baseline_pipeline().fit([texts[i] for i in fit], y[fit])
    threshold = best_f1_threshold(y[held], model.predict_proba([texts[i] for i in held])[:, 1])
    return (lambda batch: model.predict_proba([baseline_text(e) for e in batch])[:, 1]), threshold


def train_project(examples: Sequence[Example], groups: np.ndarray) -> tuple[Any, float]:
    """The project model for illegal_agency (calibrated; threshold picked on its calibration split)."""
    model = train_risk_model(examples, "illegal_agency", groups=groups)
    return (lambda batch: model.predict_proba([e.record() for e in batch])), model.threshold


def run_split_set(name: str, examples: list[Example], groups: np.ndarray, splits: list) -> dict[str, Any]:
    """Both models on one set of splits, with timings and pooled scores."""
    out: dict[str, Any] = {}
    for label, trainer in (("baseline", train_baseline), ("project", train_project)):
        start = time.perf_counter()
        result = evaluate_splits(trainer, examples, groups, splits)
        out[label] = summarise(result.overall() | {"seconds": time.perf_counter() - start})
        out[f"{label}_pooled"] = result.scores
    return out


def print_table(console: Console, title: str, result: dict[str, Any]) -> None:
    """Metrics of both models side by side with project/baseline ratios."""
    table = Table(title=title)
    for column in ("metric", "baseline", "project", "project/baseline"):
        table.add_column(column, justify="right")
    for key in (*SHOWN, "threshold", "seconds"):
        base, proj = result["baseline"].get(key), result["project"].get(key)
        if base is None or proj is None:  # precision@k where fewer than k rows were tested
            table.add_row(key, "-", "-", "-")
            continue
        table.add_row(key, f"{base:.4f}", f"{proj:.4f}", f"{proj / base:.3f}" if base else "-")
    console.print(table)


def main(
    limit: int = typer.Option(0, help="use only the first N rows (0 = all)"),
    folds: int = 5,
    out_dir: Path = Path(tempfile.gettempdir()) / "labourwatch-bench",
    random_folds: bool = typer.Option(False, help="also run plain (leaky) stratified folds, for comparison"),
) -> None:
    """Run the bench and print tables, then one JSON line."""
    console = Console()
    examples = load_orfd(limit=limit or None)
    labels = np.asarray([e.label for e in examples])
    groups = near_duplicate_groups([f"{e.company_name}\n{e.body}" for e in examples])
    console.print(
        f"{len(examples)} labelled rows, {labels.sum()} fake, {len(set(groups))} near-duplicate groups"
    )
    grouped = run_split_set("grouped", examples, groups, grouped_folds(labels, groups, folds))
    print_table(
        console, f"ORFD illegal_agency, {folds} grouped folds (means over folds; P@k pooled)", grouped
    )
    timed = run_split_set("time", examples, groups, [time_split([e.fields["posted_at"] for e in examples])])
    print_table(console, "ORFD illegal_agency, time split (newest 20% held out)", timed)
    leaky = None
    if random_folds:
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
        leaky = run_split_set("random", examples, groups, list(splitter.split(np.zeros(len(labels)), labels)))
        print_table(
            console, f"ORFD illegal_agency, {folds} random folds (near-duplicates leak; P@k pooled)", leaky
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    png = reliability_plot(
        {name: (labels, grouped[f"{name}_pooled"]) for name in ("baseline", "project")},
        out_dir / "orfd_reliability.png",
    )
    console.print(f"reliability curve: {png}")
    summary: dict[str, Any] = {
        "rows": len(examples),
        "positives": int(labels.sum()),
        "groups": len(set(groups)),
        "grouped_folds": {k: grouped[k] for k in ("baseline", "project")},
        "time_split": {k: timed[k] for k in ("baseline", "project")},
        "reliability_png": str(png),
    }
    if leaky is not None:
        summary["random_folds"] = {k: leaky[k] for k in ("baseline", "project")}
    print(json.dumps(summary))


if __name__ == "__main__":
    typer.run(main)
