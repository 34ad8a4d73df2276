"""organisations.merge, .queries and .export: audited merge and split, the market officer's queries, and the exchange export."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import select
from sqlmodel import Session

from organisations.export import EXPORT_FIELDS, EXPORT_SCHEMA_VERSION, export_organisations
from organisations.merge import OrgError, manual_pins, org_merge, org_split
from organisations.queries import flagged_organisations, organisation_profile, region_prefix
from store.audit import audit_verify
from store.models import AuditEvent, Listing, Organisation, Source
from tests.rows import ROWS

FLAG = {
    "code": "unlicensed_agency",
    "detail": "no licence",
    "evidence": {"listing_ids": [], "phrases": ["中介"]},
}


def _org(
    session: Session, name: str, region: str, status: str = "unknown", flags: list | None = None
) -> Organisation:
    return ROWS.organisation(
        session, name, region_code=region, licence_status=status, kind="agency", flags=flags or []
    )


def _listings(session: Session, org: Organisation, n: int, start: int) -> list[int]:
    source = session.execute(select(Source).where(Source.name == "board")).scalar_one_or_none()
    if source is None:
        source = ROWS.source(session, name="board", kind="job")
    rows = [
        ROWS.listing(session, source, key=f"k{start + i}", url=f"http://x/{start + i}", kind="job",
                     employer_name=org.name, content_hash="0" * 64, organisation_id=org.id, organisation_confidence=0.9)
        for i in range(n)
    ]  # fmt: skip
    return [r.id for r in rows]  # type: ignore[misc]


def test_merge_moves_listings_pins_them_and_is_audited(session: Session) -> None:
    a, b = _org(session, "苏州鑫达人力", "320500"), _org(session, "鑫达劳务", "320500")
    la, lb = _listings(session, a, 2, 0), _listings(session, b, 3, 10)
    org_merge(session, keep_id=a.id, merge_id=b.id, reason="同一负责人", actor="officer.sz")  # type: ignore[arg-type]
    session.commit()
    assert session.get(Organisation, b.id).merged_into_id == a.id  # type: ignore[union-attr]
    assert {session.get(Listing, i).organisation_id for i in la + lb} == {a.id}  # type: ignore[union-attr]
    assert manual_pins(session) == {i: a.id for i in la + lb}
    event = session.execute(select(AuditEvent).where(AuditEvent.action == "org_merge")).scalar_one()
    assert event.details["merged"] == b.id and event.actor == "officer.sz"
    assert audit_verify(session).ok
    with pytest.raises(OrgError, match="merged into"):
        org_merge(session, keep_id=a.id, merge_id=b.id, reason="again", actor="x")  # type: ignore[arg-type]


def test_split_creates_a_pinned_organisation(session: Session) -> None:
    a = _org(session, "苏州鑫达人力", "320500")
    ids = _listings(session, a, 4, 0)
    new = org_split(session, org_id=a.id, listing_ids=ids[:1], reason="另一家公司", actor="officer.sz")  # type: ignore[arg-type]
    session.commit()
    assert session.get(Listing, ids[0]).organisation_id == new.id  # type: ignore[union-attr]
    assert new.identifiers["not_same_as"] == [a.id] and a.identifiers["not_same_as"] == [new.id]
    assert manual_pins(session) == {ids[0]: new.id} | {i: a.id for i in ids[1:]}
    assert session.execute(select(AuditEvent.action)).scalars().all() == ["org_split"]
    with pytest.raises(OrgError, match="at least one listing"):
        org_split(session, org_id=new.id, listing_ids=ids[:1], reason="x", actor="x")  # type: ignore[arg-type]
    with pytest.raises(OrgError, match="do not belong"):
        org_split(session, org_id=a.id, listing_ids=[ids[0]], reason="x", actor="x")  # type: ignore[arg-type]
    with pytest.raises(OrgError, match="reason"):
        org_split(session, org_id=a.id, listing_ids=ids[1:2], reason=" ", actor="x")  # type: ignore[arg-type]


def test_flagged_organisations_filter_by_region_and_sort_by_severity(session: Session) -> None:
    sz = _org(session, "苏州甲", "320500", "name_mismatch", [FLAG | {"code": "licence_name_mismatch"}])
    sz2 = _org(session, "苏州乙", "320500", "missing", [FLAG])
    nj = _org(session, "南京丙", "320100", "expired", [FLAG | {"code": "licence_expired"}])
    _org(session, "苏州丁", "320500", "valid")
    _listings(session, sz, 1, 0)
    assert [o.id for o in flagged_organisations(session, region="320500")] == [sz2.id, sz.id]
    assert [o.id for o in flagged_organisations(session, region="320000")] == [sz2.id, nj.id, sz.id]
    assert [o.id for o in flagged_organisations(session, flag_code="licence_expired")] == [nj.id]
    assert flagged_organisations(session, region="320500")[1].listing_count == 1
    assert region_prefix("320000") == "32" and region_prefix("320506") == "320506"


def test_profile_shows_listings_and_history(session: Session) -> None:
    a, b = _org(session, "苏州鑫达人力", "320500"), _org(session, "鑫达劳务", "320500")
    _listings(session, a, 1, 0)
    _listings(session, b, 1, 5)
    org_merge(session, keep_id=a.id, merge_id=b.id, reason="同一电话", actor="officer.sz")  # type: ignore[arg-type]
    profile = organisation_profile(session, a.id)  # type: ignore[arg-type]
    assert profile is not None
    assert profile.summary.listing_count == 2 and profile.merged_from == [b.id]
    assert profile.manual_history[0]["reason"] == "同一电话"
    assert organisation_profile(session, 999_999) is None


def test_export_csv_and_json_follow_the_documented_schema(session: Session) -> None:
    a = _org(session, "苏州鑫达人力", "320500", "missing", [FLAG])
    a.identifiers = {"names": ["苏州鑫达人力", "鑫达劳务"], "phones": ["13812345678"]}
    _org(session, "南京丙", "320100", "valid")
    session.flush()
    rows = list(csv.DictReader(io.StringIO(export_organisations(session, "csv"))))
    assert tuple(rows[0].keys()) == EXPORT_FIELDS and len(rows) == 2
    assert rows[0]["names"] == "苏州鑫达人力|鑫达劳务" and rows[0]["flag_codes"] == "unlicensed_agency"
    assert json.loads(rows[0]["flags"])[0]["code"] == "unlicensed_agency"
    document = json.loads(export_organisations(session, "json", flagged_only=True))
    assert document["version"] == EXPORT_SCHEMA_VERSION and document["schema"] == "labourwatch.organisations"
    assert [o["org_id"] for o in document["organisations"]] == [a.id]
    assert set(document["organisations"][0]) == set(EXPORT_FIELDS)
    with pytest.raises(OrgError):
        export_organisations(session, "xml")


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+86 138 1234 5678", "-1", "@x", "\t=1+1"])
def test_export_csv_neutralises_crawled_names_that_spreadsheets_would_run(
    session: Session, name: str
) -> None:
    org = _org(session, name, "320500")
    org.identifiers = {"names": [name, "苏州鑫达人力"]}
    session.flush()
    row = next(csv.DictReader(io.StringIO(export_organisations(session, "csv"), newline="")))
    assert row["name"] == "'" + name and row["names"] == "'" + name + "|苏州鑫达人力"
    document = json.loads(export_organisations(session, "json"))
    assert document["organisations"][0]["name"] == name  # JSON is data, not a spreadsheet: unchanged


def test_export_csv_neutralises_a_name_starting_with_a_carriage_return(session: Session) -> None:
    _org(session, "\r=1+1", "320500")
    session.flush()
    text = export_organisations(session, "csv")
    assert ',"\'\r=1+1",' in text  # neutralised, and quoted so the carriage return stays in its cell
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 2 and "'\r=1+1" in rows[1]
