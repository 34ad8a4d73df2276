"""Evaluation that does not flatter: grouped and time-ordered splits, thresholds fixed on training data."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score, brier_score_loss, f1_score, roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold

from risk_model.examples import Example

Split = tuple[np.ndarray, np.ndarray]
# A model maker: (training examples, their groups) -> (score function, threshold chosen on training data).
Trainer = Callable[[Sequence[Example], np.ndarray], tuple[Callable[[Sequence[Example]], np.ndarray], float]]


def grouped_folds(labels: np.ndarray, groups: np.ndarray, n_splits: int = 5, seed: int = 0) -> list[Split]:
    """Stratified folds that keep each near-duplicate group on one side."""
    splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(labels)), labels, groups))


def time_split(times: Sequence[str], test_fraction: float = 0.2) -> Split:
    """Train on the older ads, test on the newest `test_fraction` (ties broken by position)."""
    order = np.argsort(np.asarray(times, dtype=object).astype(str), kind="stable")
    cut = round(len(order) * (1 - test_fraction))
    return np.sort(order[:cut]), np.sort(order[cut:])


def precision_at_k(y_true: np.ndarray, scores: np.ndarray, k: int) -> float:
    """Share of true positives among the k highest scores."""
    top = np.argsort(-scores, kind="stable")[:k]
    return float(y_true[top].mean()) if len(top) else 0.0


def metrics(y_true: np.ndarray, scores: np.ndarray, threshold: float) -> dict[str, float]:
    """ROC-AUC, AP, F1/precision/recall at the threshold, precision@50/100 and Brier score."""
    flagged = scores >= threshold
    hits = int((flagged & (y_true == 1)).sum())
    return {
        "roc_auc": float(roc_auc_score(y_true, scores)),
        "average_precision": float(average_precision_score(y_true, scores)),
        "f1": float(f1_score(y_true, flagged, zero_division=0)),
        "precision": hits / max(int(flagged.sum()), 1),
        "recall": hits / max(int(y_true.sum()), 1),
        "precision_at_50": precision_at_k(y_true, scores, 50),
        "precision_at_100": precision_at_k(y_true, scores, 100),
        "brier": float(brier_score_loss(y_true, np.clip(scores, 0, 1))),
        "threshold": float(threshold),
    }


def evaluate_splits(
    trainer: Trainer, examples: Sequence[Example], groups: np.ndarray, splits: Sequence[Split]
) -> tuple[dict[str, float], np.ndarray]:
    """Train and score on each split; pooled out-of-split scores, mean metrics over splits."""
    labels = np.asarray([e.label for e in examples])
    pooled = np.full(len(examples), np.nan)
    per_split = []
    for train, test in splits:
        score, threshold = trainer([examples[i] for i in train], groups[train])
        pooled[test] = score([examples[i] for i in test])
        per_split.append(metrics(labels[test], pooled[test], threshold))
    mean = {key: float(np.mean([m[key] for m in per_split])) for key in per_split[0]}
    return mean, pooled


def reliability_plot(curves: dict[str, tuple[np.ndarray, np.ndarray]], path: Path, bins: int = 10) -> Path:
    """Reliability curves (observed fake rate against mean predicted probability) as a PNG."""
    import matplotlib

    matplotlib.use("Agg")  # no display on servers
    import matplotlib.pyplot as plt
    from sklearn.calibration import calibration_curve

    figure, axes = plt.subplots(figsize=(5, 5))
    axes.plot([0, 1], [0, 1], linestyle=":", color="grey", label="perfect")
    for name, (y_true, scores) in curves.items():
        observed, predicted = calibration_curve(
            y_true, np.clip(scores, 0, 1), n_bins=bins, strategy="quantile"
        )
        axes.plot(predicted, observed, marker="o", label=name)
    axes.set(xlabel="mean predicted probability", ylabel="observed positive rate", title="Reliability")
    axes.legend()
    figure.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(figure)
    return path


def summarise(values: dict[str, Any]) -> dict[str, Any]:
    """Metrics rounded for tables and JSON."""
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in values.items()}
