"""`model evaluate`'s work: grouped k-fold CV and the time-ordered split, with a reliability PNG."""

from __future__ import annotations

from pathlib import Path

from risk_model.evaluation import evaluate_risk_type
from tests.risk_model.ops_support import base_data


def test_evaluate_reports_grouped_cv_and_time_split(tmp_path: Path) -> None:
    rows = base_data()["illegal_marriage_broker"]
    ticks: list[int] = []
    result = evaluate_risk_type(
        rows, "illegal_marriage_broker", folds=2, folder=tmp_path, tick=lambda: ticks.append(1)
    )
    assert len(ticks) == 3  # two folds and the time split each train once
    cv, split = result["grouped_cv"], result["time_split"]
    for metrics in (cv, split):
        assert {"roc_auc", "average_precision", "f1", "precision_at_50", "brier", "threshold"} <= set(metrics)
        assert 0.5 < metrics["roc_auc"] <= 1.0 and 0.0 <= metrics["brier"] < 0.25
    assert cv["n_test"] == len(rows) and 0 < split["n_test"] < len(rows)
    assert (tmp_path / "reliability-illegal_marriage_broker.png").read_bytes()[:4] == b"\x89PNG"
