"""A small message catalogue (Chinese first, English beside it): no gettext build step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from inspection.web.i18n.analyst import ANALYST
from inspection.web.i18n.labels import LABELS
from inspection.web.i18n.operations import OPERATIONS
from inspection.web.i18n.queue import QUEUE
from inspection.web.i18n.reasons import REASONS
from inspection.web.i18n.workflow import WORKFLOW

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

# key -> (zh, en). Enum labels use "<enum>.<value>" keys so templates translate stored values directly.
MESSAGES: dict[str, tuple[str, str]] = {**LABELS, **ANALYST, **OPERATIONS, **QUEUE, **WORKFLOW, **REASONS}


def translate(key: str, lang: str) -> str:
    """The message KEY in LANG; the key itself when the catalogue lacks it (visible, never a crash)."""
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    return entry[1] if lang == "en" else entry[0]


def translator(lang: str) -> Callable[[str], str]:
    """A one-argument translate function bound to LANG, for templates."""
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    return lambda key: translate(key, lang)


def reason_text(entry: dict[str, Any], lang: str) -> str:
    """An explanation entry in words: its own "meaning", else the catalogue's label for its feature.

    Phrase entries (character n-grams joined by " | ") read as 文本片段「…」; an unknown feature shows its
    name rather than nothing.
    """
    meaning = entry.get("meaning")
    if isinstance(meaning, str) and meaning.strip():
        return meaning.strip()
    feature = str(entry.get("feature", ""))
    if entry.get("kind") == "phrase":
        grams = "」「".join(g.strip() for g in feature.split("|") if g.strip())
        return translate("reason.phrase", lang).format(grams)
    return translate(f"reason.{feature}", lang) if f"reason.{feature}" in MESSAGES else feature
