"""The context view of an ad: its text with every sentence that states a violation removed.

The n-gram and registry blocks read this view, the indicator block reads the whole text. So evidence of
a violation reaches the model only through its indicator, whose weight is bounded at ≥ 0: adding a
sentence that states a violation leaves the n-grams untouched and can only raise the risk (the
property docs/model.md describes and tests/risk_model/test_monotone.py checks). It also keeps n-gram
weights from learning the opposite of the law from noisy labels (a deposit lowering agency risk).

Every indicator that finds spans is cut, context indicators too (lure words, contact details, an agency
naming itself): the property covers any indicator sentence, and each of them reaches the model through
its own bounded column.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from risk_model.features.indicators import legal_spans

# Sentences end at these (folded text: full-width punctuation is ASCII; fields are joined with "\n").
_SENTENCE = re.compile(r"[^。!?;\n]+")


@lru_cache(maxsize=4096)
def context_lines(joined: str) -> tuple[str, ...]:
    """The sentences of JOINED (folded ad text) that carry no indicator span, one per field line.

    Returns one string per "\n"-separated field of JOINED, its kept sentences joined by "\n"
    (delimiters dropped, so appending a removed sentence changes nothing).
    """
    cuts = sorted(
        (s.start, s.end) for spans in legal_spans(joined).values() for s in spans if s.end > s.start
    )
    return kept_lines(joined, cuts)


def kept_lines(joined: str, cuts: list[tuple[int, int]]) -> tuple[str, ...]:
    """Per field line of JOINED, its sentences touching none of CUTS ([start, end) offsets, sorted)."""
    if not cuts:  # most ads state no violation: every sentence is kept (the same as the loop below)
        return tuple(
            "\n".join(kept for kept in map(str.strip, _SENTENCE.findall(line)) if kept)
            for line in joined.split("\n")
        )
    fields, offset = [], 0
    for line in joined.split("\n"):
        kept = [
            m.group().strip()
            for m in _SENTENCE.finditer(line)
            if m.group().strip() and not _touches(cuts, offset + m.start(), offset + m.end())
        ]
        fields.append("\n".join(kept))
        offset += len(line) + 1
    return tuple(fields)


def _touches(cuts: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < end and b > start for a, b in cuts)


def context_view(joined: str) -> str:
    """JOINED without the sentences that carry indicator spans."""
    return "\n".join(line for line in context_lines(joined) if line)


def context_record(record: Mapping[str, str], fields: tuple[str, ...], joined: str) -> dict[str, str]:
    """RECORD with each of FIELDS (the ones JOINED was made of, empty ones skipped) in its context view."""
    present = [key for key in fields if record[key]]
    lines = context_lines(joined)
    out = dict(record) | {"_ad_text": joined}
    if len(lines) != len(present):  # a field held a line break: fall back to the joined view for the body
        return out | {key: "" for key in present} | {"body": context_view(joined)}
    out.update(zip(present, lines, strict=True))
    return out
