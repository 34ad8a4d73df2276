"""Helpers for the model-operations tests: small real training data, one shared trained set (rows: tests/rows.py)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlmodel import Session

from risk_model.data.examples import RISK_TYPES
from risk_model.model.model_files import ModelBundle
from risk_model.training.candidate import register_candidate
from risk_model.training.data_sources import DataPlan, TrainingRow, orfd_rows, synthetic_rows
from risk_model.training.fit import TrainedRiskType, train_all
from store.models import ModelVersion
from store.settings import Settings, load_settings

# The hand-written ads are left out (weight 0) to keep trainings small; tests/risk_model/test_hand_written_source.py
# and test_a_trained_version_counts_its_hand_written_rows cover them.
SMALL = {
    "model_orfd_limit": 150,
    "model_synthetic_per_kind": 160,
    "model_seed": 11,
    "model_source_weights": {"hand": 0.0},
}


def small_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings with a small training plan and files under DATA_DIR."""
    return load_settings(data_dir=data_dir, **(SMALL | overrides))


@lru_cache(maxsize=1)
def base_data() -> dict[str, list[TrainingRow]]:
    """The small plan's rows without findings (ORFD rows only where the shared data exists)."""
    plan = DataPlan.from_settings(small_settings(Path("unused")))
    data = {risk: synthetic_rows(plan, risk) for risk in RISK_TYPES}
    data["illegal_agency"] = list(orfd_rows(plan)) + data["illegal_agency"]
    return data


@lru_cache(maxsize=1)
def pretrained() -> dict[str, TrainedRiskType]:
    """One real training of the small data, shared by the tests of a run (training is the slow part)."""
    return train_all(base_data(), seed=11)


@lru_cache(maxsize=1)
def noisy() -> dict[str, TrainedRiskType]:
    """A deliberately useless training: the same rows with labels shuffled."""
    from risk_model.training.fit import shuffled_labels

    return train_all({risk: shuffled_labels(rows, seed=5) for risk, rows in base_data().items()}, seed=11)


def pretrained_bundle() -> ModelBundle:
    """The shared models as an in-memory bundle."""
    return ModelBundle("test", {risk: t.model for risk, t in pretrained().items()})


def register(
    session: Session, settings: Settings, trained: dict[str, TrainedRiskType] | None = None
) -> ModelVersion:
    """Save and record a candidate (the shared training unless TRAINED is given)."""
    plan = DataPlan.from_settings(settings)
    return register_candidate(
        session, settings=settings, trained=trained or pretrained(), data=base_data(), plan=plan, seconds=0.0
    )
