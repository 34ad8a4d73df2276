"""Analyst pages: model versions, one version's metrics, charts, label bias and card, and the drift report.

Model pages hold no personal data (aggregates over all listings), so they are not audited and not limited
by region; the role check (analyst, supervisor, admin) answers 404 to anyone else like every remit check.
Charts are matplotlib PNGs from risk_model.ops.reports, cached on disk under DATA_DIR/reports/<version>/.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import func, select
from sqlmodel import Session, col
from starlette.responses import FileResponse, Response

from inspection.access import NotFound
from inspection.web.analyst.common import (
    ANALYST_ROLES,
    MODEL_ACTION_ROLES,
    RISK_TYPES,
    pop_notice,
    require_role,
)
from inspection.web.deps import CurrentUser, SessionDep, SettingsDep
from inspection.web.i18n import translator
from inspection.web.templating import render, request_language
from store.enums import Role
from store.models import AuditEvent, Finding, ModelVersion, User
from store.settings import Settings
from store.types import utcnow

router = APIRouter(include_in_schema=False)

SUMMARY_METRICS = ("roc_auc", "average_precision", "f1", "brier")
DETAIL_METRICS = ("roc_auc", "average_precision", "f1", "precision", "recall", "precision_at_50", "brier")
PROVENANCES = ("orfd", "synthetic", "hand", "finding")
CHART_NAMES = ("reliability", "confusion", "precision_at_k", "score_distribution")
# Scores of new listings keep arriving; the other charts depend only on the immutable hold-out.
SCORE_CHART_MAX_AGE_S = 3600
DRIFT_ALERT_DAYS = 14  # a weekly report's alerts stay on the dashboard until the next two have run
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$")
# Loading a model file and scoring every finding takes seconds on a full model: keep a few results.
BIAS_CACHE_SIZE = 8
_BIAS_CACHE: dict[tuple[Any, ...], dict[str, Any]] = {}
_BIAS_LOCK = threading.Lock()
# pyplot keeps global state: one chart is drawn at a time across the worker's threads.
_CHART_LOCK = threading.Lock()


@dataclass(frozen=True)
class VersionRow:
    """One model version as the list shows it."""

    version: str
    status: str
    created_at: datetime
    promoted_at: datetime | None
    metrics: dict[str, dict[str, float | None]]
    provenance: dict[str, dict[str, int]]
    no_real: tuple[str, ...]  # risk types trained on synthetic or hand-written examples only


@dataclass(frozen=True)
class DriftAlert:
    """One drift.alert audit event, as the banner and the drift page show it."""

    at: datetime
    source: str
    risk_type: str
    score_psi: float | None
    indicator: str | None
    indicator_psi: float | None


def version_row(version: ModelVersion) -> VersionRow:
    """The list's view of VERSION: summary metrics and training counts by provenance."""
    from risk_model.ops.reports import synthetic_only

    counts = (version.training or {}).get("provenance_counts", {})
    return VersionRow(
        version=version.version,
        status=version.status,
        created_at=version.created_at,
        promoted_at=version.promoted_at,
        metrics={r: _pick(version.metrics.get(r, {}), SUMMARY_METRICS) for r in RISK_TYPES},
        provenance={r: {p: int(counts.get(r, {}).get(p, 0)) for p in PROVENANCES} for r in RISK_TYPES},
        no_real=tuple(synthetic_only(version)),
    )


def _pick(metrics: dict[str, Any], names: tuple[str, ...]) -> dict[str, float | None]:
    return {name: float(metrics[name]) if metrics.get(name) is not None else None for name in names}


def _version(session: Session, name: str) -> ModelVersion:
    if not SAFE_NAME.match(name):
        raise NotFound(f"no model version {name!r}")
    found = session.execute(select(ModelVersion).where(col(ModelVersion.version) == name)).scalars().first()
    if found is None:
        raise NotFound(f"no model version {name!r}")
    return found


@router.get("/analyst/models")
def models_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    """Every model version, newest first, with hold-out metrics and training provenance."""
    require_role(user, ANALYST_ROLES)
    from risk_model.ops.registry import list_versions

    rows = [version_row(v) for v in list_versions(session)]
    context: dict[str, Any] = {"versions": rows, "risk_types": RISK_TYPES, "metric_names": SUMMARY_METRICS}
    context |= {"provenances": PROVENANCES, "notice": pop_notice(request)}
    return render(request, "analyst_models.html", context)


