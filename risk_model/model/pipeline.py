"""One calibrated linear Pipeline per risk type over shared features; training from Examples."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import FeatureUnion, Pipeline

from risk_model.constrained import BoundedLogisticRegression
from risk_model.data.examples import AD_TEXT_FIELDS, COMPANY_TEXT_FIELDS, RISK_TYPES, Example
from risk_model.data.grouping import near_duplicate_groups
from risk_model.features import (
    FoldRecords,
    IndicatorFeatures,
    JoinFields,
    StructuredFeatures,
)
from risk_model.features.indicators import indicators
from risk_model.features.legal_prior import with_prior
from risk_model.features.structured import structured_features
from risk_model.ngram_hash import CharNgramHasher

AD_HASH_FEATURES = 2**20
COMPANY_HASH_FEATURES = 2**18


@dataclass(frozen=True)
class ModelParams:
    """The knobs of one risk type's model (kept small on purpose)."""

    C: float = 10.0
    ngram_range: tuple[int, int] = (2, 3)
    company_ngram_range: tuple[int, int] = (2, 3)
    company_max_chars: int = 300  # per company field: the intro's head names the firm; the tail is slow
    indicator_weight: float = 1.0
    registry_weight: float = 1.0
    company_text_weight: float = 2.0  # ORFD labels follow the company: its text weighs more
    calibration: str = "sigmoid"
    class_weight: str | None = "balanced"
    refit_on_all: bool = True  # after calibration, refit the base on every training row


def text_block(
    fields: tuple[str, ...],
    n_features: int,
    ngram_range: tuple[int, int],
    max_chars: int = 0,
    context: bool = False,
) -> Pipeline:
    """Folded fields -> hashed character n-grams -> TF-IDF (no vocabulary kept, so the file stays small)."""
    hasher = CharNgramHasher(n_features=n_features, ngram_range=ngram_range)
    return Pipeline(
        [
            ("join", JoinFields(fields, max_chars, context)),
            ("hash", hasher),
            ("tfidf", TfidfTransformer(sublinear_tf=True)),
        ]
    )


# "Missing evidence": an empty or short description, no company named, a registry with nothing. These
# may lower risk but never raise it (an empty description is not a violation).
MISSING_EVIDENCE = frozenset(
    {
        "body_short",
        "body_length",
        "body_unstructured",
        "intro_missing",
        "scope_missing",
        "status_missing",
        "reg_capital_missing",
        "credit_code_missing",
        "org_number_missing",
        "reg_address_missing",
        "established_missing",
        "salary_negotiable",
    }
)


# Risk types whose posts say nothing by what they lack: a marriage broker's post is a social post, with no
# company or registry to miss, and often one short line; missing evidence is pinned at 0 for it.
SILENT_ABSENCE = frozenset({"illegal_marriage_broker"})


def coefficient_bounds(risk_type: str) -> tuple[tuple[int, float, float], ...]:
    """(column, lower, upper) for the indicator and registry columns of RISK_TYPE's feature union.

    Legal indicators of the type: ≥ 0; of other types: 0; missing evidence: ≤ 0 (0 for the types in
    SILENT_ABSENCE); the rest free.
    """
    inf = float("inf")
    floor = 0.0 if risk_type in SILENT_ABSENCE else -inf  # missing evidence's lower bound
    start = AD_HASH_FEATURES + COMPANY_HASH_FEATURES
    out = []
    for offset, indicator in enumerate(indicators()):
        if indicator.lowers_only:
            out.append((start + offset, floor, 0.0))
        else:
            out.append((start + offset, 0.0, inf if risk_type in indicator.raises else 0.0))
    start += len(indicators())
    for offset, feature in enumerate(structured_features()):
        if feature.name in MISSING_EVIDENCE:
            out.append((start + offset, floor, 0.0))
    return tuple(out)


def build_pipeline(params: ModelParams = ModelParams(), risk_type: str = "illegal_agency") -> Pipeline:
    """The untrained base pipeline: fold -> [ad context | company text | indicators | registry] -> LR.

    The classifier bounds each legal indicator's weight (coefficient_bounds), and the ad text block reads
    the context view, so a stated violation can only raise the risk of its types.
    """
    union = FeatureUnion(
        [
            ("ad_text", text_block(AD_TEXT_FIELDS, AD_HASH_FEATURES, params.ngram_range, context=True)),
            (
                "company_text",
                text_block(
                    COMPANY_TEXT_FIELDS,
                    COMPANY_HASH_FEATURES,
                    params.company_ngram_range,
                    params.company_max_chars,
                ),
            ),
            ("indicators", IndicatorFeatures()),
            ("registry", StructuredFeatures()),
        ],
        transformer_weights={
            "ad_text": 1.0,
            "company_text": params.company_text_weight,
            "indicators": params.indicator_weight,
            "registry": params.registry_weight,
        },
    )
    classifier = BoundedLogisticRegression(
        C=params.C, class_weight=params.class_weight, bounds=coefficient_bounds(risk_type)
    )
    return Pipeline([("fold", FoldRecords()), ("features", union), ("clf", classifier)])


