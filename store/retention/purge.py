"""Retention: erase or mask personal data once it is no longer needed, keeping the evidence provable.

What counts as expired (see docs/retention.md):

- victims' names, phones, ID numbers and free notes in findings of tasks closed more than
  RETENTION_VICTIM_DAYS ago and not continued by an open re-inspection (age, gender and nationality stay, so child-labour and trafficking findings stay
  meaningful; the finding, its labels and its attachments are kept), and phones/IDs in those tasks' tip text
  and finding notes;
- phones, chat IDs and other personal data in listings inactive for more than RETENTION_LISTING_DAYS and
  held by no open task (masked with ``zhtext.pii.mask_text``, search bigrams rebuilt from the masked text);
- the raw pages of such listings that no task ever used as evidence (the bytes are dropped, the SHA-256 and
  content hash stay, the version's fields are masked); versions of evidence listings are never touched;
- items rejected by crawl validation older than RETENTION_REJECTED_DAYS (deleted).

Every step is idempotent: masked text is a fixed point of the masker and erased victims carry a marker.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, union, update
from sqlalchemy.sql import Select
from sqlmodel import Session, col

from store.audit import audit_append
from store.enums import TaskStatus
from store.models import Finding, InspectionTask, Listing, ListingVersion, RejectedItem, TaskEvidence
from store.settings import Settings
from store.text import bigrams
from store.types import utcnow
from zhtext.pii import mask_phone, mask_text

ERASED_PREFIX = "erased on "
KEPT_VICTIM_FIELDS = frozenset({"age", "gender", "nationality"})
PHONE_KEYS = frozenset({"phones", "phone"})
CHAT_KEYS = frozenset({"wechat", "wechat_ids", "qq", "qq_ids"})


@dataclass
class PurgeReport:
    """What a purge changed (or, in a dry run, would change); counts only, never the data."""

    dry_run: bool
    victim_cutoff: datetime
    listing_cutoff: datetime
    rejected_cutoff: datetime
    findings_erased: int = 0
    victims_erased: int = 0
    tips_masked: int = 0
    listings_masked: int = 0
    versions_masked: int = 0
    raw_pages_dropped: int = 0
    raw_bytes_dropped: int = 0
    rejected_deleted: int = 0
    erased_note: str = field(default="")

    def counts(self) -> dict[str, int]:
        """The counters by name."""
        return {k: v for k, v in asdict(self).items() if isinstance(v, int) and not isinstance(v, bool)}

    @property
    def changed(self) -> int:
        """Rows changed or deleted (raw bytes not counted)."""
        return sum(v for k, v in self.counts().items() if k not in {"raw_bytes_dropped", "victims_erased"})


# --------------------------------------------------------------------------------------------------
# Pure masking helpers


def erased_note(now: datetime) -> str:
    """The note that replaces a victim's details."""
    return f"{ERASED_PREFIX}{now.date().isoformat()} under retention policy"


def erase_victim(victim: dict[str, Any], note: str) -> dict[str, Any]:
    """The victim with only age, gender and nationality left and NOTE; unchanged when already erased."""
    if set(victim) <= KEPT_VICTIM_FIELDS | {"note"} and str(victim.get("note", "")).startswith(ERASED_PREFIX):
        return victim
    return {**{k: v for k, v in victim.items() if k in KEPT_VICTIM_FIELDS}, "note": note}


def _mask_identifier(value: str) -> str:
    """A chat ID with only its first and last two characters left (already masked values unchanged)."""
    if "*" in value:
        return value
    return value[:1] + "*" * (len(value) - 3) + value[-2:] if len(value) > 3 else "*" * len(value)


def _mask_contact(key: str, value: Any) -> Any:
    if not isinstance(value, str):
        return mask_json(value)
    if "*" in value:  # masking a masked phone would blank it: masked values are a fixed point
        return value
    if key in PHONE_KEYS:
        return mask_phone(value)
    if key in CHAT_KEYS:
        return _mask_identifier(value)
    return mask_text(value)


