"""Evaluation that does not flatter: grouped and time-ordered splits, thresholds fixed on training data."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score, brier_score_loss, f1_score, roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold

from risk_model.data.examples import Example

Split = tuple[np.ndarray, np.ndarray]
# Ranking metrics and their k: measured on pooled scores only, and only where at least k rows were scored
# (on fewer rows "precision at 100" is just the positive rate of whatever was there).
RANKING_KEYS = {"precision_at_50": 50, "precision_at_100": 100}
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


def metrics(y_true: np.ndarray, scores: np.ndarray, threshold: float | np.ndarray) -> dict[str, float]:
    """ROC-AUC, AP, F1/precision/recall at the threshold, precision@50/100 and Brier score.

    THRESHOLD may be one value or one per row (pooled scores of several models, each row judged at the
    threshold of the model that scored it); the mean is reported.
    """
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
        "threshold": float(np.mean(threshold)),
    }


def pooled_metrics(y_true: np.ndarray, scores: np.ndarray, thresholds: np.ndarray) -> dict[str, float]:
    """Metrics of pooled out-of-split scores, with counts; precision@k only where there are k rows.

    With a single class (or no rows) only the counts are returned: ROC-AUC and AP are undefined there.
    """
    counts: dict[str, float] = {"n_test": len(y_true), "n_test_positive": int(y_true.sum())}
    if len(y_true) == 0 or y_true.min() == y_true.max():
        return counts
    found = metrics(y_true, scores, thresholds)
    return {
        k: v for k, v in found.items() if k not in RANKING_KEYS or len(y_true) >= RANKING_KEYS[k]
    } | counts


@dataclass(frozen=True)
class SplitScores:
    """What a set of splits gave: each row's out-of-split score and threshold, and per-split metrics.

    Rows never in a test part have NaN score and threshold (the time split tests only the newest rows).
    """

    labels: np.ndarray
    scores: np.ndarray
    thresholds: np.ndarray
    per_split: list[dict[str, float]]

    @property
    def tested(self) -> np.ndarray:
        """Mask of the rows that some split scored."""
        return ~np.isnan(self.scores)

    def mean(self) -> dict[str, float]:
        """Per-split metrics averaged over the splits, without precision@k (a fold is too small for it)."""
        keys = [k for k in self.per_split[0] if k not in RANKING_KEYS]
        return {k: float(np.mean([m[k] for m in self.per_split])) for k in keys}

    def overall(self) -> dict[str, float]:
        """mean(), with precision@k and the counts of the pooled scores of every tested row."""
        pooled = self.pooled()
        return self.mean() | {k: v for k, v in pooled.items() if k in RANKING_KEYS or k.startswith("n_test")}

    def pooled(self, mask: np.ndarray | None = None) -> dict[str, float]:
        """pooled_metrics of the tested rows (within MASK when given), all splits together."""
        chosen = self.tested if mask is None else self.tested & mask
        return pooled_metrics(self.labels[chosen], self.scores[chosen], self.thresholds[chosen])


def evaluate_splits(
    trainer: Trainer, examples: Sequence[Example], groups: np.ndarray, splits: Sequence[Split]
) -> SplitScores:
    """Train on each split's training part and score its test part; thresholds come from training data."""
    labels = np.asarray([e.label for e in examples])
    scores = np.full(len(examples), np.nan)
    thresholds = np.full(len(examples), np.nan)
    per_split = []
    for train, test in splits:
        score, threshold = trainer([examples[i] for i in train], groups[train])
        scores[test] = score([examples[i] for i in test])
        thresholds[test] = threshold
        per_split.append(metrics(labels[test], scores[test], threshold))
    return SplitScores(labels, scores, thresholds, per_split)


def reliability_plot(
    curves: dict[str, tuple[np.ndarray, np.ndarray]], path: Path, bins: int = 10, title: str = "Reliability"
) -> Path:
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
    axes.set(xlabel="mean predicted probability", ylabel="observed positive rate", title=title)
    axes.legend()
    figure.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(figure)
    return path


def summarise(values: dict[str, Any]) -> dict[str, Any]:
    """Metrics rounded for tables and JSON."""
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in values.items()}
