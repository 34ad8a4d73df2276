"""Retention purge: expired personal data erased or masked, open cases and evidence untouched, audited."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from store.audit import audit_verify
from store.models import (
    AuditEvent,
    CrawlRun,
    Finding,
    InspectionTask,
    Listing,
    ListingVersion,
    RejectedItem,
    Source,
    TaskEvidence,
    User,
    metadata,
)
from store.retention.purge import erase_victim, mask_json, retention_purge
from store.settings import load_settings
from tests.rows import ROWS

NOW = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
LONG_AGO = NOW - timedelta(days=1000)
RECENTLY = NOW - timedelta(days=10)
PHONE, WECHAT = "13812345678", "zhangsan_88"
BODY = f"招聘普工，联系电话{PHONE}，微信：{WECHAT}"
VICTIM = {
    "name": "李小花",
    "age": 15,
    "gender": "女",
    "phone": "13912345678",
    "id_number": "320102200901011234",
}


@dataclass
class World:
    """Ids of the rows each test looks at."""

    old_free: int  # inactive for long, never evidence: masked, raw page dropped
    old_open: int  # inactive for long but evidence of an open task: untouched
    old_closed_evidence: int  # inactive for long, evidence of a closed task: masked, raw page kept
    recent: int  # inactive recently: untouched
    old_finding: int  # finding of a task closed long ago: victims erased
    recent_finding: int  # finding of a task closed recently: untouched
    open_finding: int  # finding of an open task: untouched
    followed_finding: int = 0  # closed long ago, but its re-inspection is open: untouched


def _listing(session: Session, source: Source, run: CrawlRun, key: str, last_seen: datetime) -> int:
    listing = ROWS.listing(
        session, source, key=key, url=f"http://x/{key}", kind="job", title=f"招工 {PHONE}",
        body=BODY, contacts={"phones": [PHONE], "wechat": [WECHAT]}, content_hash="c" * 64,
        search_bigrams="13812345678", first_seen=last_seen, last_seen=last_seen, active=False,
    )  # fmt: skip
    raw = gzip.compress(f"<html>{BODY}</html>".encode())
    ROWS.version(
        session, listing, raw, content_hash="c" * 64, fields={"body": BODY}, captured_at=last_seen,
        crawler_version="t", crawl_run_id=run.id,
    )  # fmt: skip
    return listing.id or 0


def _task(session: Session, status: str, updated: datetime, listing_id: int | None, inspector: User) -> int:
    task = InspectionTask(
        risk_type="child_labour", agency="labour_inspection", region_code="320505", status=status,
        origin="tip", tip_text=f"举报人电话 {PHONE}", listing_id=listing_id, created_at=updated, updated_at=updated,
    )  # fmt: skip
    session.add(task)
    session.flush()
    if listing_id:
        session.add(TaskEvidence(task_id=task.id or 0, listing_id=listing_id))
    finding = Finding(
        task_id=task.id or 0, inspector_id=inspector.id or 0, violations=["child_labour"], outcome="fine",
        notes=f"受害人母亲电话 {PHONE}", victims=[dict(VICTIM)], labels={"child_labour": 1}, created_at=updated,
    )  # fmt: skip
    session.add(finding)
    session.flush()
    return finding.id or 0


def build_world(session: Session) -> World:
    source = Source(name="jobs", kind="job")
    inspector = User(username="insp", password_hash="x", role="inspector", region_code="320505")
    session.add_all([source, inspector])
    session.flush()
    run = CrawlRun(source_id=source.id or 0, started_at=LONG_AGO)
    session.add(run)
    session.flush()
    old_free = _listing(session, source, run, "free", LONG_AGO)
    old_open = _listing(session, source, run, "open", LONG_AGO)
    old_closed = _listing(session, source, run, "closed", LONG_AGO)
    recent = _listing(session, source, run, "recent", RECENTLY)
    world = World(
        old_free=old_free, old_open=old_open, old_closed_evidence=old_closed, recent=recent,
        old_finding=_task(session, "closed", LONG_AGO, old_closed, inspector),
        recent_finding=_task(session, "closed", RECENTLY, None, inspector),
        open_finding=_task(session, "in_progress", LONG_AGO, old_open, inspector),
    )  # fmt: skip
    world.followed_finding = _task(session, "closed", LONG_AGO, None, inspector)
    followed = session.get(Finding, world.followed_finding)
    assert followed is not None
    session.add(
        InspectionTask(
            risk_type="child_labour", agency="labour_inspection", region_code="320505", status="new",
            origin="reinspection", follow_up_of_id=followed.task_id,
        )
    )  # fmt: skip
    for created in (LONG_AGO, RECENTLY):
        session.add(
            RejectedItem(
                crawl_run_id=run.id or 0,
                url="http://x/bad",
                reason="r",
                item={"body": BODY},
                created_at=created,
            )
        )
    session.commit()
    return world


def snapshot(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the tables a purge may touch, as plain tuples."""
    wanted = {
        "listing": ("id", "title", "body", "contacts", "search_bigrams"),
        "listing_version": ("id", "fields", "raw_gz"),
        "finding": ("id", "victims", "notes"),
        "inspection_task": ("id", "tip_text"),
        "rejected_item": ("id",),
    }
    with Session(engine) as session:
        out = {}
        for name, columns in wanted.items():
            table = metadata.tables[name]
            statement = select(*(table.c[c] for c in columns)).order_by(table.c.id)
            out[name] = [tuple(r) for r in session.execute(statement)]
        return out


