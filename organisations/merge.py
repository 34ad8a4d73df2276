"""Staff decisions on organisations: audited merges and splits, and the listings they pin.

Staff decisions are recorded on the organisation (``identifiers["manual_listings"]``: listings pinned to
it; ``identifiers["not_same_as"]``: organisations it was split from; ``identifiers["manual"]``: the
history) so that the next automatic linking run keeps them.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session, col

from store.audit import audit_append
from store.models import Listing, Organisation
from store.types import utcnow


class OrgError(ValueError):
    """A merge or split that cannot be done; the message says why."""


def manual_pins(session: Session) -> dict[int, int]:
    """Listing id -> organisation id for every listing staff pinned by a merge or split."""
    pins: dict[int, int] = {}
    statement = select(col(Organisation.id), col(Organisation.identifiers)).where(
        col(Organisation.merged_into_id).is_(None)
    )
    for org_id, identifiers in session.execute(statement):
        for listing_id in (identifiers or {}).get("manual_listings", []):
            pins[int(listing_id)] = org_id
    return pins


def _active(session: Session, org_id: int) -> Organisation:
    org = session.get(Organisation, org_id)
    if org is None:
        raise OrgError(f"organisation {org_id} does not exist")
    if org.merged_into_id is not None:
        raise OrgError(f"organisation {org_id} was merged into {org.merged_into_id}; use that one")
    return org


def _listing_ids(session: Session, org_id: int) -> list[int]:
    statement = (
        select(col(Listing.id)).where(col(Listing.organisation_id) == org_id).order_by(col(Listing.id))
    )
    return [int(i) for i in session.execute(statement).scalars()]


def _record(org: Organisation, **decision: Any) -> None:
    """Append a decision to the organisation's manual history (a new dict, so the JSON change is seen)."""
    identifiers = dict(org.identifiers or {})
    entry = {"at": utcnow().isoformat(timespec="seconds"), **decision}
    identifiers["manual"] = [*identifiers.get("manual", []), entry]
    org.identifiers = identifiers
    org.updated_at = utcnow()


def _set_identifier(org: Organisation, key: str, values: list[int]) -> None:
    org.identifiers = {**(org.identifiers or {}), key: sorted(set(values))}


def org_merge(
    session: Session, *, keep_id: int, merge_id: int, reason: str, actor: str, actor_id: int | None = None
) -> Organisation:
    """Staff say KEEP and MERGE are one actor: MERGE's listings move to KEEP, pinned there; audited."""
    if keep_id == merge_id:
        raise OrgError("cannot merge an organisation with itself")
    if not reason.strip():
        raise OrgError("a merge needs a reason")
    keep, gone = _active(session, keep_id), _active(session, merge_id)
    moved = _listing_ids(session, merge_id)
    session.execute(
        update(Listing)
        .where(col(Listing.organisation_id) == merge_id)
        .values(organisation_id=keep_id, organisation_confidence=1.0)
    )
    pinned = _listing_ids(session, keep_id) + moved
    _set_identifier(keep, "manual_listings", [*keep.identifiers.get("manual_listings", []), *pinned])
    not_same = [o for o in keep.identifiers.get("not_same_as", []) if o != merge_id]
    _set_identifier(keep, "not_same_as", not_same + gone.identifiers.get("not_same_as", []))
    _record(keep, action="merge", other=merge_id, listings=moved, reason=reason, actor=actor)
    gone.merged_into_id = keep_id
    gone.identifiers = {**gone.identifiers, "manual_listings": []}
    _record(gone, action="merged_into", other=keep_id, reason=reason, actor=actor)
    code, gone.credit_code = gone.credit_code, None
    session.flush()  # the code is unique: free it before KEEP takes it
    keep.credit_code = keep.credit_code or code
    audit_append(
        session, action="org_merge", actor=actor, actor_id=actor_id, object_type="organisation",
        object_id=keep_id, details={"merged": merge_id, "listings": moved, "reason": reason},
    )  # fmt: skip
    session.flush()
    return keep


def org_split(
    session: Session,
    *,
    org_id: int,
    listing_ids: list[int],
    reason: str,
    actor: str,
    actor_id: int | None = None,
    name: str | None = None,
) -> Organisation:
    """Staff say LISTING_IDS belong to another actor: they move to a new organisation; both sides pinned."""
    if not reason.strip():
        raise OrgError("a split needs a reason")
    source = _active(session, org_id)
    current = _listing_ids(session, org_id)
    chosen = sorted(set(listing_ids))
    if not chosen or not set(chosen) <= set(current):
        raise OrgError(
            f"listings {sorted(set(chosen) - set(current))} do not belong to organisation {org_id}"
        )
    if len(chosen) == len(current):
        raise OrgError("a split must leave at least one listing with the organisation")
    names = session.execute(select(col(Listing.employer_name)).where(col(Listing.id).in_(chosen))).scalars()
    counts = Counter(n for n in names if n)
    new = Organisation(
        name=(name or (counts.most_common(1)[0][0] if counts else f"{source.name}（拆分）"))[:200],
        kind=source.kind,
        region_code=source.region_code,
        identifiers={"manual_listings": chosen, "not_same_as": [org_id]},
    )
    session.add(new)
    session.flush()
    new_id = int(new.id or 0)
    moved = update(Listing).where(col(col(Listing.id)).in_(chosen))
    session.execute(moved.values(organisation_id=new_id, organisation_confidence=1.0))
    _set_identifier(source, "manual_listings", [i for i in current if i not in chosen])
    _set_identifier(source, "not_same_as", [*source.identifiers.get("not_same_as", []), new_id])
    _record(source, action="split", other=new.id, listings=chosen, reason=reason, actor=actor)
    _record(new, action="split_from", other=org_id, listings=chosen, reason=reason, actor=actor)
    audit_append(
        session, action="org_split", actor=actor, actor_id=actor_id, object_type="organisation",
        object_id=org_id, details={"new_organisation": new.id, "listings": chosen, "reason": reason},
    )  # fmt: skip
    session.flush()
    return new