def _findings_state(session: Session) -> tuple[int, int]:
    count, newest = session.execute(select(func.count(), func.max(col(Finding.id)))).one()
    return int(count), int(newest or 0)


def label_bias_for(session: Session, version: ModelVersion, settings: Settings) -> dict[str, Any] | None:
    """label_bias_of VERSION, reused while no finding was added (findings are append-only)."""
    key = (version.sha256, str(settings.data_dir), *_findings_state(session))
    with _BIAS_LOCK:
        cached = _BIAS_CACHE.get(key)
    if cached is not None:
        return cached
    bias = label_bias_of(session, version, settings)
    if bias is not None:  # a file that would not load may be restored: try again next time
        with _BIAS_LOCK:
            while len(_BIAS_CACHE) >= BIAS_CACHE_SIZE:
                _BIAS_CACHE.pop(next(iter(_BIAS_CACHE)))
            _BIAS_CACHE[key] = bias
    return bias


def label_bias_of(session: Session, version: ModelVersion, settings: Settings) -> dict[str, Any] | None:
    """risk_model.ops.compare.label_bias of VERSION on the findings' labels (None when the file won't load)."""
    from risk_model.ops.compare import label_bias, plan_of
    from risk_model.ops.registry import load_version
    from risk_model.training.data_sources import finding_rows

    try:
        bundle = load_version(version, settings)
    except Exception:  # missing or tampered file: the page still shows the recorded metrics
        return None
    # label_bias reads only the findings' rows, so the synthetic corpus and ORFD need not be built.
    return label_bias(finding_rows(session, plan_of(version)), {"model": bundle})


@router.get("/analyst/models/{version}")
def model_page(
    request: Request, session: SessionDep, settings: SettingsDep, user: CurrentUser, version: str
) -> Response:
    """One version: metrics per risk type, charts, label bias and the model card link."""
    require_role(user, ANALYST_ROLES)
    row = _version(session, version)
    metrics = {r: _pick(row.metrics.get(r, {}), DETAIL_METRICS) for r in RISK_TYPES}
    context = {
        "model": version_row(row),
        "metrics": metrics,
        "detail_metrics": DETAIL_METRICS,
        "thresholds": {r: row.thresholds.get(r) for r in RISK_TYPES},
        "training": row.training or {},
        "risk_types": RISK_TYPES,
        "charts": CHART_NAMES,
        "bias": label_bias_for(session, row, settings),
        "provenances": PROVENANCES,
    }
    return render(request, "analyst_model.html", context | _actions_context(request, session, user, row))


def _actions_context(request: Request, session: Session, user: User, row: ModelVersion) -> dict[str, Any]:
    """What the page's model actions need: who may act, the champion, the rollback target, warnings."""
    from risk_model.ops.registry import champion
    from risk_model.ops.reports import synthetic_only

    current = champion(session)
    previous = session.get(ModelVersion, row.previous_champion_id) if row.previous_champion_id else None
    return {
        "can_act": Role(user.role) in MODEL_ACTION_ROLES,
        "champion_version": current.version if current else None,
        "can_rollback": previous is not None,
        "previous_version": previous.version if previous else None,
        "synthetic_only": synthetic_only(row),
        "notice": pop_notice(request),
    }


def _draw(session: Session, version: ModelVersion, name: str, path: Path, settings: Settings) -> Path | None:
    from risk_model.ops import reports

    if name == "reliability":
        return reports.reliability_png(version, path, settings)
    if name == "confusion":
        return reports.confusion_png(version, path, settings)
    if name == "precision_at_k":
        return reports.precision_at_k_png(version, path, settings)
    return reports.score_distribution_png(session, version, path, settings)


def _fresh(path: Path, name: str) -> bool:
    if not path.exists():
        return False
    return name != "score_distribution" or time.time() - path.stat().st_mtime < SCORE_CHART_MAX_AGE_S


def chart_file(session: Session, version: ModelVersion, name: str, settings: Settings) -> Path | None:
    """The cached PNG of chart NAME of VERSION, drawn on first use (None when there is nothing to draw)."""
    path = settings.data_dir / "reports" / version.version / f"{name}.png"
    with _CHART_LOCK:
        if _fresh(path, name):
            return path
        # Drawn to a private name, then renamed: a concurrent reader never sees half a file.
        partial = path.with_name(f".{name}.{os.getpid()}.{threading.get_ident()}.png")
        drawn = _draw(session, version, name, partial, settings)
        if drawn is None:
            return None
        os.replace(drawn, path)
        return path


