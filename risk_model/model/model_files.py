"""Model files: a model version as ONE skops file holding its risk-type models, verified before loading.

Model files are untrusted input. The file's SHA-256 is recorded in ModelVersion.sha256; loading
recomputes it and refuses on mismatch, then refuses any type outside ALLOWED_TYPES (skops never unpickles
arbitrary code), and finally refuses (StaleModelError) a model fitted to another indicator or registry
feature set. The paths a file is recorded under, and the code and library versions it was made with.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import subprocess
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from risk_model.features import feature_set_problem
from risk_model.model.pipeline import RiskModel
from store.settings import Settings

BUNDLE_FORMAT = "labourwatch.model-bundle/1"

# Types skops does not trust by default that our models are allowed to contain. Anything else refuses.
# These are import paths, written into every model file: moving one of these classes makes every
# existing model file unloadable, so risk_model.features, risk_model.constrained and
# risk_model.ngram_hash keep these names.
ALLOWED_TYPES = frozenset(
    {
        "risk_model.features.FoldRecords",
        "risk_model.features.DedupHashingVectorizer",
        "risk_model.features.JoinFields",
        "risk_model.features.IndicatorFeatures",
        "risk_model.features.StructuredFeatures",
        "risk_model.constrained.BoundedLogisticRegression",
        "risk_model.ngram_hash.CharNgramHasher",
        "sklearn.calibration._CalibratedClassifier",
        "sklearn.calibration._SigmoidCalibration",
        "sklearn.isotonic.IsotonicRegression",
    }
)


class UnsafeModelError(ValueError):
    """A model file failed its checksum or holds types outside the allow-list; it was not loaded."""


class StaleModelError(ValueError):
    """A verified model file was trained with another feature set than this code computes; retrain."""


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def code_version() -> str:
    """The git commit of this checkout, or 'unknown' outside a repository."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=Path(__file__).parent, capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return result.stdout.strip() or "unknown"


def library_versions() -> dict[str, str]:
    """Versions of the libraries a model file depends on."""
    import numpy
    import scipy
    import sklearn
    import skops

    return {
        "sklearn": sklearn.__version__,
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "skops": skops.__version__,
    }


def model_path(settings: Settings, relative: str) -> Path:
    """Absolute path of a model file recorded relative to the data folder."""
    path = Path(relative)
    return path if path.is_absolute() else settings.data_dir / path


def check_types(data: bytes) -> list[str]:
    """The file's non-default types; raises UnsafeModelError when any is outside ALLOWED_TYPES."""
    import skops.io as sio

    try:
        found = sio.get_untrusted_types(data=data)
    except Exception as error:  # not a skops file at all (a pickle, garbage): never unpickle it
        raise UnsafeModelError(f"not a readable skops model file: {error}") from error
    refused = sorted(set(found) - ALLOWED_TYPES)
    if refused:
        raise UnsafeModelError(f"model file holds types outside the allow-list: {refused}")
    return list(found)


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
