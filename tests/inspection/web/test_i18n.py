"""The message catalogue covers every key the templates use and every stored enum value, in both languages."""

from __future__ import annotations

import re
from enum import StrEnum

import pytest

from inspection.web.i18n import MESSAGES, translate
from inspection.web.templating import TEMPLATES_DIR
from store.enums import LicenceStatus, Outcome, RiskType, Role, TaskOrigin, TaskStatus, Violation

LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]+)["']\s*\)""")


def template_keys() -> set[str]:
    keys: set[str] = set()
    for path in TEMPLATES_DIR.glob("*.html"):
        keys |= set(LITERAL_KEY.findall(path.read_text(encoding="utf-8")))
    return keys


def test_every_template_key_is_in_the_catalogue() -> None:
    keys = template_keys()
    assert len(keys) > 40
    assert sorted(keys - set(MESSAGES)) == []


@pytest.mark.parametrize(
    ("prefix", "enum"),
    [
        ("status", TaskStatus),
        ("risk", RiskType),
        ("violation", Violation),
        ("outcome", Outcome),
        ("licence", LicenceStatus),
        ("role", Role),
        ("origin", TaskOrigin),
    ],
)
def test_every_enum_value_has_a_label(prefix: str, enum: type[StrEnum]) -> None:
    missing = [m.value for m in enum if f"{prefix}.{m.value}" not in MESSAGES]
    assert missing == []


def test_both_languages_filled_and_distinct_where_it_matters() -> None:
    assert all(zh and en for zh, en in MESSAGES.values())
    assert (
        translate("risk.child_labour", "zh") == "使用童工"
        and translate("risk.child_labour", "en") == "Child labour"
    )
    assert translate("no.such.key", "zh") == "no.such.key"
