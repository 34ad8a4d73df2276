"""The tables: the single source of truth every other package reads and writes.

Enumerated columns carry CHECK constraints, natural keys carry UNIQUE constraints, and every
reference is a foreign key, so a bad row is refused by the database itself on SQLite and PostgreSQL.

One module per area; this package's face re-exports every table, so ``from store.models import X`` is
the one way to name a table, and importing it registers all of them on ``metadata`` (Alembic's target).
"""

from __future__ import annotations

from store.models.base import metadata, one_of
from store.models.job_runs import JobRun
from store.models.listings import CrawlRun, Listing, ListingVersion, RejectedItem, Source
from store.models.model_registry import ModelVersion, RiskScore
from store.models.organisations import Organisation, RegistryRecord
from store.models.tasks import (
    DashboardTally,
    Finding,
    FindingAttachment,
    InspectionTask,
    TaskEscalation,
    TaskEvidence,
    TaskSearchTerm,
)
from store.models.users import AuditEvent, LoginFailure, SavedFilter, User

__all__ = [
    "AuditEvent",
    "CrawlRun",
    "DashboardTally",
    "Finding",
    "FindingAttachment",
    "InspectionTask",
    "JobRun",
    "Listing",
    "ListingVersion",
    "LoginFailure",
    "ModelVersion",
    "Organisation",
    "RegistryRecord",
    "RejectedItem",
    "RiskScore",
    "SavedFilter",
    "Source",
    "TaskEscalation",
    "TaskEvidence",
    "TaskSearchTerm",
    "User",
    "metadata",
    "one_of",
]
