"""Evidence spans on the text as written: indicator spans found in folded text, mapped back to fields.

Indicators read the folded ad text (fields joined with "\n"); an inspector reads the listing as it was
written. Each field is folded with zhtext.fold_mapped, which keeps every folded character's original
index, so a span is quoted from the original field, characters unchanged (乾 stays 乾).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from risk_model.data.examples import AD_TEXT_FIELDS
from zhtext.fold import Folded, fold_mapped
from zhtext.spans import Span


class RecordText:
    """One record's ad fields, folded with their offset maps, and the joined folded text."""

    def __init__(self, record: Mapping[str, Any]) -> None:
        self.parts: list[tuple[str, int, Folded]] = []
        offset = 0
        for key in AD_TEXT_FIELDS:
            folded = fold_mapped(str(record.get(key) or ""), lower=True)
            if folded.text:
                self.parts.append((key, offset, folded))
                offset += len(folded.text) + 1
        self.joined = "\n".join(part.text for _, _, part in self.parts)

    def locate(self, span: Span) -> dict[str, Any] | None:
        """The original field, offsets and characters behind a span of the joined folded text."""
        for key, offset, folded in self.parts:
            if offset <= span.start < offset + len(folded.text) and span.end > span.start:
                end = min(span.end, offset + len(folded.text)) - offset
                original = folded.span(span.start - offset, end)
                return {"field": key, "start": original.start, "end": original.end, "text": original.text}
        return None

    def spans_json(self, spans: list[Span]) -> list[dict[str, Any]]:
        """Spans as JSON-able dicts on the original fields (empty spans left out)."""
        located = (self.locate(span) for span in spans)
        return [item for item in located if item is not None]
