"""Inspection tasks, evidence, findings and search terms of the case data, drawn from its scores."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from store.models import Finding, InspectionTask, Listing, TaskEvidence, TaskSearchTerm, User
from store.seed.bulk import insert_rows
from store.text import bigrams
from store.upsert import insert_plain
from synthetic_ads.ads import Ad

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


@dataclass(frozen=True)
class _Scored:
    listing_id: int
    risk_type: str
    probability: float
    organisation_id: int | None
    region_code: str
    title: str
    labels: dict[str, bool]


def scored_listings(
    ads: list[Ad], ids: dict[str, int], orgs: dict[str, int], scores: list[dict[str, Any]]
) -> list[_Scored]:
    """The SCORES rows of ADS as task candidates, in task order (most severe first)."""
    by_listing = {ids[ad.ad_id]: ad for ad in ads}
    out = []
    for row in scores:
        ad = by_listing[row["listing_id"]]
        region = ad.county_code or ad.city_code or "320000"
        out.append(
            _Scored(
                row["listing_id"],
                row["risk_type"],
                row["probability"],
                orgs.get(ad.org_key),
                region,
                ad.employer or ad.title,
                ad.labels,
            )
        )
    out.sort(key=task_order)
    return out


def task_order(s: _Scored) -> tuple[float, int, str]:
    return (-s.probability * SEVERITY[s.risk_type], s.listing_id, s.risk_type)


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


def seed_tasks(
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
    insert_rows(session, InspectionTask, rows)
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
    insert_rows(session, TaskEvidence, evidence)
    insert_rows(session, Finding, _findings(ids, rows, chosen, now))
    _search_terms(session, ids, rows, chosen)
    return len(rows)


def _search_terms(
    session: Session, ids: list[int], rows: list[dict[str, Any]], chosen: list[_Scored]
) -> None:
    """The queue's search index (task_search_term), as inspection.tasks.changes maintains it for real tasks.

    Written a thousand tasks at a time through the driver (a hundred thousand tasks index tens of millions
    of terms).
    """
    for start in range(0, len(ids), 1000):
        part = list(
            zip(
                ids[start : start + 1000],
                rows[start : start + 1000],
                chosen[start : start + 1000],
                strict=True,
            )
        )
        wanted = sorted({s.listing_id for _, _, s in part})
        statement = select(col(Listing.id), col(Listing.search_bigrams)).where(col(Listing.id).in_(wanted))
        text_of: dict[int, str] = dict(session.execute(statement).all())
        terms: set[tuple[str, int]] = set()
        for tid, row, s in part:
            words = set(text_of.get(s.listing_id, "").split()) | set(bigrams(row["title"]).split())
            terms.update((w, tid) for w in words if len(w) <= 40)
        insert_plain(session, TaskSearchTerm, ["term", "task_id"], sorted(terms))
