"""Champion and candidates: promotion with a regression gate, forced promotion with a reason, rollback.

Every promotion and rollback is written to the audit chain (store.audit): "model.promote" (details:
auto_first, forced, reason, regressions) and "model.rollback".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from risk_model.model.model_files import (
    ModelBundle,
    StaleModelError,
    UnsafeModelError,
    load_bundle,
    model_path,
)
from store.audit import audit_append
from store.enums import ModelStatus
from store.models import ModelVersion
from store.settings import Settings, load_settings
from store.types import utcnow

# Higher is better for these; Brier is lower-is-better and is checked the other way round.
TRACKED_METRICS = ("roc_auc", "average_precision", "f1")
LOWER_IS_BETTER = ("brier",)


class PromotionError(ValueError):
    """A promotion or rollback was refused; the message says why."""


@dataclass(frozen=True)
class Regression:
    """A tracked metric of one risk type that got worse than the tolerance allows."""

    risk_type: str
    metric: str
    champion: float
    candidate: float

    def describe(self) -> str:
        return f"{self.risk_type} {self.metric} {self.champion:.4f} -> {self.candidate:.4f}"


def champion(session: Session) -> ModelVersion | None:
    """The model version in force, if any."""
    statement = select(ModelVersion).where(col(ModelVersion.status) == ModelStatus.champion)
    return session.execute(statement).scalars().first()


def version_by_name(session: Session, version: str) -> ModelVersion:
    """The ModelVersion called VERSION; PromotionError when there is none."""
    found = (
        session.execute(select(ModelVersion).where(col(ModelVersion.version) == version)).scalars().first()
    )
    if found is None:
        raise PromotionError(f"no model version {version!r}")
    return found


def load_version(version: ModelVersion, settings: Settings) -> ModelBundle:
    """Load a version's bundle after checking its SHA-256 and its types (UnsafeModelError otherwise)."""
    return load_bundle(model_path(settings, version.file_path), expected_sha256=version.sha256)


def unusable_reason(version: ModelVersion, settings: Settings) -> str | None:
    """Why VERSION's file cannot be loaded and run by this code (missing, tampered, stale), else None."""
    try:
        load_version(version, settings)
    except (UnsafeModelError, StaleModelError) as error:
        return str(error)
    return None


def load_champion(session: Session, settings: Settings) -> tuple[ModelVersion, ModelBundle]:
    """The champion row and its verified bundle; PromotionError when no model is promoted yet."""
    current = champion(session)
    if current is None:
        raise PromotionError("no champion model yet: run `labourwatch model train` first")
    return current, load_version(current, settings)


def regressions(candidate: dict[str, Any], incumbent: dict[str, Any], tolerance: float) -> list[Regression]:
    """Tracked metrics (per risk type) where the candidate is worse than the champion beyond tolerance."""
    found = []
    for risk_type, old in sorted(incumbent.items()):
        new = candidate.get(risk_type, {})
        for metric in TRACKED_METRICS + LOWER_IS_BETTER:
            if metric not in old:
                continue
            before, after = float(old[metric]), float(new.get(metric, float("nan")))
            worse = before - after if metric in TRACKED_METRICS else after - before
            if not worse <= tolerance:  # NaN (metric missing in the candidate) counts as a regression
                found.append(Regression(risk_type, metric, before, after))
    return found


def model_promote(
    session: Session,
    *,
    version: str,
    actor: str,
    settings: Settings | None = None,
    force_reason: str | None = None,
    actor_id: int | None = None,
) -> ModelVersion:
    """Make VERSION the champion; refuse a regressing candidate unless forced with a reason (audited)."""
    settings = settings or load_settings()
    candidate = version_by_name(session, version)
    incumbent = champion(session)
    if incumbent is not None and incumbent.id == candidate.id:
        raise PromotionError(f"{version} is already the champion")
    if force_reason is not None and not force_reason.strip():
        raise PromotionError("a forced promotion needs a reason")
    found = (
        []
        if incumbent is None
        else regressions(candidate.metrics, incumbent.metrics, settings.model_promotion_tolerance)
    )
    if found and force_reason is None and incumbent is not None:
        listed = "; ".join(r.describe() for r in found)
        raise PromotionError(
            f"{version} regresses against champion {incumbent.version}: {listed} (force with a reason)"
        )
    load_version(candidate, settings)  # never promote a file that would not load
    _switch(session, new=candidate, old=incumbent)
    audit_append(
        session,
        action="model.promote",
        actor=actor,
        actor_id=actor_id,
        object_type="model_version",
        object_id=str(candidate.id),
        details={
            "version": candidate.version,
            "previous": incumbent.version if incumbent else None,
            "auto_first": incumbent is None,
            "forced": bool(found),
            "reason": force_reason,
            "regressions": [r.describe() for r in found],
        },
    )
    return candidate


def _switch(session: Session, *, new: ModelVersion, old: ModelVersion | None) -> None:
    if old is not None:
        old.status = ModelStatus.retired
        session.add(old)
        session.flush()  # the one-champion index must see the old champion gone first
    new.status = ModelStatus.champion
    new.promoted_at = utcnow()
    if old is not None and new.previous_champion_id is None:
        new.previous_champion_id = old.id
    session.add(new)
    session.flush()


def model_rollback(
    session: Session, *, actor: str, settings: Settings | None = None, actor_id: int | None = None
) -> ModelVersion:
    """Restore the champion before the current one (the current one is retired)."""
    settings = settings or load_settings()
    current = champion(session)
    if current is None:
        raise PromotionError("no champion to roll back")
    if current.previous_champion_id is None:
        raise PromotionError(f"{current.version} has no previous champion to restore")
    previous = session.get(ModelVersion, current.previous_champion_id)
    if previous is None:
        raise PromotionError("the previous champion no longer exists")
    load_version(previous, settings)  # refuse to restore a file that fails its checks
    current.status = ModelStatus.retired
    session.add(current)
    session.flush()
    previous.status = ModelStatus.champion
    previous.promoted_at = utcnow()
    session.add(previous)
    session.flush()
    audit_append(
        session,
        action="model.rollback",
        actor=actor,
        actor_id=actor_id,
        object_type="model_version",
        object_id=str(previous.id),
        details={"restored": previous.version, "retired": current.version},
    )
    return previous


def list_versions(session: Session) -> list[ModelVersion]:
    """Every model version, newest first."""
    statement = select(ModelVersion).order_by(
        col(ModelVersion.created_at).desc(), col(ModelVersion.id).desc()
    )
    return list(session.execute(statement).scalars())
