"""The CSV download streams every task the user may see, past the 500-row page size."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from store.models import AuditEvent, InspectionTask

N = 640


def test_export_downloads_stream_all_tasks(login_as, db: Engine) -> None:
    with Session(db) as session:
        session.add_all(
            InspectionTask(title=f"任务{i}", risk_type="child_labour", agency="labour_inspection",
                           region_code="320505" if i < N else "320102")
            for i in range(N + 20)
        )  # fmt: skip
        session.commit()
    client, _ = login_as("inspector.sz")
    for path in ("/export/tasks.csv", "/api/export/tasks.csv"):
        response = client.get(path)
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
        assert len(rows) == N + 1 and {r[4] for r in rows[1:]} == {"320505"}
    assert client.get("/export/tasks.csv?region=320100").status_code in (403, 404)
    with Session(db) as session:
        exports = (
            session.execute(select(AuditEvent).where(col(AuditEvent.action) == "tasks.export"))
            .scalars()
            .all()
        )
        assert len(exports) == 2  # the refused export is not recorded as an export
