"""Hostile crawled text made safe to show: HTML stripped with nh3, escaped, then risky phrases marked."""

from __future__ import annotations

import gzip
import html
import re
from collections.abc import Iterable
from typing import Any

import nh3
from markupsafe import Markup, escape

MAX_PHRASES = 40


def plain_text(body: str | None) -> str:
    """The visible text of BODY with every tag (and script/style content) removed by nh3."""
    if not body:
        return ""
    return html.unescape(nh3.clean(body, tags=set(), clean_content_tags={"script", "style"}))


def risky_phrases(explanation: Iterable[Any]) -> list[str]:
    """Phrases that pushed a score up, from a stored explanation (n-grams joined by ' | ')."""
    phrases: set[str] = set()
    for item in explanation or []:
        if not isinstance(item, dict) or item.get("kind") != "phrase" or float(item.get("weight", 0)) <= 0:
            continue
        for gram in str(item.get("feature", "")).split("|"):
            gram = gram.strip()
            if len(gram) >= 2 and not gram.startswith("#"):
                phrases.add(gram)
    return sorted(phrases, key=len, reverse=True)[:MAX_PHRASES]


def highlight(text: str, phrases: Iterable[str]) -> Markup:
    """TEXT escaped, with PHRASES wrapped in <mark>: matches are found in the raw text, every piece escaped."""
    wanted = [p for p in phrases if p]
    if not wanted:
        return Markup(escape(text))
    pattern = re.compile("|".join(re.escape(p) for p in sorted(wanted, key=len, reverse=True)), re.IGNORECASE)
    out: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        out.append(str(escape(text[position : match.start()])))
        out.append(f'<mark class="risk">{escape(match.group(0))}</mark>')
        position = match.end()
    out.append(str(escape(text[position:])))
    return Markup("".join(out))


def evidence_html(body: str | None, explanation: Iterable[Any]) -> Markup:
    """A listing body as safe, highlighted text."""
    return highlight(plain_text(body), risky_phrases(explanation))


def raw_page_text(raw_gz: bytes) -> str:
    """The stored raw page, decompressed and decoded (undecodable bytes replaced, never an error)."""
    try:
        data = gzip.decompress(raw_gz)
    except (OSError, EOFError):
        data = raw_gz
    return data.decode("utf-8", errors="replace")
