"""Deterministic case data (listings, organisations, a champion model's scores, tasks) for tests and benches.

``build_cases`` writes with SQLAlchemy Core in batches so 100,000 listings and 10,000 tasks build in about a
minute. The champion ModelVersion it creates is a placeholder: its file_path names no real file and its
sha256 is the hash of a fixed string, so it must never be loaded (risk_model refuses a file whose hash
differs). Scores are drawn from the ads' ground-truth labels with seeded noise, and explanations name the
ads' true indicators. Tasks are inserted directly (store cannot import the inspection services), without
audit events; tests of the services use ``inspection.tasks.generate.tasks_generate`` on the scores instead.
"""

from __future__ import annotations

import gzip
import hashlib
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlmodel import Session, col

from store.demo.ads import Ad, generate_ads
from store.models import (
    Finding,
    InspectionTask,
    Listing,
    ListingVersion,
    ModelVersion,
    Organisation,
    RiskScore,
    Source,
    TaskEvidence,
    TaskSearchTerm,
    User,
)
from store.text import bigrams
from store.upsert import upsert

BATCH = 5000
MODEL_VERSION = "demo-cases-{seed}"
PLACEHOLDER_SHA256 = hashlib.sha256(b"labourwatch demo placeholder model: never loaded").hexdigest()
RISKS_BY_KIND = {
    "job": ("illegal_agency", "child_labour", "forced_labour"),
    "marriage": ("illegal_marriage_broker",),
}
AGENCY_FOR_RISK = {
    "illegal_agency": "labour_inspection",
    "child_labour": "labour_inspection",
    "forced_labour": "labour_inspection",
    "illegal_marriage_broker": "market_regulation",
}
SEVERITY = {"child_labour": 1.0, "forced_labour": 1.0, "illegal_marriage_broker": 0.85, "illegal_agency": 0.7}
# Share of bench tasks in each status (the rest are new).
STATUS_MIX = (
    ("closed", 0.2),
    ("assigned", 0.2),
    ("in_progress", 0.15),
    ("finding_recorded", 0.08),
    ("escalated", 0.03),
    ("backlog", 0.04),
)


@dataclass
class CasesSummary:
    """What build_cases made."""

    sources: dict[str, int] = field(default_factory=dict)
    organisations: int = 0
    listings: int = 0
    scores: int = 0
    tasks: int = 0
    model_version_id: int | None = None


