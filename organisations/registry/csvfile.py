"""Reading registry CSV files the authorities publish: charset detection and rows with line numbers."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass

_FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)


@dataclass(frozen=True)
class DecodedFile:
    """A CSV file's text and the encoding it was read with."""

    text: str
    encoding: str


def decode_bytes(data: bytes) -> DecodedFile:
    """UTF-8 (with or without BOM) when the bytes are valid UTF-8, else GB18030 (a superset of GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return DecodedFile(data[3:].decode("utf-8"), "utf-8-sig")
    try:
        return DecodedFile(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return DecodedFile(data.decode("gb18030"), "gb18030")
    except UnicodeDecodeError as exc:
        raise ValueError(f"neither UTF-8 nor GBK/GB18030 (bad byte at offset {exc.start})") from None


@dataclass(frozen=True)
class CsvRow:
    """One record with the line it starts on (1 = the header line)."""

    line: int
    values: dict[str, str]
    extra_cells: int


def iter_rows(text: str) -> tuple[list[str], Iterator[CsvRow]]:
    """The header (stripped) and the records after it; blank lines are skipped."""
    # Registry exports carry long business-scope texts; the csv module's 128 KiB default is too small.
    csv.field_size_limit(_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lstrip("\ufeff") for h in next(reader, [])]

    def rows() -> Iterator[CsvRow]:
        start = reader.line_num + 1
        for cells in reader:
            if any(c.strip() for c in cells):
                values = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header) if h}
                yield CsvRow(start, values, max(0, len(cells) - len(header)))
            start = reader.line_num + 1

    return header, rows()
