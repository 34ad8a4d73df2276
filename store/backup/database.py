"""Backups that can be trusted: a consistent copy with a manifest, and a restore that is all or nothing.

SQLite uses the online backup API (a consistent copy while the app writes); PostgreSQL uses `pg_dump -Fc`
of one exported snapshot (store/backup/postgres.py). Beside FILE, `FILE.manifest.json` records the format, the
schema revision, the rows per table, the audit chain's head and key id, the time (Beijing) and the file's
SHA-256. The audit key and anchor live in DATA_DIR, not in the database: keep DATA_DIR/audit_key with every
backup (docs/operations.md).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from store.audit import AuditSeal, audit_append, audit_verify, seal_for
from store.backup import postgres as backup_pg
from store.models import metadata
from store.types import BEIJING

MANIFEST_SUFFIX = ".manifest.json"
MANIFEST_VERSION = 1


class BackupError(Exception):
    """A backup or restore refused or failed; nothing was changed (one line)."""


class NeedsConfirmation(BackupError):
    """The restore would overwrite rows and was not confirmed."""


@dataclass
class Manifest:
    """What a backup holds, written beside it as JSON."""

    format: str  # "sqlite" or "pg_dump"
    revision: str | None
    counts: dict[str, int]
    audit_head: dict[str, Any] | None  # {"id": ..., "hash": ...} of the newest audit event
    audit_key_id: str  # which audit key sealed the chain (an HMAC of a fixed text, never the key)
    created_at: str = ""  # ISO time in Beijing (Asia/Shanghai)
    sha256: str = ""
    bytes: int = 0
    manifest_version: int = MANIFEST_VERSION
    notes: list[str] = field(default_factory=list)


def manifest_path(path: Path) -> Path:
    """Where the manifest of the backup at PATH lives."""
    return path.with_name(path.name + MANIFEST_SUFFIX)


def read_manifest(path: Path) -> Manifest:
    """The manifest beside PATH, or a BackupError saying why it cannot be used."""
    where = manifest_path(path)
    try:
        data = json.loads(where.read_text(encoding="utf-8"))
        return Manifest(**data)
    except FileNotFoundError:
        raise BackupError(f"no manifest {where}: a backup is the file and its manifest together") from None
    except (ValueError, TypeError) as exc:
        raise BackupError(f"manifest {where} cannot be read: {exc}") from None


def key_id(key: bytes) -> str:
    """A short fingerprint of the audit key (says which key, reveals nothing of it)."""
    return hmac.new(key, b"labourwatch audit key id", hashlib.sha256).hexdigest()[:16]


def file_sha256(path: Path) -> str:
    """SHA-256 of the file at PATH."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def dialect_format(engine: Engine) -> str:
    """The backup format of ENGINE's database."""
    return "sqlite" if engine.dialect.name == "sqlite" else "pg_dump"


# --- what a database holds (read through SQLAlchemy or plain sqlite3 alike) ---


def _snapshot_facts(connection: Connection) -> tuple[str | None, dict[str, int], dict[str, Any] | None]:
    names = set(inspect(connection).get_table_names())
    counts = {
        name: int(connection.execute(select(func.count()).select_from(table)).scalar_one())
        for name, table in metadata.tables.items()
        if name in names
    }
    revision = None
    if "alembic_version" in names:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    head = None
    if "audit_event" in names:
        events = metadata.tables["audit_event"]
        row = connection.execute(
            select(events.c.id, events.c.hash).order_by(events.c.id.desc()).limit(1)
        ).first()
        head = {"id": row[0], "hash": row[1]} if row else None
    return revision, counts, head


def table_counts(engine: Engine) -> dict[str, int]:
    """Rows per table of ENGINE's database (tables not created yet are left out)."""
    with engine.connect() as connection:
        return _snapshot_facts(connection)[1]


