"""docs/inspection.md names every inspection setting and command (an undocumented knob fails here)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from inspection.cli import audit_app, tasks_app
from store.settings import ENV_PREFIX, Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "inspection.md"
INSPECTION_SETTINGS = [name for name in Settings.model_fields if name.startswith(("task_", "finding_"))]


@pytest.mark.parametrize("name", INSPECTION_SETTINGS)
def test_setting_is_documented(name: str) -> None:
    assert ENV_PREFIX + name.upper() in DOC.read_text(encoding="utf-8")


def test_commands_are_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for prefix, app in (("tasks", tasks_app), ("audit", audit_app)):
        for command in app.registered_commands:
            assert f"labourwatch {prefix} {command.name}" in text


def test_settings_have_descriptions() -> None:
    assert INSPECTION_SETTINGS
    assert all(Settings.model_fields[name].description for name in INSPECTION_SETTINGS)


def test_every_documented_inspection_variable_is_a_setting() -> None:
    """The other way round: docs/inspection.md names no setting that the code lacks (a renamed one)."""
    text = DOC.read_text(encoding="utf-8")
    documented = set(re.findall(rf"{ENV_PREFIX}((?:TASK|FINDING)_[A-Z0-9_]*[A-Z0-9])", text))
    assert documented
    assert documented <= {name.upper() for name in INSPECTION_SETTINGS}, documented
