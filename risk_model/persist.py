"""Model files are untrusted input: skops with an allow-list, and a SHA-256 checked before loading."""

from __future__ import annotations

import hashlib
import hmac
import json
import subprocess
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from risk_model.examples import Example, data_fingerprint
from risk_model.pipeline import RiskModel

# Types skops does not trust by default that our models are allowed to contain. Anything else refuses.
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


def build_metadata(
    model: RiskModel, examples: Iterable[Example], metrics: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What is recorded with a model: data fingerprint, code and library versions, metrics, threshold."""
    examples = list(examples)
    return model.metadata | {
        "risk_type": model.risk_type,
        "threshold": model.threshold,
        "data_fingerprint": data_fingerprint(examples),
        "n_examples": len(examples),
        "n_positive": sum(e.label for e in examples),
        "code_version": code_version(),
        "libraries": library_versions(),
        "metrics": metrics or {},
    }


def save_model(model: RiskModel, path: Path) -> str:
    """Write the model with skops (deflated) and its manifest beside it; return the file's SHA-256."""
    import skops.io as sio

    payload = {
        "risk_type": model.risk_type,
        "threshold": float(model.threshold),
        "calibrated": model.calibrated,
        "metadata": json.dumps(model.metadata, ensure_ascii=False, default=str),
    }
    sio.dump(payload, path, compression=zipfile.ZIP_DEFLATED)
    digest = sha256_bytes(path.read_bytes())
    manifest = {"file": path.name, "sha256": digest, "metadata": model.metadata}
    manifest_path(path).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    return digest


def manifest_path(path: Path) -> Path:
    """Where the manifest (SHA-256 and metadata) of a model file lives."""
    return path.with_name(path.name + ".json")


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


def load_model(path: Path, *, expected_sha256: str) -> RiskModel:
    """Load a model only if its SHA-256 matches and every type it holds is allowed."""
    import skops.io as sio

    data = Path(path).read_bytes()
    actual = sha256_bytes(data)
    if not hmac.compare_digest(actual, expected_sha256.lower()):
        raise UnsafeModelError(f"SHA-256 mismatch for {path}: expected {expected_sha256}, file has {actual}")
    trusted = check_types(data)
    payload = sio.loads(data, trusted=trusted)
    return RiskModel(
        risk_type=payload["risk_type"],
        calibrated=payload["calibrated"],
        threshold=float(payload["threshold"]),
        metadata=json.loads(payload["metadata"]),
    )
