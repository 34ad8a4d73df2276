"""The dashboard's map of Jiangsu by city: shipped boundaries, shading, Chinese labels, links in scope only."""

from __future__ import annotations

import re
from typing import Any

from inspection.web.render import jiangsu_map
from store.models import User
from store.regions import cities
from tests.inspection.web.conftest import CaseFactory


def linked_regions(svg: str) -> list[str]:
    return re.findall(r'<a href="/\?region=(\d{6})&amp;', svg)


def map_part(html: str) -> str:
    return html.split('id="city-map"', 1)[1].split("</figure>", 1)[0]


def test_boundary_file_has_the_13_cities() -> None:
    shipped = {city.code: city.name for city in jiangsu_map.cities()}
    assert shipped == {region.code: region.name for region in cities("320000")}
    assert all(len(city.ring) >= 5 and city.ring[0] == city.ring[-1] for city in jiangsu_map.cities())
    assert "非测绘数据" in jiangsu_map.BOUNDARIES.read_text(encoding="utf-8")


def test_shades_and_legend() -> None:
    assert [jiangsu_map.shade_of(v, 40) for v in (0, 1, 10, 11, 30, 40)] == [0, 1, 1, 2, 3, 4]
    assert jiangsu_map.shade_of(3, 0) == 0
    assert jiangsu_map.legend_ranges(40) == [(0, "0"), (1, "1–10"), (2, "11–20"), (3, "21–30"), (4, "31–40")]
    assert jiangsu_map.legend_ranges(0) == [(0, "0")]


def test_province_supervisor_sees_every_city_linked(cases: CaseFactory, login_as: Any) -> None:
    for _ in range(3):
        cases.make(region="320505")
    cases.make(region="320102")
    client, _ = login_as("supervisor")
    html = client.get("/dashboard").text
    svg = map_part(html)
    assert svg.count("<polygon") == 13 and "<script" not in svg
    assert sorted(linked_regions(svg)) == sorted(r.code for r in cities("320000"))
    assert 'href="/?region=320500&amp;status=open"' in svg
    assert ">苏州</text>" in svg and ">3</text>" in svg and ">南京</text>" in svg
    assert 'data-region="320500"' in svg and "shade-4" in svg
    assert "示意图" in html and 'id="map-legend"' in html
    table = html.split('id="map-table"', 1)[1].split("</table>", 1)[0]
    assert '<a href="/?region=320500&amp;status=open">苏州</a></td><td>3</td>' in table


def test_city_supervisor_gets_only_their_city_as_a_link(cases: CaseFactory, login_as: Any) -> None:
    cases.make(region="320505", overdue=True)
    client, _ = login_as("supervisor.sz")
    html = client.get("/dashboard?figure=overdue").text
    svg = map_part(html)
    assert linked_regions(svg) == ["320500"]
    assert 'href="/?region=320500&amp;overdue_only=true"' in svg
    assert svg.count("<polygon") == 13
    assert '南京 <span class="muted">（不在本人辖区）</span>' in html
    assert client.get("/?region=320500&overdue_only=true").status_code == 200


def test_invalid_figure_is_refused(login_as: Any) -> None:
    client, _ = login_as("supervisor")
    assert client.get("/dashboard?figure=<svg>").status_code == 422


def test_map_cells_follow_region_scope() -> None:
    county_user = User(username="c", password_hash="x", role="supervisor", region_code="320505")
    cells = jiangsu_map.map_cells(county_user, {"320500": 2}, "status=open")
    assert all(cell.href is None for cell in cells)
    values = {cell.code: cell.value for cell in cells}
    assert values["320500"] == 2 and values["320100"] is None  # its own city counted, others unknown
