"""The placeholder champion model of the case data and its synthetic scores."""

from __future__ import annotations

import hashlib
import random
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session, col

from store.models import ModelVersion, RiskScore
from store.seed.bulk import batched
from store.upsert import upsert
from synthetic_ads.ads import Ad

MODEL_VERSION = "demo-cases-{seed}"
PLACEHOLDER_SHA256 = hashlib.sha256(b"labourwatch demo placeholder model: never loaded").hexdigest()
RISKS_BY_KIND = {
    "job": ("illegal_agency", "child_labour", "forced_labour"),
    "marriage": ("illegal_marriage_broker",),
}


def seed_champion(session: Session, seed: int, now: datetime) -> int:
    version = MODEL_VERSION.format(seed=seed)
    mid = session.execute(select(col(ModelVersion.id)).where(col(ModelVersion.version) == version)).scalar()
    if mid is not None:
        return int(mid)
    session.execute(
        update(ModelVersion).where(col(ModelVersion.status) == "champion").values(status="retired")
    )
    model = ModelVersion(
        version=version,
        file_path=f"demo/{version}.skops (placeholder: no file)",
        sha256=PLACEHOLDER_SHA256,
        status="champion",
        data_fingerprint=hashlib.sha256(f"demo-ads:{seed}".encode()).hexdigest(),
        code_version="demo",
        notes="Placeholder champion made by store.seed.cases.build_cases; scores are synthetic.",
        created_at=now,
        promoted_at=now,
    )
    session.add(model)
    session.flush()
    return model.id or 0


def _probability(rng: random.Random, positive: bool) -> float:
    if positive:
        return round(0.55 + 0.44 * rng.random() ** 0.7, 4)
    if rng.random() < 0.03:  # a few confident false positives, as real models make
        return round(0.5 + 0.3 * rng.random(), 4)
    return round(0.45 * rng.random() ** 2, 4)


def _explanation(ad: Ad, probability: float) -> list[dict[str, Any]]:
    parts = [
        {"feature": name, "kind": "indicator", "value": 1.0, "weight": round(1.2 + probability, 3)}
        for name in sorted(ad.indicators)[:5]
    ]
    words = ad.title[:4] or "文本"
    parts.append({"feature": words, "kind": "phrase", "value": 1.0, "weight": round(probability - 0.5, 3)})
    return parts


def score_rng(seed: int) -> random.Random:
    """The noise of the scores of one build (one stream across its chunks)."""
    return random.Random(seed * 104729 + 3)


def seed_scores(
    session: Session, ads: list[Ad], ids: dict[str, int], model_id: int, rng: random.Random, now: datetime
) -> list[dict[str, Any]]:
    """The champion's scores of ADS; the rows written."""
    rows = []
    for ad in ads:
        for risk in RISKS_BY_KIND[ad.kind]:
            p = _probability(rng, bool(ad.labels.get(risk)))
            rows.append(
                {
                    "listing_id": ids[ad.ad_id],
                    "model_version_id": model_id,
                    "risk_type": risk,
                    "probability": p,
                    "content_hash": "0" * 64,
                    "explanation": _explanation(ad, p),
                    "scored_at": now,
                }
            )
    for chunk in batched(rows):
        upsert(session, RiskScore, chunk, keys=["listing_id", "model_version_id", "risk_type"], update=[])
    return rows
