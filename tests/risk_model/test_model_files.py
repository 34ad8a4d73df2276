"""Model files (risk_model.model.model_files): round trip with metadata, and refusal of tampered or unsafe files."""

from __future__ import annotations

import pickle
import zipfile
from pathlib import Path

import numpy as np
import pytest
import skops.io as sio

from risk_model.data.examples import data_fingerprint
from risk_model.model.model_files import (
    ModelBundle,
    UnsafeModelError,
    library_versions,
    load_bundle,
    save_bundle,
    sha256_bytes,
)


class Sneaky:
    """A class outside the allow-list (a stand-in for anything that could run code on load)."""

    def __init__(self) -> None:
        self.command = "rm -rf /"


class Exploit:
    """Unpickling this runs code."""

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (print, ("pwned",))


def test_round_trip_keeps_scores_and_metadata(child_model, child_examples, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    metadata = {
        "data_fingerprint": data_fingerprint(child_examples),
        "libraries": library_versions(),
        "metrics": {"average_precision": 1.0},
    }
    path = tmp_path / "child.skops"
    digest = save_bundle(ModelBundle("v-test", {"child_labour": child_model}, metadata), path)
    assert digest == sha256_bytes(path.read_bytes())
    bundle = load_bundle(path, expected_sha256=digest)
    loaded = bundle.models["child_labour"]
    records = [e.record() for e in child_examples[:10]]
    assert np.allclose(loaded.predict_proba(records), child_model.predict_proba(records))
    assert loaded.threshold == child_model.threshold
    meta = bundle.metadata
    assert meta["libraries"].keys() == {"sklearn", "numpy", "scipy", "skops"}
    assert len(meta["data_fingerprint"]) == 64 and meta["metrics"]["average_precision"] == 1.0


def test_tampered_file_is_refused(child_model, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "child.skops"
    digest = save_bundle(ModelBundle("v-test", {"child_labour": child_model}), path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(UnsafeModelError, match="SHA-256 mismatch"):
        load_bundle(path, expected_sha256=digest)


def test_type_outside_allow_list_is_refused_even_with_matching_hash(tmp_path: Path) -> None:
    path = tmp_path / "sneaky.skops"
    sio.dump({"calibrated": Sneaky()}, path, compression=zipfile.ZIP_DEFLATED)
    with pytest.raises(UnsafeModelError, match="outside the allow-list"):
        load_bundle(path, expected_sha256=sha256_bytes(path.read_bytes()))


def test_plain_pickle_is_never_unpickled(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "evil.skops"
    path.write_bytes(pickle.dumps(Exploit()))
    with pytest.raises(UnsafeModelError, match="not a readable skops"):
        load_bundle(path, expected_sha256=sha256_bytes(path.read_bytes()))
    assert "pwned" not in capsys.readouterr().out
