"""A small JSONPath-style evaluator for feed sources: dotted keys, `[n]` indexes and `[*]` fan-out.

`data.statuses[*]`, `user.screen_name`, `pics[*].caption`, `items[0].id`, `['odd key'].x`. A leading `$`
or `$.` is allowed. Nothing else (no filters, no slices, no recursive descent): a path that asks for
more is refused when the source file is checked, with one line saying where and why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

Step = str | int | None  # a key, an index, or None for [*]
_KEY = re.compile(r"[^.\[\]\s'\"]+")
_INDEX = re.compile(r"\[(?:(-?\d+)|(\*)|'([^']*)'|\"([^\"]*)\")\]")


class PathError(ValueError):
    """A path that cannot be parsed; the message is one line naming the path and the position."""


@dataclass(frozen=True)
class JsonPath:
    """A parsed path: its text and its steps."""

    text: str
    steps: tuple[Step, ...]

    @property
    def fans_out(self) -> bool:
        """True when the path has a [*] step (it can select many values)."""
        return any(step is None for step in self.steps)


def _fail(text: str, at: int, why: str) -> PathError:
    return PathError(f"invalid path {text!r} at character {at + 1}: {why}")


def parse_path(text: str) -> JsonPath:
    """The steps of TEXT; PathError (one line) when it is not a path this evaluator reads."""
    if not text.strip():
        raise PathError("empty path (give a key such as 'text' or 'data.items[*]')")
    pos = 2 if text.startswith("$.") else 1 if text.startswith("$") else 0
    steps: list[Step] = []
    expect_key = True  # at the start and after a dot a key (or a bracket) must follow
    while pos < len(text):
        char = text[pos]
        if char == "[":
            match = _INDEX.match(text, pos)
            if match is None:
                raise _fail(text, pos, "expected [n], [*] or ['key']")
            number, star, single, double = match.groups()
            steps.append(int(number) if number is not None else None if star else (single or double or ""))
            pos, expect_key = match.end(), False
        elif char == ".":
            if expect_key:
                raise _fail(text, pos, "empty key")
            pos, expect_key = pos + 1, True
        else:
            match = _KEY.match(text, pos)
            if match is None or not expect_key:
                raise _fail(text, pos, f"unexpected {char!r}")
            steps.append(match.group())
            pos, expect_key = match.end(), False
    if expect_key:
        raise _fail(text, len(text) - 1, "ends with '.'")
    return JsonPath(text, tuple(steps))


def _step(values: list[Any], step: Step) -> list[Any]:
    out: list[Any] = []
    for value in values:
        if step is None:
            if isinstance(value, list):
                out.extend(value)
            elif isinstance(value, dict):
                out.extend(value.values())
        elif isinstance(step, int):
            if isinstance(value, list) and -len(value) <= step < len(value):
                out.append(value[step])
        elif isinstance(value, dict) and step in value:
            out.append(value[step])
    return out


def find_all(data: Any, path: JsonPath | str) -> list[Any]:
    """Every value PATH selects in DATA (missing steps select nothing; None values are kept out)."""
    parsed = parse_path(path) if isinstance(path, str) else path
    values = [data]
    for step in parsed.steps:
        values = _step(values, step)
    return [v for v in values if v is not None]


def find_one(data: Any, path: JsonPath | str) -> Any:
    """The first value PATH selects in DATA, or None."""
    found = find_all(data, path)
    return found[0] if found else None
