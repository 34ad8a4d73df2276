"""`model evaluate`: grouped k-fold cross-validation and a time-ordered split of one risk type's data."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from risk_model.evaluate import evaluate_splits, grouped_folds, reliability_plot, summarise
from risk_model.examples import Example
from risk_model.training import TrainingRow, fit_risk_model, holdout_split, row_groups


def _trainer(risk_type: str, tick: Callable[[], None]) -> Any:
    def train(
        examples: Sequence[Example], groups: np.ndarray
    ) -> tuple[Callable[[Sequence[Example]], np.ndarray], float]:
        model = fit_risk_model(examples, risk_type, groups=groups, seed=0)
        tick()
        return (lambda test: model.predict_proba([e.record() for e in test])), model.threshold

    return train


def evaluate_risk_type(
    rows: Sequence[TrainingRow],
    risk_type: str,
    *,
    folds: int,
    folder: Path,
    tick: Callable[[], None] = lambda: None,
) -> dict[str, Any]:
    """Mean metrics over grouped folds, metrics of the time-ordered split, and a reliability PNG."""
    examples = [r.example for r in rows]
    labels = np.asarray([e.label for e in examples])
    groups = row_groups(rows)
    trainer = _trainer(risk_type, tick)
    cv_metrics, cv_scores = evaluate_splits(trainer, examples, groups, grouped_folds(labels, groups, folds))
    time_metrics, time_scores = evaluate_splits(trainer, examples, groups, [holdout_split(rows, groups)])
    tested = ~np.isnan(time_scores)
    folder.mkdir(parents=True, exist_ok=True)
    curves = {"grouped CV": (labels, cv_scores), "time split": (labels[tested], time_scores[tested])}
    reliability_plot(curves, folder / f"reliability-{risk_type}.png")
    cv_counts = {"n_test": float(len(labels)), "n_test_positive": float(labels.sum())}
    time_counts = {"n_test": float(tested.sum()), "n_test_positive": float(labels[tested].sum())}
    return {
        "grouped_cv": summarise(cv_metrics | cv_counts),
        "time_split": summarise(time_metrics | time_counts),
    }