def mask_json(value: Any, key: str = "") -> Any:
    """VALUE with personal data masked in every string; phones and chat IDs under their keys masked whole."""
    if isinstance(value, dict):
        return {k: mask_json(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_json(v, key) for v in value]
    if isinstance(value, str):
        return _mask_contact(key, value) if key in PHONE_KEYS | CHAT_KEYS else mask_text(value)
    return value


# --------------------------------------------------------------------------------------------------
# Queries


def _batches(session: Session, statement: Any, id_column: Any, size: int) -> Iterator[Sequence[Any]]:
    """Rows of STATEMENT (whose first column is ID_COLUMN) in id order, SIZE at a time (keyset paging)."""
    last = 0
    while True:
        rows = session.execute(statement.where(id_column > last).order_by(id_column).limit(size)).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _old_closed_tasks(cutoff: datetime) -> Select[Any]:
    """Tasks closed before CUTOFF whose case goes on in no open follow-up (a re-inspection needs the victims)."""
    # A closed task's updated_at is when it was closed (any later change reopens it first).
    open_follow_ups = select(col(InspectionTask.follow_up_of_id)).where(
        col(InspectionTask.follow_up_of_id).is_not(None), col(InspectionTask.status) != TaskStatus.closed
    )
    return select(col(InspectionTask.id)).where(
        col(InspectionTask.status) == TaskStatus.closed,
        col(InspectionTask.updated_at) < cutoff,
        col(InspectionTask.id).not_in(open_follow_ups),
    )


def _listings_of_tasks(open_only: bool) -> Any:
    """Ids of listings held by tasks (evidence or the task's own listing); only open tasks if OPEN_ONLY."""
    evidence = select(col(TaskEvidence.listing_id)).join(
        InspectionTask, col(InspectionTask.id) == col(TaskEvidence.task_id)
    )
    own = select(col(InspectionTask.listing_id)).where(col(InspectionTask.listing_id).is_not(None))
    if open_only:
        evidence = evidence.where(col(InspectionTask.status) != TaskStatus.closed)
        own = own.where(col(InspectionTask.status) != TaskStatus.closed)
    return union(evidence, own).subquery()


def _expired_listings(cutoff: datetime) -> Any:
    """Inactive listings last seen before CUTOFF that no open task holds."""
    held = _listings_of_tasks(open_only=True)
    return (
        col(Listing.active).is_(False),
        col(Listing.last_seen) < cutoff,
        col(Listing.id).not_in(select(held.c[0])),
    )


def _write(session: Session, model: Any, rows: list[dict[str, Any]], dry_run: bool) -> None:
    if rows and not dry_run:
        session.execute(update(model), rows)  # ORM bulk UPDATE by primary key


# --------------------------------------------------------------------------------------------------
# Steps


def _erase_victims(session: Session, report: PurgeReport, size: int) -> None:
    statement = select(col(Finding.id), col(Finding.victims), col(Finding.notes)).where(
        col(Finding.task_id).in_(_old_closed_tasks(report.victim_cutoff))
    )
    for rows in _batches(session, statement, col(Finding.id), size):
        changes = []
        for finding_id, victims, notes in rows:
            erased = [
                erase_victim(v, report.erased_note) if isinstance(v, dict) else v for v in victims or []
            ]
            masked_notes = mask_text(notes)
            if erased == (victims or []) and masked_notes == (notes or ""):
                continue
            report.victims_erased += sum(
                1 for old, new in zip(victims or [], erased, strict=True) if old != new
            )
            changes.append({"id": finding_id, "victims": erased, "notes": masked_notes})
        report.findings_erased += len(changes)
        _write(session, Finding, changes, report.dry_run)


def _mask_tips(session: Session, report: PurgeReport, size: int) -> None:
    statement = select(col(InspectionTask.id), col(InspectionTask.tip_text)).where(
        col(InspectionTask.id).in_(_old_closed_tasks(report.victim_cutoff)),
        col(InspectionTask.tip_text).is_not(None),
    )
    for rows in _batches(session, statement, col(InspectionTask.id), size):
        changes = [{"id": i, "tip_text": mask_text(t)} for i, t in rows if mask_text(t) != t]
        report.tips_masked += len(changes)
        _write(session, InspectionTask, changes, report.dry_run)


def _masked_listing(row: Any) -> dict[str, Any] | None:
    """The changed columns of a listing row, or None when nothing personal is left in it."""
    title, body, contacts = mask_text(row.title), mask_text(row.body), mask_json(row.contacts or {})
    if (title, body, contacts) == (row.title, row.body, row.contacts or {}):
        return None
    search = " ".join(t for t in (title, row.employer_name, body) if t)
    return {
        "id": row.id,
        "title": title,
        "body": body,
        "contacts": contacts,
        "search_bigrams": bigrams(search),
    }


def _mask_listings(session: Session, report: PurgeReport, size: int) -> None:
    columns = (
        col(Listing.id),
        col(Listing.title),
        col(Listing.body),
        col(Listing.contacts),
        col(Listing.employer_name),
    )
    statement = select(*columns).where(*_expired_listings(report.listing_cutoff))
    for rows in _batches(session, statement, col(Listing.id), size):
        changes = [c for c in map(_masked_listing, rows) if c is not None]
        report.listings_masked += len(changes)
        _write(session, Listing, changes, report.dry_run)


def _drop_raw_pages(session: Session, report: PurgeReport, size: int) -> None:
    """Raw pages of expired listings no task ever used: bytes dropped, hashes kept, fields masked."""
    ever_used = _listings_of_tasks(open_only=False)
    expired = select(col(Listing.id)).where(
        *_expired_listings(report.listing_cutoff), col(Listing.id).not_in(select(ever_used.c[0]))
    )
    size_of = func.length(col(ListingVersion.raw_gz))
    statement = select(col(ListingVersion.id), col(ListingVersion.fields), size_of).where(
        col(ListingVersion.listing_id).in_(expired),
        col(ListingVersion.captured_at) < report.listing_cutoff,
        size_of > 0,
    )
    for rows in _batches(session, statement, col(ListingVersion.id), size):
        changes = []
        for version_id, fields, raw_bytes in rows:
            masked = mask_json(fields or {})
            masked["retention"] = {"raw_page": report.erased_note, "raw_bytes": int(raw_bytes)}
            report.versions_masked += int(masked != {**(fields or {}), "retention": masked["retention"]})
            report.raw_bytes_dropped += int(raw_bytes)
            changes.append({"id": version_id, "fields": masked, "raw_gz": b""})
        report.raw_pages_dropped += len(changes)
        _write(session, ListingVersion, changes, report.dry_run)


def _delete_rejected(session: Session, report: PurgeReport) -> None:
    old = col(RejectedItem.created_at) < report.rejected_cutoff
    report.rejected_deleted = int(
        session.execute(select(func.count()).select_from(RejectedItem).where(old)).scalar() or 0
    )
    if report.rejected_deleted and not report.dry_run:
        session.execute(delete(RejectedItem).where(old))


def retention_purge(
    session: Session, *, settings: Settings, now: datetime | None = None, dry_run: bool = False
) -> PurgeReport:
    """Erase or mask expired personal data (see the module docstring); one audit event unless DRY_RUN.

    The caller commits. A dry run reads only and returns what a real run would change.
    """
    now = now or utcnow()
    report = PurgeReport(
        dry_run=dry_run,
        victim_cutoff=now - timedelta(days=settings.retention_victim_days),
        listing_cutoff=now - timedelta(days=settings.retention_listing_days),
        rejected_cutoff=now - timedelta(days=settings.retention_rejected_days),
        erased_note=erased_note(now),
    )
    session.flush()
    size = settings.retention_batch_size
    _erase_victims(session, report, size)
    _mask_tips(session, report, size)
    _mask_listings(session, report, size)
    _drop_raw_pages(session, report, size)
    _delete_rejected(session, report)
    if not dry_run:
        session.expire_all()  # bulk updates bypass loaded objects; reload them on next access
        audit_append(
            session,
            action="retention.purge",
            object_type="retention",
            details=_audit_details(report, settings),
        )
    return report


def _audit_details(report: PurgeReport, settings: Settings) -> dict[str, Any]:
    """Counts, cutoffs and the policy in force: never any of the data itself."""
    return {
        **report.counts(),
        "victim_cutoff": report.victim_cutoff.isoformat(timespec="seconds"),
        "listing_cutoff": report.listing_cutoff.isoformat(timespec="seconds"),
        "rejected_cutoff": report.rejected_cutoff.isoformat(timespec="seconds"),
        "policy_days": {
            "victim": settings.retention_victim_days,
            "listing": settings.retention_listing_days,
            "rejected": settings.retention_rejected_days,
        },
    }