@dataclass
class RiskModel:
    """A trained risk model: calibrated pipeline, operating threshold and metadata."""

    risk_type: str
    calibrated: CalibratedClassifierCV
    threshold: float
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def base(self) -> Pipeline:
        """The fitted, uncalibrated pipeline whose coefficients explain each score."""
        return self.calibrated.estimator.estimator

    def predict_proba(self, records: Sequence[Mapping[str, Any]]) -> np.ndarray:
        """Probability that each record carries this risk: calibrated model, raised by legal priors."""
        records = list(records)
        model = self.calibrated.predict_proba(records)[:, 1]
        folded = self.base.named_steps["fold"].transform(records)
        values = IndicatorFeatures().fit(folded).transform(folded).toarray()
        return with_prior(self.risk_type, model, values)

    def flag(self, records: Sequence[Mapping[str, Any]]) -> np.ndarray:
        """True where the calibrated probability reaches the operating threshold."""
        return self.predict_proba(records) >= self.threshold


def best_f1_threshold(y_true: np.ndarray, scores: np.ndarray) -> float:
    """The score cut-off that maximises F1 on (training-side) data; 0.5 when no positive exists."""
    if y_true.sum() == 0:
        return 0.5
    order = np.argsort(-scores)
    hits = np.cumsum(y_true[order])
    f1 = 2 * hits / (np.arange(1, len(scores) + 1) + y_true.sum())
    best = int(np.argmax(f1))
    nxt = scores[order[best + 1]] if best + 1 < len(scores) else scores[order[best]] - 1e-9
    return float((scores[order[best]] + nxt) / 2)


def calibration_split(y: np.ndarray, groups: np.ndarray, fraction: float, seed: int) -> tuple[Any, Any]:
    """(fit, calibrate) indices: a group-aware stratified hold-out of about `fraction`."""
    groups_per_class = min(len(np.unique(groups[y == label])) for label in (0, 1))
    if groups_per_class < 2:
        raise ValueError("each class needs examples from at least 2 distinct near-duplicate groups")
    n_splits = min(round(1 / fraction), groups_per_class)
    splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    return next(splitter.split(np.zeros(len(y)), y, groups))


def train_risk_model(
    examples: Sequence[Example],
    risk_type: str,
    *,
    params: ModelParams = ModelParams(),
    groups: np.ndarray | None = None,
    calibration_fraction: float = 0.2,
    seed: int = 0,
) -> RiskModel:
    """Fit the base pipeline, calibrate it on a held-out group-aware split, pick the F1 threshold there."""
    if risk_type not in RISK_TYPES:
        raise ValueError(f"unknown risk type {risk_type!r}; expected one of {RISK_TYPES}")
    records = [e.record() for e in examples]
    y = np.asarray([e.label for e in examples], dtype=int)
    weights = np.asarray([e.weight for e in examples], dtype=float)
    if groups is None:
        groups = near_duplicate_groups([r["company_name"] + "\n" + r["body"] for r in records])
    fit_idx, cal_idx = calibration_split(y, groups, calibration_fraction, seed)
    base = build_pipeline(params, risk_type).fit(
        [records[i] for i in fit_idx], y[fit_idx], clf__sample_weight=weights[fit_idx]
    )
    if np.bincount(y[cal_idx], minlength=2).min() < 2:  # too few of a class to calibrate apart: use all
        cal_idx = np.arange(len(y))
    cal_records = [records[i] for i in cal_idx]
    # A frozen base predicts the same in every fold, so the fold count only has to fit the smallest class.
    folds = int(max(2, min(5, np.bincount(y[cal_idx], minlength=2).min())))
    calibrated = CalibratedClassifierCV(FrozenEstimator(base), method=params.calibration, cv=folds)
    with warnings.catch_warnings():
        # The base is frozen on purpose: example weights are meant for the calibrator only.
        warnings.filterwarnings(
            "ignore", message="Since FrozenEstimator does not appear to accept sample_weight"
        )
        calibrated.fit(cal_records, y[cal_idx], sample_weight=weights[cal_idx])
    model = RiskModel(risk_type, calibrated, 0.5, {"params": dict(params.__dict__)})
    model.threshold = best_f1_threshold(y[cal_idx], model.predict_proba(cal_records))
    if params.refit_on_all and len(fit_idx) < len(y):
        # The calibrator and the threshold were learned on rows the base had not seen; the base then
        # learns from every row, the calibration split's too. The frozen calibrator wraps this very
        # pipeline object, so it maps the refitted base's scores (docs/model.md, "Refit on every row").
        base.fit(records, y, clf__sample_weight=weights)
    return model
