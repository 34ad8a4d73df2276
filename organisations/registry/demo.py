"""Demo registry files for the demo web's organisations (synthetic_ads.ads), generated deterministically.

Three files the way authorities publish them, each in a different encoding so the importer's charset
detection is exercised: ``hr_agency.csv`` (UTF-8 with BOM), ``marriage_agency.csv`` (GBK) and
``business.csv`` (UTF-8). Licensed agencies are mostly valid, about a quarter expired and one registered
under another name; agencies that post without a licence are left out; registered marriage agencies are
in (one expired), brokers are not. ``hr_agency.csv`` also carries five deliberately broken rows (bad
check digit, reversed dates, bad date, missing licence number, conflicting duplicate) to show the
validation report. ``expected.json`` maps each org_key to the licence status the checks should give.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from store.csvout import csv_text
from synthetic_ads.ad_parts import make_credit_code
from synthetic_ads.ads import Ad, generate_ads

HR_HEADER = ("许可证编号", "机构名称", "统一社会信用代码", "地址", "服务范围", "发证日期", "有效期至")
MARRIAGE_HEADER = (
    "登记编号",
    "机构名称",
    "统一社会信用代码",
    "地址",
    "经营范围",
    "登记日期",
    "有效期至",
    "登记状态",
)
BUSINESS_HEADER = ("统一社会信用代码", "企业名称", "注册地址", "经营范围", "登记状态", "成立日期", "注册资本")
# A valid demo licence runs to the end of the fourth year from now (a fixed year would lapse with time).
VALID_UNTIL = date(date.today().year + 4, 12, 31)
EXPIRED_ON = date(2024, 12, 31)
BROKEN_HR_ROWS = 5


@dataclass
class DemoOrg:
    """What the ads show of one organisation."""

    key: str
    names: list[str] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)
    licence: str | None = None
    credit: str | None = None
    city: str = ""
    county: str = ""
    address: str = ""

    @property
    def legal_name(self) -> str:
        legal = [n for n in self.names if n.endswith("公司") or n.endswith("所")]
        return max(legal or self.names, key=lambda n: (len(n), n))


def demo_orgs(ads: list[Ad]) -> dict[str, DemoOrg]:
    """Organisations by org_key, with the identifiers their ads show."""
    orgs: dict[str, DemoOrg] = defaultdict(lambda: DemoOrg(""))
    for ad in ads:
        org = orgs[ad.org_key]
        org.key = ad.org_key
        org.names += [ad.employer] if ad.employer not in org.names else []
        org.kinds.add(ad.kind)
        org.licence = org.licence or ad.licence_no
        org.credit = org.credit or ad.credit_code
        org.city, org.county = ad.city_code, org.county or (ad.county_code or "")
        org.address = org.address or ad.location_text
    return dict(sorted(orgs.items()))


def _csv_text(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    return csv_text([header, *rows])


def _credit(rng: random.Random, org: DemoOrg) -> str:
    return org.credit or make_credit_code(rng, org.county or org.city)


def _is_marriage_agency(org: DemoOrg) -> bool:
    return "marriage" in org.kinds and any(n.endswith(("公司", "婚介所")) for n in org.names)


def _hr_rows(rng: random.Random, orgs: dict[str, DemoOrg], expected: dict[str, str]) -> list[tuple[str, ...]]:
    licensed = [o for o in orgs.values() if o.licence]
    rows: list[tuple[str, ...]] = []
    for index, org in enumerate(licensed):
        name, valid_to, status = org.legal_name, VALID_UNTIL, "valid"
        if index == 0:  # one agency advertises under a name that is not the licensed one
            name, status = (
                "江苏" + ("诚远" if "诚远" not in org.legal_name else "弘远") + "人力资源有限公司",
                "name_mismatch",
            )
        elif rng.random() < 0.25:
            valid_to, status = EXPIRED_ON, "expired"
        issued = date(valid_to.year - 5, rng.randint(1, 12), rng.randint(1, 28))
        scope = "职业介绍、人才供求信息的收集和发布、劳务派遣"
        rows.append(
            (
                org.licence or "",
                name,
                _credit(rng, org),
                org.address,
                scope,
                issued.isoformat(),
                valid_to.isoformat(),
            )
        )
        expected[org.key] = status
    return rows


def _broken_hr_rows(rows: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Five rows the validation report must name (one per reason)."""
    good = rows[-1]
    bad_check = good[2][:-1] + ("0" if good[2][-1] != "0" else "1")
    return [
        (
            "（苏）人服证字〔2020〕第99000001号",
            "南京示例坏校验位人力资源有限公司",
            bad_check,
            "",
            "",
            "2020-01-01",
            "2025-12-31",
        ),
        (
            "（苏）人服证字〔2020〕第99000002号",
            "无锡示例日期颠倒劳务有限公司",
            "",
            "",
            "",
            "2026-01-01",
            "2021-01-01",
        ),
        (
            "（苏）人服证字〔2020〕第99000003号",
            "常州示例坏日期人力资源有限公司",
            "",
            "",
            "",
            "2020-13-45",
            "",
        ),
        ("", "徐州示例无编号劳务派遣有限公司", "", "", "", "2020-01-01", "2030-01-01"),
        (good[0], good[1] + "（重复）", good[2], good[3], good[4], good[5], good[6]),
    ]


