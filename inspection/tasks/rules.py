"""Must-inspect rules: explanation entries of kind "rule" open a task whatever the score.

The scorer writes one entry per rule that fired (an under-16 hire, documents kept, wages paid to a gang
master, a cross-border bride trade) into `RiskScore.explanation`, with a Chinese `meaning`, its
`legal_basis` and the `spans` it matched; see docs/inspection.md, "Must-inspect rules".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import String, cast, select
from sqlmodel import Session, col

from store.models import RiskScore

RULE_KIND = "rule"


def rule_entries(explanation: Iterable[Any] | None) -> list[dict[str, Any]]:
    """The explanation's rule entries, in their stored order."""
    return [e for e in explanation or [] if isinstance(e, dict) and e.get("kind") == RULE_KIND]


def rule_hits(session: Session, model_id: int) -> dict[tuple[int, str], list[dict[str, Any]]]:
    """(listing, risk type) → the rule entries of MODEL_ID's scores, for scores where a rule fired."""
    statement = select(col(RiskScore.listing_id), col(RiskScore.risk_type), col(RiskScore.explanation)).where(
        col(RiskScore.model_version_id) == model_id,
        # A cheap textual pre-filter on both dialects; rule_entries decides.
        cast(col(RiskScore.explanation), String).like(f'%"{RULE_KIND}"%'),
    )
    hits = {}
    for listing_id, risk_type, explanation in session.execute(statement):
        if entries := rule_entries(explanation):
            hits[(listing_id, risk_type)] = entries
    return hits


def rule_reason(entries: Iterable[dict[str, Any]]) -> str:
    """The rules' Chinese meanings, in order and without repeats (the feature name when one has none)."""
    meanings = (str(e.get("meaning") or e.get("feature") or "") for e in entries)
    return "；".join(dict.fromkeys(m for m in meanings if m))
