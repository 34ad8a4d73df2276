"""Append-only, keyed hash chain of every change and every view of protected data.

Each event's hash is an HMAC-SHA256 (key outside the database, ``Settings.audit_secret``) over its id,
full timestamp, actor, action, object, details and the previous event's hash, so nobody without the key
can edit an event and recompute the chain. Appends are serialised (PostgreSQL: an advisory transaction
lock; SQLite: the database write lock taken before the chain's head is read), so two events never share
a predecessor. After each commit the head (id + hash) is appended to an anchor file outside the table,
so deleting the newest events is detected too. Rows written before the key existed keep their unkeyed
SHA-256 (64 hex characters); keyed rows are marked ``h2:`` and may never be followed by unkeyed ones.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import hmac
import json
import logging
import os
import weakref
from dataclasses import dataclass
from datetime import UTC, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import func, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col

from store.models import AuditEvent
from store.types import utcnow

log = logging.getLogger(__name__)

GENESIS = "0" * 64
KEYED = "h2:"
LOCK_KEY = 0x4C57_4155  # "LWAU": pg_advisory_xact_lock key serialising appends (the scheduler uses "LWSC")
FOLD_LOOKBACK = 1000  # newest events searched for an identical view to fold into
ANCHOR_KEEP = 2000  # anchor lines kept when the file is compacted
ANCHOR_COMPACT_BYTES = 1 << 20


@dataclass(frozen=True)
class AuditSeal:
    """What keys and anchors the chain of one database: the HMAC key and the anchor file."""

    key: bytes
    anchor_path: Path | None

    @classmethod
    def from_settings(cls, settings: Any) -> AuditSeal:
        """The seal the settings name (key from LABOURWATCH_AUDIT_KEY or DATA_DIR/audit_key)."""
        return cls(key=settings.audit_secret(), anchor_path=settings.audit_anchor_path())


_SEALS: weakref.WeakKeyDictionary[Engine, AuditSeal] = weakref.WeakKeyDictionary()


def use_seal(engine: Engine, seal: AuditSeal) -> None:
    """Key and anchor ENGINE's audit chain with SEAL (the web app and the CLI do it from their settings)."""
    _SEALS[engine] = seal


def _engine_of(session: Session) -> Engine:
    bind = session.get_bind()
    return bind.engine if isinstance(bind, Connection) else bind


def seal_for(session: Session) -> AuditSeal:
    """The seal of SESSION's database; without one set, the settings of the environment."""
    engine = _engine_of(session)
    seal = _SEALS.get(engine)
    if seal is None:
        from store.settings import load_settings

        seal = _SEALS[engine] = AuditSeal.from_settings(load_settings())
    return seal


def _canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")


def _legacy_digest(prev_hash: str, event: Any) -> str:
    """The scheme of rows written before the chain was keyed (no id, second-precision time, no key)."""
    payload = {
        "prev": prev_hash,
        "at": event.at.isoformat(),
        "actor_id": event.actor_id,
        "actor": event.actor,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "details": event.details,
    }
    return hashlib.sha256(_canonical(payload)).hexdigest()


def _keyed_digest(key: bytes, prev_hash: str, event: Any) -> str:
    payload = {
        "v": 2,
        "id": event.id,
        "prev": prev_hash,
        "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor": event.actor,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "details": event.details,
    }
    mac = hmac.new(key, _canonical(payload), hashlib.sha256).digest()
    return KEYED + base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")


def expected_hash(key: bytes, event: Any) -> str:
    """What EVENT's hash must be given its own predecessor link (by the scheme the row carries)."""
    if event.hash.startswith(KEYED):
        return _keyed_digest(key, event.prev_hash, event)
    return _legacy_digest(event.prev_hash, event)


def _lock_chain(session: Session) -> None:
    """Serialise appenders until this transaction ends, before the head is read."""
    if _engine_of(session).dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
    else:
        # A write statement takes SQLite's write lock (waiting the busy timeout) even when it changes no
        # row, and pysqlite opens the transaction before it, so the lock is held until commit.
        session.execute(text("UPDATE audit_event SET id = id WHERE 0"))


def _next_ids(session: Session, last_id: int | None, n: int) -> list[int]:
    if _engine_of(session).dialect.name == "postgresql":
        sequence = "SELECT nextval(pg_get_serial_sequence('audit_event', 'id')) FROM generate_series(1, :n)"
        return sorted(int(i) for i in session.execute(text(sequence), {"n": n}).scalars())
    return list(range((last_id or 0) + 1, (last_id or 0) + 1 + n))


def _folded(
    session: Session, *, action: str, actor_id: int | None, object_type: str, object_id: str, since: Any
) -> AuditEvent | None:
    # Only the newest FOLD_LOOKBACK events are searched (a range of the primary key): without the bound a
    # view with no recent twin scanned the whole chain backwards (45 ms at 400,000 events). A twin further
    # back only means a second view event.
    floor = select(col(AuditEvent.id)).order_by(col(AuditEvent.id).desc()).offset(FOLD_LOOKBACK).limit(1)
    statement = (
        select(AuditEvent)
        .where(
            col(AuditEvent.id) > func.coalesce(floor.scalar_subquery(), 0),
            col(AuditEvent.action) == action,
            col(AuditEvent.actor_id) == actor_id,
            col(AuditEvent.object_type) == object_type,
            col(AuditEvent.object_id) == object_id,
            col(AuditEvent.at) >= since,
        )
        .order_by(col(AuditEvent.id).desc())
        .limit(1)
    )
    return session.execute(statement).scalar_one_or_none()


