"""Weekly drift report per source: score-distribution shift and indicator-rate drift (PSI).

Windows: the latest week [now - 7 d, now) against the reference window of MODEL_DRIFT_REFERENCE_DAYS
before it, by the listings' first_seen. For each source and each risk type its listings get:
- the population stability index (PSI) of the champion's probabilities (10 equal bins on [0, 1]);
- the PSI of each indicator's rate (two bins: present / absent), the largest one reported.
Above MODEL_DRIFT_THRESHOLD an alert is raised. Where it goes: every report is written as JSON to
DATA_DIR/reports/drift-<date>.json, and every alert is ALSO an AuditEvent with action "drift.alert"
(the audit chain is where supervisors already look, and it cannot be edited quietly).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlmodel import Session, col

from risk_model.data.records import RISK_TYPES_BY_KIND, listing_record
from risk_model.features import ad_text, fold_record
from risk_model.features.indicators import indicator_values, indicators
from store.audit import audit_append
from store.models import Listing, RiskScore, Source
from store.settings import Settings, load_settings

EPSILON = 1e-4  # stands in for empty bins so the logarithm stays finite
MIN_LISTINGS = 20  # fewer in either window: reported, never alerted on
SAMPLE_LIMIT = 5000  # listings per window read for indicator rates (bounds memory and time)


def psi(reference: np.ndarray, current: np.ndarray, bins: int = 10) -> float:
    """Population stability index of two samples of probabilities over equal bins on [0, 1]."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    ref = np.histogram(np.clip(reference, 0, 1), bins=edges)[0] / max(len(reference), 1)
    cur = np.histogram(np.clip(current, 0, 1), bins=edges)[0] / max(len(current), 1)
    ref, cur = np.maximum(ref, EPSILON), np.maximum(cur, EPSILON)
    return float(np.sum((cur - ref) * np.log(cur / ref)))


def rate_psi(reference_rate: float, current_rate: float) -> float:
    """PSI of a yes/no feature from its two rates."""
    ref = np.maximum([reference_rate, 1 - reference_rate], EPSILON)
    cur = np.maximum([current_rate, 1 - current_rate], EPSILON)
    return float(np.sum((cur - ref) * np.log(cur / ref)))


@dataclass
class SourceDrift:
    """Drift of one source for one risk type."""

    source: str
    risk_type: str
    n_reference: int
    n_latest: int
    score_psi: float | None
    top_indicator: str | None
    indicator_psi: float | None
    alert: bool


@dataclass
class DriftReport:
    """The weekly report: windows, one row per (source, risk type), and where it was written."""

    now: str
    latest_from: str
    reference_from: str
    threshold: float
    model_version: str | None
    rows: list[SourceDrift] = field(default_factory=list)
    path: str | None = None

    @property
    def alerts(self) -> list[SourceDrift]:
        return [row for row in self.rows if row.alert]


def _window(session: Session, source_id: int, start: datetime, end: datetime) -> list[Any]:
    statement = (
        select(Listing)
        .where(
            col(Listing.source_id) == source_id,
            col(Listing.first_seen) >= start,
            col(Listing.first_seen) < end,
        )
        .order_by(col(Listing.id))
        .limit(SAMPLE_LIMIT)
    )
    return list(session.execute(statement).scalars())


def _probabilities(session: Session, listings: list[Listing], version_id: int, risk_type: str) -> np.ndarray:
    ids = [listing.id for listing in listings]
    values: list[float] = []
    for start in range(0, len(ids), 500):
        statement = select(col(RiskScore.probability)).where(
            col(RiskScore.model_version_id) == version_id,
            col(RiskScore.risk_type) == risk_type,
            col(RiskScore.listing_id).in_(ids[start : start + 500]),
        )
        values += [float(p) for p in session.execute(statement).scalars()]
    return np.asarray(values, dtype=float)


def indicator_rates(listings: list[Listing]) -> np.ndarray:
    """Share of listings showing each indicator (order of risk_model.features.indicators.indicators())."""
    if not listings:
        return np.zeros(len(indicators()))
    rows = []
    for listing in listings:
        folded = fold_record(listing_record(listing))
        rows.append(indicator_values(ad_text(folded), folded["company_name"]))
    return (np.asarray(rows, dtype=float) > 0).mean(axis=0)


def _source_rows(
    session: Session,
    source: Source,
    windows: tuple[datetime, datetime, datetime],
    version_id: int | None,
    threshold: float,
) -> list[SourceDrift]:
    reference_from, latest_from, now = windows
    assert source.id is not None
    reference, latest = (
        _window(session, source.id, reference_from, latest_from),
        _window(session, source.id, latest_from, now),
    )
    rates = indicator_rates(reference), indicator_rates(latest)
    names = [i.name for i in indicators()]
    by_indicator = [rate_psi(a, b) for a, b in zip(*rates, strict=True)]
    top = int(np.argmax(by_indicator)) if by_indicator else 0
    enough = min(len(reference), len(latest)) >= MIN_LISTINGS
    rows = []
    for risk_type in RISK_TYPES_BY_KIND.get(source.kind, ()):
        score_psi = None
        if version_id is not None and enough:
            ref_p, cur_p = (
                _probabilities(session, reference, version_id, risk_type),
                _probabilities(session, latest, version_id, risk_type),
            )
            score_psi = psi(ref_p, cur_p) if len(ref_p) and len(cur_p) else None
        ind_psi = by_indicator[top] if enough and by_indicator else None
        alert = enough and max(score_psi or 0.0, ind_psi or 0.0) > threshold
        rows.append(
            SourceDrift(
                source.name,
                risk_type,
                len(reference),
                len(latest),
                score_psi,
                names[top] if ind_psi is not None else None,
                ind_psi,
                alert,
            )
        )
    return rows


def drift_report(
    session: Session, *, now: datetime, settings: Settings | None = None, write: bool = True
) -> DriftReport:
    """Compute the weekly drift report; write it under DATA_DIR/reports and audit every alert."""
    settings = settings or load_settings()
    from risk_model.ops.registry import champion

    latest_from = now - timedelta(days=7)
    reference_from = latest_from - timedelta(days=settings.model_drift_reference_days)
    version = champion(session)
    report = DriftReport(
        now.isoformat(),
        latest_from.isoformat(),
        reference_from.isoformat(),
        settings.model_drift_threshold,
        version.version if version else None,
    )
    sources = session.execute(
        select(Source).where(col(Source.kind).in_(list(RISK_TYPES_BY_KIND))).order_by(col(Source.name))
    ).scalars()
    for source in sources:
        report.rows += _source_rows(
            session,
            source,
            (reference_from, latest_from, now),
            version.id if version else None,
            settings.model_drift_threshold,
        )
    for row in report.alerts:
        audit_append(
            session,
            action="drift.alert",
            actor="system",
            object_type="source",
            object_id=row.source,
            details=asdict(row) | {"week_from": report.latest_from},
        )
    if write:
        report.path = str(write_report(report, settings.data_dir / "reports"))
    return report


def write_report(report: DriftReport, folder: Path) -> Path:
    """The report as JSON (drift-<date>.json)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"drift-{report.now[:10]}.json"
    payload = asdict(report) | {"alerts": len(report.alerts)}
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