@pytest.fixture
def settings():
    return load_settings(retention_victim_days=730, retention_listing_days=365, retention_rejected_days=90)


def purge(engine: Engine, settings, dry_run: bool = False):
    with Session(engine) as session:
        report = retention_purge(session, settings=settings, now=NOW, dry_run=dry_run)
        session.commit()
    return report


def test_purge_erases_expired_and_keeps_open_cases_and_evidence(
    session: Session, db: Engine, settings
) -> None:
    world = build_world(session)
    report = purge(db, settings)
    assert (report.findings_erased, report.victims_erased, report.tips_masked) == (1, 1, 1)
    assert (report.listings_masked, report.raw_pages_dropped, report.versions_masked) == (2, 1, 1)
    assert report.rejected_deleted == 1 and report.raw_bytes_dropped > 0
    with Session(db) as check:
        old = check.get(Finding, world.old_finding)
        assert old is not None and old.victims == [
            {"age": 15, "gender": "女", "note": "erased on 2026-11-28 under retention policy"}
        ]
        assert (
            PHONE not in old.notes
            and old.labels == {"child_labour": 1}
            and old.violations == ["child_labour"]
        )
        for kept in (world.recent_finding, world.open_finding, world.followed_finding):
            finding = check.get(Finding, kept)
            assert finding is not None and finding.victims == [VICTIM] and PHONE in finding.notes
        free = check.get(Listing, world.old_free)
        assert free is not None and PHONE not in free.body + free.title and WECHAT not in free.body
        assert free.contacts == {"phones": ["138****5678"], "wechat": ["z********88"]}
        assert "13812345678" not in free.search_bigrams and "招聘" in free.search_bigrams
        for untouched in (world.old_open, world.recent):
            listing = check.get(Listing, untouched)
            assert listing is not None and listing.body == BODY and listing.contacts["phones"] == [PHONE]
        versions = {v.listing_id: v for v in check.execute(select(ListingVersion)).scalars()}
        dropped = versions[world.old_free]
        assert dropped.raw_gz == b"" and len(dropped.raw_sha256) == 64 and PHONE not in str(dropped.fields)
        assert dropped.fields["retention"]["raw_bytes"] > 0
        for kept_id in (
            world.old_open,
            world.old_closed_evidence,
            world.recent,
        ):  # evidence or recent: intact
            assert gzip.decompress(versions[kept_id].raw_gz).decode().count(PHONE) == 1
            assert versions[kept_id].fields == {"body": BODY}
        closed_evidence = check.get(Listing, world.old_closed_evidence)
        assert closed_evidence is not None and PHONE not in closed_evidence.body  # no open case holds it
        assert check.execute(select(func.count()).select_from(RejectedItem)).scalar() == 1


