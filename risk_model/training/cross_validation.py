"""`model evaluate`: grouped k-fold CV and a time-ordered split of one risk type's data, per source.

The overall figure mixes every source of the risk type (illegal_agency: ORFD, the synthetic corpus and
findings); the synthetic corpus is template-written and flatters the model, so every metric is also given
per source (TrainingRow.source, the provenance prefix orfd / finding / synthetic), real data first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from risk_model.data.examples import Example
from risk_model.training.data_sources import DataPlan, TrainingRow
from risk_model.training.fit import (
    HOLDOUT_MIN_FINDINGS,
    TEST_FRACTION,
    fit_risk_model,
    holdout_split,
    row_groups,
)
from risk_model.training.splits_and_metrics import (
    SplitScores,
    evaluate_splits,
    grouped_folds,
    reliability_plot,
    summarise,
)

# Real data first: the figures to judge by. Synthetic last, always labelled as such.
SOURCE_ORDER = ("orfd", "finding", "hand", "synthetic")
REAL_SOURCES = frozenset({"orfd", "finding"})
TIME_FIELDS = {
    "orfd": "posted_at (the ad's posting date)",
    "finding": "Finding.created_at",
    "hand": "file order (the hand-written ads have no dates)",
    "synthetic": "generation order (the corpus has no dates)",
}
FOLD_SEED = 0


def source_label(source: str) -> str:
    """A source name that says whether it is real data ("synthetic" says it already)."""
    if source == "hand":
        return "hand (written for development, not real listings)"
    return f"{source} (real)" if source in REAL_SOURCES else source


def protocol(folds: int, plan: DataPlan) -> dict[str, Any]:
    """How the figures were made, recorded in evaluation.json next to them."""
    return {
        "grouped_cv": {
            "folds": folds,
            "splitter": f"StratifiedGroupKFold(shuffle=True, random_state={FOLD_SEED})",
            "grouping": "near-duplicate groups of company name + body (risk_model.data.grouping); "
            "a group is never on both sides of a fold",
        },
        "time_split": {
            "rule": f"per source, the newest {TEST_FRACTION:.0%} of near-duplicate groups are tested",
            "time_field": TIME_FIELDS,
            "findings_tested_from": HOLDOUT_MIN_FINDINGS,
        },
        "thresholds": "best-F1 threshold chosen on each training part's calibration split, never on test rows",
        "aggregation": {
            "overall": "ROC-AUC, AP, F1, precision, recall, Brier, threshold: mean over the splits; "
            "precision_at_50/100: on the pooled out-of-split scores of all splits",
            "overall_pooled": "every metric on the pooled out-of-split scores of all rows",
            "by_source": "every metric on the pooled out-of-split scores of that source's rows",
            "pooled_f1": "each row judged at the threshold of the model that scored it",
            "precision_at_k": "left out where fewer than k rows were scored",
            "single_class": "only the counts where the scored rows have one class",
        },
        "sources": {
            s: "real" if s in REAL_SOURCES else "written" if s == "hand" else "synthetic"
            for s in SOURCE_ORDER
        },
        "data_plan": plan.describe(),
    }


def _trainer(risk_type: str, tick: Callable[[], None]) -> Any:
    def train(
        examples: Sequence[Example], groups: np.ndarray
    ) -> tuple[Callable[[Sequence[Example]], np.ndarray], float]:
        model = fit_risk_model(examples, risk_type, groups=groups, seed=0)
        tick()
        return (lambda test: model.predict_proba([e.record() for e in test])), model.threshold

    return train


def present_sources(rows: Sequence[TrainingRow]) -> list[str]:
    """The sources among ROWS, real data first."""
    found = {r.source for r in rows}
    return [s for s in SOURCE_ORDER if s in found] + sorted(found - set(SOURCE_ORDER))


def split_report(result: SplitScores, sources: np.ndarray, order: Sequence[str]) -> dict[str, Any]:
    """Overall (mean over splits, precision@k pooled), overall pooled, and pooled per source."""
    return {
        "overall": summarise(result.overall()),
        "overall_pooled": summarise(result.pooled()),
        "by_source": {s: summarise(result.pooled(sources == s)) for s in order},
    }


def _curves(
    cv: SplitScores, timed: SplitScores, sources: np.ndarray, order: Sequence[str]
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Reliability curves: CV on all rows, CV per source (when there are several), the time split."""
    parts: list[tuple[str, SplitScores, np.ndarray]] = [("CV all", cv, cv.tested)]
    if len(order) > 1:
        parts += [(f"CV {source_label(s)}", cv, cv.tested & (sources == s)) for s in order]
    parts.append(("time split all", timed, timed.tested))
    return {
        f"{name} (n={int(mask.sum())})": (result.labels[mask], result.scores[mask])
        for name, result, mask in parts
        if len(set(result.labels[mask].tolist())) == 2  # a curve needs both classes
    }


def evaluate_risk_type(
    rows: Sequence[TrainingRow],
    risk_type: str,
    *,
    folds: int,
    folder: Path,
    tick: Callable[[], None] = lambda: None,
) -> dict[str, Any]:
    """Grouped-CV and time-split metrics, overall and per source, and a reliability PNG in FOLDER."""
    examples = [r.example for r in rows]
    labels = np.asarray([e.label for e in examples])
    sources = np.asarray([r.source for r in rows])
    order = present_sources(rows)
    groups = row_groups(rows)
    trainer = _trainer(risk_type, tick)
    cv = evaluate_splits(trainer, examples, groups, grouped_folds(labels, groups, folds, seed=FOLD_SEED))
    timed = evaluate_splits(trainer, examples, groups, [holdout_split(rows, groups)])
    folder.mkdir(parents=True, exist_ok=True)
    png = folder / f"reliability-{risk_type}.png"
    reliability_plot(_curves(cv, timed, sources, order), png, title=f"Reliability: {risk_type}")
    return {
        "sources": {
            s: {"rows": int((sources == s).sum()), "positives": int(labels[sources == s].sum())}
            for s in order
        },
        "mixes": "+".join(order),
        "grouped_cv": split_report(cv, sources, order),
        "time_split": split_report(timed, sources, order),
        "reliability_png": png.name,
    }
