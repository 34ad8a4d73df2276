"""Linking in the database: measured on the demo ground truth, incremental, and staff decisions kept."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select
from sqlmodel import Session

from organisations.linking.demo_listings import store_ads_as_listings
from organisations.linking.evaluate import pairwise_scores
from organisations.linking.run import link_listings
from organisations.merge import org_merge, org_split
from store.audit import audit_verify
from store.models import AuditEvent, Listing, Organisation
from synthetic_ads.ads import generate_ads, generate_extra_ads


def _links(session: Session) -> dict[int, int]:
    return {int(i): int(o) for i, o in session.execute(select(Listing.id, Listing.organisation_id))}


@pytest.fixture
def linked(session: Session) -> dict[int, str]:
    """The demo ads stored and linked once; returns listing id -> true org_key."""
    truth = store_ads_as_listings(session, generate_ads(2014, 240, 60))
    link_listings(session)
    session.commit()
    return truth


def test_precision_and_recall_on_demo_ground_truth(session: Session, linked: dict[int, str]) -> None:
    scores = pairwise_scores(linked, _links(session))
    print(
        f"\nlinking on demo seed 2014 (300 ads): precision {scores.precision:.3f} recall {scores.recall:.3f}"
    )
    assert scores.precision >= 0.98
    assert scores.recall >= 0.95
    confidences = session.execute(select(Listing.organisation_confidence)).scalars().all()
    assert all(c is not None and 0 < c <= 1 for c in confidences)


def test_relinking_is_stable(session: Session, linked: dict[int, str]) -> None:
    before = _links(session)
    report = link_listings(session)
    assert report.listings_relinked == 0 and report.organisations_created == 0
    assert _links(session) == before


def test_new_listings_join_existing_organisations(session: Session, linked: dict[int, str]) -> None:
    orgs_before = set(_links(session).values())
    extra = store_ads_as_listings(session, generate_extra_ads(2014, 240, 60, 40, 10, "week2"))
    report = link_listings(session)
    links = _links(session)
    # An organisation that posted nothing in week 1 has nothing to join; every other listing should.
    seen = set(linked.values())
    joinable = [listing_id for listing_id, org_key in extra.items() if org_key in seen]
    joined = sum(1 for listing_id in joinable if links[listing_id] in orgs_before)
    assert len(joinable) >= 0.7 * len(extra) and joined >= 0.9 * len(joinable)
    unseen = {org_key for org_key in extra.values() if org_key not in seen}
    assert report.organisations_created <= len(unseen) + 2
    assert pairwise_scores(linked | extra, links).precision >= 0.98


def _biggest_org(session: Session) -> tuple[int, list[int]]:
    counts = Counter(_links(session).values())
    org_id = counts.most_common(1)[0][0]
    return org_id, sorted(i for i, o in _links(session).items() if o == org_id)


def test_manual_split_survives_the_next_linking_run(session: Session, linked: dict[int, str]) -> None:
    org_id, listings = _biggest_org(session)
    moved = listings[: len(listings) // 2]
    new = org_split(
        session, org_id=org_id, listing_ids=moved, reason="two firms share a phone", actor="officer.sz"
    )
    session.commit()
    link_listings(session)
    links = _links(session)
    assert {links[i] for i in moved} == {new.id}
    assert {links[i] for i in listings if i not in moved} == {org_id}
    actions = session.execute(select(AuditEvent.action)).scalars().all()
    assert "org_split" in actions and audit_verify(session).ok


def test_manual_merge_survives_the_next_linking_run(session: Session, linked: dict[int, str]) -> None:
    counts = Counter(_links(session).values())
    (a, _), (b, _) = counts.most_common(2)
    org_merge(session, keep_id=a, merge_id=b, reason="same boss, two phones", actor="officer.nj")
    session.commit()
    report = link_listings(session)
    links = _links(session)
    assert b not in links.values()
    assert session.get(Organisation, b).merged_into_id == a  # type: ignore[union-attr]
    assert report.organisations_created == 0
    pinned = session.execute(
        select(Listing.organisation_confidence).where(Listing.organisation_id == a)
    ).scalars()
    assert set(pinned) == {1.0}