def _batched(rows: Sequence[dict[str, Any]]) -> Iterable[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def _insert(session: Session, model: Any, rows: Sequence[dict[str, Any]]) -> None:
    for chunk in _batched(rows):
        session.execute(insert(model), list(chunk))


def _sources(session: Session) -> dict[str, int]:
    rows = [
        {"name": "demo-jobs", "kind": "job", "title": "演示招聘网站", "region_code": "320000", "config": {}},
        {
            "name": "demo-marriage",
            "kind": "marriage",
            "title": "演示婚恋网站",
            "region_code": "320000",
            "config": {},
        },
    ]
    upsert(session, Source, rows, keys=["name"], update=["title"])
    found = session.execute(
        select(col(Source.kind), col(Source.id)).where(col(Source.name).in_(["demo-jobs", "demo-marriage"]))
    )
    return dict(found.all())


def _licence_status(ad: Ad) -> str:
    if "no_licence_shown" in ad.indicators or "unregistered_marriage_agency" in ad.indicators:
        return "missing"
    return "valid" if ad.licence_no else "unknown"


def _organisations(session: Session, ads: list[Ad], now: datetime) -> dict[str, int]:
    """One organisation per ground-truth org key (individuals without a company name get none)."""
    existing = _org_map(session)
    seen_credit: set[str] = set()
    rows: list[dict[str, Any]] = []
    for ad in ads:
        if ad.org_key in existing or not ad.employer or "no_company_named" in ad.indicators:
            continue
        credit = ad.credit_code if ad.credit_code and ad.credit_code not in seen_credit else None
        seen_credit.add(credit or "")
        existing[ad.org_key] = -1
        rows.append(
            {
                "name": ad.employer[:200],
                "normalised_name": ad.employer[:200],
                "kind": "broker"
                if ad.kind == "marriage"
                else "agency"
                if "claims_agency" in ad.indicators
                else "employer",
                "credit_code": credit,
                "licence_no": ad.licence_no,
                "region_code": ad.county_code or ad.city_code,
                "licence_status": _licence_status(ad),
                "identifiers": {"demo_key": ad.org_key},
                "flags": [],
                "created_at": now,
                "updated_at": now,
            }
        )
    _insert(session, Organisation, rows)
    return _org_map(session)


def _org_map(session: Session) -> dict[str, int]:
    rows = session.execute(select(col(Organisation.id), col(Organisation.identifiers)))
    return {ids["demo_key"]: oid for oid, ids in rows if isinstance(ids, dict) and "demo_key" in ids}


def _listing_row(ad: Ad, source_id: int, org_id: int | None, seen: datetime) -> dict[str, Any]:
    text = f"{ad.title}\n{ad.body}"
    return {
        "source_id": source_id,
        "key": ad.ad_id,
        "url": f"http://127.0.0.1:8800/{ad.kind}/{ad.ad_id}.html",
        "kind": ad.kind,
        "title": ad.title[:500],
        "body": ad.body,
        "employer_name": ad.employer[:200] or None,
        "contacts": {"phones": list(ad.phones), "wechat": list(ad.wechat_ids), "text": ad.contact_text},
        "salary_min": ad.salary_min,
        "salary_max": ad.salary_max,
        "salary_text": ad.salary_text[:200] or None,
        "age_min": ad.age_min,
        "age_max": ad.age_max,
        "location_text": ad.location_text[:300] or None,
        "province_code": ad.province_code,
        "city_code": ad.city_code,
        "county_code": ad.county_code,
        "licence_no": ad.licence_no,
        "credit_code": ad.credit_code,
        "posted_date": ad.posted,
        "extra": {"synthetic": True},
        "content_hash": hashlib.sha256(text.encode()).hexdigest(),
        "search_bigrams": bigrams(text),
        "first_seen": seen,
        "last_seen": seen,
        "organisation_id": org_id,
    }


def _listings(
    session: Session, ads: list[Ad], sources: dict[str, int], orgs: dict[str, int], now: datetime
) -> dict[str, int]:
    rng = random.Random(len(ads))
    rows = [
        _listing_row(ad, sources[ad.kind], orgs.get(ad.org_key), now - timedelta(days=rng.randint(0, 90)))
        for ad in ads
    ]
    for chunk in _batched(rows):
        upsert(session, Listing, chunk, keys=["source_id", "key"], update=[])
    found = session.execute(
        select(col(Listing.key), col(Listing.id)).where(col(Listing.source_id).in_(list(sources.values())))
    )
    ids = dict(found.all())
    _versions(session, ads, ids, now)
    return ids


def _versions(session: Session, ads: list[Ad], ids: dict[str, int], now: datetime) -> None:
    have = set(session.execute(select(col(ListingVersion.listing_id))).scalars())
    rows = []
    for ad in ads:
        if ids[ad.ad_id] in have:
            continue
        raw = f"<html><head><meta charset='utf-8'><title>{ad.title}</title></head><body><pre>{ad.body}</pre></body></html>"
        data = raw.encode()
        rows.append(
            {
                "listing_id": ids[ad.ad_id],
                "version_no": 1,
                "content_hash": hashlib.sha256(f"{ad.title}\n{ad.body}".encode()).hexdigest(),
                "fields": {"title": ad.title},
                "raw_gz": gzip.compress(data, compresslevel=1),
                "raw_sha256": hashlib.sha256(data).hexdigest(),
                "raw_content_type": "text/html",
                "captured_at": now,
                "crawler_version": "demo",
            }
        )
    _insert(session, ListingVersion, rows)


def _champion(session: Session, seed: int, now: datetime) -> int:
    version = MODEL_VERSION.format(seed=seed)
    mid = session.execute(select(col(ModelVersion.id)).where(col(ModelVersion.version) == version)).scalar()
    if mid is not None:
        return int(mid)
    session.execute(
        update(ModelVersion).where(col(ModelVersion.status) == "champion").values(status="retired")
    )
    model = ModelVersion(
        version=version,
        file_path=f"demo/{version}.skops (placeholder: no file)",
        sha256=PLACEHOLDER_SHA256,
        status="champion",
        data_fingerprint=hashlib.sha256(f"demo-ads:{seed}".encode()).hexdigest(),
        code_version="demo",
        notes="Placeholder champion made by store.demo.cases.build_cases; scores are synthetic.",
        created_at=now,
        promoted_at=now,
    )
    session.add(model)
    session.flush()
    return model.id or 0


def _probability(rng: random.Random, positive: bool) -> float:
    if positive:
        return round(0.55 + 0.44 * rng.random() ** 0.7, 4)
    if rng.random() < 0.03:  # a few confident false positives, as real models make
        return round(0.5 + 0.3 * rng.random(), 4)
    return round(0.45 * rng.random() ** 2, 4)


def _explanation(ad: Ad, probability: float) -> list[dict[str, Any]]:
    parts = [
        {"feature": name, "kind": "indicator", "value": 1.0, "weight": round(1.2 + probability, 3)}
        for name in sorted(ad.indicators)[:5]
    ]
    words = ad.title[:4] or "文本"
    parts.append({"feature": words, "kind": "phrase", "value": 1.0, "weight": round(probability - 0.5, 3)})
    return parts


def _scores(
    session: Session, ads: list[Ad], ids: dict[str, int], model_id: int, seed: int, now: datetime
) -> int:
    rng = random.Random(seed * 104729 + 3)
    rows = []
    for ad in ads:
        for risk in RISKS_BY_KIND[ad.kind]:
            p = _probability(rng, bool(ad.labels.get(risk)))
            rows.append(
                {
                    "listing_id": ids[ad.ad_id],
                    "model_version_id": model_id,
                    "risk_type": risk,
                    "probability": p,
                    "content_hash": "0" * 64,
                    "explanation": _explanation(ad, p),
                    "scored_at": now,
                }
            )
    for chunk in _batched(rows):
        upsert(session, RiskScore, chunk, keys=["listing_id", "model_version_id", "risk_type"], update=[])
    return len(rows)


@dataclass(frozen=True)
class _Scored:
    listing_id: int
    risk_type: str
    probability: float
    organisation_id: int | None
    region_code: str
    title: str
    labels: dict[str, bool]


def _scored(
    ads: list[Ad], ids: dict[str, int], orgs: dict[str, int], session: Session, model_id: int
) -> list[_Scored]:
    by_listing = {ids[ad.ad_id]: ad for ad in ads}
    rows = session.execute(
        select(col(RiskScore.listing_id), col(RiskScore.risk_type), col(RiskScore.probability)).where(
            col(RiskScore.model_version_id) == model_id
        )
    )
    out = []
    for listing_id, risk, p in rows:
        ad = by_listing.get(listing_id)
        if ad is not None:
            region = ad.county_code or ad.city_code or "320000"
            out.append(
                _Scored(listing_id, risk, p, orgs.get(ad.org_key), region, ad.employer or ad.title, ad.labels)
            )
    out.sort(key=lambda s: (-s.probability * SEVERITY[s.risk_type], s.listing_id, s.risk_type))
    return out


def _workers(session: Session) -> list[tuple[int, str, str]]:
    rows = session.execute(
        select(col(User.id), col(User.role), col(User.region_code)).where(
            col(User.role).in_(["inspector", "market_officer"])
        )
    )
    return [(uid, role, region) for uid, role, region in rows]


def _assignee(workers: list[tuple[int, str, str]], agency: str, region: str) -> int | None:
    from store.regions import is_within

    role = "inspector" if agency == "labour_inspection" else "market_officer"
    return next((uid for uid, r, home in workers if r == role and is_within(region, home)), None)


def _pick_status(rng: random.Random) -> str:
    draw, total = rng.random(), 0.0
    for status, share in STATUS_MIX:
        total += share
        if draw < total:
            return status
    return "new"


def _task_row(
    s: _Scored,
    status: str,
    assignee: int | None,
    org_id: int | None,
    model_id: int,
    created: datetime,
    rng: random.Random,
) -> dict[str, Any]:
    priority = round(s.probability * SEVERITY[s.risk_type] * (0.5 + 0.5 * rng.random()), 4)
    band_days = 7 if priority >= 0.6 else 15 if priority >= 0.3 else 30
    label = {
        "illegal_agency": "非法职业中介",
        "child_labour": "使用童工",
        "forced_labour": "强迫劳动",
        "illegal_marriage_broker": "非法婚介",
    }[s.risk_type]
    return {
        "title": f"{label}：{s.title}"[:300],
        "risk_type": s.risk_type,
        "agency": AGENCY_FOR_RISK[s.risk_type],
        "region_code": s.region_code,
        "status": status,
        "origin": "audit" if rng.random() < 0.05 else "model",
        "priority": priority,
        "organisation_id": org_id,
        "listing_id": s.listing_id,
        "model_version_id": model_id,
        "score": s.probability,
        "assignee_id": assignee,
        "due_at": created + timedelta(days=band_days),
        "version": 1,
        "created_at": created,
        "updated_at": created + timedelta(days=rng.randint(0, 10)),
    }


def _plan_tasks(
    scored: list[_Scored],
    n_tasks: int,
    workers: list[tuple[int, str, str]],
    model_id: int,
    seed: int,
    now: datetime,
) -> tuple[list[dict[str, Any]], list[_Scored]]:
    rng = random.Random(seed * 7 + 11)
    claimed: set[tuple[int, str]] = set()
    rows, chosen = [], []
    for s in scored[:n_tasks]:
        status = _pick_status(rng)
        assignee = _assignee(workers, AGENCY_FOR_RISK[s.risk_type], s.region_code)
        if status in {"assigned", "in_progress", "finding_recorded"} and assignee is None:
            status = "new"
        key = (s.organisation_id or -1, s.risk_type)
        # One open task per organisation and risk type (a unique index): later ones stand for their listing.
        org_id = s.organisation_id if s.organisation_id is not None and key not in claimed else None
        claimed.add(key)
        created = now - timedelta(days=rng.randint(0, 120), minutes=rng.randint(0, 1440))
        keep = assignee if status not in {"new", "backlog"} else None
        rows.append(_task_row(s, status, keep, org_id, model_id, created, rng))
        chosen.append(s)
    return rows, chosen


def _findings(
    task_ids: list[int], rows: list[dict[str, Any]], chosen: list[_Scored], now: datetime
) -> list[dict[str, Any]]:
    violation = {
        "illegal_agency": "unlicensed_agency",
        "child_labour": "child_labour",
        "forced_labour": "forced_labour_indicators",
        "illegal_marriage_broker": "illegal_marriage_brokerage",
    }
    out = []
    for tid, row, s in zip(task_ids, rows, chosen, strict=True):
        if row["status"] not in {"finding_recorded", "closed"} or row["assignee_id"] is None:
            continue
        confirmed = bool(s.labels.get(s.risk_type))
        out.append(
            {
                "task_id": tid,
                "inspector_id": row["assignee_id"],
                "violations": [violation[s.risk_type]] if confirmed else ["no_violation"],
                "outcome": "order_to_correct" if confirmed else "no_action",
                "notes": "演示数据：检查记录",
                "victims": [],
                "labels": {s.risk_type: int(confirmed)},
                "follow_up_date": None,
                "created_at": row["updated_at"],
            }
        )
    return out


def _tasks(
    session: Session, scored: list[_Scored], n_tasks: int, model_id: int, seed: int, now: datetime
) -> int:
    if (
        n_tasks <= 0
        or session.execute(
            select(func.count())
            .select_from(InspectionTask)
            .where(col(InspectionTask.model_version_id) == model_id)
        ).scalar()
    ):
        return 0
    rows, chosen = _plan_tasks(scored, n_tasks, _workers(session), model_id, seed, now)
    _insert(session, InspectionTask, rows)
    ids = list(
        session.execute(
            select(col(InspectionTask.id))
            .where(col(InspectionTask.model_version_id) == model_id)
            .order_by(col(InspectionTask.id))
        ).scalars()
    )
    evidence = [
        {"task_id": tid, "listing_id": s.listing_id, "score": s.probability, "added_at": r["created_at"]}
        for tid, r, s in zip(ids, rows, chosen, strict=True)
    ]
    _insert(session, TaskEvidence, evidence)
    _insert(session, Finding, _findings(ids, rows, chosen, now))
    _search_terms(session, ids, rows, chosen)
    return len(rows)


def _search_terms(
    session: Session, ids: list[int], rows: list[dict[str, Any]], chosen: list[_Scored]
) -> None:
    """The queue's search index (task_search_term), as inspection.tasks.changes maintains it for real tasks."""
    wanted = sorted({s.listing_id for s in chosen})
    text_of: dict[int, str] = {}
    for start in range(0, len(wanted), 1000):
        statement = select(col(Listing.id), col(Listing.search_bigrams)).where(
            col(Listing.id).in_(wanted[start : start + 1000])
        )
        text_of.update(dict(session.execute(statement).all()))
    terms: list[dict[str, Any]] = []
    for tid, row, s in zip(ids, rows, chosen, strict=True):
        words = set(text_of.get(s.listing_id, "").split()) | set(bigrams(row["title"]).split())
        terms.extend({"term": w, "task_id": tid} for w in sorted(words) if len(w) <= 40)
    _insert(session, TaskSearchTerm, terms)


def build_cases(
    session: Session,
    *,
    seed: int = 2014,
    n_listings: int = 2000,
    n_tasks: int = 200,
    marriage_share: float = 0.2,
    users: bool = True,
    now: datetime | None = None,
) -> CasesSummary:
    """Sources, organisations, listings (with versions), a champion model, its scores and tasks; idempotent.

    The same seed and sizes give the same rows. ``users`` creates the demo accounts first (argon2 hashing
    costs about a second); tasks in assigned or later states go to the demo worker covering their region.
    """
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    if users:
        from store.demo.builder import DemoSummary, build_demo_users

        build_demo_users(session, DemoSummary())
    n_marriage = round(n_listings * marriage_share)
    ads = generate_ads(seed, n_listings - n_marriage, n_marriage)
    summary = CasesSummary(sources=_sources(session))
    orgs = _organisations(session, ads, now)
    ids = _listings(session, ads, summary.sources, orgs, now)
    model_id = _champion(session, seed, now)
    summary.scores = _scores(session, ads, ids, model_id, seed, now)
    summary.tasks = _tasks(session, _scored(ads, ids, orgs, session, model_id), n_tasks, model_id, seed, now)
    summary.organisations, summary.listings, summary.model_version_id = len(orgs), len(ids), model_id
    session.flush()
    return summary
