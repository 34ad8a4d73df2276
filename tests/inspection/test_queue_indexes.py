"""Queue reads shaped for their indexes (migration 0009): tie order, the new-tasks query, search paging."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from inspection.views.queries import new_open_task_ids, queue_for_user
from inspection.views.queue_filter import OPEN_FILTER, QueueFilter
from store.models import User
from tests.rows import NOW, ROWS, task


def test_ties_follow_the_sort_direction_and_pages_neither_repeat_nor_skip(
    session: Session, users: dict[str, User]
) -> None:
    made = [task(session, priority=p) for p in (0.5, 0.9, 0.5, 0.5, 0.2, 0.9)]
    ids = {t.priority: sorted(x.id or 0 for x in made if x.priority == t.priority) for t in made}
    sup = users["sup_sz"]
    pages = [queue_for_user(session, user=sup, per_page=2, page=n, now=NOW) for n in (1, 2, 3)]
    walked = [item.id for page in pages for item in page.items]
    # Highest priority first; equal priorities newest (highest id) first, so (priority, id) read backwards.
    assert walked == [*ids[0.9][::-1], *ids[0.5][::-1], *ids[0.2][::-1]]
    assert all(page.total == 6 for page in pages)
    reverse = queue_for_user(session, user=sup, per_page=10, sort="-priority", now=NOW)
    assert [item.id for item in reverse.items] == [*ids[0.2], *ids[0.5], *ids[0.9]]
    by_id = queue_for_user(session, user=sup, per_page=10, sort="id", now=NOW)
    assert [item.id for item in by_id.items] == sorted(walked)


def test_new_open_task_ids_reads_only_new_high_risk_open_tasks_of_the_remit(
    session: Session, users: dict[str, User]
) -> None:
    since = NOW - timedelta(hours=2)

    def made(**fields: Any) -> int:
        values: dict[str, Any] = {
            "risk_type": "illegal_agency",
            "agency": "labour_inspection",
            "region_code": "320500",
            "status": "new",
            "score": 0.95,
            "created_at": NOW - timedelta(hours=1),
        }
        row = ROWS.task(session, **(values | fields))
        assert row.id is not None
        return row.id

    old = made(created_at=NOW - timedelta(hours=3))
    low = made(score=0.5)
    unscored = made(score=None)
    closed = made(status="closed")
    elsewhere = made(region_code="320100")
    other_agency = made(agency="market_regulation")
    first = made(created_at=NOW - timedelta(minutes=50))
    newest = made(created_at=NOW - timedelta(minutes=5))
    inspector = users["insp_sz"]
    found = new_open_task_ids(session, inspector, since=since, min_score=0.8, limit=10, now=NOW)
    assert found[:2] == [newest, first]
    excluded = {old, low, unscored, closed, elsewhere, other_agency}
    assert not excluded & set(found)
    assert new_open_task_ids(session, inspector, since=since, min_score=0.8, limit=1, now=NOW) == [newest]
    # The same rows the queue shows for "created, newest first", narrowed to the new high-risk ones.
    queue = queue_for_user(
        session, user=inspector, filters=QueueFilter(status=OPEN_FILTER), sort="created", now=NOW
    )
    shown = [i.id for i in queue.items if i.id in {newest, first}]
    assert shown == [newest, first]


def test_a_one_term_and_a_two_term_search_page_and_count_alike(
    session: Session, users: dict[str, User]
) -> None:
    for n in range(7):
        task(session, tip_text=f"工厂招童工{n}号" if n % 2 == 0 else f"工厂招聘普工{n}号", priority=n / 10)
    sup = users["sup_sz"]
    one = [
        queue_for_user(session, user=sup, filters=QueueFilter(q="童工"), per_page=2, page=p, now=NOW)
        for p in (1, 2, 3)
    ]
    two = [
        queue_for_user(session, user=sup, filters=QueueFilter(q="招童工"), per_page=2, page=p, now=NOW)
        for p in (1, 2, 3)
    ]
    assert [p.total for p in one] == [4, 4, 4] == [p.total for p in two]
    assert [i.id for p in one for i in p.items] == [i.id for p in two for i in p.items]
    assert [i.priority for p in one for i in p.items] == [0.6, 0.4, 0.2, 0.0]


def test_the_term_column_keeps_enough_statistics_on_postgresql(session: Session) -> None:
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite has no per-column statistics target; the indexes are checked by the schema tests
    target = session.execute(
        text(
            "SELECT attstattarget FROM pg_attribute "
            "WHERE attrelid = 'task_search_term'::regclass AND attname = 'term'"
        )
    ).scalar_one()
    assert target == 1000
