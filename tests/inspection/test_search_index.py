"""The queue's search index (task_search_term): kept up to date by the services, backfilled by migration."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select, text
from sqlmodel import Session

from inspection.tasks.generate import tasks_generate
from inspection.views.queries import queue_for_user
from inspection.views.queue_filter import QueueFilter
from store.db import make_engine
from store.migrate import db_downgrade, db_upgrade
from store.models import TaskSearchTerm, User
from tests.conftest import create_pg_database, drop_pg_database, test_db_kind
from tests.rows import NOW, champion, listing, organisation, score, settings, source


def test_attached_listing_becomes_searchable(session: Session, users: dict[str, User]) -> None:
    model, src = champion(session), source(session)
    org = organisation(session, "某劳务派遣公司")
    score(session, model, listing(session, src, org=org, body="招普工，包吃住"), "illegal_agency", 0.9)
    tasks_generate(session, settings=settings(), now=NOW)
    sup = users["sup_sz"]
    assert queue_for_user(session, user=sup, filters=QueueFilter(q="童工"), now=NOW).total == 0
    score(session, model, listing(session, src, org=org, body="另招童工若干"), "illegal_agency", 0.8)
    assert tasks_generate(session, settings=settings(), now=NOW).attached == 1
    assert queue_for_user(session, user=sup, filters=QueueFilter(q="童工"), now=NOW).total == 1
    assert (
        queue_for_user(session, user=sup, filters=QueueFilter(q="派遣"), now=NOW).total == 1
    )  # from the task title


def test_migration_backfills_existing_tasks(tmp_path: Path) -> None:
    url = (
        create_pg_database("lw_backfill")
        if test_db_kind() == "postgresql"
        else f"sqlite:///{tmp_path / 'b.db'}"
    )
    engine = make_engine(url)
    try:
        db_upgrade(engine)
        db_downgrade(engine, "0001")
        with engine.begin() as connection:
            for statement in (
                "INSERT INTO source (id, name, kind, title, enabled, config, created_at) VALUES (1, 's', 'job', '', true, '{}', '2026-01-01')",
                "INSERT INTO listing (id, source_id, key, url, kind, title, body, contacts, extra, content_hash, search_bigrams, first_seen, last_seen, missed_runs, active, version_count) VALUES (1, 1, 'k', 'u', 'job', '', '', '{}', '{}', 'h', '招童 童工', '2026-01-01', '2026-01-01', 0, true, 1)",
                "INSERT INTO inspection_task (id, title, risk_type, agency, region_code, status, origin, priority, version, created_at, updated_at) VALUES (1, '非法中介', 'illegal_agency', 'labour_inspection', '320500', 'new', 'model', 0.5, 1, '2026-01-01', '2026-01-01')",
                "INSERT INTO task_evidence (task_id, listing_id, added_at) VALUES (1, 1, '2026-01-01')",
            ):
                connection.execute(text(statement))
        db_upgrade(engine)
        with Session(engine) as session:
            terms = set(
                session.execute(select(TaskSearchTerm.term).where(TaskSearchTerm.task_id == 1)).scalars()
            )
        assert terms == {"招童", "童工", "非法", "法中", "中介"}
    finally:
        engine.dispose()
        if url.startswith("postgresql"):
            drop_pg_database(url)
