"""Recording what an inspection found, and the training labels a finding implies.

Label mapping (``labels_from_finding``): each risk type is confirmed by the violations in
``RISK_VIOLATIONS``. The task's own risk type gets 1 when one of its violations was found and 0 otherwise
(no_violation, or only violations of other kinds: the inspector checked and did not find it). Another risk
type gets 1 when one of its violations was found along the way, and no label otherwise (nobody checked it).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from sqlmodel import Session

from inspection.access import ensure_may_write
from inspection.tasks.actions import ensure_role_allows, insert_task, settings_or_default
from inspection.tasks.changes import ensure_version, load_task, save_change
from inspection.tasks.workflow import check_transition
from store.audit import audit_append
from store.enums import Agency, Outcome, RiskType, TaskOrigin, TaskStatus, Violation
from store.models import Finding, FindingAttachment, InspectionTask, User
from store.settings import Settings
from store.types import beijing_today, utcnow

# Forced-labour violations also confirm the agency that placed the worker; child_labour is under-16s only.
RISK_VIOLATIONS: dict[RiskType, frozenset[Violation]] = {
    RiskType.illegal_agency: frozenset(
        {
            Violation.unlicensed_agency,
            Violation.deposits_or_fees,
            Violation.id_documents_withheld,
            Violation.forced_labour_indicators,
            Violation.disabled_worker_exploitation,
        }
    ),
    RiskType.child_labour: frozenset({Violation.child_labour}),
    RiskType.forced_labour: frozenset(
        {
            Violation.forced_labour_indicators,
            Violation.disabled_worker_exploitation,
            Violation.id_documents_withheld,
        }
    ),
    RiskType.illegal_marriage_broker: frozenset(
        {Violation.illegal_marriage_brokerage, Violation.suspected_trafficking}
    ),
}
FOLLOW_UP_OUTCOMES = frozenset({Outcome.warning, Outcome.order_to_correct})
# Allowed evidence files: extension → (content types accepted, magic bytes the file must start with).
ATTACHMENT_TYPES: dict[str, tuple[frozenset[str], bytes | None]] = {
    "pdf": (frozenset({"application/pdf"}), b"%PDF-"),
    "jpg": (frozenset({"image/jpeg"}), b"\xff\xd8\xff"),
    "jpeg": (frozenset({"image/jpeg"}), b"\xff\xd8\xff"),
    "png": (frozenset({"image/png"}), b"\x89PNG\r\n\x1a\n"),
    "txt": (frozenset({"text/plain"}), None),
}
VICTIM_FIELDS = frozenset({"name", "age", "gender", "id_number", "phone", "nationality", "note"})
_UNSAFE_NAME = re.compile(r"[^\w.\-\u4e00-\u9fff]+")


class FindingError(ValueError):
    """A finding cannot be recorded as given; the message says which field and why."""


@dataclass(frozen=True)
class Upload:
    """An uploaded evidence file as received from the web form or the API."""

    filename: str
    content_type: str
    data: bytes


def validate_violations(violations: list[str], outcome: str) -> list[Violation]:
    """The violations as the taxonomy's values, in order; FindingError for unknown or conflicting ones."""
    if not violations:
        raise FindingError("violations: choose at least one (no_violation when nothing was found)")
    unknown = [v for v in violations if v not in Violation.__members__]
    if unknown:
        raise FindingError(f"violations: unknown {', '.join(map(repr, unknown))}")
    chosen = list(dict.fromkeys(Violation(v) for v in violations))
    if Violation.no_violation in chosen and len(chosen) > 1:
        raise FindingError("violations: no_violation cannot be combined with other violations")
    if outcome not in Outcome.__members__:
        raise FindingError(f"outcome: must be one of {', '.join(Outcome)} (got {outcome!r})")
    if chosen == [Violation.no_violation] and outcome != Outcome.no_action:
        raise FindingError("outcome: a finding of no violation takes the outcome no_action")
    return chosen


