"""Enumerated values of the data model; each becomes a CHECK constraint on its column."""

from __future__ import annotations

from enum import StrEnum


class SourceKind(StrEnum):
    job = "job"
    marriage = "marriage"
    tip = "tip"
    registry = "registry"


class ListingKind(StrEnum):
    job = "job"
    marriage = "marriage"


class RunStatus(StrEnum):
    running = "running"
    succeeded = "succeeded"
    failed = "failed"


class OrgKind(StrEnum):
    agency = "agency"
    employer = "employer"
    broker = "broker"
    unknown = "unknown"


class LicenceStatus(StrEnum):
    unknown = "unknown"
    not_required = "not_required"
    valid = "valid"
    missing = "missing"
    expired = "expired"
    name_mismatch = "name_mismatch"


class RegistryKind(StrEnum):
    hr_agency = "hr_agency"
    marriage_agency = "marriage_agency"
    business = "business"


class ModelStatus(StrEnum):
    candidate = "candidate"
    champion = "champion"
    retired = "retired"


class RiskType(StrEnum):
    illegal_agency = "illegal_agency"
    child_labour = "child_labour"  # under-16s only
    # Documents kept, wages withheld or paid to a gang master, confinement, debt bondage, exploiting
    # intellectually disabled or homeless workers.
    forced_labour = "forced_labour"
    illegal_marriage_broker = "illegal_marriage_broker"


class Agency(StrEnum):
    """Which authority works a task."""

    labour_inspection = "labour_inspection"
    market_regulation = "market_regulation"


class TaskStatus(StrEnum):
    backlog = "backlog"
    new = "new"
    assigned = "assigned"
    in_progress = "in_progress"
    finding_recorded = "finding_recorded"
    closed = "closed"
    escalated = "escalated"
    reopened = "reopened"


# A task is overdue when it is past due and its field work is not done (finding_recorded awaits review).
NOT_OVERDUE_STATUSES = frozenset({TaskStatus.closed, TaskStatus.finding_recorded})


class TaskOrigin(StrEnum):
    model = "model"
    audit = "audit"
    active_learning = "active_learning"
    tip = "tip"
    mandated_report = "mandated_report"
    reinspection = "reinspection"
    manual = "manual"
    rule = "rule"  # a must-inspect rule fired in the champion's explanation, whatever the score


class Violation(StrEnum):
    unlicensed_agency = "unlicensed_agency"
    deposits_or_fees = "deposits_or_fees"
    id_documents_withheld = "id_documents_withheld"
    child_labour = "child_labour"
    disabled_worker_exploitation = "disabled_worker_exploitation"
    forced_labour_indicators = "forced_labour_indicators"
    illegal_marriage_brokerage = "illegal_marriage_brokerage"
    suspected_trafficking = "suspected_trafficking"
    no_violation = "no_violation"


class Outcome(StrEnum):
    warning = "warning"
    order_to_correct = "order_to_correct"
    fine = "fine"
    closure_order = "closure_order"
    referral_police = "referral_police"
    referral_market_regulation = "referral_market_regulation"
    no_action = "no_action"


class Role(StrEnum):
    inspector = "inspector"
    market_officer = "market_officer"
    analyst = "analyst"
    supervisor = "supervisor"
    admin = "admin"


class JobRunStatus(StrEnum):
    running = "running"
    succeeded = "succeeded"
    failed = "failed"
    skipped = "skipped"
