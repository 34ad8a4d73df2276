"""The README and docs stay true: every setting and every command is documented, the two commands hold."""

from __future__ import annotations

import re
from typing import Any

import pytest
import typer

import labourwatch
from store.settings import settings_help
from tests.conftest import ROOT


def _docs_text() -> str:
    files = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "risk_model" / "README.md"]
    return "\n".join(p.read_text(encoding="utf-8") for p in files if p.exists())


def _command_paths() -> list[str]:
    paths: list[str] = []

    def walk(command: Any, prefix: list[str]) -> None:
        if hasattr(command, "commands"):  # a group (typer ships its own click classes)
            for name, sub in command.commands.items():
                walk(sub, [*prefix, name])
        else:
            paths.append(" ".join(prefix))

    walk(typer.main.get_command(labourwatch.app), [])
    assert len(paths) > 20 and "" not in paths, paths
    return sorted(paths)


@pytest.mark.parametrize("variable", [row[0] for row in settings_help()])
def test_every_setting_is_documented(variable: str) -> None:
    text = _docs_text()
    stem = variable.removeprefix("LABOURWATCH_")
    assert variable in text or re.search(rf"\b{stem}\b", text), f"{variable} is not documented"


@pytest.mark.parametrize("path", _command_paths())
def test_every_command_is_documented(path: str) -> None:
    assert path in _docs_text(), f"`labourwatch {path}` is not documented"


def test_quick_start_is_two_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Quick start.*?```sh\n(.*?)```", readme, re.S)
    assert block, "README has no quick-start block"
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci
