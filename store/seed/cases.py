"""Deterministic case data (listings, organisations, a champion model's scores, tasks) for tests and benches.

``build_cases`` writes with SQLAlchemy Core in batches, CHUNK ads at a time (the ads are generated as they
are written and only the best task candidates are kept), so 100,000 listings and 10,000 tasks build in
about a minute and a million listings in a few hundred megabytes. The champion ModelVersion it creates is a placeholder: its file_path names no real file and its
sha256 is the hash of a fixed string, so it must never be loaded (risk_model refuses a file whose hash
differs). Scores are drawn from the ads' ground-truth labels with seeded noise, and explanations name the
ads' true indicators. Tasks are inserted directly (store cannot import the inspection services), without
audit events; tests of the services use ``inspection.tasks.generate.tasks_generate`` on the scores instead.
"""

from __future__ import annotations

import heapq
import itertools
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import text
from sqlmodel import Session

from store.seed.listings import known_organisations, seed_listings, seed_organisations, seed_sources
from store.seed.scores import score_rng, seed_champion, seed_scores
from store.seed.tasks import scored_listings, seed_tasks, task_order
from store.tallies import compact
from synthetic_ads.ads import iter_ads

CHUNK = 20_000  # ads generated and written at a time


@dataclass
class CasesSummary:
    """What build_cases made."""

    sources: dict[str, int] = field(default_factory=dict)
    organisations: int = 0
    listings: int = 0
    scores: int = 0
    tasks: int = 0
    model_version_id: int | None = None


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
        from store.seed.users import DemoSummary, build_demo_users

        build_demo_users(session, DemoSummary(), seed=seed)
    n_marriage = round(n_listings * marriage_share)
    summary = CasesSummary(sources=seed_sources(session))
    model_id = seed_champion(session, seed, now)
    orgs = known_organisations(session)
    seen_rng, noise = random.Random(n_listings), score_rng(seed)
    top: list = []
    ads = iter_ads(seed, n_listings - n_marriage, n_marriage)
    while chunk := list(itertools.islice(ads, CHUNK)):
        org_ids = seed_organisations(session, chunk, now, orgs)
        ids = seed_listings(session, chunk, summary.sources, org_ids, now, seen_rng)
        scores = seed_scores(session, chunk, ids, model_id, noise, now)
        summary.scores += len(scores)
        summary.listings += len(chunk)
        # Only the n_tasks best candidates can become tasks: keep those, not a million.
        top = heapq.nsmallest(n_tasks, [*top, *scored_listings(chunk, ids, org_ids, scores)], key=task_order)
    if session.get_bind().dialect.name == "postgresql":
        # Statistics of the tables just filled, so the task queries below use their indexes.
        session.execute(text("ANALYZE organisation, listing, listing_version, risk_score"))
    summary.tasks = seed_tasks(session, top, n_tasks, model_id, seed, now)
    summary.organisations, summary.model_version_id = len(orgs.ids), model_id
    session.flush()
    compact(session.connection())  # one tally row per key, as after a nightly compaction
    return summary