def audit_append(
    session: Session,
    *,
    action: str,
    actor_id: int | None = None,
    actor: str = "system",
    object_type: str = "",
    object_id: object = "",
    details: dict[str, Any] | None = None,
    fold_s: float = 0,
) -> AuditEvent:
    """Append one event chained to the previous one (flushed, committed with the caller's work).

    With FOLD_S, an identical event (same actor, action and object) younger than FOLD_S seconds stands
    for this one: the frames and fragments of one page load are one view, not several.
    """
    seal = seal_for(session)
    _lock_chain(session)
    now = utcnow()
    if fold_s > 0 and actor_id is not None:
        same = _folded(
            session,
            action=action,
            actor_id=actor_id,
            object_type=object_type,
            object_id=str(object_id),
            since=now - timedelta(seconds=fold_s),
        )
        if same is not None:
            return same
    event = AuditEvent(
        **_chained(
            session,
            seal,
            now,
            [
                _fields(
                    action=action,
                    actor_id=actor_id,
                    actor=actor,
                    object_type=object_type,
                    object_id=object_id,
                    details=details,
                )
            ],
        )[0]
    )
    session.add(event)
    session.flush()
    return event


def audit_append_many(session: Session, events: list[dict[str, Any]]) -> int:
    """Append EVENTS (each a dict of audit_append's keyword arguments but fold_s) in order, under one lock.

    The chain is the same as appending them one by one; the rows go in a few statements, so a run that
    creates a hundred thousand tasks audits them in seconds. Returns the events appended.
    """
    if not events:
        return 0
    seal = seal_for(session)
    _lock_chain(session)
    rows = _chained(session, seal, utcnow(), [_fields(**e) for e in events])
    table = AuditEvent.__table__  # type: ignore[attr-defined]
    for start in range(0, len(rows), 5000):
        session.connection().execute(table.insert(), rows[start : start + 5000])
    return len(rows)


def _fields(
    *,
    action: str,
    actor_id: int | None = None,
    actor: str = "system",
    object_type: str = "",
    object_id: object = "",
    details: Any = None,
) -> dict[str, Any]:
    return {
        "actor_id": actor_id,
        "actor": actor[:64],
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id)[:40],
        # Stored as JSON and hashed as read back: normalise first so the hash survives the round trip.
        "details": json.loads(json.dumps(details or {}, default=str)),
    }


def _chained(
    session: Session, seal: AuditSeal, now: Any, fields: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Rows for FIELDS chained after the head (the caller holds the chain lock); the head moves to the last."""
    last = session.execute(
        select(col(AuditEvent.id), col(AuditEvent.hash)).order_by(col(AuditEvent.id).desc()).limit(1)
    ).first()
    prev = last[1] if last else GENESIS
    rows = []
    for event_id, values in zip(
        _next_ids(session, last[0] if last else None, len(fields)), fields, strict=True
    ):
        row = {"id": event_id, "at": now, **values, "prev_hash": prev}
        row["hash"] = prev = _keyed_digest(seal.key, prev, SimpleNamespace(**row))
        rows.append(row)
    _watch_commits()
    session.info["audit_head"] = (seal, rows[-1]["id"], prev)
    return rows


# --- the anchor: the head written outside the table after each commit ---

_watching = False


def _watch_commits() -> None:
    global _watching
    if not _watching:
        sa_event.listen(OrmSession, "after_commit", _after_commit)
        sa_event.listen(OrmSession, "after_rollback", _after_rollback)
        _watching = True


def _after_rollback(session: OrmSession) -> None:
    session.info.pop("audit_head", None)


def _after_commit(session: OrmSession) -> None:
    head = session.info.pop("audit_head", None)
    if head is None or head[0].anchor_path is None:
        return
    seal, event_id, digest = head
    try:
        write_anchor(seal.anchor_path, event_id, digest)
    except OSError as exc:
        # The events are committed; a missing anchor line only narrows what truncation checks can prove.
        log.error("could not anchor audit event %s in %s: %s", event_id, seal.anchor_path, exc)


def write_anchor(path: Path, event_id: int, digest: str) -> None:
    """Append one head line to PATH (one write under an exclusive lock); compact it when it grows large."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"id": event_id, "hash": digest, "at": utcnow().isoformat()}) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, line.encode("ascii"))
        if os.fstat(fd).st_size > ANCHOR_COMPACT_BYTES:
            _compact(path)
    finally:
        os.close(fd)


def _compact(path: Path) -> None:
    """Keep the newest anchor lines (write a new file and rename it over the old one)."""
    lines = path.read_text(encoding="ascii").splitlines(keepends=True)
    draft = path.with_name(path.name + ".compact")
    draft.write_text("".join(lines[-ANCHOR_KEEP:]), encoding="ascii")
    os.replace(draft, path)


def read_anchors(path: Path) -> tuple[dict[int, str], list[str]]:
    """Anchored heads {id: hash} in PATH, and a problem line for each line that cannot be read."""
    anchors: dict[int, str] = {}
    problems: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        try:
            record = json.loads(line)
            anchors[int(record["id"])] = str(record["hash"])
        except (ValueError, KeyError, TypeError):
            problems.append(f"锚点文件 {path} 第 {number} 行无法读取：锚点文件被改动")
    return anchors, problems
