"""Where a task goes and how urgent it is: agency by risk type, region, priority, due date, team capacity."""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta

from store.enums import Agency, RiskType
from store.regions import city_of
from store.settings import Settings

# Which authority works each risk type (illegal agencies need a 人力资源服务许可证 from the labour bureau).
AGENCY_FOR_RISK: dict[RiskType, Agency] = {
    RiskType.illegal_agency: Agency.labour_inspection,
    RiskType.child_labour: Agency.labour_inspection,
    RiskType.forced_labour: Agency.labour_inspection,
    RiskType.illegal_marriage_broker: Agency.market_regulation,
}
# Child and forced labour first; marriage brokering borders on trafficking; an unlicensed agency is serious but civil.
SEVERITY: dict[RiskType, float] = {
    RiskType.child_labour: 1.0,
    RiskType.forced_labour: 1.0,
    RiskType.illegal_marriage_broker: 0.85,
    RiskType.illegal_agency: 0.7,
}
RISK_LABEL_ZH: dict[RiskType, str] = {
    RiskType.illegal_agency: "非法职业中介",
    RiskType.child_labour: "使用童工",
    RiskType.forced_labour: "强迫劳动",
    RiskType.illegal_marriage_broker: "非法婚介",
}
PRIORITY_BANDS: tuple[tuple[int, float], ...] = ((1, 0.6), (2, 0.3), (3, 0.0))
# Without a model score: a mandated report (强制报告) counts as certain, a tip as likely.
ORIGIN_CONFIDENCE: dict[str, float] = {"mandated_report": 1.0, "tip": 0.8, "reinspection": 0.9, "manual": 0.6}
PROVINCE = "320000"


def agency_for(risk_type: str) -> Agency:
    """The agency that works RISK_TYPE."""
    return AGENCY_FOR_RISK[RiskType(risk_type)]


def threshold_for(risk_type: str, settings: Settings) -> float:
    """The score at or above which RISK_TYPE opens a task (a setting per risk type)."""
    return float(getattr(settings, f"task_threshold_{RiskType(risk_type).value}"))


def recency_weight(last_seen: datetime | None, now: datetime, half_life_days: float) -> float:
    """1.0 for a listing seen now, 0.75 at one half-life, tending to 0.5 for old ones."""
    if last_seen is None:
        return 0.5
    age_days = max(0.0, (now - last_seen).total_seconds() / 86400)
    return 0.5 + 0.5 * 0.5 ** (age_days / half_life_days)


def task_priority(probability: float, risk_type: str, recency: float) -> float:
    """Calibrated risk × severity × recency, in [0, 1], rounded so ordering is stable across databases."""
    return round(probability * SEVERITY[RiskType(risk_type)] * recency, 4)


def rule_priority(risk_type: str, recency: float) -> float:
    """A must-inspect rule counts as certain, and its task is never below band 1."""
    return max(task_priority(1.0, risk_type, recency), PRIORITY_BANDS[0][1])


def priority_band(priority: float) -> int:
    """1 (urgent), 2 or 3."""
    return next(band for band, floor in PRIORITY_BANDS if priority >= floor)


def due_at_for(priority: float, *, settings: Settings, now: datetime) -> datetime:
    """When a task of PRIORITY is due: days per band from the settings."""
    days = getattr(settings, f"task_due_days_p{priority_band(priority)}")
    return now + timedelta(days=int(days))


def region_for(*codes: str | None) -> str:
    """The most specific region code given (county before city before province); the province otherwise."""
    return next((c for c in codes if c), PROVINCE)


def team_of(region_code: str, agency: str) -> tuple[str, str]:
    """The team (city, agency) that works tasks in REGION_CODE; province-level tasks form their own team."""
    return (city_of(region_code) or region_code, str(agency))


def team_capacity(team: tuple[str, str], settings: Settings) -> int:
    """Active tasks TEAM can hold: an override for "CITY:AGENCY" or "CITY", else the default."""
    overrides = settings.task_team_capacity_overrides
    city, agency = team
    return int(overrides.get(f"{city}:{agency}", overrides.get(city, settings.task_team_capacity)))


def capacity_slice(team: tuple[str, str], share: float, settings: Settings) -> int:
    """Open tasks of one kind (audit, active learning) TEAM may hold: SHARE of its capacity, rounded up.

    Rounded to 9 places first so 0.07 x 100 is 7, not 8.
    """
    return math.ceil(round(share * team_capacity(team, settings), 9))


def audit_draw(seed: int, model_version_id: int, listing_id: int, risk_type: str) -> float:
    """A uniform number in [0, 1) fixed by its inputs: the same seed draws the same listings every run."""
    key = f"{seed}:{model_version_id}:{listing_id}:{risk_type}".encode()
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big") / 2**64
