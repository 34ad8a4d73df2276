"""docs/scheduler.md names every scheduler setting (with its default) and every `schedule` command."""

from __future__ import annotations

import re

from scheduling.cli import schedule_app
from store.settings import ENV_PREFIX, Settings
from tests.scheduler.conftest import ROOT

DOC = (ROOT / "docs" / "scheduler.md").read_text(encoding="utf-8")


def test_every_scheduler_setting_is_documented_with_its_default() -> None:
    names = [name for name in Settings.model_fields if name.startswith("schedule_")]
    assert names
    documented = set(re.findall(rf"^\| `{ENV_PREFIX}(SCHEDULE_[A-Z0-9_]+)` \|", DOC, re.MULTILINE))
    assert documented <= {name.upper() for name in names}, documented  # no row for a setting that is gone
    for name in names:
        variable = ENV_PREFIX + name.upper()
        row = re.search(rf"^\| `{variable}` \| ([^|]+) \|", DOC, re.MULTILINE)
        assert row, f"{variable} is not in docs/scheduler.md"
        default = Settings.model_fields[name].default
        if isinstance(default, str | int | float):
            expected = f"`{default:g}`" if isinstance(default, float) else f"`{default}`"
            assert row.group(1).strip() == expected, variable


def test_every_schedule_command_is_documented() -> None:
    commands = [info.name for info in schedule_app.registered_commands]
    assert commands
    for command in commands:
        assert f"`labourwatch schedule {command}" in DOC, command
    documented = set(re.findall(r"`labourwatch schedule ([a-z-]+)", DOC))
    assert documented <= set(commands), documented  # no command the code lacks
