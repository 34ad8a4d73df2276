"""The organisations behind synthetic ads (ground truth for entity resolution across boards)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from synthetic_ads import ad_parts as parts
from synthetic_ads.ad_parts import City
from synthetic_ads.phrases import job as P
from synthetic_ads.phrases import marriage as M


@dataclass(frozen=True)
class Org:
    """The real-world actor behind ads (ground truth for entity resolution)."""

    key: str
    role: str  # employer | agency | risky_agency | individual | marriage_agency | broker
    names: tuple[str, ...]
    city: City
    county_code: str
    phones: tuple[str, ...]
    wechat_id: str | None
    credit_code: str | None
    licence_no: str | None
    job_type: str | None


def _org_names(
    rng: random.Random, role: str, brand: str, city: City, county: str, job_type: str | None
) -> tuple[str, ...]:
    """Canonical name first, then the varied names the same actor posts under."""
    cshort = city.name[:-1]
    if role in ("agency", "risky_agency"):
        suffix = rng.choice(P.AGENCY_SUFFIXES)
        return (
            f"{cshort}{brand}{suffix}",
            f"{brand}{rng.choice(P.AGENCY_SHORT)}",
            f"{cshort}{brand}劳务",
            f"{brand}人力（{cshort}）",
            f"{parts.COUNTY_NAMES[county][:-1]}{brand}人力资源",
        )
    if role == "employer":
        jt = P.JOB_TYPES[job_type or "pugong"]
        business, suffix = rng.choice(jt["business"]), rng.choice(jt["suffix"])
        return (
            f"{cshort}{brand}{business}{suffix}" if business not in suffix else f"{cshort}{brand}{suffix}",
            f"{brand}{business}",
            f"{cshort}{brand}{suffix[:2]}",
        )
    if role == "individual":
        return (parts.person_name(rng), "某大型电子厂", "个人直招", parts.person_name(rng))
    if role == "marriage_agency":
        return (
            f"{cshort}{brand}{rng.choice(M.MARRIAGE_SUFFIXES)}",
            f"{brand}{rng.choice(M.MARRIAGE_SHORT)}",
            f"{cshort}{brand}婚介",
        )
    surname = rng.choice(P.SURNAMES)
    return (f"{brand}涉外婚介", f"{surname}红娘", f"阿{surname}姐", f"{brand}国际婚恋")


def _make_org(rng: random.Random, index: int, seed: int, role: str) -> Org:
    city = parts.pick_city(rng)
    county = rng.choice(city.counties)[0]
    job_type = rng.choice(tuple(P.JOB_TYPES)) if role in ("employer", "agency") else None
    if role == "risky_agency":
        job_type = rng.choice(
            ("pugong", "dianzichang", "dianzichang", "kuaidi", "fuwuyuan", "gongchang_fengren", "jianzhu")
        )
    brand = rng.choice(P.BRANDS if role not in ("marriage_agency", "broker") else M.MARRIAGE_BRANDS)
    registered = role in ("employer", "agency", "marriage_agency") or (
        role == "risky_agency" and rng.random() < 0.5
    )
    phones = [parts.make_mobile(rng)]
    if role in ("employer", "agency", "marriage_agency"):
        phones.insert(0, parts.make_landline(rng, city))
    return Org(
        key=f"org-{seed}-{index:04d}",
        role=role,
        names=_org_names(rng, role, brand, city, county, job_type),
        city=city,
        county_code=county,
        phones=tuple(phones),
        wechat_id=parts.make_wechat_id(rng) if rng.random() < 0.7 else None,
        credit_code=parts.make_credit_code(rng, county) if registered else None,
        licence_no=parts.make_licence_no(rng, county) if role == "agency" else None,
        job_type=job_type,
    )


def org_pool(rng: random.Random, seed: int, n_job: int, n_marriage: int) -> dict[str, list[Org]]:
    """Organisations by role; each posts several ads, as agencies do."""
    sizes = {
        "employer": max(4, n_job // 4),
        "agency": max(2, n_job // 20),
        "risky_agency": max(2, n_job // 25),
        "individual": max(2, n_job // 30),
        "marriage_agency": max(2, n_marriage // 5),
        "broker": max(2, n_marriage // 10),
    }
    pool: dict[str, list[Org]] = {}
    index = 0
    for role, size in sizes.items():
        pool[role] = []
        for _ in range(size):
            pool[role].append(_make_org(rng, index, seed, role))
            index += 1
    return pool
