"""The audit chain under load and under attack: serialised appends, keyed hashes, anchored head."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from store.audit.chain import (
    GENESIS,
    KEYED,
    AuditSeal,
    _keyed_digest,
    _legacy_digest,
    audit_append,
    seal_for,
)
from store.audit.verify import audit_verify
from store.models import AuditEvent
from store.types import utcnow
from tests.conftest import ROOT

THREADS = 24
PER_THREAD = 5


def _append_many(db: Engine, n: int, errors: list[BaseException], barrier: threading.Barrier) -> None:
    try:
        barrier.wait()
        for _ in range(n):
            with Session(db) as session:
                # Identical events at the same moment: the old chain collided on the unique hash here.
                audit_append(session, action="auth.login_failed", actor="anonymous", details={"u": "x"})
                session.commit()
    except BaseException as exc:
        errors.append(exc)


def _chain(db: Engine, n: int = 6) -> list[int]:
    with Session(db) as session:
        ids = [audit_append(session, action="test.event", details={"n": i}).id or 0 for i in range(n)]
        session.commit()
    return ids


def _verify(db: Engine) -> list[str]:
    with Session(db) as session:
        return [p.message for p in audit_verify(session).problems]


def test_concurrent_threads_keep_one_intact_chain(db: Engine) -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)
    threads = [
        threading.Thread(target=_append_many, args=(db, PER_THREAD, errors, barrier)) for _ in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with Session(db) as session:
        report = audit_verify(session)
        prevs = session.execute(select(func.count(func.distinct(AuditEvent.prev_hash)))).scalar_one()
    assert report.ok, report.problems
    assert report.events == report.keyed == prevs == THREADS * PER_THREAD


@pytest.mark.slow
def test_concurrent_processes_keep_one_intact_chain(db: Engine, db_url: str) -> None:
    script = (
        "import sys\nfrom sqlmodel import Session\nfrom store.audit import audit_append\n"
        "from store.cli import cli_engine\n"
        "for _ in range(10):\n"
        "    with Session(cli_engine()) as s:\n"
        "        audit_append(s, action='test.process', details={'same': True})\n"
        "        s.commit()\n"
    )
    env = {**os.environ, "LABOURWATCH_DATABASE_URL": db_url, "PYTHONPATH": str(ROOT)}
    children = [
        subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
        for _ in range(12)
    ]
    outcomes = [(c.communicate(timeout=180)[1], c.returncode) for c in children]
    failures = [err for err, code in outcomes if code != 0]
    assert failures == []
    with Session(db) as session:
        report = audit_verify(session)
    assert report.ok, report.problems
    assert report.events == 120


def test_an_edited_event_is_detected(db: Engine) -> None:
    ids = _chain(db)
    with db.begin() as connection:
        connection.execute(text("UPDATE audit_event SET actor = 'mallory' WHERE id = :id"), {"id": ids[2]})
    assert _verify(db) == [f"事件 {ids[2]} 的内容与其哈希不符：事件被修改，或链被不知密钥的人重算"]


def test_a_deleted_middle_event_is_detected(db: Engine) -> None:
    ids = _chain(db)
    with db.begin() as connection:
        connection.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": ids[3]})
    problems = _verify(db)
    assert len(problems) == 1 and f"事件 {ids[4]} 与前一条（事件 {ids[2]}）不相连" in problems[0]


def test_deleting_the_newest_events_is_detected_by_the_anchor(db: Engine) -> None:
    ids = _chain(db)
    _chain(db, 1)  # a second commit: its head is anchored too
    with db.begin() as connection:
        connection.execute(text("DELETE FROM audit_event WHERE id >= :id"), {"id": ids[4]})
    problems = _verify(db)
    assert problems and all("已不在库中" in p for p in problems)


def test_a_chain_recomputed_without_the_key_is_detected(db: Engine) -> None:
    _chain(db)
    guessed = b"not-the-real-key-" * 3
    with Session(db) as session:
        rows = session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
        prev = GENESIS
        for row in rows:  # the attacker edits one event and re-chains everything with a key of their own
            row.actor = "mallory" if row.id == rows[2].id else row.actor
            row.prev_hash = prev
            row.hash = prev = _keyed_digest(guessed, prev, row)
        session.commit()
    problems = _verify(db)
    # Every event fails its HMAC, and the anchored heads no longer match.
    assert sum("内容与其哈希不符" in p for p in problems) == len(rows)
    assert any("与锚点记录不同" in p for p in problems)


def test_downgrading_to_the_unkeyed_scheme_is_detected(db: Engine) -> None:
    ids = _chain(db)
    with Session(db) as session:
        rows = session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
        prev = GENESIS
        for row in rows:
            row.prev_hash = prev
            row.hash = prev = _legacy_digest(prev, row)
        session.commit()
    problems = _verify(db)
    assert any(f"事件 {ids[-1]} 的哈希与锚点记录不同" in p for p in problems)


def test_every_problem_is_reported_not_only_the_first(db: Engine) -> None:
    ids = _chain(db, 8)
    with db.begin() as connection:
        connection.execute(text("UPDATE audit_event SET action = 'x' WHERE id = :id"), {"id": ids[1]})
        connection.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": ids[4]})
        connection.execute(text("UPDATE audit_event SET object_id = 'y' WHERE id = :id"), {"id": ids[6]})
    problems = _verify(db)
    assert [p.split(" ")[1] for p in problems] == [str(ids[1]), str(ids[5]), str(ids[6])]


def test_events_written_before_the_key_still_verify(db: Engine) -> None:
    """Rows of the old unkeyed scheme verify as they are; keyed rows continue the chain after them."""
    with Session(db) as session:
        prev = GENESIS
        for i in range(3):
            old = AuditEvent(
                at=utcnow().replace(microsecond=0), action="old.event", details={"i": i}, prev_hash=prev
            )
            old.hash = prev = _legacy_digest(prev, old)
            session.add(old)
        session.commit()
        assert audit_verify(session).ok  # no keyed rows yet: nothing to anchor
        audit_append(session, action="new.event")
        session.commit()
        report = audit_verify(session)
    assert report.ok and (report.events, report.keyed) == (4, 1)
    with db.begin() as connection:  # editing an old row and re-chaining the old part cannot pass
        connection.execute(
            text(
                "UPDATE audit_event SET details = '{\"i\": 9}' WHERE action = 'old.event' AND id = (SELECT min(id) FROM audit_event)"
            )
        )
    assert _verify(db)


def test_views_of_one_page_load_fold_into_one_event(db: Engine) -> None:
    with Session(db) as session:
        first_id = audit_append(
            session, action="task.view_pii", actor_id=None, object_type="task", object_id=1
        ).id
        session.commit()
    with Session(db) as session:
        from store.models import User

        user = User(
            username="viewer", display_name="v", password_hash="x", role="supervisor", region_code="320000"
        )
        session.add(user)
        session.flush()
        a = audit_append(
            session, action="task.view_pii", actor_id=user.id, object_type="task", object_id=1, fold_s=60
        )
        b = audit_append(
            session, action="task.view_pii", actor_id=user.id, object_type="task", object_id=1, fold_s=60
        )
        c = audit_append(
            session, action="task.view_pii", actor_id=user.id, object_type="task", object_id=2, fold_s=60
        )
        session.commit()
        assert a.id == b.id != c.id and first_id != a.id
        session.execute(
            update(AuditEvent).where(AuditEvent.id == a.id).values(at=utcnow() - timedelta(minutes=5))
        )
        # (the edit breaks the chain; only the folding rule is under test from here)
        d = audit_append(
            session, action="task.view_pii", actor_id=user.id, object_type="task", object_id=1, fold_s=60
        )
        assert d.id != a.id


def test_keyed_hashes_name_their_scheme_and_cover_the_id(db: Engine) -> None:
    ids = _chain(db, 2)
    with Session(db) as session:
        rows = session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
        seal = seal_for(session)
    assert all(r.hash.startswith(KEYED) and len(r.hash) <= 64 for r in rows)
    moved = rows[1]
    moved.id = ids[1] + 100
    assert _keyed_digest(seal.key, moved.prev_hash, moved) != rows[1].hash


def test_the_cli_lists_every_problem_in_chinese(db: Engine, db_url: str, tmp_path: Path) -> None:
    ids = _chain(db)
    with db.begin() as connection:
        connection.execute(text("DELETE FROM audit_event WHERE id >= :id"), {"id": ids[-2]})
        connection.execute(text("UPDATE audit_event SET actor = 'm' WHERE id = :id"), {"id": ids[0]})
    env = {**os.environ, "LABOURWATCH_DATABASE_URL": db_url, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "labourwatch", "audit", "verify"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert f"事件 {ids[0]} 的内容与其哈希不符" in result.stderr
    assert f"锚点记录的事件 {ids[-1]} 已不在库中" in result.stderr
    assert "审计链有 2 处问题" in result.stderr


def test_a_seal_from_settings_keeps_its_key_outside_the_database(tmp_path: Path) -> None:
    from store.settings import Settings

    settings = Settings(data_dir=tmp_path, audit_key=None)  # type: ignore[call-arg]
    seal = AuditSeal.from_settings(settings)
    assert (tmp_path / "audit_key").stat().st_mode & 0o777 == 0o600
    assert AuditSeal.from_settings(settings).key == seal.key and len(seal.key) >= 32
    assert seal.anchor_path == tmp_path / "audit_anchor"


def test_a_batch_of_events_chains_like_events_appended_one_by_one(db: Engine) -> None:
    from store.audit.chain import audit_append_many

    _chain(db, 2)
    with Session(db) as session:
        audit_append(session, action="test.single", details={"n": "a"})
        written = audit_append_many(
            session,
            [
                {
                    "action": "task.create",
                    "object_type": "task",
                    "object_id": i,
                    "details": {"listings": [i, 7]},
                }
                for i in range(1, 301)
            ],
        )
        audit_append(session, action="test.single", details={"n": "b"})
        session.commit()
    assert written == 300
    assert _verify(db) == []
    with Session(db) as session:
        rows = session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
    assert [r.action for r in rows[2:4]] == ["test.single", "task.create"]
    assert [r.object_id for r in rows[3:303]] == [str(i) for i in range(1, 301)]
    assert rows[-1].details == {"n": "b"} and len(rows) == 2 + 1 + 300 + 1
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(rows))


def test_an_edited_event_inside_a_batch_is_detected(db: Engine) -> None:
    from store.audit.chain import audit_append_many

    with Session(db) as session:
        audit_append_many(session, [{"action": "task.create", "object_id": i} for i in range(5)])
        session.commit()
    with db.begin() as connection:
        connection.execute(update(AuditEvent).where(AuditEvent.object_id == "2").values(object_id="9"))
    assert any("内容与其哈希不符" in m for m in _verify(db))
