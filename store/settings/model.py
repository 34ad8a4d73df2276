"""Model settings (risk_model): thresholds, promotion, training data, drift, scoring."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings


class ModelSettings(BaseSettings):
    """Training, promotion, scoring and drift of the risk model."""

    model_thresholds: dict[str, float] = Field(
        default={},
        description='Operating threshold per risk type as JSON, e.g. {"child_labour": 0.3}; a risk type '
        "left out uses the threshold chosen at training (best F1 on the calibration split).",
    )
    model_promotion_tolerance: float = Field(
        default=0.02,
        ge=0.0,
        le=1.0,
        description="Largest drop of a tracked metric (ROC-AUC, average precision, F1; rise for Brier) per "
        "risk type a candidate may show against the champion before promotion is refused.",
    )
    model_source_weights: dict[str, float] = Field(
        default={"orfd": 1.0, "synthetic": 0.5, "hand": 1.0, "finding": 3.0},
        description="Training weight per example source as JSON (orfd, synthetic, hand: the hand-written "
        "development ads, finding); 0 leaves a source out.",
    )
    model_orfd_limit: int = Field(
        default=0, ge=0, description="Use only the first N labelled ORFD rows for training (0 = all)."
    )
    model_agency_corpus: str = Field(
        default="auto",
        pattern="^(auto|always|never)$",
        description=(
            "Whether illegal_agency also learns from the synthetic corpus: auto (only when ORFD gives "
            "fewer than 100 fakes), always (the demo main job: its sites are written by the same "
            "generator), never."
        ),
    )
    model_synthetic_per_kind: int = Field(
        default=1500,
        ge=0,
        le=100_000,
        description="Synthetic labelled ads generated per kind (job, marriage).",
    )
    model_quick: bool = Field(
        default=False,
        description="Train on a small sample (1,000 ORFD rows, 600 synthetic ads a kind): for demos and tests.",
    )
    model_seed: int = Field(
        default=2014, description="Seed of the synthetic corpus and of the training splits."
    )
    model_drift_threshold: float = Field(
        default=0.2,
        gt=0.0,
        description="Population stability index above which the weekly drift report raises an alert.",
    )
    model_drift_reference_days: int = Field(
        default=28, ge=7, le=365, description="Length of the drift reference window before the latest week."
    )
    model_score_batch_size: int = Field(
        default=500, ge=1, le=20_000, description="Listings scored per batch (bounds memory)."
    )

    @field_validator("model_thresholds", "model_source_weights")
    @classmethod
    def _probability_map(cls, value: dict[str, float], info: Any) -> dict[str, float]:
        known = (
            {"illegal_agency", "child_labour", "forced_labour", "illegal_marriage_broker"}
            if info.field_name == "model_thresholds"
            else {"orfd", "synthetic", "hand", "finding"}
        )
        unknown = sorted(set(value) - known)
        if unknown:
            raise ValueError(f"unknown keys {unknown}; expected some of {sorted(known)}")
        if any(
            not 0.0 <= v <= (1.0 if info.field_name == "model_thresholds" else 100.0) for v in value.values()
        ):
            raise ValueError("values out of range")
        return value
