"""Small factories for inspection tests: users, listings with scores from a champion model, tasks."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from itertools import count
from typing import Any

from sqlmodel import Session

from inspection.tasks.changes import index_task_text
from store.models import (
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

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
_serial = count(1)

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


def make_users(session: Session) -> dict[str, User]:
    """The STAFF accounts (no real password hash: these tests never log in)."""
    users = {}
    for username, role, region in STAFF:
        user = User(
            username=username, display_name=username, password_hash="-", role=role, region_code=region
        )
        session.add(user)
        users[username] = user
    session.flush()
    return users


def next_serial(n: int = 1) -> int:
    """The first of N unused serial numbers (for rows a test inserts in bulk)."""
    first = next(_serial)
    for _ in range(n - 1):
        next(_serial)
    return first


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
    src = Source(name=f"src-{kind}-{next(_serial)}", kind=kind)
    session.add(src)
    session.flush()
    return src


def organisation(session: Session, name: str, *, licence_status: str = "unknown") -> Organisation:
    org = Organisation(name=name, normalised_name=name, licence_status=licence_status)
    session.add(org)
    session.flush()
    return org


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
    n = next(_serial)
    text = f"{title}\n{body}"
    item = Listing(
        source_id=src.id or 0,
        key=f"k{n}",
        url=f"http://127.0.0.1/{n}",
        kind=src.kind,
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
    session.add(item)
    session.flush()
    raw = text.encode()
    session.add(
        ListingVersion(
            listing_id=item.id or 0,
            version_no=1,
            content_hash=item.content_hash,
            raw_gz=raw,
            raw_sha256=hashlib.sha256(raw).hexdigest(),
            crawler_version="test",
        )
    )
    session.flush()
    return item


def champion(session: Session, version: str = "m1") -> ModelVersion:
    model = ModelVersion(
        version=version, file_path="none", sha256="0" * 64, status="champion", data_fingerprint="0" * 64
    )
    session.add(model)
    session.flush()
    return model


def score(
    session: Session,
    model: ModelVersion,
    item: Listing,
    risk_type: str,
    probability: float,
    explanation: list[dict[str, Any]] | None = None,
) -> RiskScore:
    row = RiskScore(
        listing_id=item.id or 0,
        model_version_id=model.id or 0,
        risk_type=risk_type,
        probability=probability,
        content_hash=item.content_hash,
        explanation=explanation
        if explanation is not None
        else [{"feature": "under_16", "kind": "indicator", "value": 1.0, "weight": 2.0}],
    )
    session.add(row)
    session.flush()
    return row


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
    row = InspectionTask(
        title=f"任务{next(_serial)}",
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
    session.add(row)
    session.flush()
    index_task_text(session, row)  # as the services do, so search finds its title and tip
    return row