@contextmanager
def _draft(target: Path) -> Iterator[Path]:
    """A temporary path beside TARGET, removed unless it was renamed into place."""
    draft = target.with_name(f".{target.name}.{os.getpid()}.partial")
    draft.unlink(missing_ok=True)
    try:
        yield draft
    finally:
        draft.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- backup ---


def _sqlite_file(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def _backup_sqlite(engine: Engine, draft: Path) -> tuple[str | None, dict[str, int], dict[str, Any] | None]:
    source = _sqlite_file(engine)
    if not source.exists():
        raise BackupError(f"no database at {source}")
    with closing(sqlite3.connect(source, timeout=30)) as src, closing(sqlite3.connect(draft)) as dst:
        src.backup(dst)  # one step: a consistent snapshot even while others write
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    copy = _file_engine(draft)
    try:
        with copy.connect() as connection:
            return _snapshot_facts(connection)
    finally:
        copy.dispose()


def _file_engine(path: Path) -> Engine:
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    return create_engine(f"sqlite:///{path}", poolclass=NullPool)


def backup_database(engine: Engine, target: Path, *, now: datetime | None = None) -> Manifest:
    """Write a consistent copy of ENGINE's database to TARGET (via a temporary file) and its manifest."""
    target = target.resolve()
    if not target.parent.is_dir():
        raise BackupError(f"folder {target.parent} does not exist")
    seal = _seal(engine)
    facts: dict[str, Any] = {}

    def read(connection: Connection) -> None:
        facts["revision"], facts["counts"], facts["head"] = _snapshot_facts(connection)

    with _draft(target) as draft, _draft(manifest_path(target)) as manifest_draft:
        if dialect_format(engine) == "sqlite":
            facts["revision"], facts["counts"], facts["head"] = _backup_sqlite(engine, draft)
        else:
            _pg(lambda: backup_pg.dump(engine, draft, read))
        _fsync(draft)
        manifest = Manifest(
            format=dialect_format(engine),
            revision=facts["revision"],
            counts=facts["counts"],
            audit_head=facts["head"],
            audit_key_id=key_id(seal.key),
            created_at=(now or datetime.now(BEIJING)).astimezone(BEIJING).isoformat(timespec="seconds"),
            sha256=file_sha256(draft),
            bytes=draft.stat().st_size,
        )
        manifest_draft.write_text(json.dumps(asdict(manifest), ensure_ascii=False, indent=2), "utf-8")
        _fsync(manifest_draft)
        os.replace(draft, target)
        os.replace(manifest_draft, manifest_path(target))
    _fsync(target.parent)
    return manifest


def _pg(action: Any) -> None:
    try:
        action()
    except backup_pg.ToolError as exc:
        raise BackupError(str(exc)) from None


def _seal(engine: Engine) -> AuditSeal:
    with Session(engine) as session:
        return seal_for(session)


# --- restore ---


@dataclass
class RestoreReport:
    """What a restore did."""

    manifest: Manifest
    replaced_rows: int
    anchor_kept_as: Path | None
    audit_ok: bool
    audit_problems: list[str]


def check_backup(engine: Engine, source: Path, *, other_chain: bool = False) -> Manifest:
    """Refuse a backup that is damaged, of the other database kind, newer than the code or sealed elsewhere."""
    from store.migrate import known_revision

    if not source.is_file():
        raise BackupError(f"no backup file {source}")
    manifest = read_manifest(source)
    if manifest.format != dialect_format(engine):
        raise BackupError(
            f"{source} is a {manifest.format} backup; this database needs {dialect_format(engine)}"
        )
    if file_sha256(source) != manifest.sha256:
        raise BackupError(f"{source} does not match its manifest's SHA-256: the file is damaged or replaced")
    if manifest.revision is not None and not known_revision(manifest.revision):
        raise BackupError(
            f"the backup is at schema revision {manifest.revision}, unknown to this code (newer): "
            "restore it with the version of LabourWatch that made it"
        )
    if not other_chain:
        _check_chain(_seal(engine), manifest)
    return manifest


def _check_chain(seal: AuditSeal, manifest: Manifest) -> None:
    """The backup's chain must be this installation's: same key, and its head not contradicted by the anchor."""
    head = manifest.audit_head
    if head and manifest.audit_key_id != key_id(seal.key):
        raise BackupError(
            "the backup's audit chain was sealed with another audit key: put back the audit_key kept with "
            "the backup (DATA_DIR/audit_key or LABOURWATCH_AUDIT_KEY), or pass --other-audit-key"
        )
    if head and seal.anchor_path is not None and seal.anchor_path.exists():
        from store.audit import read_anchors

        anchored = read_anchors(seal.anchor_path)[0].get(int(head["id"]))
        if anchored is not None and anchored != head["hash"]:
            raise BackupError(
                f"the anchor file {seal.anchor_path} records another event {head['id']} than the backup: "
                "the backup belongs to another chain (or was rewritten); pass --other-audit-key to restore anyway"
            )


def restore_database(
    engine: Engine, source: Path, *, overwrite: bool = False, other_chain: bool = False, actor: str = "cli"
) -> RestoreReport:
    """Replace ENGINE's database with the backup at SOURCE, all or nothing; re-anchor and record the restore."""
    source = source.resolve()
    manifest = check_backup(engine, source, other_chain=other_chain)
    present = sum(table_counts(engine).values())
    if present and not overwrite:
        raise NeedsConfirmation(f"the database holds {present} rows; add --yes to replace them with {source}")
    if manifest.format == "sqlite":
        _restore_sqlite(engine, source)
    else:
        _pg(lambda: backup_pg.restore(engine, source))
    engine.dispose()
    kept = _reanchor(_seal(engine), manifest)
    with Session(engine) as session:
        audit_append(
            session,
            action="db.restore",
            actor=actor,
            object_type="database",
            object_id=manifest.sha256[:16],
            details={"file": source.name, "sha256": manifest.sha256, "backup_time": manifest.created_at,
                     "revision": manifest.revision, "backup_head": manifest.audit_head,
                     "replaced_rows": present},
        )  # fmt: skip
        session.commit()
        report = audit_verify(session)
    problems = [p.message for p in report.problems]
    return RestoreReport(manifest, present, kept, report.ok, problems)


def _restore_sqlite(engine: Engine, source: Path) -> None:
    target = _sqlite_file(engine)
    target.parent.mkdir(parents=True, exist_ok=True)
    with _draft(target.with_name(target.name + ".restore")) as draft:
        # Check a private copy first, so a damaged file is refused before the database is touched.
        try:
            with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(draft)) as copy:
                src.backup(copy)
                verdict = copy.execute("PRAGMA integrity_check").fetchone()
        except sqlite3.DatabaseError as exc:
            verdict = (str(exc),)
        if verdict is None or verdict[0] != "ok":
            raise BackupError(f"{source} fails SQLite's integrity check: {verdict[0] if verdict else '?'}")
        engine.dispose()
        with closing(sqlite3.connect(draft)) as copy, closing(sqlite3.connect(target, timeout=60)) as live:
            # The backup API writes the live file in one transaction: other connections see the old
            # database or the new one, and a crash mid-way rolls back to the old one.
            copy.backup(live)
            live.execute("PRAGMA journal_mode=WAL")


def _reanchor(seal: AuditSeal, manifest: Manifest) -> Path | None:
    """Anchor the restored head; keep the old anchor file (it names the events the restore undid)."""
    path = seal.anchor_path
    if path is None:
        return None
    kept = None
    if path.exists():
        stamp = datetime.now(BEIJING).strftime("%Y%m%dT%H%M%S")
        kept = path.with_name(f"{path.name}.before-restore-{stamp}")
        os.replace(path, kept)
    if manifest.audit_head:
        from store.audit import write_anchor

        write_anchor(path, int(manifest.audit_head["id"]), str(manifest.audit_head["hash"]))
    return kept
