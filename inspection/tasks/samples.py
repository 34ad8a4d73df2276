"""Who generates which task: the candidates and plans of a generation run, and the audit and
active-learning slices (a seeded random sample below threshold, the listings nearest it), each a share of
a team's capacity (see docs/inspection.md, "Generation")."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from inspection.tasks.routing import agency_for, audit_draw, capacity_slice, team_of
from store.enums import TaskOrigin, TaskStatus
from store.models import InspectionTask
from store.settings import Settings

__all__ = ["Candidate", "Plan", "active_learning_plans", "audit_plans"]


@dataclass
class Candidate:
    """A scored listing that may become (or join) a task."""

    listing_id: int
    risk_type: str
    probability: float
    organisation_id: int | None
    region_code: str
    priority: float
    name: str
    recency: float = 1.0
    rules: list[dict[str, Any]] = field(default_factory=list)  # must-inspect rules that fired


@dataclass
class Plan:
    """A task to create: its best listing first, then the rest of its group."""

    members: list[Candidate]
    origin: str
    draw: dict[str, Any] | None = None  # an audit task's seed and draw, kept in its task.create event

    @property
    def lead(self) -> Candidate:
        return self.members[0]


def _open_by_team(session: Session, origin: TaskOrigin) -> Counter[tuple[str, str]]:
    """Open (not closed) tasks of ORIGIN per team, backlog included: the slice they already fill."""
    statement = (
        select(col(InspectionTask.region_code), col(InspectionTask.agency), func.count())
        .where(col(InspectionTask.origin) == origin, col(InspectionTask.status) != TaskStatus.closed)
        .group_by(col(InspectionTask.region_code), col(InspectionTask.agency))
    )
    counts: Counter[tuple[str, str]] = Counter()
    for region, agency, n in session.execute(statement):
        counts[team_of(region, agency)] += n
    return counts


def _team(c: Candidate) -> tuple[str, str]:
    return team_of(c.region_code, agency_for(c.risk_type))


def audit_plans(
    session: Session, below: list[Candidate], *, seed: int, model_id: int, settings: Settings
) -> list[Plan]:
    """Per team, a seeded random sample of its below-threshold candidates, as origin=audit tasks.

    A team holds at most ceil(TASK_AUDIT_CAPACITY_SHARE x its capacity) open audit tasks; a run tops it
    up to that. The sample takes the candidates with the smallest audit_draw: the same seed, model and
    candidates draw the same listings whatever the order of rows.
    """
    share = settings.task_audit_capacity_share
    pools: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    for c in below:
        pools[_team(c)].append(c)
    open_now = _open_by_team(session, TaskOrigin.audit)
    plans = []
    for team, pool in sorted(pools.items()):
        room = capacity_slice(team, share, settings) - open_now[team]
        if room <= 0:
            continue
        drawn = sorted(
            (
                (audit_draw(seed, model_id, c.listing_id, c.risk_type), c.listing_id, c.risk_type, c)
                for c in pool
            ),
            key=lambda d: d[:3],
        )[:room]
        plans += [Plan([c], TaskOrigin.audit, {"seed": seed, "value": round(v, 12)}) for v, _, _, c in drawn]
    return plans


def active_learning_plans(
    session: Session, plans: list[Plan], fresh: list[Candidate], settings: Settings
) -> list[Plan]:
    """The listings the model is least sure of, up to a share of each team's capacity.

    A team holds at most ceil(TASK_ACTIVE_CAPACITY_SHARE x its capacity) open active-learning tasks.
    The picks are the nearest the threshold across the province (the model is one), each team taking
    them until its slice is full. Their labels teach the next model the most; risk_model.ops.active keeps
    near-duplicates out of one batch.
    """
    from risk_model.ops.active import uncertain_listings

    share = settings.task_active_capacity_share
    taken = {c.listing_id for plan in plans for c in plan.members}
    by_key = {(c.listing_id, c.risk_type): c for c in fresh if c.listing_id not in taken}
    open_now = _open_by_team(session, TaskOrigin.active_learning)
    rooms: dict[tuple[str, str], int] = {}
    for c in by_key.values():
        team = _team(c)
        if team not in rooms:
            rooms[team] = capacity_slice(team, share, settings) - open_now[team]
    out: list[Plan] = []
    for risk_type in sorted({c.risk_type for c in fresh}):
        agency = agency_for(risk_type)
        wanted = sum(max(0, room) for (_, team_agency), room in rooms.items() if team_agency == agency)
        if wanted <= 0:
            continue
        # twice the room: picks of a team whose slice is already full are passed over
        picks = uncertain_listings(
            session, risk_type=risk_type, n=2 * wanted, settings=settings, exclude_listing_ids=taken
        )
        for pick in picks:
            candidate = by_key.get((pick.listing_id, risk_type))
            if candidate is None or rooms.get(team := _team(candidate), 0) <= 0:
                continue
            rooms[team] -= 1
            out.append(Plan([candidate], TaskOrigin.active_learning))
            taken.add(pick.listing_id)
    return out
