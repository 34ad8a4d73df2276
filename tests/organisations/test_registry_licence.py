"""Licence checks on the demo web's organisations against the generated demo registry files."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session

import organisations.registry.licence
import store.types
from organisations.linking.demo_listings import store_ads_as_listings
from organisations.linking.run import link_listings
from organisations.registry.demo import BROKEN_HR_ROWS, VALID_UNTIL, write_demo_registries
from organisations.registry.importer import import_registry_file
from organisations.registry.licence import check_licences
from organisations.registry.signals import fee_phrases
from store.models import Listing, Organisation
from synthetic_ads.ads import generate_ads


def _org_by_key(session: Session, truth: dict[int, str]) -> dict[str, Organisation]:
    votes: dict[str, Counter[int]] = {}
    for listing_id, org_id in session.execute(select(Listing.id, Listing.organisation_id)):
        votes.setdefault(truth[listing_id], Counter())[org_id] += 1
    return {key: session.get(Organisation, c.most_common(1)[0][0]) for key, c in votes.items()}  # type: ignore[misc]


@pytest.fixture
def demo(session: Session, tmp_path: Path) -> tuple[dict[int, str], Path]:
    truth = store_ads_as_listings(session, generate_ads(2014, 240, 60))
    link_listings(session)
    return truth, tmp_path


def test_demo_files_are_deterministic(tmp_path: Path) -> None:
    first = write_demo_registries(tmp_path / "a")
    second = write_demo_registries(tmp_path / "b")
    for kind in first:
        assert first[kind].read_bytes() == second[kind].read_bytes()
    assert first["hr_agency"].read_bytes().startswith(b"\xef\xbb\xbf")


def test_statuses_match_the_registry_plan(session: Session, demo: tuple[dict[int, str], Path]) -> None:
    truth, folder = demo
    files = write_demo_registries(folder)
    reports = {kind: import_registry_file(session, kind, path) for kind, path in files.items()}
    assert len(reports["hr_agency"].rejected) == BROKEN_HR_ROWS
    assert reports["marriage_agency"].encoding == "gb18030" and not reports["marriage_agency"].rejected
    check_licences(session)
    expected = json.loads((folder / "expected.json").read_text("utf-8"))
    orgs = _org_by_key(session, truth)
    got = {key: orgs[key].licence_status for key in expected}
    assert got == expected
    assert Counter(expected.values())["name_mismatch"] == 1 and Counter(expected.values())["expired"] >= 2


@pytest.mark.parametrize(("utc_time", "status"), [(time(15, 59), "valid"), (time(16, 1), "expired")])
def test_a_licence_lapses_at_the_end_of_its_last_beijing_day(
    session: Session,
    demo: tuple[dict[int, str], Path],
    monkeypatch: pytest.MonkeyPatch,
    utc_time: time,
    status: str,
) -> None:
    truth, folder = demo
    for kind, path in write_demo_registries(folder).items():
        import_registry_file(session, kind, path)
    # 16:01 UTC on a licence's last day is 00:01 the next day in Beijing: it has lapsed there.
    moment = datetime.combine(VALID_UNTIL, utc_time, tzinfo=UTC)
    monkeypatch.setattr(store.types, "utcnow", lambda: moment)
    monkeypatch.setattr(organisations.registry.licence, "utcnow", lambda: moment)
    check_licences(session)
    expected = json.loads((folder / "expected.json").read_text("utf-8"))
    orgs = _org_by_key(session, truth)
    valid = [key for key, was in expected.items() if was == "valid"]
    assert valid and {orgs[key].licence_status for key in valid} == {status}


def test_unlicensed_agencies_are_flagged_with_evidence(
    session: Session, demo: tuple[dict[int, str], Path]
) -> None:
    _truth, folder = demo
    for kind, path in write_demo_registries(folder).items():
        import_registry_file(session, kind, path)
    report = check_licences(session)
    assert report.by_status["missing"] >= 5
    org = (
        session.execute(
            select(Organisation).where(
                Organisation.licence_status == "missing", Organisation.kind == "agency"
            )
        )
        .scalars()
        .first()
    )
    assert org is not None
    flag = next(f for f in org.flags if f["code"] == "unlicensed_agency")
    ids = flag["evidence"]["listing_ids"]
    assert ids and flag["evidence"]["phrases"]
    assert set(session.execute(select(Listing.organisation_id).where(Listing.id.in_(ids))).scalars()) == {
        org.id
    }  # type: ignore[attr-defined]
    brokers = (
        session.execute(
            select(Organisation).where(
                Organisation.kind == "broker", Organisation.licence_status == "missing"
            )
        )
        .scalars()
        .all()
    )
    assert brokers and all(any(f["code"] == "unregistered_marriage_agency" for f in b.flags) for b in brokers)


def test_empty_registry_gives_unknown_not_missing(
    session: Session, demo: tuple[dict[int, str], Path]
) -> None:
    report = check_licences(session)
    assert "missing" not in report.by_status
    assert report.by_status["unknown"] > 0 and report.by_status["not_required"] > 0


def test_fee_phrases_ignore_denials() -> None:
    assert fee_phrases("入职需先交300元押金，做满三个月退还") == ["入职需先交300元押金,做满三个月退还"]
    assert fee_phrases("岗前培训费200元，培训合格后安排上岗")
    assert fee_phrases("公司不收取任何押金和费用，谨防上当受骗。") == []
    assert fee_phrases("包吃住\n工作服由公司免费发放，离职无需赔偿押金。") == []


def test_agency_detection_against_ground_truth(session: Session, demo: tuple[dict[int, str], Path]) -> None:
    ads = {ad.ad_id: ad for ad in generate_ads(2014, 240, 60)}
    check_licences(session)
    agency_like = {"claims_agency", "deposit_fee", "uniform_fee", "training_fee", "training_loan"}
    truth: dict[int, bool] = {}
    for key, org_id in session.execute(select(Listing.key, Listing.organisation_id)):
        ad = ads[key]
        truth[org_id] = truth.get(org_id, False) or (ad.kind == "job" and bool(ad.indicators & agency_like))
    found = {
        o.id: o.kind == "agency" for o in session.execute(select(Organisation)).scalars() if o.id in truth
    }
    tp = sum(1 for i in truth if truth[i] and found[i])
    precision = tp / max(1, sum(found.values()))
    recall = tp / max(1, sum(truth.values()))
    print(f"\nagency detection (organisations): precision {precision:.3f} recall {recall:.3f}")
    assert precision >= 0.9 and recall >= 0.9
