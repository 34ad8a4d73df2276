"""Active learning: the listings the champion is least sure of, for a share of each team's capacity.

"Least sure" = probability nearest the operating threshold. Listings that already sit in an open task are
left out, and so are near-duplicates: one batch never holds two listings with the same content hash or
in the same near-duplicate group (risk_model.data.grouping), so inspectors do not label one ad twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlmodel import Session, col

from risk_model.data.grouping import near_duplicate_groups
from store.enums import TaskStatus
from store.models import InspectionTask, Listing, RiskScore, TaskEvidence
from store.settings import Settings

POOL_FACTOR = 5  # candidates fetched per wanted listing before near-duplicates are dropped


@dataclass(frozen=True)
class UncertainListing:
    """A listing proposed for labelling, with how far its score is from the threshold."""

    listing_id: int
    probability: float
    distance: float


def _open_task_listing_ids(session: Session) -> set[int]:
    open_status = col(InspectionTask.status) != TaskStatus.closed
    direct = select(col(InspectionTask.listing_id)).where(
        open_status, col(InspectionTask.listing_id).is_not(None)
    )
    evidence = select(col(TaskEvidence.listing_id)).join(
        InspectionTask,
        col(InspectionTask.id) == col(TaskEvidence.task_id),
    )
    evidence = evidence.where(open_status)
    return set(session.execute(direct).scalars()) | set(session.execute(evidence).scalars())


def uncertain_listings(
    session: Session,
    *,
    risk_type: str,
    n: int,
    settings: Settings | None = None,
    exclude_listing_ids: Iterable[int] = (),
) -> list[UncertainListing]:
    """Up to N listings whose champion score is nearest the threshold, no two near-duplicates."""
    from risk_model.ops.registry import champion

    version = champion(session)
    if version is None or n <= 0:
        return []
    overrides = settings.model_thresholds if settings else {}
    threshold = float(overrides.get(risk_type, (version.thresholds or {}).get(risk_type, 0.5)))
    excluded = set(exclude_listing_ids) | _open_task_listing_ids(session)
    distance = func.abs(col(RiskScore.probability) - threshold)
    statement = (
        select(
            col(RiskScore.listing_id),
            col(RiskScore.probability),
            col(Listing.content_hash),
            col(Listing.employer_name),
            col(Listing.title),
            col(Listing.body),
        )
        .join(Listing, col(Listing.id) == col(RiskScore.listing_id))
        .where(
            col(RiskScore.model_version_id) == version.id,
            col(RiskScore.risk_type) == risk_type,
            col(RiskScore.content_hash) == col(Listing.content_hash),
            col(Listing.active),
        )
        .order_by(distance, col(RiskScore.listing_id))
        .limit((n + len(excluded)) * POOL_FACTOR)
    )
    pool = [row for row in session.execute(statement).all() if row.listing_id not in excluded]
    return _distinct(pool, n, threshold)


def _distinct(pool: list[Any], n: int, threshold: float) -> list[UncertainListing]:
    """The first N of the pool with no repeated content hash or near-duplicate group."""
    texts = [f"{row.employer_name or ''}\n{row.title}\n{row.body}" for row in pool]
    groups = near_duplicate_groups(texts) if texts else np.zeros(0, dtype=int)
    seen_groups: set[int] = set()
    seen_hashes: set[str] = set()
    chosen = []
    for row, group in zip(pool, groups, strict=True):
        if int(group) in seen_groups or row.content_hash in seen_hashes:
            continue
        seen_groups.add(int(group))
        seen_hashes.add(row.content_hash)
        chosen.append(
            UncertainListing(row.listing_id, float(row.probability), abs(float(row.probability) - threshold))
        )
        if len(chosen) >= n:
            break
    return chosen
