"""Settings: one prefix (LABOURWATCH_), help text on every field, one clear line when a value is wrong.

`Settings` gathers one class per area, each in its own module: core (folders, database, keys, logging),
scheduler (cron lines and the command table of each job kind), inspection (tasks, findings, documents),
crawl, web, model and retention.
"""

from __future__ import annotations

import json
import os
from typing import Any

from pydantic import ValidationError
from pydantic_settings import SettingsConfigDict

from store.settings.core import CoreSettings
from store.settings.crawl import CrawlSettings
from store.settings.inspection import InspectionSettings
from store.settings.model import ModelSettings
from store.settings.retention import RetentionSettings
from store.settings.scheduler import SchedulerSettings
from store.settings.web import WebSettings

ENV_PREFIX = "LABOURWATCH_"


class SettingsError(ValueError):
    """A setting has an invalid value; the message names it."""


# pydantic lists the fields of the last base first: this order keeps `labourwatch settings` (and the docs
# table) in the order core, scheduler, inspection, crawlers, web UI, model, retention.
class Settings(
    RetentionSettings,
    ModelSettings,
    WebSettings,
    CrawlSettings,
    InspectionSettings,
    SchedulerSettings,
    CoreSettings,
):
    """Every knob of LabourWatch. Set with environment variables (LABOURWATCH_<NAME>) or a .env file."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )


def _describe(error: Any) -> str:
    field = str(error["loc"][0]) if error.get("loc") else "?"
    name = "DATABASE_URL" if field in {"database_url", "DATABASE_URL"} else ENV_PREFIX + field.upper()
    return f"{name.removeprefix(ENV_PREFIX + ENV_PREFIX)}: {error['msg']} (got {error.get('input')!r})"


# Settings whose meaning changed: a value left in the environment would silently stop meaning anything.
RENAMED: dict[str, str] = {
    "TASK_AUDIT_SHARE": "TASK_AUDIT_CAPACITY_SHARE (a share of each team's capacity, not of all listings)",
    "MODEL_ACTIVE_SHARE": "TASK_ACTIVE_CAPACITY_SHARE (a share of each team's capacity, not of the new queue)",
}


def load_settings(**overrides: Any) -> Settings:
    """Read the settings from the environment; raise SettingsError naming the bad setting."""
    for old, new in RENAMED.items():
        if ENV_PREFIX + old in os.environ:
            raise SettingsError(f"{ENV_PREFIX}{old} was replaced by {ENV_PREFIX}{new}; rename it")
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise SettingsError("invalid setting " + "; ".join(_describe(e) for e in exc.errors())) from None


def settings_help() -> list[tuple[str, str, str]]:
    """(variable, default, description) for every setting: the source of the docs table."""
    rows = []
    for name, field in Settings.model_fields.items():
        value = field.get_default(call_default_factory=True)  # a factory default is a value too
        default = "" if value is None else json.dumps(value) if isinstance(value, dict | list) else str(value)
        rows.append((ENV_PREFIX + name.upper(), default, field.description or ""))
    return rows
