"""`db backup` / `db restore` on the test database (SQLite or PostgreSQL): every row comes back, nothing is
half-restored, the audit chain verifies, and a file that cannot be trusted is refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from inspection.tasks.generate import tasks_generate
from store.audit import audit_append, audit_verify
from store.backup.database import (
    BackupError,
    NeedsConfirmation,
    backup_database,
    file_sha256,
    manifest_path,
    read_manifest,
    restore_database,
)
from store.migrate import head_revision
from store.models import AuditEvent, InspectionTask, Listing, User, metadata
from tests import rows as f
from tests.conftest import ROOT, test_db_kind


def build_rows(engine: Engine, n: int = 30) -> None:
    """Users, listings with versions, a champion's scores, generated tasks (evidence, terms, audit)."""
    with Session(engine, expire_on_commit=False) as session:
        f.make_users(session)
        src = f.source(session)
        model = f.champion(session)
        for i in range(n):
            org = f.organisation(session, f"苏州某某人力资源有限公司{i % 7}")
            item = f.listing(session, src, title=f"招聘普工{i}", body=f"包吃住，月薪{3000 + i}元", org=org)
            f.score(session, model, item, "illegal_agency", 0.05 + (i % 10) / 10)
        tasks_generate(session, settings=f.settings())
        audit_append(session, action="test.built", details={"listings": n})
        session.commit()


def every_row(engine: Engine, *, audit_upto: int | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows in primary-key order (audit events up to AUDIT_UPTO when given)."""
    out = {}
    with engine.connect() as connection:
        for name, table in metadata.tables.items():
            statement = select(table).order_by(*table.primary_key.columns)
            if name == "audit_event" and audit_upto is not None:
                statement = statement.where(table.c.id <= audit_upto)
            out[name] = [tuple(row) for row in connection.execute(statement)]
    return out


def audit_ok(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return [p.message for p in audit_verify(session).problems]


def test_restore_brings_back_every_row_and_a_verified_audit_chain(db: Engine, tmp_path: Path) -> None:
    build_rows(db)
    before = every_row(db)
    assert len(before["inspection_task"]) > 3 and len(before["audit_event"]) > 3
    manifest = backup_database(db, tmp_path / "lw.backup")
    assert manifest.counts == {name: len(rows) for name, rows in before.items()}
    assert manifest.sha256 == file_sha256(tmp_path / "lw.backup")
    assert manifest.created_at.endswith("+08:00") and manifest.revision == head_revision()
    assert manifest.audit_head == {"id": before["audit_event"][-1][0], "hash": before["audit_event"][-1][-1]}

    with Session(db) as session:  # the damage a restore must undo
        session.execute(update(Listing).values(title="改过"))
        session.execute(delete(InspectionTask).where(InspectionTask.id == before["inspection_task"][0][0]))
        session.add(
            User(username="late", display_name="x", password_hash="-", role="admin", region_code="320000")
        )
        audit_append(session, action="test.after_backup")
        session.commit()

    with pytest.raises(NeedsConfirmation, match="add --yes"):
        restore_database(db, tmp_path / "lw.backup")
    report = restore_database(db, tmp_path / "lw.backup", overwrite=True)
    assert report.audit_ok, report.audit_problems
    assert every_row(db, audit_upto=manifest.audit_head["id"]) == before
    with Session(db) as session:
        newest = session.execute(select(AuditEvent).order_by(AuditEvent.id.desc())).scalars().first()  # type: ignore[union-attr]
    assert newest is not None and newest.action == "db.restore"
    assert audit_ok(db) == []
    assert report.anchor_kept_as is not None and report.anchor_kept_as.exists()


def test_a_file_that_cannot_be_trusted_is_refused_and_nothing_changes(db: Engine, tmp_path: Path) -> None:
    build_rows(db, n=5)
    backup = tmp_path / "lw.backup"
    backup_database(db, backup)
    before = every_row(db)
    original = manifest_path(backup).read_text(encoding="utf-8")

    def with_manifest(**changes: Any) -> None:
        manifest_path(backup).write_text(json.dumps({**json.loads(original), **changes}), encoding="utf-8")

    with_manifest(revision="ffff0099")
    with pytest.raises(BackupError, match="unknown to this code"):
        restore_database(db, backup, overwrite=True)
    with_manifest(audit_key_id="0" * 16)
    with pytest.raises(BackupError, match="another audit key"):
        restore_database(db, backup, overwrite=True)
    with_manifest(format="pg_dump" if test_db_kind() == "sqlite" else "sqlite")
    with pytest.raises(BackupError, match="backup; this database needs"):
        restore_database(db, backup, overwrite=True)
    with_manifest()
    with backup.open("r+b") as handle:
        handle.seek(backup.stat().st_size // 2)
        handle.write(b"\0garbage\0")
    with pytest.raises(BackupError, match="SHA-256"):
        restore_database(db, backup, overwrite=True)
    manifest_path(backup).unlink()
    with pytest.raises(BackupError, match="no manifest"):
        restore_database(db, backup, overwrite=True)
    assert every_row(db) == before


def test_a_restore_that_fails_midway_leaves_the_old_database(db: Engine, tmp_path: Path) -> None:
    build_rows(db, n=10)
    backup = tmp_path / "lw.backup"
    backup_database(db, backup)
    with Session(db) as session:
        session.execute(update(Listing).values(title="备份之后"))
        session.commit()
    after = every_row(db)
    if test_db_kind() == "sqlite":
        # A damaged file whose manifest was rewritten to match: only the restore itself can notice.
        data = backup.read_bytes()
        backup.write_bytes(data[:8192] + bytes(len(data) - 8192))  # pages past the first zeroed
        manifest = json.loads(manifest_path(backup).read_text(encoding="utf-8"))
        manifest["sha256"] = file_sha256(backup)
        manifest_path(backup).write_text(json.dumps(manifest), encoding="utf-8")
        with pytest.raises(BackupError, match="integrity check"):
            restore_database(db, backup, overwrite=True)
    else:
        # A view on `listing` makes pg_restore's DROP of that table fail after it dropped others.
        with db.begin() as connection:
            connection.exec_driver_sql("CREATE VIEW restore_blocker AS SELECT id FROM listing")
        try:
            with pytest.raises(BackupError, match=r"pg_restore \(nothing was changed\) failed.*depend"):
                restore_database(db, backup, overwrite=True)
        finally:
            with db.begin() as connection:
                connection.exec_driver_sql("DROP VIEW restore_blocker")
    assert every_row(db) == after
    assert audit_ok(db) == []


def test_a_sqlite_backup_is_consistent_while_the_app_writes(db: Engine, tmp_path: Path) -> None:
    if test_db_kind() != "sqlite":
        pytest.skip("the PostgreSQL dump reads one exported snapshot (pg_dump --snapshot)")
    build_rows(db, n=3)
    stop = threading.Event()

    def write() -> None:
        with Session(db) as session:
            src = f.source(session)
            while not stop.is_set():
                f.listing(session, src)
                session.commit()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        manifests = [backup_database(db, tmp_path / f"b{i}.db") for i in range(3)]
    finally:
        stop.set()
        writer.join()
    from store.db import make_engine

    for i, manifest in enumerate(manifests):
        copy = make_engine(f"sqlite:///{tmp_path / f'b{i}.db'}")
        with copy.connect() as connection:
            listings = connection.execute(select(Listing.id)).all()
            versions = connection.execute(select(metadata.tables["listing_version"].c.id)).all()
        copy.dispose()
        assert manifest.counts["listing"] == len(listings) == len(versions)
    assert not list(tmp_path.glob(".*partial"))


def test_missing_pg_tools_fail_in_one_line(
    db: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if test_db_kind() != "postgresql":
        pytest.skip("SQLite needs no external tool")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match="pg_dump not found on PATH: install the PostgreSQL client"):
        backup_database(db, tmp_path / "x.dump")
    assert not list(tmp_path.iterdir())


def _cli(*args: str, db_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LABOURWATCH_DATABASE_URL": db_url, "COLUMNS": "200", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "labourwatch", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def test_the_cli_backs_up_and_restores(db: Engine, db_url: str, tmp_path: Path) -> None:
    build_rows(db, n=5)
    before = every_row(db)
    backup = tmp_path / "cli.backup"
    done = _cli("db", "backup", str(backup), db_url=db_url)
    assert done.returncode == 0, done.stderr
    assert f"sha256 {read_manifest(backup).sha256}" in done.stdout
    refused = _cli("db", "restore", str(backup), db_url=db_url)
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == [refused.stderr.strip()]
    assert "add --yes" in refused.stderr
    with Session(db) as session:
        session.execute(delete(User).where(User.username == "analyst"))
        session.commit()
    done = _cli("db", "restore", str(backup), "--yes", db_url=db_url)
    assert done.returncode == 0, done.stderr
    assert "audit chain verified" in done.stdout
    assert every_row(db, audit_upto=read_manifest(backup).audit_head["id"]) == before  # type: ignore[index]
    verify = _cli("audit", "verify", db_url=db_url)
    assert verify.returncode == 0, verify.stderr
