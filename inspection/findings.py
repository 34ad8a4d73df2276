"""Recording what an inspection found, and the training labels a finding implies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from store.models import Finding, User
from store.settings import Settings


class FindingError(ValueError):
    """A finding cannot be recorded as given; the message says which field and why."""


@dataclass(frozen=True)
class Upload:
    """An uploaded evidence file as received from the web form or the API."""

    filename: str
    content_type: str
    data: bytes


def finding_record(
    session: Session,
    *,
    task_id: int,
    expected_version: int,
    actor: User,
    violations: list[str],
    outcome: str,
    notes: str,
    victims: list[dict],
    follow_up_date: date | None,
    attachments: list[Upload],
    settings: Settings | None = None,
) -> Finding:
    """Validate and store a finding with its attachments; move the task to finding_recorded."""
    raise NotImplementedError


def labels_from_finding(task_risk_type: str, violations: list[str]) -> dict[str, int]:
    """The training labels a finding implies (see docs/inspection.md for the mapping)."""
    raise NotImplementedError
