"""The CSV export streams every matching task in batches (no page cap), with access rules and masking."""

from __future__ import annotations

import csv
import io

import pytest
from sqlmodel import Session

from inspection.access import AccessDenied
from inspection.views.export import export_tasks_csv, iter_tasks_csv
from inspection.views.queue_filter import QueueFilter
from store.models import InspectionTask, User
from tests.rows import NOW

MINE, OTHER_CITY = 1_203, 7


def add_tasks(session: Session, n: int, region: str, agency: str = "labour_inspection") -> None:
    """N tasks inserted directly, titles carrying a phone number (personal data)."""
    session.add_all(
        InspectionTask(
            title=f"任务{i} 联系13812345678", risk_type="illegal_agency", agency=agency, region_code=region,
            priority=(i % 97) / 100,
        )
        for i in range(n)
    )  # fmt: skip
    session.commit()


def rows_of(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_export_has_every_task_beyond_500_in_queue_order(session: Session, users: dict[str, User]) -> None:
    add_tasks(session, MINE, "320505")
    add_tasks(session, OTHER_CITY, "320102")
    add_tasks(session, 5, "320505", agency="market_regulation")
    rows = rows_of(export_tasks_csv(session, user=users["insp_sz"], now=NOW))
    assert rows[0][0] == "id" and len(rows) == MINE + 1
    assert {r[4] for r in rows[1:]} == {"320505"} and {r[3] for r in rows[1:]} == {"labour_inspection"}
    priorities = [float(r[8]) for r in rows[1:]]
    assert priorities == sorted(priorities, reverse=True)
    assert len({r[0] for r in rows[1:]}) == MINE  # no task twice across batch boundaries
    province = rows_of(export_tasks_csv(session, user=users["sup_prov"], now=NOW))
    assert len(province) == MINE + OTHER_CITY + 5 + 1


def test_export_streams_in_batches_and_masks_for_analysts(session: Session, users: dict[str, User]) -> None:
    add_tasks(session, MINE, "320505")
    chunks = list(iter_tasks_csv(session, user=users["analyst"], now=NOW, batch_size=500))
    assert len(chunks) == 1 + 3  # header, then 500 + 500 + 203 tasks
    rows = rows_of("".join(chunks))
    assert len(rows) == MINE + 1 and not any("13812345678" in r[1] for r in rows[1:])
    assert "138****5678" in rows[1][1]
    with pytest.raises(AccessDenied):  # raised before any chunk is produced
        iter_tasks_csv(session, user=users["insp_sz"], filters=QueueFilter(region="320100"), now=NOW)
