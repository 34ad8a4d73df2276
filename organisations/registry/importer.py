"""Import a registry CSV: validate every row, name each bad one, store the good ones in one transaction.

Rows are upserted by (kind, registry_key), so importing the same file again changes nothing. A key seen
twice in one file is a duplicate: an identical repeat is skipped (counted), a repeat with different
values is rejected, because we cannot tell which one the authority meant.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session

from organisations.registry.csvfile import CsvRow, decode_bytes, iter_rows
from organisations.registry.records import KEY_FIELD, ParsedRecord, RowError, column_map, parse_row
from store.enums import RegistryKind
from store.models import RegistryRecord
from store.types import utcnow
from store.upsert import upsert


@dataclass(frozen=True)
class Rejection:
    """One refused row: its line in the file and why."""

    line: int
    code: str  # missing_key, missing_name, bad_credit_code, bad_date, dates_reversed, duplicate
    reason: str


@dataclass
class ImportReport:
    """The validation report of one file."""

    kind: str
    file: str
    encoding: str = ""
    rows_read: int = 0
    imported: int = 0
    duplicates: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def reasons(self) -> Counter[str]:
        """How many rows were refused for each reason code."""
        return Counter(r.code for r in self.rejected)


@dataclass
class _Collector:
    kind: RegistryKind
    report: ImportReport
    mapping: dict[str, str]
    good: dict[str, tuple[int, ParsedRecord]] = field(default_factory=dict)

    def add(self, row: CsvRow) -> None:
        self.report.rows_read += 1
        try:
            record = parse_row(self.kind, row.values, self.mapping)
        except RowError as exc:
            self.report.rejected.append(Rejection(row.line, exc.code, str(exc)))
            return
        first = self.good.get(record.key)
        if first is None:
            self.good[record.key] = (row.line, record)
        elif first[1].values == record.values:
            self.report.duplicates += 1
        else:
            reason = f"duplicate in file: key {record.key} first at line {first[0]} with different values"
            self.report.rejected.append(Rejection(row.line, "duplicate", reason))


def _store_rows(kind: RegistryKind, source_file: str, records: list[ParsedRecord]) -> list[dict[str, Any]]:
    now = utcnow()
    return [
        {
            "kind": kind.value,
            "registry_key": r.key,
            "source_file": source_file,
            "imported_at": now,
            **r.values,
        }
        for r in records
    ]


def import_registry_text(
    session: Session,
    kind: RegistryKind | str,
    text: str,
    *,
    file_name: str,
    encoding: str = "utf-8",
    on_row: Callable[[int], None] | None = None,
) -> ImportReport:
    """Validate and upsert the rows of TEXT (a decoded CSV); the caller's transaction commits."""
    kind = RegistryKind(kind)
    header, rows = iter_rows(text)
    mapping, ignored = column_map(header)
    report = ImportReport(kind.value, file_name, encoding, ignored_columns=ignored)
    if KEY_FIELD[kind] not in mapping and not (
        kind == RegistryKind.marriage_agency and "credit_code" in mapping
    ):
        raise ValueError(f"{file_name}: no {KEY_FIELD[kind]} column among {header[:12]}")
    collector = _Collector(kind, report, mapping)
    for row in rows:
        collector.add(row)
        if on_row:
            on_row(row.line)
    records = [record for _line, record in collector.good.values()]
    report.imported = upsert(
        session, RegistryRecord, _store_rows(kind, file_name, records), keys=["kind", "registry_key"]
    )
    report.rejected.sort(key=lambda r: r.line)
    return report


def import_registry_file(
    session: Session,
    kind: RegistryKind | str,
    path: Path,
    *,
    on_row: Callable[[int], None] | None = None,
) -> ImportReport:
    """Decode PATH (UTF-8 with or without BOM, GBK/GB18030) and import it."""
    decoded = decode_bytes(Path(path).read_bytes())
    return import_registry_text(
        session, kind, decoded.text, file_name=Path(path).name, encoding=decoded.encoding, on_row=on_row
    )