def test_purge_is_audited_once_with_counts_only(session: Session, db: Engine, settings) -> None:
    build_world(session)
    purge(db, settings)
    with Session(db) as check:
        events = list(
            check.execute(select(AuditEvent).where(col(AuditEvent.action) == "retention.purge")).scalars()
        )
        assert len(events) == 1 and events[0].details["listings_masked"] == 2
        assert events[0].details["policy_days"] == {"victim": 730, "listing": 365, "rejected": 90}
        assert PHONE not in str(events[0].details) and "李小花" not in str(events[0].details)
        assert audit_verify(check).ok


def test_dry_run_changes_nothing(session: Session, db: Engine, settings) -> None:
    build_world(session)
    before = snapshot(db)
    report = purge(db, settings, dry_run=True)
    assert report.dry_run and report.listings_masked == 2 and report.findings_erased == 1
    assert report.rejected_deleted == 1 and report.raw_pages_dropped == 1
    assert snapshot(db) == before
    with Session(db) as check:
        assert check.execute(select(func.count()).select_from(AuditEvent)).scalar() == 0


def test_second_run_purges_nothing_more(session: Session, db: Engine, settings) -> None:
    build_world(session)
    first = purge(db, settings)
    after_first = snapshot(db)
    second = purge(db, settings.model_copy(update={}), dry_run=False)
    assert first.changed > 0 and second.changed == 0 and second.raw_bytes_dropped == 0
    later = retention_purge_next_day(db, settings)
    assert later.changed == 0  # a later date in the note must not count as a new erasure
    assert snapshot(db) == after_first


def retention_purge_next_day(engine: Engine, settings):
    with Session(engine) as session:
        report = retention_purge(session, settings=settings, now=NOW + timedelta(days=1))
        session.commit()
    return report


def test_masking_helpers_are_fixed_points() -> None:
    masked = mask_json({"phones": [PHONE], "wechat": [WECHAT], "body": BODY, "n": 3})
    assert mask_json(masked) == masked and masked["n"] == 3 and PHONE not in str(masked)
    erased = erase_victim(dict(VICTIM), "erased on 2026-11-28 under retention policy")
    assert erase_victim(erased, "erased on 2027-01-01 under retention policy") is erased
    assert erase_victim({"name": "x", "note": "erased on by hand"}, "erased on d")["note"] == "erased on d"


def test_settings_are_validated() -> None:
    from store.settings import SettingsError

    with pytest.raises(SettingsError, match="RETENTION_VICTIM_DAYS"):
        load_settings(retention_victim_days=1)


def test_cli_dry_run_then_purge(session: Session, db: Engine, run_in_process) -> None:
    build_world(session)
    before = snapshot(db)
    dry = run_in_process("retention", "purge", "--dry-run")
    assert dry.exit_code == 0 and "dry run" in dry.output and "listings masked" in dry.output
    assert snapshot(db) == before
    real = run_in_process("retention", "purge")
    assert real.exit_code == 0, real.output
    assert snapshot(db) != before
    with Session(db) as check:
        actions = check.execute(select(col(AuditEvent.action))).scalars().all()
        assert actions == ["retention.purge"]


def test_every_retention_setting_is_documented() -> None:
    from pathlib import Path

    from store.settings import Settings

    docs = (Path(__file__).resolve().parents[2] / "docs" / "retention.md").read_text(encoding="utf-8")
    names = [name for name in Settings.model_fields if name.startswith("retention_")]
    assert len(names) == 4
    for name in names:
        assert f"LABOURWATCH_{name.upper()}" in docs and Settings.model_fields[name].description
