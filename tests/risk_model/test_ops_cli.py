"""`labourwatch model ...` in-process: train, list, score a JSON-lines file, card, promote errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from typer.testing import CliRunner, Result

import labourwatch
from risk_model.registry import model_promote
from store import cli as store_cli
from store.cli import CliError
from tests.risk_model.ops_support import register, small_settings


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


def test_score_file_paths_are_checked_before_the_model_loads(cli_env: Path) -> None:
    source = cli_env / "in.jsonl"
    source.write_text('{"id": 1, "kind": "job", "text": "招工"}\n', encoding="utf-8")
    cases = {
        (cli_env, cli_env / "out.jsonl"): "is a directory, not a file",
        (cli_env / "none.jsonl", cli_env / "out.jsonl"): "does not exist",
        (source, cli_env / "no" / "out.jsonl"): f"output folder {cli_env / 'no'} does not exist",
        (source, cli_env): "is a directory; name a file in it",
        (source, source): "is the input file",
        (source, cli_env / "out.jsonl"): "no champion",  # the paths are fine: only now the model loads
    }
    for (input_path, output_path), message in cases.items():
        refused = _run("score", "--input", str(input_path), "--output", str(output_path))
        assert isinstance(refused.exception, CliError) and message in str(refused.exception)
    assert not (cli_env / "out.jsonl").exists()


def test_score_file_reports_hostile_lines_and_exits_1_when_nothing_is_valid(
    cli_env: Path, session: Session
) -> None:
    settings = small_settings(cli_env)
    model_promote(session, version=register(session, settings).version, actor="t", settings=settings)
    session.commit()
    source, target = cli_env / "in.jsonl", cli_env / "out.jsonl"
    lines = [
        json.dumps({"id": "a", "kind": "job", "title": "招工", "text": "年满14周岁即可" * 3000}),
        json.dumps({"id": "b", "kind": "[/]", "text": "t"}),
        json.dumps({"id": "c", "kind": "job", "text": "x" * 1_000_001}),
        json.dumps({"id": 1.5, "kind": "job", "text": "t"}),
    ]
    source.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode())
    scored = _run("score", "--input", str(source), "--output", str(target))
    assert scored.exit_code == 0, scored.output
    text = " ".join(scored.output.split())
    assert "line 2: kind must be 'job' or 'marriage', not the string '[/]'" in text
    assert "line 3: the line is 1,000,0" in text and "line 4: id must be" in text
    assert "1 scored" in text and "3 invalid lines; 1 with a field cut to 20,000 characters" in text
    assert [json.loads(line)["id"] for line in target.read_text(encoding="utf-8").splitlines()] == ["a"]

    source.write_text("{broken\n", encoding="utf-8")
    nothing = _run("score", "--input", str(source), "--output", str(target))
    assert nothing.exit_code == 1 and "line 1: not valid JSON" in nothing.output
    assert target.read_text(encoding="utf-8") == ""
