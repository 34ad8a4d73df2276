"""The parsers on real listings in ../shared/data: parse rates, cross-checks and Jiangsu coverage."""

from __future__ import annotations

import ast
import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawlers.normalise.age import find_age_requirement
from crawlers.normalise.location import parse_location
from crawlers.normalise.salary import parse_salary
from store.regions import cities
from tests.conftest import needs_real_data

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
LISTINGS = DATA / "listings"
pytestmark = [
    needs_real_data(DATA, "real listings folder"),
]
JIANGSU_CITY_NAMES = {
    "南京",
    "无锡",
    "徐州",
    "常州",
    "苏州",
    "南通",
    "连云港",
    "淮安",
    "盐城",
    "扬州",
    "镇江",
    "泰州",
    "宿迁",
}


def _rows(path: Path, encoding: str = "utf-8") -> Iterator[dict[str, str]]:
    """CSV rows as dicts; a repeated header line (two crawls concatenated) starts a new header."""
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        for row in reader:
            if row and row[0] == header[0]:
                header = row
            elif any(row):
                yield dict(zip(header, row, strict=False))


def _first(listed: str) -> str:
    """51job 2019 stores every field as a Python list literal."""
    try:
        values = ast.literal_eval(listed)
    except (ValueError, SyntaxError):
        return listed
    return str(values[0]) if values else ""


def _zhaopin() -> Iterator[dict[str, str]]:
    for path in sorted((LISTINGS / "zhaopin_jiangsu_2022").glob("*.csv")):
        yield from _rows(path)


def _salary_fields() -> dict[str, list[str]]:
    return {
        "zhaopin_2022": [r["salary60"] for r in _zhaopin()],
        "51job_2023": [r["salary"] for r in _rows(LISTINGS / "51job_2023" / "output_job_51job.csv")],
        "boss_2024": [r["salary"] for r in _rows(LISTINGS / "boss_nanjing_2024" / "boss.csv")],
        "51job_2019": [
            _first(r["薪资"]) for r in _rows(LISTINGS / "51job_2019_gb18030" / "51job.csv", "gb18030")
        ],
        "lagou_2018": [
            r["month_salary"] for r in _rows(LISTINGS / "lagou_2018_gbk" / "lagou.csv", "gb18030")
        ],
    }


@pytest.mark.parametrize("source", ["zhaopin_2022", "51job_2023", "boss_2024", "51job_2019", "lagou_2018"])
def test_salary_parse_rate_on_real_listings(source: str) -> None:
    values = [v for v in _salary_fields()[source] if v.strip()]
    parsed = [parse_salary(v) for v in values]
    understood = [s for s in parsed if s.negotiable or s.min_monthly is not None or s.max_monthly is not None]
    assert len(values) > 400
    assert len(understood) / len(values) >= 0.995, source
    for salary in understood:
        if salary.min_monthly is not None and salary.max_monthly is not None:
            assert salary.min_monthly <= salary.max_monthly


def test_zhaopin_salary_text_agrees_with_its_numeric_field() -> None:
    # salary60 ("6千-8千") and salaryReal ("6001-8000") describe the same range.
    checked = 0
    for row in _zhaopin():
        low, _, high = row["salaryReal"].partition("-")
        if row["salaryType"] != "1" or low in ("", "0"):
            continue
        salary = parse_salary(row["salary60"])
        assert salary.max_monthly == int(high), row["salary60"]
        assert salary.min_monthly is not None and abs(salary.min_monthly - int(low)) <= 1, row["salary60"]
        checked += 1
    assert checked > 2500


def test_every_zhaopin_district_resolves_to_its_city() -> None:
    expected_city = {"南京": "320100", "无锡": "320200", "苏州": "320500"}
    for row in _zhaopin():
        city = expected_city.get(row["workCity"], "320500")  # one 苏州 row says 昆山市
        location = parse_location(f"{row['workCity']} {row['cityDistrict']}")
        assert location.city == city, row["workCity"]
        if row["cityDistrict"]:
            assert location.county is not None, row["cityDistrict"]


def _jiangsu_place_fields() -> list[str]:
    places = [r["area"] for r in _rows(LISTINGS / "51job_2023" / "output_job_51job.csv")]
    places += [_first(r["地区"]) for r in _rows(LISTINGS / "51job_2019_gb18030" / "51job.csv", "gb18030")]
    places += [r["address"] for r in _rows(LISTINGS / "boss_nanjing_2024" / "boss.csv")]
    places += [r["city"] for r in _rows(LISTINGS / "lagou_2018_gbk" / "lagou.csv", "gb18030")]
    return [p for p in places if any(name in p for name in JIANGSU_CITY_NAMES)]


def test_every_jiangsu_city_in_the_listings_resolves() -> None:
    jiangsu_cities = {r.code: r.short for r in cities("320000")}
    places = _jiangsu_place_fields()
    assert len(places) > 1000
    seen = set()
    for place in places:
        location = parse_location(place)
        assert location.province == "320000", place
        assert location.city in jiangsu_cities, place
        assert jiangsu_cities[location.city] in place, place
        seen.add(location.city)
    assert len(seen) >= 8


def test_orfd_addresses_resolve_to_the_city_they_name() -> None:
    # 58.com addresses start with a city ("广州_黄埔_..."); some ads on the 北京 board are in 上海.
    board_city = {"bj": "110100", "sh": "310100", "gz": "440100", "sz": "440300"}
    rows = list(_rows(DATA / "orfd" / "orfd_58_all.csv"))
    right = 0
    for row in rows:
        named = parse_location(row["jobAddr"].split("_")[0]).city
        right += parse_location(row["jobAddr"]).city == (named or board_city[row["jobCity"]])
    on_board = sum(parse_location(r["jobAddr"]).city == board_city[r["jobCity"]] for r in rows)
    assert right / len(rows) >= 0.99
    assert on_board / len(rows) >= 0.9


def test_age_requirements_in_orfd_ads_are_plausible() -> None:
    rows = list(_rows(DATA / "orfd" / "orfd_58_all.csv"))
    found = [find_age_requirement(r["jobDescription"]) for r in rows]
    stated = [a for a in found if a is not None]
    assert len(stated) / len(rows) >= 0.4
    for age in stated:
        assert age.min is None or 8 <= age.min <= 80
        assert age.max is None or 8 <= age.max <= 80
        assert age.min is None or age.max is None or age.min <= age.max
