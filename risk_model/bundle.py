"""A model version as ONE skops file holding the three risk-type models, verified before loading.

The file's SHA-256 is recorded in ModelVersion.sha256; loading recomputes it and refuses on mismatch,
then refuses any type outside risk_model.persist.ALLOWED_TYPES (skops never unpickles arbitrary code),
and finally refuses (StaleModelError) a model fitted to another indicator or registry feature set.
"""

from __future__ import annotations

import hmac
import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from risk_model.features import feature_set_problem
from risk_model.persist import StaleModelError, UnsafeModelError, check_types, sha256_bytes
from risk_model.pipeline import RiskModel

BUNDLE_FORMAT = "labourwatch.model-bundle/1"


@dataclass
class ModelBundle:
    """The three risk-type models of one model version."""

    version: str
    models: dict[str, RiskModel]
    metadata: dict[str, Any] = field(default_factory=dict)

    def threshold(self, risk_type: str, overrides: Mapping[str, float] | None = None) -> float:
        """The operating threshold: a configured override, else the one chosen at training."""
        if overrides and risk_type in overrides:
            return float(overrides[risk_type])
        return float(self.models[risk_type].threshold)


def save_bundle(bundle: ModelBundle, path: Path) -> str:
    """Write the bundle as one deflated skops file; return its SHA-256."""
    import skops.io as sio

    payload = {
        "format": BUNDLE_FORMAT,
        "version": bundle.version,
        "metadata": json.dumps(bundle.metadata, ensure_ascii=False, default=str),
        "models": {
            risk: {
                "risk_type": model.risk_type,
                "threshold": float(model.threshold),
                "calibrated": model.calibrated,
                "metadata": json.dumps(model.metadata, ensure_ascii=False, default=str),
            }
            for risk, model in bundle.models.items()
        },
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    sio.dump(payload, path, compression=zipfile.ZIP_DEFLATED)
    return sha256_bytes(path.read_bytes())


def load_bundle(path: Path, *, expected_sha256: str) -> ModelBundle:
    """Load a bundle only if its SHA-256 matches and every type in it is allowed."""
    import skops.io as sio

    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise UnsafeModelError(f"model file {path} cannot be read: {error.strerror}") from error
    actual = sha256_bytes(data)
    if not hmac.compare_digest(actual, (expected_sha256 or "").lower()):
        raise UnsafeModelError(f"SHA-256 mismatch for {path}: expected {expected_sha256}, file has {actual}")
    payload = sio.loads(data, trusted=check_types(data))
    if not isinstance(payload, dict) or payload.get("format") != BUNDLE_FORMAT:
        raise UnsafeModelError(f"{path} is not a LabourWatch model bundle")
    models = {
        risk: RiskModel(
            risk_type=part["risk_type"],
            calibrated=part["calibrated"],
            threshold=float(part["threshold"]),
            metadata=json.loads(part["metadata"]),
        )
        for risk, part in payload["models"].items()
    }
    for risk, model in models.items():
        problem = feature_set_problem(model.base)
        if problem:
            raise StaleModelError(
                f"model {payload['version']} ({risk}) was trained with another feature set: {problem}; "
                "train a new model with `labourwatch model train`"
            )
    return ModelBundle(payload["version"], models, json.loads(payload["metadata"]))
