"""Reading source files: TOML parsed and validated, every problem named with its file and key at once."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from crawlers.config.schema import NOWHERE_TO_START, RAW_FIELDS, SourceConfig, check_field_names
from store.cron import crontab_trigger


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a source file."""

    file: str
    key: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: {self.reason}"


class SourceError(ValueError):
    """A source file is invalid; `problems` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def _key_of(loc: tuple[Any, ...]) -> str:
    # pydantic locations mix keys and list indexes: ('start_urls', 0) -> start_urls[0]
    key = ""
    for part in loc:
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    return key or "(file)"


_TOML_WHERE = re.compile(r"\s*\(at (line \d+, column \d+|end of document)\)$")


def _toml_problem(file: str, message: str) -> Problem:
    """A TOML syntax error with its line and column as the key (Python 3.11 has them only in the text)."""
    where = _TOML_WHERE.search(message)
    key = where.group(1) if where else "(file)"
    return Problem(file, key, f"TOML syntax error: {_TOML_WHERE.sub('', message)}")


def check_source_text(text: str, file: str) -> tuple[SourceConfig | None, list[Problem]]:
    """Parse and validate one source file's TEXT; every problem is returned, none raised."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, [_toml_problem(file, str(exc))]
    try:
        return SourceConfig.model_validate(data), []
    except ValidationError as exc:
        problems = [
            Problem(file, _key_of(tuple(e["loc"])), e["msg"].removeprefix("Value error, "))
            for e in exc.errors()
        ]
        # pydantic skips a dict's name check once a value in it failed: say both in this one pass
        return None, problems + [p for p in _raw_problems(data, file) if p not in problems]


def _raw_problems(data: dict[str, Any], file: str) -> list[Problem]:
    """What whole-model checks would say, read from the raw data (they do not run once a field failed)."""
    links: dict[str, Any] = data["links"] if isinstance(data.get("links"), dict) else {}
    if not (data.get("start_urls") or links.get("sitemaps") or links.get("url_lists")):
        return [Problem(file, "start_urls", NOWHERE_TO_START), *_field_name_problems(data, file)]
    return _field_name_problems(data, file)


def _field_name_problems(data: dict[str, Any], file: str) -> list[Problem]:
    """Unknown listing field names in the field tables of raw (unvalidated) source data."""
    extract: dict[str, Any] = data["extract"] if isinstance(data.get("extract"), dict) else {}
    embedded: dict[str, Any] = (
        extract["embedded_json"] if isinstance(extract.get("embedded_json"), dict) else {}
    )
    feed: dict[str, Any] = extract["json_feed"] if isinstance(extract.get("json_feed"), dict) else {}
    tables = {
        "extract.fields": extract.get("fields"),
        "extract.detail_fields": extract.get("detail_fields"),
        "extract.embedded_json.fields": embedded.get("fields"),
        "extract.json_feed.fields": feed.get("fields"),
    }
    problems = []
    for key, value in tables.items():
        if isinstance(value, dict) and set(value) - set(RAW_FIELDS):
            try:
                check_field_names(value)
            except ValueError as exc:
                problems.append(Problem(file, key, str(exc)))
    return problems


def check_source(path: Path) -> tuple[SourceConfig | None, list[Problem]]:
    """Validate the source file at PATH (name must match the file name)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(str(path), "(file)", f"cannot read: {exc}")]
    config, problems = check_source_text(text, str(path))
    if config is not None and config.name != path.stem:
        problems.append(
            Problem(str(path), "name", f"{config.name!r} differs from the file name {path.stem!r}")
        )
        config = None
    return config, problems


def load_source(path: Path) -> SourceConfig:
    """The valid source at PATH, or SourceError listing every problem."""
    config, problems = check_source(path)
    if config is None:
        raise SourceError(problems)
    return config


def source_files(folder: Path) -> list[Path]:
    """The *.toml files of the sources folder, by name."""
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def find_source(folder: Path, name_or_path: str) -> Path:
    """The file for a source name (or a path given directly)."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" and candidate.exists():
        return candidate
    path = folder / f"{name_or_path}.toml"
    if not path.exists():
        known = ", ".join(p.stem for p in source_files(folder)) or "none"
        raise SourceError([Problem(str(path), "(file)", f"no such source; known: {known}")])
    return path


def load_source_schedules(folder: Path) -> list[tuple[str, str]]:
    """(name, cron) of every enabled source file in FOLDER that has a schedule: what the scheduler runs.

    Only the keys the scheduler needs are read (a [source] table or top-level keys), so one broken
    extraction rule does not stop every other site's schedule; the cron line is checked by the same rule
    as `sources check` (store/cron.py), which also takes 6 fields (seconds first) here.
    """
    schedules = []
    for path in source_files(folder):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"source file {path}: {exc}") from None
        table = data.get("source", data)  # a [source] table or top-level keys
        name, cron = table.get("name") or path.stem, table.get("schedule")
        if table.get("enabled", True) and cron:
            try:
                crontab_trigger(str(cron), "UTC")
            except ValueError as exc:
                raise ValueError(f"source file {path}: schedule: {exc}") from None
            schedules.append((str(name), str(cron)))
    return schedules
