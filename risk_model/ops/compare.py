"""Candidate against champion on the SAME held-out data, and the bias of inspection labels.

Held-out data: the candidate's training plan rebuilt, each risk type split as at training
(per source the newest ~20% of near-duplicate groups), minus any row on the training side of the
champion's own split (its plan may differ). Both models score exactly those rows; metrics
come overall, per source, per region and per risk type. Bias: labels from findings split by the
origin of their task (model-chosen vs random audit, ...), with the share of labels each origin gives
and each model's precision estimated on each origin's labelled listings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlmodel import Session

from risk_model.data.examples import RISK_TYPES
from risk_model.model.model_files import ModelBundle
from risk_model.ops.registry import load_version
from risk_model.training.data_sources import DataPlan, TrainingRow, collect_training_data
from risk_model.training.fit import holdout_split, row_groups, safe_metrics
from store.models import ModelVersion
from store.settings import Settings, load_settings

MIN_SLICE = 10  # slices smaller than this get counts only


def plan_of(version: ModelVersion) -> DataPlan:
    """The data plan a version was trained with (as recorded in ModelVersion.training)."""
    recorded = (version.training or {}).get("plan", {})
    return DataPlan(
        orfd_limit=int(recorded.get("orfd_limit", 0)),
        synthetic_per_kind=int(recorded.get("synthetic_per_kind", 1500)),
        seed=int(recorded.get("seed", 2014)),
        weights=dict(recorded.get("weights", {"orfd": 1.0, "synthetic": 0.5, "finding": 3.0})),
        quick=bool(recorded.get("quick", False)),
    )


def _slices(rows: Sequence[TrainingRow], key: str) -> dict[str, np.ndarray]:
    values = np.asarray([getattr(r, key) or "unknown" for r in rows], dtype=object)
    return {str(v): np.flatnonzero(values == v) for v in sorted(set(values))}


def _metrics_for(y: np.ndarray, p: np.ndarray, threshold: float, idx: np.ndarray) -> dict[str, float]:
    if len(idx) < MIN_SLICE:
        return {"n_test": float(len(idx)), "n_test_positive": float(int(y[idx].sum()))}
    return safe_metrics(y[idx], p[idx], threshold)


def _text_key(row: TrainingRow) -> str:
    # By content, not id: the synthetic corpus gives the same id different text when its size differs.
    return f"{row.example.title}\n{row.example.body}\n{row.example.company_name}"


def trained_texts(rows: Sequence[TrainingRow]) -> set[str]:
    """Texts on the training side of the hold-out split of ROWS."""
    train, _ = holdout_split(rows, row_groups(rows))
    return {_text_key(rows[i]) for i in train}


def _compare_risk(
    rows: Sequence[TrainingRow], models: dict[str, ModelBundle], risk_type: str, seen: set[str]
) -> dict[str, Any]:
    groups = row_groups(rows)
    _, test = holdout_split(rows, groups)
    # Rows the champion trained on (its plan may differ from the candidate's) would flatter it: drop them.
    test_rows = [rows[i] for i in test if _text_key(rows[i]) not in seen]
    y = np.asarray([r.example.label for r in test_rows], dtype=int)
    records = [r.example.record() for r in test_rows]
    out: dict[str, Any] = {}
    everything = np.arange(len(test_rows))
    for name, bundle in models.items():
        model = bundle.models[risk_type]
        p = model.predict_proba(records) if records else np.zeros(0)
        out[name] = {
            "overall": _metrics_for(y, p, model.threshold, everything),
            "by_source": {
                k: _metrics_for(y, p, model.threshold, v) for k, v in _slices(test_rows, "source").items()
            },
            "by_region": {
                k: _metrics_for(y, p, model.threshold, v) for k, v in _slices(test_rows, "region").items()
            },
        }
    return out


def label_bias(data: dict[str, list[TrainingRow]], models: dict[str, ModelBundle]) -> dict[str, Any]:
    """Per risk type and task origin: labels, share of labels, confirmed rate, each model's precision."""
    out: dict[str, Any] = {}
    for risk_type in RISK_TYPES:
        findings = [r for r in data[risk_type] if r.source == "finding"]
        total = max(len(findings), 1)
        per_origin: dict[str, Any] = {}
        for origin, idx in _slices(findings, "origin").items():
            chosen = [findings[i] for i in idx]
            y = np.asarray([r.example.label for r in chosen], dtype=int)
            entry: dict[str, Any] = {
                "labels": len(chosen),
                "share": len(chosen) / total,
                "confirmed_rate": float(y.mean()),
            }
            for name, bundle in models.items():
                model = bundle.models[risk_type]
                flagged = model.predict_proba([r.example.record() for r in chosen]) >= model.threshold
                entry[f"precision_{name}"] = float(y[flagged].mean()) if flagged.any() else None
            per_origin[origin] = entry
        out[risk_type] = per_origin
    return out


def model_compare(
    session: Session,
    *,
    candidate: ModelVersion,
    champion: ModelVersion,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """Both models on the candidate's held-out data: overall, per source, per region, per risk type; bias."""
    settings = settings or load_settings()
    models = {"candidate": load_version(candidate, settings), "champion": load_version(champion, settings)}
    data = collect_training_data(session, plan_of(candidate))
    champion_plan = plan_of(champion)
    champion_data = (
        data if champion_plan == plan_of(candidate) else collect_training_data(session, champion_plan)
    )
    seen = {risk: trained_texts(champion_data[risk]) for risk in RISK_TYPES}
    return {
        "candidate": candidate.version,
        "champion": champion.version,
        "note": "hold-out = the candidate's held-out rows minus any row the champion trained on; findings stay "
        "in training below 50 a risk type, so the bias precisions are in-sample for models trained on them",
        "risk_types": {risk: _compare_risk(data[risk], models, risk, seen[risk]) for risk in RISK_TYPES},
        "bias": label_bias(data, models),
    }