def _marriage_rows(
    rng: random.Random, orgs: dict[str, DemoOrg], expected: dict[str, str]
) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for index, org in enumerate(o for o in orgs.values() if _is_marriage_agency(o)):
        expired = index == 1
        valid_to = EXPIRED_ON if expired else VALID_UNTIL
        number = f"苏婚介登字{2015 + index % 8}{index + 1:04d}"
        rows.append(
            (number, org.legal_name, _credit(rng, org), org.address, "婚姻介绍服务", f"{valid_to.year - 5}-03-01",
             valid_to.isoformat(), "注销" if expired else "存续")
        )  # fmt: skip
        expected[org.key] = "expired" if expired else "valid"
    return rows


def _business_rows(rng: random.Random, orgs: dict[str, DemoOrg]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for org in orgs.values():
        if org.credit and not org.licence and "job" in org.kinds:
            status = "注销" if rng.random() < 0.05 else "存续（在营、开业、在册）"
            founded = date(rng.randint(2000, 2021), rng.randint(1, 12), rng.randint(1, 28))
            capital = f"{rng.choice((50, 100, 200, 500, 1000))}万元人民币"
            rows.append((org.credit, org.legal_name, org.address, "", status, founded.isoformat(), capital))
    return rows


def write_demo_registries(
    folder: Path, *, seed: int = 2014, n_job: int = 240, n_marriage: int = 60
) -> dict[str, Path]:
    """Write the demo registry files for generate_ads(seed, n_job, n_marriage) into FOLDER."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    orgs = demo_orgs(generate_ads(seed, n_job, n_marriage))
    rng, expected = random.Random(f"registry:{seed}"), dict[str, str]()
    hr = _hr_rows(rng, orgs, expected)
    files = {
        "hr_agency": (folder / "hr_agency.csv", _csv_text(HR_HEADER, hr + _broken_hr_rows(hr)), "utf-8-sig"),
        "marriage_agency": (folder / "marriage_agency.csv", _csv_text(MARRIAGE_HEADER, _marriage_rows(rng, orgs, expected)), "gbk"),
        "business": (folder / "business.csv", _csv_text(BUSINESS_HEADER, _business_rows(rng, orgs)), "utf-8"),
    }  # fmt: skip
    for path, text, encoding in files.values():
        path.write_bytes(text.encode(encoding))
    (folder / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=1, sort_keys=True), "utf-8"
    )
    return {kind: path for kind, (path, _text, _enc) in files.items()}
