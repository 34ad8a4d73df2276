"""ORFD loading, leak-free splits and the evaluation metrics (real data where it is present)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from risk_model.data.examples import Example
from risk_model.data.grouping import near_duplicate_groups
from risk_model.data.orfd import DEFAULT_PATH as ORFD
from risk_model.data.orfd import load_orfd, orfd_label
from risk_model.training.splits_and_metrics import (
    evaluate_splits,
    grouped_folds,
    metrics,
    pooled_metrics,
    precision_at_k,
    reliability_plot,
    time_split,
)
from tests.conftest import needs_real_data

realdata = needs_real_data(ORFD, "ORFD")


@pytest.mark.parametrize(
    ("raw", "label"), [("1.0", 0), ("11.0", 0), ("0.0", 1), ("0.5", 1), ("2.0", 1), ("", None)]
)
def test_orfd_labels(raw: str, label: int | None) -> None:
    assert orfd_label(raw) == label


def test_metrics_on_a_known_ranking() -> None:
    y = np.array([1, 1, 0, 0, 0, 1])
    scores = np.array([0.9, 0.8, 0.7, 0.2, 0.1, 0.05])
    result = metrics(y, scores, threshold=0.5)
    assert result["precision"] == pytest.approx(2 / 3) and result["recall"] == pytest.approx(2 / 3)
    assert result["f1"] == pytest.approx(2 / 3)
    assert precision_at_k(y, scores, 2) == 1.0
    assert 0.0 < result["brier"] < 1.0


def test_time_split_tests_on_the_newest() -> None:
    times = ["2019-04-02", "2018-01-01", "2019-04-10", "2017-05-05", "2019-03-01"]
    train, test = time_split(times, test_fraction=0.4)
    assert sorted(times[i] for i in test) == ["2019-04-02", "2019-04-10"]
    assert max(times[i] for i in train) < min(times[i] for i in test)


def test_reliability_plot_writes_a_png(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    scores = rng.random(200)
    path = reliability_plot({"model": (rng.random(200) < scores, scores)}, tmp_path / "r.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@realdata
@pytest.mark.realdata
def test_orfd_rows_map_to_examples() -> None:
    examples = load_orfd(limit=300)
    assert len(examples) == 300
    first = examples[0]
    assert first.provenance == "orfd" and first.title and first.body
    assert first.fields["business_scope"] and first.fields["posted_at"].startswith("20")
    assert "未知" not in first.fields.values()


@realdata
@pytest.mark.realdata
def test_grouped_folds_keep_near_duplicates_together() -> None:
    examples = load_orfd(limit=1500)
    labels = np.array([e.label for e in examples])
    groups = near_duplicate_groups([f"{e.company_name}\n{e.body}" for e in examples])
    assert len(set(groups)) < len(examples)  # ORFD really has copies
    for train, test in grouped_folds(labels, groups, n_splits=5):
        assert not set(groups[train]) & set(groups[test])
        assert labels[test].sum() > 0


@realdata
@pytest.mark.realdata
def test_model_on_an_orfd_subset_ranks_fakes_and_explains_exactly() -> None:
    from risk_model.model.explanations import contributions
    from risk_model.model.pipeline import train_risk_model

    examples = load_orfd(limit=1200)
    train, test = examples[:900], examples[900:]
    model = train_risk_model(train, "illegal_agency")
    labels = np.array([e.label for e in test])
    scores = model.predict_proba([e.record() for e in test])
    assert labels.sum() > 0 and scores[labels == 1].mean() > scores[labels == 0].mean()
    record = test[int(np.argmax(scores))].record()
    intercept, parts = contributions(model, record)
    assert np.isclose(intercept + sum(p.weight for p in parts), model.base.decision_function([record])[0])
    assert not any(p.feature.startswith("#") for p in parts)  # every hashed column named by its n-grams


def test_pooled_metrics_judge_each_row_at_its_own_threshold_and_need_k_rows() -> None:
    y = np.array([1, 0, 1, 0])
    scores = np.array([0.6, 0.5, 0.3, 0.2])
    found = pooled_metrics(y, scores, np.array([0.55, 0.55, 0.25, 0.25]))  # two models' thresholds
    assert found["f1"] == 1.0 and found["threshold"] == pytest.approx(0.4)
    assert metrics(y, scores, 0.4)["f1"] == 0.5  # one mean threshold would misjudge both models
    assert "precision_at_50" not in found and found["n_test"] == 4  # 4 rows cannot give P@50
    assert pooled_metrics(np.ones(3, dtype=int), scores[:3], np.full(3, 0.5)) == {
        "n_test": 3,
        "n_test_positive": 3,
    }


def test_precision_at_k_is_measured_on_the_pooled_scores_not_per_fold() -> None:
    labels = np.array([1] * 60 + [0] * 140)
    examples = [Example(example_id=str(i), title="", body="", label=int(y)) for i, y in enumerate(labels)]

    def perfect(train: object, groups: object) -> tuple[object, float]:
        return (lambda test: np.array([float(e.label) for e in test])), 0.5

    folds = grouped_folds(labels, np.arange(200), n_splits=4)  # 50 rows a fold, ~15 positives each
    result = evaluate_splits(perfect, examples, np.arange(200), folds)  # type: ignore[arg-type]
    assert "precision_at_50" not in result.mean()
    assert result.per_split[0]["precision_at_50"] < 0.5  # a fold caps it at its positives / 50
    overall = result.overall()
    assert overall["precision_at_50"] == 1.0 and overall["precision_at_100"] == 0.6
    assert overall["n_test"] == 200 and overall["roc_auc"] == 1.0
