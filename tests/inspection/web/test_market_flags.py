"""The market page and /api/organisations use organisations.queries: each flag shown with its evidence, masked, in region."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session

from store.models import Organisation


def test_market_page_shows_each_flag_with_its_evidence(login_as, cases, db: Engine) -> None:
    missing = cases.make(region="320505", agency="market_regulation", risk_type="illegal_marriage_broker")
    expired = cases.make(region="320505", licence_status="expired")
    fees = cases.make(region="320506", licence_status="valid")  # a licensed agency that charges fees
    with Session(db) as session:
        org = session.get(Organisation, fees.organisation_id)
        assert org is not None
        evidence = {
            "listing_ids": [fees.listing_id],
            "phrases": ["押金300元 联系13812345678"],
            "registry_record": None,
        }
        org.flags = [{"code": "job_seeker_fees", "detail": "<b>收取押金</b>", "evidence": evidence}]
        session.commit()
    client, _ = login_as("officer.sz")
    page = client.get("/market")
    rows = page.context["organisations"]
    # organisations.queries' order: worst licence status first (missing, expired, ...), then the rest
    assert [r.id for r in rows] == [missing.organisation_id, expired.organisation_id, fees.organisation_id]
    first = rows[0].flags[0]
    assert first.code == "unlicensed_agency" and first.listing_ids == [missing.listing_id]
    assert first.phrases == ["介绍工作", "收取押金"] and first.registry_record is None
    assert rows[1].flags[0].registry_record["licence_no"] == "320500-2020-01"
    assert "无证职业中介" in page.text and "许可证已过期" in page.text and "320500-2020-01" in page.text
    assert f'data-listing-id="{missing.listing_id}"' in page.text
    assert "13812345678" not in page.text and "138****5678" in page.text  # phrases quote ads: masked
    assert "<b>收取押金" not in page.text and "&lt;b&gt;" in page.text
    api = client.get("/api/organisations").json()
    assert api[2]["flags"][0]["code"] == "job_seeker_fees" and api[2]["flags"][0]["listing_ids"] == [
        fees.listing_id
    ]
    only_fees = client.get("/api/organisations?flag_code=job_seeker_fees").json()
    assert [o["id"] for o in only_fees] == [fees.organisation_id]
    only_expired = client.get("/api/organisations?licence_status=expired").json()
    assert [o["id"] for o in only_expired] == [expired.organisation_id]
    assert client.get("/api/organisations?licence_status=bogus").status_code == 422


def test_flags_stay_in_region(login_as, cases) -> None:
    cases.make(region="320102")
    client, _ = login_as("officer.sz")
    assert client.get("/api/organisations").json() == []
    nanjing, _ = login_as("officer.nj")
    assert len(nanjing.get("/api/organisations").json()) == 1
