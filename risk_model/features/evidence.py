"""Evidence spans on the text as written: indicator spans found in folded text, mapped back to fields.

Indicators read the folded ad text (fields joined with "\n"); an inspector reads the listing as it was
written. Each field is folded with zhtext.fold_mapped, which keeps every folded character's original
index, so a span is quoted from the original field, characters unchanged (乾 stays 乾).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from risk_model.data.examples import AD_TEXT_FIELDS
from zhtext.fold import Folded, fold_mapped, folds_alike
from zhtext.spans import Span


class RecordText:
    """One record's ad fields, folded with their offset maps, and the joined folded text.

    A caller that has the joined text already (scoring: the features' ad text, ``fold`` of the same
    fields) passes it as JOINED. Where every field folds alike both ways (folds_alike) it is kept, and
    the fields are folded with their maps only when a span is located. Most records explained by an
    indicator have none to locate (hype, no company named, a claim without a span): scoring folded a
    record twice for nothing in ~57% of them.
    """

    def __init__(self, record: Mapping[str, Any], joined: str | None = None) -> None:
        self._record = record
        self._parts: list[tuple[str, int, Folded]] | None = None
        if joined is not None and not all(folds_alike(self._field(key)) for key in AD_TEXT_FIELDS):
            joined = None  # a field the two folds may tell apart: the mapped fold's text is the one read
        self.joined = self.mapped_joined() if joined is None else joined

    @property
    def parts(self) -> list[tuple[str, int, Folded]]:
        """(field, offset in the joined text, the field folded with its map) for each non-empty field."""
        if self._parts is None:
            self._parts = []
            offset = 0
            for key in AD_TEXT_FIELDS:
                folded = fold_mapped(self._field(key), lower=True)
                if folded.text:
                    self._parts.append((key, offset, folded))
                    offset += len(folded.text) + 1
        return self._parts

    def _field(self, key: str) -> str:
        return str(self._record.get(key) or "")

    def mapped_joined(self) -> str:
        """The joined text of the fields folded with their maps: the text ``locate`` reads offsets on."""
        return "\n".join(part.text for _, _, part in self.parts)

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
