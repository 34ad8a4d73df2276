"""The schema: migrations match the models, constraints refuse bad rows, upserts are idempotent."""

from __future__ import annotations

from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from store.db import make_engine
from store.errors import describe_integrity_error
from store.migrate import current_revision, db_downgrade, db_upgrade, head_revision
from store.models import Listing, ModelVersion, RegistryRecord, RiskScore, Source, User, metadata
from store.upsert import upsert
from tests.conftest import create_pg_database, drop_pg_database, require_pg


def _schema_diff(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))


def test_migrated_schema_matches_models(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()
    assert _schema_diff(engine) == []


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_migration_round_trip(dialect: str, tmp_path) -> None:
    if dialect == "postgresql":
        require_pg()
        url = create_pg_database("lw_roundtrip")
    else:
        url = f"sqlite:///{tmp_path / 'rt.db'}"
    eng = make_engine(url)
    try:
        db_upgrade(eng)
        assert _schema_diff(eng) == []
        db_downgrade(eng, "base")
        with eng.connect() as connection:
            names = set(eng.dialect.get_table_names(connection))
        assert names <= {"alembic_version"}
        db_upgrade(eng)
        assert _schema_diff(eng) == []
    finally:
        eng.dispose()
        if dialect == "postgresql":
            drop_pg_database(url)


def _source(session: Session, name: str = "demo") -> Source:
    source = Source(name=name, kind="job")
    session.add(source)
    session.commit()
    return source


def _listing(**overrides: object) -> Listing:
    values: dict[str, object] = {
        "key": "a1",
        "url": "http://x/a1",
        "kind": "job",
        "content_hash": "h" * 64,
    }
    values.update(overrides)
    return Listing(**values)  # type: ignore[arg-type]


BAD_ROWS = {
    "unknown kind": ({"kind": "spam"}, "ck_listing_kind"),
    "salary inverted": ({"salary_min": 5000, "salary_max": 3000}, "ck_listing_salary_order"),
    "negative salary": ({"salary_min": -1}, "ck_listing_salary_min"),
    "impossible age": ({"age_min": 200}, "ck_listing_age_min"),
    "missing source": ({"source_id": 999_999}, "FOREIGN KEY"),
}


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_constraints_refuse_bad_listing(session: Session, case: str) -> None:
    source = _source(session)
    overrides, expected = BAD_ROWS[case]
    row = _listing(**{"source_id": source.id or 0, **overrides})
    session.add(row)
    with pytest.raises(IntegrityError) as caught:
        session.commit()
    session.rollback()
    message = describe_integrity_error(caught.value)
    assert expected in message or (expected == "FOREIGN KEY" and "does not exist" in message), message


def test_duplicate_listing_key_is_refused(session: Session) -> None:
    source = _source(session)
    session.add(_listing(source_id=source.id or 0))
    session.commit()
    session.add(_listing(source_id=source.id or 0))
    with pytest.raises(IntegrityError) as caught:
        session.commit()
    session.rollback()
    assert "duplicates an existing row" in describe_integrity_error(caught.value)


def test_not_null_is_enforced(session: Session) -> None:
    session.add(User(username="x", password_hash=None, role="inspector", region_code="320500"))  # type: ignore[arg-type]
    with pytest.raises(IntegrityError) as caught:
        session.commit()
    session.rollback()
    assert "password_hash is required" in describe_integrity_error(caught.value)


def test_role_and_region_checked(session: Session) -> None:
    session.add(User(username="y", password_hash="h", role="god", region_code="320500"))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()
    session.add(User(username="z", password_hash="h", role="inspector", region_code="32"))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def _model(version: str, status: str) -> ModelVersion:
    return ModelVersion(version=version, file_path="m", sha256="0" * 64, status=status, data_fingerprint="f")


def test_only_one_champion(session: Session) -> None:
    session.add(_model("v1", "champion"))
    session.commit()
    session.add(_model("v2", "candidate"))
    session.commit()
    session.add(_model("v3", "champion"))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_probability_between_zero_and_one(session: Session) -> None:
    source = _source(session)
    listing = _listing(source_id=source.id or 0)
    model = _model("v1", "candidate")
    session.add_all([listing, model])
    session.commit()
    session.add(
        RiskScore(
            listing_id=listing.id or 0,
            model_version_id=model.id or 0,
            risk_type="child_labour",
            probability=1.5,
            content_hash="h",
        )
    )
    with pytest.raises(IntegrityError) as caught:
        session.commit()
    session.rollback()
    assert "ck_risk_score_probability" in describe_integrity_error(caught.value)


def _registry_rows(name: str) -> list[dict[str, object]]:
    return [
        {
            "kind": "hr_agency",
            "registry_key": f"L{i:04d}",
            "name": f"{name}{i}",
            "normalised_name": "",
            "valid_from": date(2020, 1, 1),
            "source_file": "t.csv",
            "data": {},
            "imported_at": None,
        }
        for i in range(1200)
    ]


def test_upsert_is_idempotent(session: Session) -> None:
    from store.types import utcnow

    rows = _registry_rows("公司")
    for row in rows:
        row["imported_at"] = utcnow()
    upsert(session, RegistryRecord, rows, keys=["kind", "registry_key"])
    upsert(session, RegistryRecord, rows, keys=["kind", "registry_key"])
    session.commit()
    assert session.execute(select(func.count()).select_from(RegistryRecord)).scalar() == 1200
    changed = [dict(r, name="新名") for r in rows[:10]]
    upsert(session, RegistryRecord, changed, keys=["kind", "registry_key"], update=["name"])
    session.commit()
    names = session.execute(select(RegistryRecord.name).where(RegistryRecord.name == "新名")).all()
    assert len(names) == 10
    upsert(session, RegistryRecord, [dict(rows[0], name="不变")], keys=["kind", "registry_key"], update=[])
    session.commit()
    assert (
        session.execute(select(RegistryRecord.name).where(RegistryRecord.registry_key == "L0000")).scalar()
        == "新名"
    )
