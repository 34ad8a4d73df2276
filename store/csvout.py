"""The one CSV writer of every export: each cell shown by spreadsheet programs as text, never run as a formula.

Exports carry crawled text (task titles, organisation names, registry rows), and a cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to Excel and LibreOffice
(``=HYPERLINK(...)``, ``+86 138...``, ``-1``). Such a cell is written with a leading apostrophe, which
spreadsheets read as "this is text" and do not display.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """VALUE as CSV cell text (None empty, datetimes ISO 8601), an apostrophe before a formula start."""
    text = "" if value is None else value.isoformat() if isinstance(value, datetime) else str(value)
    return "'" + text if text[:1] in FORMULA_STARTS else text


def csv_text(rows: Iterable[Sequence[Any]], *, lineterminator: str = "\r\n") -> str:
    """ROWS (the header is a row like any other) as CSV text, every cell through ``safe_cell``."""
    out = io.StringIO()
    minimal = csv.writer(out, lineterminator=lineterminator)
    # The csv module quotes a cell holding a character of the line terminator only: with "\n", a bare
    # carriage return in a crawled name would end the row for a reader. Such rows are quoted whole.
    quoted = csv.writer(out, lineterminator=lineterminator, quoting=csv.QUOTE_ALL)
    for row in rows:
        cells = [safe_cell(v) for v in row]
        (quoted if any("\r" in c or "\n" in c for c in cells) else minimal).writerow(cells)
    return out.getvalue()


def write_csv(
    path: Path, rows: Iterable[Sequence[Any]], *, encoding: str = "utf-8-sig", lineterminator: str = "\r\n"
) -> None:
    """ROWS written to PATH as CSV (UTF-8 with BOM by default, so Excel opens Chinese correctly)."""
    with path.open("w", encoding=encoding, newline="") as handle:
        handle.write(csv_text(rows, lineterminator=lineterminator))
