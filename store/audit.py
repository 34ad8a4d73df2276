"""Append-only, hash-chained audit log: every change and every view of protected data."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from store.models import AuditEvent
from store.types import utcnow

GENESIS = "0" * 64


def _digest(prev_hash: str, event: AuditEvent) -> str:
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
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def _last_hash(session: Session) -> str:
    statement = select(col(AuditEvent.hash)).order_by(col(AuditEvent.id).desc()).limit(1)
    # FOR UPDATE serialises writers on PostgreSQL so two appends never share a predecessor.
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update()
    return session.execute(statement).scalar() or GENESIS


def audit_append(
    session: Session,
    *,
    action: str,
    actor_id: int | None = None,
    actor: str = "system",
    object_type: str = "",
    object_id: object = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event chained to the previous one (flushed, committed with the caller's work)."""
    event = AuditEvent(
        at=utcnow().replace(microsecond=0),
        actor_id=actor_id,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        details=details or {},
        prev_hash="",
        hash="",
    )
    event.prev_hash = _last_hash(session)
    event.hash = _digest(event.prev_hash, event)
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    """Result of checking the audit chain."""

    events: int
    broken_at: int | None
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def audit_verify(session: Session, *, batch: int = 5000) -> ChainReport:
    """Recompute every link; report the first event whose hash or predecessor does not match."""
    prev, count, last_id = GENESIS, 0, 0
    while True:
        rows = (
            session.execute(
                select(AuditEvent)
                .where(col(AuditEvent.id) > last_id)
                .order_by(col(AuditEvent.id))
                .limit(batch)
            )
            .scalars()
            .all()
        )
        if not rows:
            return ChainReport(count, None, None)
        for event in rows:
            if event.prev_hash != prev:
                return ChainReport(count, event.id, "previous-hash link broken (an event was removed)")
            if _digest(prev, event) != event.hash:
                return ChainReport(count, event.id, "content does not match its hash (an event was edited)")
            prev, count, last_id = event.hash, count + 1, event.id or 0
