"""`labourwatch model ...` in-process: train, list, score a JSON-lines file, card, promote errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner, Result

import labourwatch
from store import cli as store_cli
from store.cli import CliError


@pytest.fixture
def cli_env(db: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for name, value in {
        "LABOURWATCH_DATABASE_URL": db_url,
        "LABOURWATCH_DATA_DIR": str(tmp_path),
        "LABOURWATCH_MODEL_ORFD_LIMIT": "100",
        "LABOURWATCH_MODEL_SYNTHETIC_PER_KIND": "120",
    }.items():
        monkeypatch.setenv(name, value)
    store_cli.cli_settings.cache_clear()
    store_cli.cli_engine.cache_clear()
    yield tmp_path
    store_cli.cli_engine().dispose()
    store_cli.cli_settings.cache_clear()
    store_cli.cli_engine.cache_clear()


def _run(*args: str) -> Result:
    return CliRunner().invoke(labourwatch.app, ["model", *args], catch_exceptions=True)


def test_model_commands(cli_env: Path) -> None:
    refused = _run("rollback")
    assert isinstance(refused.exception, CliError) and "no champion" in str(refused.exception)

    trained = _run("train", "--full")
    assert trained.exit_code == 0, trained.output
    assert "champion" in trained.output and "ROC-AUC" in trained.output
    listed = _run("list")
    assert listed.exit_code == 0 and "champion" in listed.output

    source, target = cli_env / "in.jsonl", cli_env / "out.jsonl"
    source.write_text(
        json.dumps(
            {"id": 1, "kind": "job", "title": "招工", "text": "年满14周岁即可，交押金"}, ensure_ascii=False
        )
        + "\n{broken\n",
        encoding="utf-8",
    )
    scored = _run("score", "--input", str(source), "--output", str(target))
    assert scored.exit_code == 0, scored.output
    assert "line 2" in scored.output and "1 scored" in scored.output
    assert json.loads(target.read_text(encoding="utf-8").splitlines()[0])["id"] == 1
    assert isinstance(_run("score", "--input", str(source)).exception, CliError)

    card = _run("card", "--output", str(cli_env / "card.md"))
    assert card.exit_code == 0 and (cli_env / "card.md").read_text(encoding="utf-8").startswith(
        "# Model card"
    )
    missing = _run("promote", "v-none")
    assert isinstance(missing.exception, CliError) and "no model version" in str(missing.exception)
    drift = _run("drift")
    assert drift.exit_code == 0, drift.output
