"""Migration 0004: forced_labour splits from child_labour; existing tasks and finding labels follow."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from store.db import make_engine
from store.migrate import db_downgrade, db_upgrade
from store.models import Finding, InspectionTask, TaskSearchTerm, User
from tests.conftest import create_pg_database, drop_pg_database, require_pg


@pytest.fixture(params=["sqlite", "postgresql"])
def at_0003(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """A database migrated to 0003 (before forced_labour)."""
    if request.param == "postgresql":
        require_pg()
        url = create_pg_database("lw_mig4")
    else:
        url = f"sqlite:///{tmp_path / 'm4.db'}"
    eng = make_engine(url)
    db_upgrade(eng, "0003")
    try:
        yield eng
    finally:
        eng.dispose()
        if request.param == "postgresql":
            drop_pg_database(url)


def _task_with_finding(
    session: Session, inspector: User, risk: str, violations: list[str], labels: dict
) -> int:
    task = InspectionTask(
        title=f"{'使用童工' if risk == 'child_labour' else '非法职业中介'}：某厂",
        risk_type=risk,
        agency="labour_inspection",
        region_code="320500",
        status="finding_recorded",
    )
    session.add(task)
    session.flush()
    session.add(
        Finding(
            task_id=task.id or 0,
            inspector_id=inspector.id or 0,
            violations=violations,
            outcome="fine",
            labels=labels,
        )
    )
    return task.id or 0


def _seed(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        inspector = User(username="i", password_hash="-", role="inspector", region_code="320500")
        session.add(inspector)
        session.flush()
        ids = {
            "forced_only": _task_with_finding(
                session,
                inspector,
                "child_labour",
                ["forced_labour_indicators", "id_documents_withheld"],
                {"child_labour": 1, "illegal_agency": 1},
            ),
            "child_and_forced": _task_with_finding(
                session,
                inspector,
                "child_labour",
                ["child_labour", "disabled_worker_exploitation"],
                {"child_labour": 1, "illegal_agency": 1},
            ),
            "child_none": _task_with_finding(
                session, inspector, "child_labour", ["no_violation"], {"child_labour": 0}
            ),
            "agency_forced": _task_with_finding(
                session,
                inspector,
                "illegal_agency",
                ["forced_labour_indicators"],
                {"illegal_agency": 1, "child_labour": 1},
            ),
        }
        session.commit()
    return ids


def _state(engine: Engine) -> dict[int, tuple[str, str, dict]]:
    with Session(engine) as session:
        rows = session.execute(
            select(InspectionTask.id, InspectionTask.risk_type, InspectionTask.title, Finding.labels).join(
                Finding, Finding.task_id == InspectionTask.id
            )
        )
        return {r[0]: (r[1], r[2], r[3]) for r in rows}


def test_upgrade_splits_forced_labour_and_relabels(at_0003: Engine) -> None:
    ids = _seed(at_0003)
    db_upgrade(at_0003)
    state = _state(at_0003)
    assert state[ids["forced_only"]] == (
        "forced_labour",
        "强迫劳动：某厂",
        {"forced_labour": 1, "illegal_agency": 1},
    )
    assert state[ids["child_and_forced"]][0] == "child_labour"
    assert state[ids["child_and_forced"]][2] == {"child_labour": 1, "forced_labour": 1, "illegal_agency": 1}
    assert state[ids["child_none"]][2] == {"child_labour": 0}
    assert state[ids["agency_forced"]][2] == {"illegal_agency": 1, "forced_labour": 1}
    with Session(at_0003) as session:
        terms = set(
            session.execute(
                select(TaskSearchTerm.term).where(TaskSearchTerm.task_id == ids["forced_only"])
            ).scalars()
        )
    assert {"强迫", "劳动"} <= terms


def test_new_values_accepted_and_downgrade_folds_back(at_0003: Engine) -> None:
    ids = _seed(at_0003)
    db_upgrade(at_0003)
    with Session(at_0003) as session:
        session.add(
            InspectionTask(
                title="t",
                risk_type="forced_labour",
                agency="labour_inspection",
                region_code="320500",
                origin="rule",
            )
        )
        session.commit()
    db_downgrade(at_0003, "0003")
    state = _state(at_0003)
    assert state[ids["forced_only"]] == (
        "child_labour",
        "使用童工：某厂",
        {"child_labour": 1, "illegal_agency": 1},
    )
    assert state[ids["agency_forced"]][2] == {"illegal_agency": 1, "child_labour": 1}
    with Session(at_0003) as session:
        origins = set(session.execute(select(InspectionTask.origin)).scalars())
    assert "rule" not in origins
