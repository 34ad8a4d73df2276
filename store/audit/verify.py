"""Verifying the audit chain: every event's hash against its predecessor and key, and the anchor file's heads
against the table (so deleted newest events are found too)."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from store.audit.chain import GENESIS, KEYED, AuditSeal, expected_hash, read_anchors, seal_for
from store.models import AuditEvent


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
