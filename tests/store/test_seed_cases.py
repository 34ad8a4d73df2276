"""The case builder writes the same rows whatever its chunk size, and builds only once."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

import store.seed.cases as cases
from store.db import make_engine, session_scope
from store.migrate import db_upgrade
from synthetic_ads.ads import generate_ads, iter_ads

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
TABLES = (
    "organisation",
    "listing",
    "risk_score",
    "inspection_task",
    "task_evidence",
    "finding",
    "task_search_term",
)


def _build(path: Path, chunk: int, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[tuple[object, ...]]]:
    monkeypatch.setattr(cases, "CHUNK", chunk)
    engine = make_engine(f"sqlite:///{path}")
    db_upgrade(engine)
    for _ in range(2):  # the second build adds nothing
        with session_scope(engine) as session:
            cases.build_cases(session, n_listings=900, n_tasks=120, now=NOW, users=False)
    with engine.connect() as connection:
        out = {t: connection.execute(text(f"SELECT * FROM {t} ORDER BY 1, 2")).all() for t in TABLES}
    engine.dispose()
    return {t: [tuple(r) for r in rows] for t, rows in out.items()}


def test_chunks_of_any_size_write_the_same_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = _build(tmp_path / "whole.db", 20_000, monkeypatch)
    chunked = _build(tmp_path / "chunked.db", 97, monkeypatch)
    assert {t: len(rows) for t, rows in whole.items()}["listing"] == 900
    assert len(whole["inspection_task"]) == 120
    for table in TABLES:
        assert chunked[table] == whole[table], table


def test_ads_one_at_a_time_are_the_ads_of_the_list() -> None:
    assert list(iter_ads(7, 50, 20)) == generate_ads(7, 50, 20)
