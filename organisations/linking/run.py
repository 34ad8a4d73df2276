"""Link every listing to an organisation in the database, incrementally and respecting staff decisions.

Each run clusters all listings again (cheap: keys only) and then maps clusters onto the organisations
that already exist: a cluster keeps the organisation most of its listings had, so ids stay stable and
new listings join existing organisations; clusters staff pinned (``org_merge``/``org_split``) keep their
organisation; an organisation whose listings all moved into one other is marked merged into it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session, col

from organisations.linking.keys import ListingKeys, account_key, keys_from_fields
from organisations.linking.names import normalise_name
from organisations.linking.resolve import Cluster, resolve
from organisations.merge import manual_pins
from store.models import Listing, Organisation
from store.types import utcnow

# Identifier entries other steps own (staff decisions, licence checks): linking never drops them.
_KEPT_IDENTIFIERS = ("manual_listings", "not_same_as", "manual", "registry_record_ids")
_LISTING_COLUMNS = (
    col(Listing.id),
    col(Listing.employer_name),
    col(Listing.city_code),
    col(Listing.credit_code),
    col(Listing.licence_no),
    col(Listing.contacts),
    col(Listing.title),
    col(Listing.body),
    col(Listing.organisation_id),
    col(Listing.organisation_confidence),
    col(Listing.source_id),
    col(Listing.extra),
)


@dataclass
class LinkReport:
    """What a linking run did."""

    listings: int = 0
    clusters: int = 0
    organisations_created: int = 0
    organisations_kept: int = 0
    organisations_merged: int = 0
    listings_relinked: int = 0
    refused: dict[str, int] = field(default_factory=dict)


@dataclass
class _Row:
    keys: ListingKeys
    employer_name: str | None
    org_id: int | None
    confidence: float | None


def _load_rows(session: Session) -> list[_Row]:
    rows = []
    for r in session.execute(select(*_LISTING_COLUMNS).order_by(col(Listing.id))):
        keys = keys_from_fields(
            r.id,
            employer_name=r.employer_name,
            city_code=r.city_code,
            credit_code=r.credit_code,
            licence_no=r.licence_no,
            contacts=r.contacts,
            texts=(r.title, r.body),
            account=account_key(r.source_id, r.extra),
        )
        rows.append(_Row(keys, r.employer_name, r.organisation_id, r.organisation_confidence))
    return rows


def _choose_org(cluster: Cluster, rows: dict[int, _Row], taken: set[int], active: set[int]) -> int | None:
    """The organisation a cluster keeps: the pinned one, else the one most of its listings had."""
    if cluster.pinned_org is not None:
        return cluster.pinned_org
    votes = Counter(rows[i].org_id for i in cluster.listing_ids if rows[i].org_id in active)
    for org_id, _n in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])):
        if org_id not in taken:
            return org_id
    return None


def _display_name(names: Iterable[str | None]) -> str:
    """The most used name, preferring a full legal name (…有限公司) when the actor uses one."""
    counts = Counter(n.strip() for n in names if n and n.strip())
    if not counts:
        return "（未署名）"
    legal = [n for n in counts if n.endswith("公司")]
    pool = legal or list(counts)
    return max(pool, key=lambda n: (counts[n], len(n), n))


def _most_common(values: Iterable[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    return max(counts, key=lambda v: (counts[v], v)) if counts else None


def _refresh_org(org: Organisation, members: list[_Row], credit_owner: dict[str, int]) -> None:
    """Name, identifiers and region of ORG from its listings (manual decisions kept)."""
    keys = [m.keys for m in members]
    org.name = _display_name(m.employer_name for m in members)[:200]
    org.normalised_name = normalise_name(org.name)[:200]
    credits = sorted({c for k in keys for c in k.credit_codes})
    if len(credits) == 1 and credit_owner.get(credits[0], org.id) == org.id:
        org.credit_code = credits[0]
        credit_owner[credits[0]] = org.id or 0
    org.licence_no = _most_common(v for k in keys for v in k.licences) or org.licence_no
    org.region_code = _most_common(k.city_code[:4] + "00" if k.city_code else None for k in keys)
    kept = {k: v for k, v in (org.identifiers or {}).items() if k in _KEPT_IDENTIFIERS}
    org.identifiers = kept | {
        "names": sorted({m.employer_name for m in members if m.employer_name}),
        "credit_codes": credits,
        "licences": sorted({v for k in keys for v in k.licences}),
        "phones": sorted({v for k in keys for v in k.phones}),
        "wechat_ids": sorted({v for k in keys for v in k.wechat_ids}),
        "accounts": sorted({v for k in keys for v in k.accounts}),
    }
    org.updated_at = utcnow()


def _active_orgs(session: Session) -> dict[int, Organisation]:
    statement = select(Organisation).where(col(Organisation.merged_into_id).is_(None))
    return {o.id: o for o in session.execute(statement).scalars() if o.id is not None}


def _assign(
    session: Session, clusters: list[Cluster], rows: dict[int, _Row], orgs: dict[int, Organisation]
) -> tuple[dict[int, int], LinkReport]:
    """Organisation id for every listing; creates organisations for new clusters."""
    report, taken, target = LinkReport(), set[int](), dict[int, int]()
    # Credit codes are unique across all organisations, merged ones included.
    owners = select(col(Organisation.credit_code), col(Organisation.id)).where(
        col(Organisation.credit_code).is_not(None)
    )
    credit_owner = {str(code): int(org_id) for code, org_id in session.execute(owners)}
    for cluster in sorted(clusters, key=lambda c: (c.pinned_org is None, -len(c.listing_ids), c.listing_ids)):
        chosen = _choose_org(cluster, rows, taken, set(orgs))
        if chosen is None or chosen not in orgs:
            org = Organisation(name="", identifiers={})
            session.add(org)
            session.flush()
            chosen = int(org.id or 0)
            orgs[chosen] = org
            report.organisations_created += 1
        else:
            report.organisations_kept += 1
        taken.add(chosen)
        _refresh_org(orgs[chosen], [rows[i] for i in cluster.listing_ids], credit_owner)
        target.update(dict.fromkeys(cluster.listing_ids, chosen))
    return target, report


def _merge_abandoned(orgs: dict[int, Organisation], rows: dict[int, _Row], target: dict[int, int]) -> int:
    """Mark an organisation whose listings all went to one other one as merged into it."""
    moved: dict[int, set[int]] = {}
    for listing_id, row in rows.items():
        if row.org_id is not None and row.org_id in orgs:
            moved.setdefault(row.org_id, set()).add(target[listing_id])
    merged = 0
    for org_id, destinations in moved.items():
        if (
            org_id not in destinations
            and len(destinations) == 1
            and not orgs[org_id].identifiers.get("manual_listings")
        ):
            orgs[org_id].merged_into_id = destinations.pop()
            orgs[org_id].credit_code = None  # frees the code for the organisation that now holds its listings
            merged += 1
    return merged


def link_listings(session: Session, *, progress: Callable[[str], None] | None = None) -> LinkReport:
    """Resolve every listing to an organisation and store the link with its confidence (caller commits)."""
    say = progress or (lambda _msg: None)
    rows = {r.keys.listing_id: r for r in _load_rows(session)}
    say(f"{len(rows)} listings read")
    orgs = _active_orgs(session)
    resolution = resolve([r.keys for r in rows.values()], manual_pins(session))
    target, report = _assign(session, resolution.clusters, rows, orgs)
    confidence = {i: c for cluster in resolution.clusters for i, c in cluster.confidence.items()}
    changes: list[dict[str, Any]] = [
        {"id": i, "organisation_id": target[i], "organisation_confidence": confidence[i]}
        for i, row in rows.items()
        if row.org_id != target[i] or row.confidence != confidence[i]
    ]
    if changes:
        session.execute(update(Listing), changes)
    report.organisations_merged = _merge_abandoned(orgs, rows, target)
    report.listings, report.clusters = len(rows), len(resolution.clusters)
    report.listings_relinked = sum(1 for i, row in rows.items() if row.org_id != target[i])
    report.refused = resolution.refused
    session.flush()
    return report
