"""The README and docs stay true: every setting and every command is documented, the two commands hold."""

from __future__ import annotations

import re
import tomllib
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
    assert paths and "" not in paths, paths
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


def test_every_command_the_readme_names_exists() -> None:
    """The other way round: the README names no `labourwatch` command the CLI lacks."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`labourwatch ([a-z][a-z-]*)", readme))
    groups = {path.split()[0] for path in _command_paths()}
    assert named and named <= groups, named - groups


def test_every_layering_contract_is_in_the_architecture() -> None:
    """docs/architecture.md has a row for every package import-linter checks, and names every module of
    every contract; a layers contract appears as its chain (`inspection -> risk_model -> store`)."""
    linter = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for package in linter["root_packages"]:
        assert f"| `{package}/` |" in text, f"{package}/ has no row in docs/architecture.md"
    for contract in linter["contracts"]:
        modules = [  # a layers contract's modules are named by its chain, checked below
            *contract.get("modules", []),
            *contract.get("source_modules", []),
            *contract.get("forbidden_modules", []),
        ]
        for module in modules:
            assert f"`{module}" in text, (
                f"{module} (contract {contract['name']!r}) is not in docs/architecture.md"
            )
        if contract["type"] == "layers":
            chain = " -> ".join(contract["layers"])
            assert chain in text, f"layers {chain} are not drawn in docs/architecture.md"
