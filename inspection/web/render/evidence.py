"""Hostile crawled text made safe to show: HTML stripped with nh3, escaped, then the explained evidence marked."""

from __future__ import annotations

import gzip
import html
import re
from collections.abc import Iterable
from typing import Any

import nh3
from markupsafe import Markup, escape

from zhtext.decode import decode_page

MAX_PHRASES = 40
# Entries that say exactly which characters they matched ("spans"); phrase entries are n-grams to find.
SPAN_KINDS = frozenset({"indicator", "rule"})


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
    return mark_ranges(text, phrase_ranges(text, phrases))


def phrase_ranges(text: str, phrases: Iterable[str]) -> list[tuple[int, int]]:
    """Where PHRASES occur in TEXT (longest first, case-insensitive, no overlaps)."""
    wanted = [p for p in phrases if p]
    if not wanted:
        return []
    pattern = re.compile("|".join(re.escape(p) for p in sorted(wanted, key=len, reverse=True)), re.IGNORECASE)
    return [m.span() for m in pattern.finditer(text) if m.end() > m.start()]


def explained_spans(explanation: Iterable[Any], field: str) -> list[dict[str, Any]]:
    """The spans of FIELD that indicator and rule entries say they matched."""
    out = []
    for item in explanation or []:
        if isinstance(item, dict) and item.get("kind") in SPAN_KINDS:
            spans = item.get("spans")
            out += [s for s in spans if _valid_span(s, field)] if isinstance(spans, list) else []
    return out


def _valid_span(span: Any, field: str) -> bool:
    if not isinstance(span, dict) or span.get("field") != field:
        return False
    start, end, text = span.get("start"), span.get("end"), span.get("text")
    return isinstance(start, int) and isinstance(end, int) and isinstance(text, str) and 0 <= start < end


def locate(text: str, span: dict[str, Any]) -> tuple[int, int] | None:
    """Where SPAN's text is in TEXT: at its offsets when they still hold, else its nearest occurrence.

    The text shown can differ from the text scored (tags stripped, personal data masked), so offsets are
    checked against the span's own characters; a span whose text is not shown (masked) is not marked.
    """
    start, end, wanted = span["start"], span["end"], span["text"]
    if text[start:end] == wanted:
        return start, end
    found = [m.start() for m in re.finditer(re.escape(wanted), text)] if wanted else []
    if not found:
        return None
    best = min(found, key=lambda p: abs(p - start))
    return best, best + len(wanted)


def mark_ranges(text: str, ranges: Iterable[tuple[int, int]]) -> Markup:
    """TEXT escaped, with each range (overlapping ones merged) wrapped in <mark>."""
    out: list[str] = []
    position = 0
    for start, end in _merged(ranges):
        out.append(str(escape(text[position:start])))
        out.append(f'<mark class="risk">{escape(text[start:end])}</mark>')
        position = end
    out.append(str(escape(text[position:])))
    return Markup("".join(out))


def _merged(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start < merged[-1][1]:  # overlapping; adjacent marks stay two marks
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def marked_text(text: str, explanation: Iterable[Any], field: str) -> Markup:
    """TEXT escaped, marking the exact spans of indicator and rule entries, and phrase matches elsewhere."""
    items = list(explanation or [])
    spans = [r for r in (locate(text, s) for s in explained_spans(items, field)) if r is not None]
    phrases = [r for r in phrase_ranges(text, risky_phrases(items)) if not _overlaps(r, spans)]
    return mark_ranges(text, spans + phrases)


def _overlaps(candidate: tuple[int, int], ranges: list[tuple[int, int]]) -> bool:
    return any(candidate[0] < end and start < candidate[1] for start, end in ranges)


def evidence_html(body: str | None, explanation: Iterable[Any]) -> Markup:
    """A listing body as safe, highlighted text."""
    return marked_text(plain_text(body), explanation, "body")


def raw_page_text(raw_gz: bytes, content_type: str = "") -> str:
    """The stored raw page, decompressed and decoded with the charset it was read by (zhtext.decode:
    UTF-8 when valid, else the declared charset, GB18030, Big5; undecodable bytes replaced, never an error)."""
    try:
        data = gzip.decompress(raw_gz)
    except (OSError, EOFError):
        data = raw_gz
    return decode_page(data, content_type)
