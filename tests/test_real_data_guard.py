"""Real-data tests skip locally when ../shared/data is missing, and fail in CI (CI=true) with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import needs_real_data, require_real_data


def test_missing_data_skips_outside_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    missing = tmp_path / "shared" / "data" / "orfd"
    with pytest.raises(pytest.skip.Exception, match=r"ORFD .*orfd is absent"):
        require_real_data(missing, "ORFD")


def test_missing_data_fails_in_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    missing = tmp_path / "shared" / "data" / "html"
    with pytest.raises(
        pytest.fail.Exception, match=r"CI needs the real data in \.\./shared/data: real pages .*html"
    ):
        require_real_data(missing, "real pages")


@pytest.mark.parametrize("ci", ["true", ""])
def test_present_data_runs_in_and_out_of_ci(ci: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", ci)
    assert require_real_data(tmp_path, "real data") is None


@needs_real_data(Path(__file__), "this file")
def test_the_mark_lets_a_test_with_its_data_run() -> None:
    assert needs_real_data(Path(__file__)).name == "realdata"
