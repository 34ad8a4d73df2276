"""The house rules of scripts/check_layout.py: the checks themselves find what they should, and the
project keeps them (no import cycle, no module over 400 lines, no crowded folder)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from tests.conftest import ROOT


def _check_layout() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_layout", ROOT / "scripts" / "check_layout.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("check_layout", module)
    spec.loader.exec_module(module)
    return module


def test_cycles_are_found_through_other_modules_and_self_imports() -> None:
    layout = _check_layout()
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}, "f": set()}
    assert sorted(layout.strongly_connected(edges)) == [["a", "b", "c"], ["e"]]
    assert layout.strongly_connected({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_a_long_module_and_a_crowded_folder_are_named(tmp_path: Path) -> None:
    layout = _check_layout()
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "long.py").write_text("x = 1\n" * (layout.MAX_MODULE_LINES + 1))
    for n in range(layout.MAX_MODULES_PER_FOLDER):
        (package / f"m{n}.py").write_text("")
    (package / "migrations").mkdir()
    (package / "migrations" / "0001.py").write_text("x = 1\n" * 1000)  # exempt by design
    long = layout.oversized_modules(tmp_path, ["pkg"])
    assert [b.where for b in long] == ["pkg/long.py"]
    crowded = layout.crowded_folders(tmp_path, ["pkg"])
    assert [b.where for b in crowded] == ["pkg/"]


def test_the_project_keeps_the_house_rules() -> None:
    layout = _check_layout()
    breaches = [*layout.import_cycles(), *layout.oversized_modules(), *layout.crowded_folders()]
    assert not breaches, "\n".join(str(b) for b in breaches)
