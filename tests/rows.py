"""The tests' one row builder: sources, organisations, listings with versions, users, models, scores, tasks.

Rows made by one builder get their serial numbers (keys `k1`, `k2`, urls, names, titles) from a counter
that starts at a block of its seed, so a builder writes the same rows for the same seed and calls, and
builders of different seeds never collide. The module-level functions use ROWS, restarted before every
test (tests/conftest.py), so a test's rows never depend on which tests ran before it. They keep the
shapes the tests were written against: `listing` (inspection services), `make_listing` (the model's
operations), `CaseFactory` (web pages: a task with a hostile listing as evidence,
tests/inspection/web/conftest.py).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from itertools import count
from typing import Any

from sqlmodel import Session

from store.models import (
    Finding,
    InspectionTask,
    Listing,
    ListingVersion,
    ModelVersion,
    Organisation,
    RiskScore,
    Source,
    User,
)
from store.settings import Settings
from store.text import bigrams
from store.types import utcnow

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SEED = 0  # the seed of ROWS in every test
SEED_BLOCK = 1_000_000  # serial numbers of seed S start at S * SEED_BLOCK + 1

# (username, role, region): one of each role, two cities, the province.
STAFF = (
    ("insp_nj", "inspector", "320100"),
    ("insp_sz", "inspector", "320500"),
    ("insp_sz2", "inspector", "320500"),
    ("insp_wz", "inspector", "320506"),  # 吴中区: a county-level inspector
    ("off_nj", "market_officer", "320100"),
    ("off_sz", "market_officer", "320500"),
    ("analyst", "analyst", "320000"),
    ("sup_prov", "supervisor", "320000"),
    ("sup_sz", "supervisor", "320500"),
    ("admin", "admin", "320000"),
)


def content_hash(title: str, body: str) -> str:
    """The SHA-256 of a listing's title and body as the crawler hashes the two."""
    return hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()


class Rows:
    """A seeded builder: each method adds one row, flushes it and returns it."""

    def __init__(self, seed: int = SEED) -> None:
        self.restart(seed)

    def restart(self, seed: int = SEED) -> None:
        """Number rows afresh from SEED's block."""
        self.seed = seed
        self._serial = count(seed * SEED_BLOCK + 1)

    def serial(self, n: int = 1) -> int:
        """The first of N unused serial numbers."""
        first = next(self._serial)
        for _ in range(n - 1):
            next(self._serial)
        return first

    def source(self, session: Session, *, name: str | None = None, kind: str = "job") -> Source:
        row = Source(name=name or f"src-{kind}-{self.serial()}", kind=kind)
        session.add(row)
        session.flush()
        return row

    def organisation(self, session: Session, name: str | None = None, **fields: Any) -> Organisation:
        row = Organisation(name=name or f"机构{self.serial()}", **fields)
        session.add(row)
        session.flush()
        return row

    def listing(self, session: Session, source: Source, **fields: Any) -> Listing:
        """A listing of SOURCE; key and url from the next serial number unless FIELDS give them."""
        values: dict[str, Any] = {"kind": source.kind}
        if "key" not in fields or "url" not in fields:
            n = self.serial()
            values |= {"key": f"k{n}", "url": f"http://127.0.0.1/{n}"}
        row = Listing(source_id=source.id or 0, **(values | fields))
        session.add(row)
        session.flush()
        return row

    def version(self, session: Session, listing: Listing, raw: bytes, **fields: Any) -> ListingVersion:
        """Version 1 of LISTING with RAW as its stored page (RAW is what is stored; its SHA-256 is of
        `sha256_of`, the page before compression, when given)."""
        page = fields.pop("sha256_of", raw)
        values: dict[str, Any] = {
            "version_no": 1,
            "content_hash": listing.content_hash,
            "raw_gz": raw,
            "raw_sha256": hashlib.sha256(page).hexdigest(),
            "crawler_version": "test",
        }
        row = ListingVersion(listing_id=listing.id or 0, **(values | fields))
        session.add(row)
        session.flush()
        return row

    def user(self, session: Session, username: str, role: str, region: str, **fields: Any) -> User:
        values: dict[str, Any] = {"display_name": username, "password_hash": "-"}
        row = User(username=username, role=role, region_code=region, **(values | fields))
        session.add(row)
        session.flush()
        return row

    def model_version(self, session: Session, version: str, **fields: Any) -> ModelVersion:
        values: dict[str, Any] = {"file_path": "none", "sha256": "0" * 64, "data_fingerprint": "0" * 64}
        row = ModelVersion(version=version, **(values | fields))
        session.add(row)
        session.flush()
        return row

    def score(
        self,
        session: Session,
        model: ModelVersion,
        listing: Listing,
        risk_type: str,
        probability: float,
        **fields: Any,
    ) -> RiskScore:
        row = RiskScore(
            listing_id=listing.id or 0,
            model_version_id=model.id or 0,
            risk_type=risk_type,
            probability=probability,
            content_hash=listing.content_hash,
            **fields,
        )
        session.add(row)
        session.flush()
        return row

    def task(self, session: Session, *, index: bool = True, **fields: Any) -> InspectionTask:
        """A task inserted directly, titled from the next serial number; INDEX its text for search as the
        services do."""
        from inspection.tasks.changes import index_task_text

        values: dict[str, Any] = {} if "title" in fields else {"title": f"任务{self.serial()}"}
        row = InspectionTask(**(values | fields))
        session.add(row)
        session.flush()
        if index:
            index_task_text(session, row)
        return row

    def finding(self, session: Session, task: InspectionTask, inspector: User, **fields: Any) -> Finding:
        row = Finding(task_id=task.id, inspector_id=inspector.id, **fields)
        session.add(row)
        session.flush()
        return row


