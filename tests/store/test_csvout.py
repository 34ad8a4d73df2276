"""store.csvout, the one CSV writer of every export: formula starts neutralised, everything else as is."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from store.csvout import csv_text, safe_cell, write_csv


@pytest.mark.parametrize("text", ["=1+1", "+86 138", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_a_formula_start_becomes_text(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    ("value", "cell"),
    [(None, ""), ("苏州鑫达人力", "苏州鑫达人力"), (12, "12"), (0.5, "0.5"), (True, "True"), ("a=b", "a=b"),
     (datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), "2026-01-02T03:04:05+00:00")],
)  # fmt: skip
def test_other_values_are_written_as_they_are(value: object, cell: str) -> None:
    assert safe_cell(value) == cell


def test_csv_text_and_write_csv(tmp_path: Path) -> None:
    rows = [("名称", "电话"), ('=HYPERLINK("http://x")', "-1")]
    text = csv_text(rows)
    assert text.endswith("\r\n") and list(csv.reader(io.StringIO(text))) == [
        ["名称", "电话"], ["'=HYPERLINK(\"http://x\")", "'-1"],
    ]  # fmt: skip
    assert csv_text(rows, lineterminator="\n").count("\r") == 0
    write_csv(tmp_path / "out.csv", rows)
    assert (tmp_path / "out.csv").read_bytes().startswith(b"\xef\xbb\xbf\xe5\x90\x8d")


@pytest.mark.parametrize("terminator", ["\n", "\r\n"])
def test_line_breaks_inside_a_crawled_name_never_end_the_row(terminator: str) -> None:
    rows = [("名称", "地址"), ("苏州\r某某劳务", "园区\n星湖街"), ("无锡\r\n中介", "x"), ("普通", "y")]
    text = csv_text(rows, lineterminator=terminator)
    assert list(csv.reader(io.StringIO(text, newline=""))) == [list(r) for r in rows]
