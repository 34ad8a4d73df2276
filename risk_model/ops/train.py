"""`model_train`: collect the training data, train every risk type, save the candidate, promote the first.

The very first model becomes champion; a champion this code cannot run (missing, tampered or stale file)
is replaced, the promotion audited as forced.
"""

from __future__ import annotations

import time

from sqlmodel import Session

from risk_model.ops.registry import champion, model_promote, unusable_reason
from risk_model.training.candidate import register_candidate
from risk_model.training.data_sources import DataPlan, collect_training_data
from risk_model.training.fit import Progress, train_all
from store.models import ModelVersion
from store.settings import Settings


def model_train(
    session: Session,
    *,
    settings: Settings,
    quick: bool | None = None,
    progress: Progress | None = None,
    promote_first: bool = True,
    actor: str = "system",
) -> ModelVersion:
    """Train a candidate on ORFD + synthetic corpus + findings; the very first model becomes champion."""
    started = time.perf_counter()
    plan = DataPlan.from_settings(settings, quick=quick)
    if progress:
        progress("collecting training data")
    data = collect_training_data(session, plan)
    trained = train_all(data, plan.seed, progress)
    version = register_candidate(
        session,
        settings=settings,
        trained=trained,
        data=data,
        plan=plan,
        seconds=time.perf_counter() - started,
    )
    if promote_first:
        current = champion(session)
        if current is None:
            model_promote(session, version=version.version, actor=actor, settings=settings)
        elif (reason := unusable_reason(current, settings)) is not None:
            # A champion this code cannot run would stop all scoring: replace it (audited as forced).
            model_promote(
                session,
                version=version.version,
                actor=actor,
                settings=settings,
                force_reason=f"champion {current.version} cannot be used: {reason}",
            )
    return version
