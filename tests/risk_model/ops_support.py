"""Helpers for the model-operations tests: small real training data, one shared trained set, store rows."""

from __future__ import annotations

import hashlib
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from sqlmodel import Session

from risk_model.data.examples import RISK_TYPES
from risk_model.model.model_files import ModelBundle
from risk_model.training.candidate import register_candidate
from risk_model.training.data_sources import DataPlan, TrainingRow, orfd_rows, synthetic_rows
from risk_model.training.fit import TrainedRiskType, train_all
from store.models import Finding, InspectionTask, Listing, ModelVersion, Source, User
from store.settings import Settings, load_settings
from store.types import utcnow

SMALL = {"model_orfd_limit": 150, "model_synthetic_per_kind": 160, "model_seed": 11}


def small_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings with a small training plan and files under DATA_DIR."""
    return load_settings(data_dir=data_dir, **(SMALL | overrides))


@lru_cache(maxsize=1)
def base_data() -> dict[str, list[TrainingRow]]:
    """The small plan's rows without findings (ORFD rows only where the shared data exists)."""
    plan = DataPlan.from_settings(small_settings(Path("unused")))
    data = {risk: synthetic_rows(plan, risk) for risk in RISK_TYPES}
    data["illegal_agency"] = list(orfd_rows(plan)) + data["illegal_agency"]
    return data


@lru_cache(maxsize=1)
def pretrained() -> dict[str, TrainedRiskType]:
    """One real training of the small data, shared by the tests of a run (training is the slow part)."""
    return train_all(base_data(), seed=11)


@lru_cache(maxsize=1)
def noisy() -> dict[str, TrainedRiskType]:
    """A deliberately useless training: the same rows with labels shuffled."""
    from risk_model.training.fit import shuffled_labels

    return train_all({risk: shuffled_labels(rows, seed=5) for risk, rows in base_data().items()}, seed=11)


def pretrained_bundle() -> ModelBundle:
    """The shared models as an in-memory bundle."""
    return ModelBundle("test", {risk: t.model for risk, t in pretrained().items()})


def register(
    session: Session, settings: Settings, trained: dict[str, TrainedRiskType] | None = None
) -> ModelVersion:
    """Save and record a candidate (the shared training unless TRAINED is given)."""
    plan = DataPlan.from_settings(settings)
    return register_candidate(
        session, settings=settings, trained=trained or pretrained(), data=base_data(), plan=plan, seconds=0.0
    )


def make_source(session: Session, name: str = "demo-jobs", kind: str = "job") -> Source:
    source = Source(name=name, kind=kind)
    session.add(source)
    session.flush()
    return source


def make_listing(
    session: Session,
    source: Source,
    key: str,
    body: str,
    *,
    title: str = "招聘",
    kind: str | None = None,
    first_seen: datetime | None = None,
    organisation_id: int | None = None,
    employer: str | None = None,
) -> Listing:
    listing = Listing(
        source_id=source.id,
        key=key,
        url=f"https://example.test/{key}",
        kind=kind or source.kind,
        title=title,
        body=body,
        employer_name=employer,
        content_hash=content_hash(title, body),
        first_seen=first_seen or utcnow(),
        organisation_id=organisation_id,
        city_code="320500",
    )
    session.add(listing)
    session.flush()
    return listing


def content_hash(title: str, body: str) -> str:
    return hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()


def make_inspector(session: Session, name: str = "inspector.sz") -> User:
    user = User(username=name, password_hash="not-a-real-hash", role="inspector", region_code="320500")
    session.add(user)
    session.flush()
    return user


def make_finding(
    session: Session, listing: Listing, labels: dict[str, int], *, risk_type: str, origin: str = "model"
) -> Finding:
    """A task on LISTING (of ORIGIN) and a finding with LABELS."""
    from store.accounts.users import user_by_name

    inspector = user_by_name(session, "inspector.sz") or make_inspector(session)
    task = InspectionTask(
        risk_type=risk_type,
        agency="labour_inspection" if risk_type != "illegal_marriage_broker" else "market_regulation",
        region_code="320500",
        status="closed",
        origin=origin,
        listing_id=listing.id,
    )
    session.add(task)
    session.flush()
    finding = Finding(task_id=task.id, inspector_id=inspector.id, outcome="warning", labels=labels)
    session.add(finding)
    session.flush()
    return finding
