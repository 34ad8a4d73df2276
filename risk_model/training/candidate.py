"""A trained candidate saved: its model file, its hold-out predictions and its ModelVersion row."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from risk_model.model.model_files import (
    ModelBundle,
    code_version,
    library_versions,
    model_path,
    save_bundle,
    sha256_bytes,
)
from risk_model.training.data_sources import DataPlan, TrainingRow
from risk_model.training.fit import HOLDOUT_MIN_FINDINGS, TrainedRiskType
from store.models import ModelVersion
from store.settings import Settings
from store.types import utcnow


def combined_fingerprint(trained: dict[str, TrainedRiskType]) -> str:
    """SHA-256 over the per-risk-type data fingerprints."""
    text = "\n".join(f"{risk}\t{trained[risk].fingerprint}" for risk in sorted(trained))
    return sha256_bytes(text.encode())


def new_version_name(fingerprint: str) -> str:
    """A sortable, unique version name: time to the microsecond and the data fingerprint."""
    return f"v{utcnow():%Y%m%d-%H%M%S-%f}-{fingerprint[:8]}"


def register_candidate(
    session: Session,
    *,
    settings: Settings,
    trained: dict[str, TrainedRiskType],
    data: dict[str, list[TrainingRow]],
    plan: DataPlan,
    seconds: float,
    notes: str | None = None,
) -> ModelVersion:
    """Save the bundle under DATA_DIR/models and record it as a candidate ModelVersion."""
    fingerprint = combined_fingerprint(trained)
    version = new_version_name(fingerprint)
    relative = f"models/{version}.skops"
    metadata = {"data_fingerprint": fingerprint, "code_version": code_version()}
    bundle = ModelBundle(version, {risk: t.model for risk, t in trained.items()}, metadata)
    digest = save_bundle(bundle, model_path(settings, relative))
    holdout_file = model_path(settings, f"models/{version}.holdout.json")
    holdout_file.write_text(json.dumps({r: t.holdout for r, t in trained.items()}, ensure_ascii=False))
    row = ModelVersion(
        version=version,
        file_path=relative,
        sha256=digest,
        data_fingerprint=fingerprint,
        code_version=metadata["code_version"][:60],
        library_versions=library_versions(),
        metrics={risk: t.metrics for risk, t in trained.items()},
        thresholds={risk: float(t.model.threshold) for risk, t in trained.items()},
        training=training_record(trained, data, plan, seconds),
        notes=notes,
    )
    session.add(row)
    session.flush()
    return row


def training_record(
    trained: dict[str, TrainedRiskType], data: dict[str, list[TrainingRow]], plan: DataPlan, seconds: float
) -> dict[str, Any]:
    """What ModelVersion.training holds: plan, counts by source, fingerprints, finding examples."""
    findings = [
        {
            "risk_type": risk,
            "example_id": r.example.example_id,
            "provenance": r.example.provenance,
            "label": r.example.label,
            "origin": r.origin,
        }
        for risk, rows in data.items()
        for r in rows
        if r.source == "finding"
    ]
    return {
        "plan": plan.describe(),
        "provenance_counts": {risk: t.provenance_counts for risk, t in trained.items()},
        "data_fingerprints": {risk: t.fingerprint for risk, t in trained.items()},
        "n_train": {risk: t.n_train for risk, t in trained.items()},
        "n_test": {risk: t.n_test for risk, t in trained.items()},
        "holdout": {
            "rule": "per source, newest ~20% of near-duplicate groups",
            "min_findings": HOLDOUT_MIN_FINDINGS,
        },
        "finding_examples": findings,
        "seconds": round(seconds, 2),
    }
