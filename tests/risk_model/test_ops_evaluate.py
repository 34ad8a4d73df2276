"""`model evaluate`'s work: grouped k-fold CV and the time-ordered split, per source, with a reliability PNG."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from risk_model.training.cross_validation import evaluate_risk_type
from tests.risk_model.ops_support import base_data

METRICS = {"roc_auc", "average_precision", "f1", "brier", "threshold"}


def test_evaluate_reports_grouped_cv_and_time_split(tmp_path: Path) -> None:
    rows = base_data()["illegal_marriage_broker"]
    ticks: list[int] = []
    result = evaluate_risk_type(
        rows, "illegal_marriage_broker", folds=2, folder=tmp_path, tick=lambda: ticks.append(1)
    )
    assert len(ticks) == 3  # two folds and the time split each train once
    cv, split = result["grouped_cv"]["overall"], result["time_split"]["overall"]
    for metrics in (cv, split):
        assert set(metrics) >= METRICS
        assert 0.5 < metrics["roc_auc"] <= 1.0 and 0.0 <= metrics["brier"] < 0.25
    assert cv["n_test"] == len(rows) and 0 < split["n_test"] < len(rows)
    assert {"precision_at_50", "precision_at_100"} <= set(cv)  # measured on all 160 pooled rows
    assert "precision_at_100" not in split  # the time split tests fewer than 100 rows
    assert result["mixes"] == "synthetic" and list(result["grouped_cv"]["by_source"]) == ["synthetic"]
    assert (tmp_path / "reliability-illegal_marriage_broker.png").read_bytes()[:4] == b"\x89PNG"


def test_evaluate_breaks_every_metric_down_by_source_real_data_first(tmp_path: Path) -> None:
    synthetic = base_data()["illegal_marriage_broker"]
    # every fourth row stands in for an inspection finding: 40 of them, too few to be held out by date
    rows = [replace(r, source="finding") if i % 4 == 0 else r for i, r in enumerate(synthetic)]
    result = evaluate_risk_type(rows, "illegal_marriage_broker", folds=2, folder=tmp_path)

    assert list(result["sources"]) == ["finding", "synthetic"] and result["mixes"] == "finding+synthetic"
    cv = result["grouped_cv"]
    assert list(cv["by_source"]) == ["finding", "synthetic"]
    assert cv["by_source"]["finding"]["n_test"] == 40 and cv["by_source"]["synthetic"]["n_test"] == 120
    assert set(cv["by_source"]["synthetic"]) >= METRICS
    assert "precision_at_50" not in cv["by_source"]["finding"]  # 40 rows cannot give a top 50
    assert cv["overall_pooled"]["n_test"] == len(rows)
    assert result["time_split"]["by_source"]["finding"] == {"n_test": 0, "n_test_positive": 0}