@router.get("/analyst/models/{version}/charts/{name}.png")
def model_chart(
    session: SessionDep, settings: SettingsDep, user: CurrentUser, version: str, name: str
) -> Response:
    """A chart of the version as PNG (reliability, confusion, precision_at_k, score_distribution)."""
    require_role(user, ANALYST_ROLES)
    if name not in CHART_NAMES:
        raise NotFound(f"no chart {name!r}")
    path = chart_file(session, _version(session, version), name, settings)
    if path is None:
        raise NotFound(f"chart {name} has no data for {version}")
    return FileResponse(path, media_type="image/png")


@router.get("/analyst/models/{version}/card.md")
def model_card_download(request: Request, session: SessionDep, user: CurrentUser, version: str) -> Response:
    """The version's Markdown model card as a download, in the reader's language."""
    require_role(user, ANALYST_ROLES)
    from risk_model.ops.reports import CARD_TEXT, model_card

    row = _version(session, version)
    t = translator(request_language(request))
    card = model_card(session, row, {key: t(f"card.{key}") for key in CARD_TEXT})
    headers = {"content-disposition": f'attachment; filename="model-card-{row.version}.md"'}
    return Response(card, media_type="text/markdown; charset=utf-8", headers=headers)


def latest_drift_file(settings: Settings) -> Path | None:
    """The newest weekly drift report risk_model.ops.drift wrote (DATA_DIR/reports/drift-<date>.json)."""
    files = sorted((settings.data_dir / "reports").glob("drift-*.json"))
    return files[-1] if files else None


def load_drift_report(path: Path) -> Any:
    """The report at PATH as risk_model.ops.drift.DriftReport (rows as SourceDrift)."""
    from risk_model.ops.drift import DriftReport, SourceDrift

    payload = json.loads(path.read_text(encoding="utf-8"))
    payload.pop("alerts", None)
    rows = [SourceDrift(**row) for row in payload.pop("rows", [])]
    payload["path"] = str(path)  # written before its own path was known
    return DriftReport(**payload, rows=rows)


def recent_drift_alerts(session: Session, *, now: datetime, days: int = DRIFT_ALERT_DAYS) -> list[DriftAlert]:
    """drift.alert audit events of the last DAYS, newest first."""
    statement = (
        select(AuditEvent)
        .where(col(AuditEvent.action) == "drift.alert", col(AuditEvent.at) >= now - timedelta(days=days))
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .limit(50)
    )
    return [_alert(event) for event in session.execute(statement).scalars()]


def _alert(event: AuditEvent) -> DriftAlert:
    details = event.details or {}
    return DriftAlert(
        at=event.at,
        source=str(details.get("source", event.object_id)),
        risk_type=str(details.get("risk_type", "")),
        score_psi=details.get("score_psi"),
        indicator=details.get("top_indicator"),
        indicator_psi=details.get("indicator_psi"),
    )


@router.get("/analyst/drift")
def drift_page(request: Request, session: SessionDep, settings: SettingsDep, user: CurrentUser) -> Response:
    """The latest weekly drift report (PSI per source and risk type), its chart and recent alerts."""
    require_role(user, ANALYST_ROLES)
    path = latest_drift_file(settings)
    context = {
        "report": load_drift_report(path) if path else None,
        "drift_alerts": recent_drift_alerts(session, now=utcnow()),
    }
    return render(request, "analyst_drift.html", context)


@router.get("/analyst/drift/chart.png")
def drift_chart(settings: SettingsDep, user: CurrentUser) -> Response:
    """The latest drift report's PSI bars as PNG, cached beside the report."""
    require_role(user, ANALYST_ROLES)
    from risk_model.ops.reports import drift_png

    source = latest_drift_file(settings)
    if source is None:
        raise NotFound("no drift report yet")
    path = source.with_suffix(".png")
    with _CHART_LOCK:
        if not path.exists() or path.stat().st_mtime < source.stat().st_mtime:
            partial = path.with_name(f".{path.stem}.{os.getpid()}.{threading.get_ident()}.png")
            os.replace(drift_png(load_drift_report(source), partial), path)
    return FileResponse(path, media_type="image/png")
