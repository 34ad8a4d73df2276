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
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col

from store.models import AuditEvent
from store.types import utcnow

log = logging.getLogger(__name__)

GENESIS = "0" * 64
KEYED = "h2:"
LOCK_KEY = 0x4C57_4155  # "LWAU": pg_advisory_xact_lock key serialising appends (the scheduler uses "LWSC")
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


def _next_id(session: Session, last_id: int | None) -> int:
    if _engine_of(session).dialect.name == "postgresql":
        sequence = "SELECT nextval(pg_get_serial_sequence('audit_event', 'id'))"
        return int(session.execute(text(sequence)).scalar_one())
    return (last_id or 0) + 1


def _folded(
    session: Session, *, action: str, actor_id: int | None, object_type: str, object_id: str, since: Any
) -> AuditEvent | None:
    statement = (
        select(AuditEvent)
        .where(
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
    last = session.execute(
        select(col(AuditEvent.id), col(AuditEvent.hash)).order_by(col(AuditEvent.id).desc()).limit(1)
    ).first()
    event = AuditEvent(
        id=_next_id(session, last[0] if last else None),
        at=now,
        actor_id=actor_id,
        actor=actor[:64],
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:40],
        # Stored as JSON and hashed as read back: normalise first so the hash survives the round trip.
        details=json.loads(json.dumps(details or {}, default=str)),
        prev_hash=last[1] if last else GENESIS,
        hash="",
    )
    event.hash = _keyed_digest(seal.key, event.prev_hash, event)
    session.add(event)
    session.flush()
    _watch_commits()
    session.info["audit_head"] = (seal, event.id, event.hash)
    return event


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


# --- verification ---


@dataclass(frozen=True)
class ChainProblem:
    """One thing wrong with the chain, said in one line."""

    event_id: int | None
    message: str


@dataclass(frozen=True)
class ChainReport:
    """Result of checking the audit chain: every problem found, not only the first."""

    events: int
    keyed: int = 0
    head_id: int | None = None
    problems: list[ChainProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def reason(self) -> str | None:
        return self.problems[0].message if self.problems else None


@dataclass
class _Walk:
    key: bytes
    anchors: dict[int, str]
    problems: list[ChainProblem] = field(default_factory=list)
    prev: str = GENESIS
    prev_id: int | None = None
    count: int = 0
    keyed: int = 0

    def check(self, event: Any) -> None:
        eid = event.id or 0
        say = self.problems.append
        if event.prev_hash != self.prev:
            before = f"事件 {self.prev_id}" if self.prev_id else "链首"
            say(ChainProblem(eid, f"事件 {eid} 与前一条（{before}）不相连：其间的事件被删除、插入或改写"))
        is_keyed = event.hash.startswith(KEYED)
        if not is_keyed and self.keyed:
            say(ChainProblem(eid, f"事件 {eid} 用旧的无密钥方式计算，却排在有密钥的事件之后：链被重算"))
        if not hmac.compare_digest(expected_hash(self.key, event), event.hash):
            say(ChainProblem(eid, f"事件 {eid} 的内容与其哈希不符：事件被修改，或链被不知密钥的人重算"))
        anchored = self.anchors.pop(eid, None)
        if anchored is not None and anchored != event.hash:
            say(ChainProblem(eid, f"事件 {eid} 的哈希与锚点记录不同：锚定后被改写"))
        self.prev, self.prev_id = event.hash, eid
        self.count += 1
        self.keyed += is_keyed


def audit_verify(session: Session, *, batch: int = 5000, seal: AuditSeal | None = None) -> ChainReport:
    """Recompute every link and check the anchored heads; report every problem found."""
    seal = seal or seal_for(session)
    anchors, anchor_problems = _anchors_of(seal)
    walk = _Walk(key=seal.key, anchors=dict(anchors or {}))
    last_id = 0
    while True:
        # Plain rows, not ORM objects: a long chain must not pile up in the session's identity map.
        table = AuditEvent.__table__  # type: ignore[attr-defined]
        rows = session.execute(
            select(table).where(table.c.id > last_id).order_by(table.c.id).limit(batch)
        ).all()
        if not rows:
            break
        for event in rows:
            walk.check(event)
        last_id = rows[-1].id or 0
    problems = [*walk.problems, *(ChainProblem(None, p) for p in anchor_problems)]
    for missing in sorted(walk.anchors):
        problems.append(
            ChainProblem(missing, f"锚点记录的事件 {missing} 已不在库中：最新（或其他）事件被删除")
        )
    # Events this very session appended are anchored at its commit; until then no anchor is expected.
    if anchors is None and walk.keyed and "audit_head" not in session.info:
        problems.append(ChainProblem(None, f"锚点文件 {seal.anchor_path} 不存在：无法确认最新的事件未被删除"))
    return ChainReport(events=walk.count, keyed=walk.keyed, head_id=walk.prev_id, problems=problems)


def _anchors_of(seal: AuditSeal) -> tuple[dict[int, str] | None, list[str]]:
    if seal.anchor_path is None or not seal.anchor_path.exists():
        return None, []
    return read_anchors(seal.anchor_path)
