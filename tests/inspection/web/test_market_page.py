"""The market view: filters, search, sort, and task links only to tasks the officer may open."""

from __future__ import annotations

import re
from typing import Any

from tests.inspection.web.conftest import CaseFactory


def org_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr data-org-id="(\d+)"', html)]


def test_market_filters_search_and_sort(cases: CaseFactory, login_as: Any) -> None:
    missing = cases.make(agency="market_regulation", risk_type="illegal_agency", licence_status="missing")
    expired = cases.make(agency="market_regulation", risk_type="illegal_agency", licence_status="expired")
    client, _ = login_as("officer.sz")
    assert set(org_ids(client.get("/market").text)) == {missing.organisation_id, expired.organisation_id}
    only = client.get("/market?licence_status=expired").text
    assert org_ids(only) == [expired.organisation_id] and "共 1 条" in only
    assert org_ids(client.get("/market?flag_code=unlicensed_agency").text) == [missing.organisation_id]
    names = dict(
        re.findall(r'<tr data-org-id="(\d+)"><td data-label="机构">(\S+)', client.get("/market").text)
    )
    name = names[str(expired.organisation_id)]
    assert org_ids(client.get(f"/market?q={name}").text) == [expired.organisation_id]
    by_name = org_ids(client.get("/market?sort=name").text)
    assert by_name == sorted(by_name)
    empty = client.get("/market?q=没有这家").text
    assert 'id="market-clear"' in empty
    assert client.get("/market?sort=drop").status_code == 422


def test_market_links_only_tasks_the_officer_may_open(cases: CaseFactory, login_as: Any) -> None:
    labour = cases.make(agency="labour_inspection")  # the same organisation kind, another agency's task
    client, _ = login_as("officer.sz")
    html = client.get("/market").text
    assert f'href="/tasks/{labour.task_id}"' not in html
    for task_id in re.findall(r'href="/tasks/(\d+)"', html):
        assert client.get(f"/tasks/{task_id}").status_code == 200