def validate_victims(victims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Victims' details with only known fields; FindingError for anything else."""
    cleaned = []
    for index, victim in enumerate(victims):
        if not isinstance(victim, dict):
            raise FindingError(f"victims[{index}]: must be an object")
        extra = set(victim) - VICTIM_FIELDS
        if extra:
            raise FindingError(f"victims[{index}]: unknown fields {', '.join(sorted(extra))}")
        age = victim.get("age")
        if age is not None and (not isinstance(age, int) or not 0 <= age <= 120):
            raise FindingError(f"victims[{index}].age: a whole number 0-120 (got {age!r})")
        cleaned.append({k: v for k, v in victim.items() if v not in (None, "")})
    return cleaned


def safe_filename(filename: str) -> str:
    """The file's base name with anything odd replaced (no paths, no control characters)."""
    base = PureWindowsPath(PurePosixPath(filename).name).name
    cleaned = _UNSAFE_NAME.sub("_", base).strip("._") or "file"
    return cleaned[-200:]


def validate_upload(upload: Upload, *, max_bytes: int) -> tuple[str, str]:
    """(safe file name, content type) for an allowed file; FindingError for a bad type or size."""
    name = safe_filename(upload.filename)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_TYPES:
        raise FindingError(f"attachment {name}: only pdf, jpeg, png and txt files are accepted")
    content_types, magic = ATTACHMENT_TYPES[extension]
    content_type = upload.content_type.split(";")[0].strip().lower()
    if content_type not in content_types:
        raise FindingError(f"attachment {name}: content type {content_type!r} does not match .{extension}")
    if len(upload.data) > max_bytes:
        raise FindingError(f"attachment {name}: {len(upload.data)} bytes is over the limit of {max_bytes}")
    if magic is not None and not upload.data.startswith(magic):
        raise FindingError(f"attachment {name}: the content is not a {extension} file")
    if magic is None and (b"\x00" in upload.data or not _is_utf8(upload.data)):
        raise FindingError(f"attachment {name}: a txt file must be UTF-8 text")
    return name, content_type


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def labels_from_finding(task_risk_type: str, violations: list[str]) -> dict[str, int]:
    """The training labels a finding implies: {risk type: 1 confirmed / 0 refuted}; unchecked types absent."""
    found = {Violation(v) for v in violations} - {Violation.no_violation}
    own = RiskType(task_risk_type)
    labels = {own.value: int(bool(found & RISK_VIOLATIONS[own]))}
    for risk, confirming in RISK_VIOLATIONS.items():
        if risk != own and found & confirming:
            labels[risk.value] = 1
    return labels


def _follow_up(outcome: str, given: date | None, settings: Settings) -> date | None:
    today = beijing_today()  # the date the officer sees (复查日期不能早于今天), not the UTC date
    if given is not None and given < today:
        raise FindingError(f"follow_up_date: {given} is in the past")
    if given is None and outcome in FOLLOW_UP_OUTCOMES:
        return today + timedelta(days=settings.finding_follow_up_days)
    return given


def finding_record(
    session: Session,
    *,
    task_id: int,
    expected_version: int,
    actor: User,
    violations: list[str],
    outcome: str,
    notes: str,
    victims: list[dict[str, Any]],
    follow_up_date: date | None,
    attachments: list[Upload],
    settings: Settings | None = None,
) -> Finding:
    """Validate and store a finding with its attachments; move the task to finding_recorded.

    Everything is validated before anything is written, so a refused finding changes nothing. A warning or
    an order to correct gets a follow-up date (the default from the settings when none is given).
    """
    settings = settings_or_default(settings)
    task = ensure_may_write(actor, load_task(session, task_id))
    ensure_version(task, expected_version)
    chosen = validate_violations(violations, outcome)
    cleaned_victims = validate_victims(victims)
    files = [(u, *validate_upload(u, max_bytes=settings.finding_attachment_max_bytes)) for u in attachments]
    follow_up = _follow_up(outcome, follow_up_date, settings)
    check_transition(task.status, TaskStatus.finding_recorded)
    ensure_role_allows(actor, task, TaskStatus.finding_recorded)
    previous = task.status
    save_change(
        session,
        task,
        expected_version=expected_version,
        actor=actor,
        action="finding_recorded",
        values={"status": TaskStatus.finding_recorded},
        details={"from": previous, "to": TaskStatus.finding_recorded},
    )
    finding = Finding(
        task_id=task_id,
        inspector_id=actor.id or 0,
        violations=[v.value for v in chosen],
        outcome=outcome,
        notes=notes,
        victims=cleaned_victims,
        labels=labels_from_finding(task.risk_type, [v.value for v in chosen]),
        follow_up_date=follow_up,
    )
    session.add(finding)
    session.flush()
    digests = _store_attachments(session, finding, files)
    _audit_finding(session, actor, task, finding, digests)
    if outcome == Outcome.referral_market_regulation and task.agency == Agency.labour_inspection:
        _open_referral(session, task, finding, settings)
    return finding


def _store_attachments(session: Session, finding: Finding, files: list[tuple[Upload, str, str]]) -> list[str]:
    digests = []
    for upload, name, content_type in files:
        digest = hashlib.sha256(upload.data).hexdigest()
        session.add(
            FindingAttachment(
                finding_id=finding.id or 0,
                filename=name,
                content_type=content_type,
                size_bytes=len(upload.data),
                sha256=digest,
                data=upload.data,
            )
        )
        digests.append(digest)
    session.flush()
    return digests


def _audit_finding(
    session: Session, actor: User, task: InspectionTask, finding: Finding, digests: list[str]
) -> None:
    # Victims' details stay out of the audit log: it is readable by more people than the finding.
    audit_append(
        session,
        action="finding.record",
        actor_id=actor.id,
        actor=actor.username,
        object_type="finding",
        object_id=finding.id,
        details={
            "task_id": task.id,
            "violations": finding.violations,
            "outcome": finding.outcome,
            "labels": finding.labels,
            "victims": len(finding.victims),
            "follow_up_date": finding.follow_up_date.isoformat() if finding.follow_up_date else None,
            "attachments_sha256": digests,
        },
    )


def _open_referral(session: Session, task: InspectionTask, finding: Finding, settings: Settings) -> None:
    """A labour inspection that refers the case to market regulation opens a linked task for them."""
    from inspection.tasks.routing import due_at_for

    now = utcnow()
    referral = InspectionTask(
        title=f"移送市场监管：{task.title}"[:300],
        risk_type=task.risk_type,
        agency=Agency.market_regulation,
        region_code=task.region_code,
        status=TaskStatus.new,
        origin=TaskOrigin.manual,
        priority=task.priority,
        listing_id=task.listing_id,
        model_version_id=task.model_version_id,
        score=task.score,
        follow_up_of_id=task.id,
        tip_source=f"finding {finding.id}",
        due_at=due_at_for(task.priority, settings=settings, now=now),
        created_at=now,
        updated_at=now,
    )
    insert_task(session, referral, actor=None, action="referral")
