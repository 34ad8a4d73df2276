"""Training from Examples for any risk type, calibrated scores, and exact explanations."""

from __future__ import annotations

import numpy as np
import pytest

from risk_model.data.examples import Example, data_fingerprint
from risk_model.model.explanations import contributions, explain, ngram_columns
from risk_model.model.pipeline import best_f1_threshold, train_risk_model

RISKY_CHILD = {
    "title": "急招",
    "body": "电子厂学徒，年满14周岁即可，身份证统一保管，包吃住",
    "company_name": "",
}


def test_child_labour_model_ranks_risky_ads_first(child_model, child_examples) -> None:  # type: ignore[no-untyped-def]
    records = [e.record() for e in child_examples]
    labels = np.array([e.label for e in child_examples])
    scores = child_model.predict_proba(records)
    assert scores[labels == 1].min() > scores[labels == 0].max()
    assert scores.min() >= 0.0 and scores.max() <= 1.0
    assert child_model.predict_proba([RISKY_CHILD])[0] > 0.5


def test_marriage_broker_model_trains_from_examples(marriage_examples) -> None:  # type: ignore[no-untyped-def]
    model = train_risk_model(marriage_examples, "illegal_marriage_broker")
    risky = {"title": "相亲", "body": "柬埔寨新娘，19岁姑娘，包成功，服务费8万"}
    safe = {"title": "交友", "body": "公益相亲会，自愿参加，免费报名"}
    assert model.predict_proba([risky])[0] > model.predict_proba([safe])[0]


def test_unknown_risk_type_is_refused(child_examples) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="unknown risk type"):
        train_risk_model(child_examples, "tax_fraud")


def test_contributions_sum_to_the_decision_function(child_model) -> None:  # type: ignore[no-untyped-def]
    for record in (
        RISKY_CHILD,
        {"title": "会计", "body": "大专以上，两年经验", "company_name": "南京某某有限公司"},
    ):
        intercept, parts = contributions(child_model, record)
        expected = child_model.base.decision_function([record])[0]
        assert np.isclose(intercept + sum(p.weight for p in parts), expected)
        assert {p.kind for p in parts} <= {"phrase", "indicator", "registry"}


def test_explanation_names_real_ngrams_and_legal_basis(child_model) -> None:  # type: ignore[no-untyped-def]
    top = explain(child_model, RISKY_CHILD, top=None)
    assert len(explain(child_model, RISKY_CHILD, top=3)) == 3
    assert [abs(c.weight) for c in top] == sorted((abs(c.weight) for c in top), reverse=True)
    phrases = [c for c in top if c.kind == "phrase"]
    text = "急招\n电子厂学徒,年满14周岁即可,身份证统一保管,包吃住"
    assert all(gram in text for c in phrases for gram in c.feature.split(" | ")), phrases[:3]
    # Documents kept is forced labour's signal, not child labour's: its weight here is bounded at 0.
    assert all(c.feature != "documents_kept" or c.weight == 0 for c in top)
    under_16 = next(c for c in top if c.feature == "minimum_age_under_16")
    assert under_16.weight > 0 and "禁止使用童工规定" in under_16.legal_basis


def test_ngram_columns_match_the_hasher(child_model) -> None:  # type: ignore[no-untyped-def]
    hasher = child_model.base.named_steps["features"].transformer_list[0][1].named_steps["hash"]
    columns = ngram_columns(hasher, "押金三百")
    matrix = hasher.transform(["押金三百"])
    assert set(columns) == set(matrix.indices)
    assert sum(len(grams) for grams in columns.values()) == matrix.sum()


def test_best_f1_threshold_separates_perfectly() -> None:
    y = np.array([0, 0, 1, 1, 0])
    scores = np.array([0.1, 0.3, 0.8, 0.9, 0.2])
    threshold = best_f1_threshold(y, scores)
    assert 0.3 < threshold < 0.8


def test_fingerprint_depends_on_ids_and_labels_not_order() -> None:
    a = Example("a", "t", "b", 1)
    b = Example("b", "t", "b", 0)
    assert data_fingerprint([a, b]) == data_fingerprint([b, a])
    assert data_fingerprint([a, b]) != data_fingerprint([a, Example("b", "t", "b", 1)])


def test_the_base_is_refitted_on_every_row_after_calibration(child_examples) -> None:  # type: ignore[no-untyped-def]
    """The calibrator and threshold come from rows the base had not seen; the base then learns from all."""
    from dataclasses import replace

    from risk_model.model.pipeline import ModelParams, build_pipeline

    refitted = train_risk_model(child_examples, "child_labour")
    held = train_risk_model(child_examples, "child_labour", params=replace(ModelParams(), refit_on_all=False))
    records = [e.record() for e in child_examples]
    labels = np.asarray([e.label for e in child_examples])
    on_all = build_pipeline(ModelParams(), "child_labour").fit(
        records, labels, clf__sample_weight=np.asarray([e.weight for e in child_examples])
    )
    coef = refitted.base.named_steps["clf"].coef_
    assert np.allclose(coef, on_all.named_steps["clf"].coef_)
    assert not np.allclose(coef, held.base.named_steps["clf"].coef_)
    # Same calibrator and threshold (they were learned before the refit); the scores follow the new base.
    assert refitted.threshold == held.threshold
    assert not np.allclose(refitted.predict_proba(records), held.predict_proba(records))