ROWS = Rows()  # restarted at SEED before every test (tests/conftest.py)


# The inspection services' shapes ---------------------------------------------------------------------


def make_users(session: Session) -> dict[str, User]:
    """The STAFF accounts (no real password hash: these tests never log in)."""
    return {username: ROWS.user(session, username, role, region) for username, role, region in STAFF}


def next_serial(n: int = 1) -> int:
    """The first of N unused serial numbers (for rows a test inserts in bulk)."""
    return ROWS.serial(n)


def settings(**overrides: Any) -> Settings:
    """Settings with test defaults (no environment, no .env file)."""
    values: dict[str, Any] = {
        "task_audit_capacity_share": 0.0,
        "task_active_capacity_share": 0.0,
        "_env_file": None,
    }
    values.update(overrides)
    return Settings(**values)


def source(session: Session, kind: str = "job") -> Source:
    return ROWS.source(session, kind=kind)


def organisation(session: Session, name: str, *, licence_status: str = "unknown") -> Organisation:
    return ROWS.organisation(session, name, normalised_name=name, licence_status=licence_status)


def listing(
    session: Session,
    src: Source,
    *,
    title: str = "招聘普工",
    body: str = "工厂招聘普工，包吃住。",
    org: Organisation | None = None,
    city: str | None = "320500",
    county: str | None = None,
    contacts: dict[str, Any] | None = None,
    seen: datetime = NOW,
) -> Listing:
    """A listing with one captured version."""
    text = f"{title}\n{body}"
    item = ROWS.listing(
        session,
        src,
        title=title,
        body=body,
        employer_name=org.name if org else None,
        contacts=contacts or {},
        province_code="320000",
        city_code=city,
        county_code=county,
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        search_bigrams=bigrams(text),
        first_seen=seen,
        last_seen=seen,
        organisation_id=org.id if org else None,
    )
    ROWS.version(session, item, text.encode())
    return item


def champion(session: Session, version: str = "m1") -> ModelVersion:
    return ROWS.model_version(session, version, status="champion")


def score(
    session: Session,
    model: ModelVersion,
    item: Listing,
    risk_type: str,
    probability: float,
    explanation: list[dict[str, Any]] | None = None,
) -> RiskScore:
    default = [{"feature": "under_16", "kind": "indicator", "value": 1.0, "weight": 2.0}]
    return ROWS.score(
        session,
        model,
        item,
        risk_type,
        probability,
        explanation=explanation if explanation is not None else default,
    )


def rule_entry(
    item: Listing,
    text: str,
    *,
    feature: str = "rule_under_16_hire",
    meaning: str = "招用不满16周岁的未成年人",
) -> dict[str, Any]:
    """A must-inspect rule entry as the scorer writes it, spanning TEXT in the listing's body."""
    start = (item.body or "").index(text)
    return {
        "feature": feature,
        "kind": "rule",
        "value": 1.0,
        "weight": 0.0,
        "meaning": meaning,
        "legal_basis": "禁止使用童工规定第二条",
        "spans": [{"field": "body", "start": start, "end": start + len(text), "text": text}],
    }


def task(
    session: Session,
    *,
    region: str = "320500",
    agency: str = "labour_inspection",
    risk_type: str = "illegal_agency",
    status: str = "new",
    assignee: User | None = None,
    listing_id: int | None = None,
    tip_text: str | None = None,
    priority: float = 0.5,
    due_at: datetime | None = None,
) -> InspectionTask:
    """A task inserted directly (for tests of the workflow and the read side)."""
    return ROWS.task(
        session,
        risk_type=risk_type,
        agency=agency,
        region_code=region,
        status=status,
        priority=priority,
        assignee_id=assignee.id if assignee else None,
        listing_id=listing_id,
        tip_text=tip_text,
        due_at=due_at,
    )


# The model operations' shapes ------------------------------------------------------------------------


def make_source(session: Session, name: str = "demo-jobs", kind: str = "job") -> Source:
    return ROWS.source(session, name=name, kind=kind)


def make_listing(
    session: Session,
    source: Source,
    key: str,
    body: str,
    *,
    title: str = "招聘",
    kind: str | None = None,
    first_seen: datetime | None = None,
    organisation_id: int | None = None,
    employer: str | None = None,
) -> Listing:
    """A listing without versions, keyed KEY."""
    return ROWS.listing(
        session,
        source,
        key=key,
        url=f"https://example.test/{key}",
        kind=kind or source.kind,
        title=title,
        body=body,
        employer_name=employer,
        content_hash=content_hash(title, body),
        first_seen=first_seen or utcnow(),
        organisation_id=organisation_id,
        city_code="320500",
    )


def make_inspector(session: Session, name: str = "inspector.sz") -> User:
    return ROWS.user(session, name, "inspector", "320500", display_name="", password_hash="not-a-real-hash")


def make_finding(
    session: Session, listing: Listing, labels: dict[str, int], *, risk_type: str, origin: str = "model"
) -> Finding:
    """A task on LISTING (of ORIGIN) and a finding with LABELS."""
    from store.accounts.users import user_by_name

    inspector = user_by_name(session, "inspector.sz") or make_inspector(session)
    task = ROWS.task(
        session,
        index=False,
        title="",
        risk_type=risk_type,
        agency="labour_inspection" if risk_type != "illegal_marriage_broker" else "market_regulation",
        region_code="320500",
        status="closed",
        origin=origin,
        listing_id=listing.id,
    )
    return ROWS.finding(session, task, inspector, outcome="warning", labels=labels)
