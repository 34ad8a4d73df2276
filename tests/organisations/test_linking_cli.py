"""The orgs and registry commands end to end on the test database, and their documentation."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from typer.main import get_command
from typer.testing import CliRunner

from labourwatch import app
from store.cli import cli_engine, cli_settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "organisations.md"


@pytest.fixture
def cli(db: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """A runner whose commands use the test database."""
    monkeypatch.setenv("LABOURWATCH_DATABASE_URL", db_url)
    cli_settings.cache_clear()
    cli_engine.cache_clear()
    yield CliRunner()
    cli_engine().dispose()
    cli_settings.cache_clear()
    cli_engine.cache_clear()


def _ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_walkthrough(cli: CliRunner, tmp_path: Path) -> None:
    _ok(cli, "orgs", "demo-listings")
    _ok(cli, "registry", "demo-files", str(tmp_path))
    out = _ok(
        cli,
        "registry",
        "import",
        "hr_agency",
        str(tmp_path / "hr_agency.csv"),
        "--report",
        str(tmp_path / "r.csv"),
    )
    assert "5 rejected" in " ".join(out.split())
    assert len((tmp_path / "r.csv").read_text("utf-8-sig").splitlines()) == 6
    _ok(cli, "registry", "import", "marriage_agency", str(tmp_path / "marriage_agency.csv"))
    out = " ".join(_ok(cli, "orgs", "link").split())
    match = re.search(r"300 listings -> (\d+) organisations.*?(\d+) organisations flagged", out)
    assert match is not None, out
    organisations, flagged = int(match.group(1)), int(match.group(2))
    assert 50 <= organisations <= 150 and 10 <= flagged < organisations
    assert "missing" in _ok(cli, "orgs", "list", "--flagged")
    document = json.loads(_ok(cli, "orgs", "export", "--format", "json", "--flagged-only"))
    assert len(document["organisations"]) == flagged
    result = cli.invoke(app, ["orgs", "merge", "1", "1", "--reason", "x"])
    assert result.exit_code != 0


def _commands(group: str) -> list[str]:
    command = get_command(app).commands[group]  # type: ignore[attr-defined]
    return sorted(command.commands)


@pytest.mark.parametrize("group", ["orgs", "registry"])
def test_every_command_is_documented(group: str) -> None:
    text = DOC.read_text("utf-8")
    missing = [name for name in _commands(group) if f"labourwatch {group} {name}" not in text]
    assert missing == []
