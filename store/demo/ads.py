"""Deterministic synthetic Chinese job and matchmaking ads with ground truth (fields, indicators, labels).

Every ad is synthetic (``synthetic=True``) and generated from a seeded ``random.Random``: the same seed
gives identical output. Most ads are ordinary; a realistic minority (~15-20%) is written the way real
illegal ads are written. Indicators are ground truth chosen by the generator, not keyword hits.

Indicators and the law behind them:

- deposit_fee, uniform_fee, training_fee, training_loan: fees, deposits or loans taken from job seekers
  (押金, 保证金, 报名费, 体检费, 服装费, 培训费, 招转培 loans). 劳动合同法 第九条 forbids employers to
  demand guarantees or property; 人力资源市场暂行条例 第二十五条 / 就业服务与就业管理规定 第十四条 forbid
  intermediaries to take deposits or fees beyond the approved scale.
- id_card_kept, wages_withheld: 劳动合同法 第九条 (no retention of ID documents) and 第三十条 / 工资支付
  暂行规定 (wages paid in full and on time). no_freedom, debt_bondage: 劳动法 第九十六条, 刑法 第244条
  (强迫劳动罪). intellectually_disabled: recruitment of people with intellectual disabilities for closed
  workplaces, a known forced-labour pattern (刑法 第244条; 残疾人保障法 第三十八条).
- under_16: 禁止使用童工规定 (国务院令第364号) 第二条, 劳动法 第十五条: no employment under 16.
- claims_agency, no_licence_shown: the poster acts as an intermediary; 就业促进法 第四十条 and
  人力资源市场暂行条例 第十八条 require a 人力资源服务许可证 for job-placement services, and 第二十六条
  requires the licence to be shown.
- pay_far_above_norm, contact_only_phone_wechat, no_company_named: weak signals of recruitment fraud
  (就业服务与就业管理规定 第十四条: no false recruitment information).
- cross_border_bride: 刑法 第240条 (拐卖妇女) and 中国反对拐卖人口行动计划（2021—2030年）: sales of
  foreign brides; 婚姻登记条例 / 涉外婚姻介绍 is forbidden to ordinary agencies.
- bride_under_20, virgin_offer: 民法典 第1047条 (marriage age 22 for men, 20 for women); offering
  "virgins" treats women as goods (妇女权益保障法 第十九条 / 第二十条).
- guaranteed_success, large_fee, unregistered_marriage_agency: 婚姻介绍 fraud (刑法 第266条, 消费者权益
  保护法), unregistered business (市场主体登记管理条例).

Label rules (``derive_labels``):

- illegal_agency (job ads): any fee, coercion or disability indicator, or claims_agency together with
  no_licence_shown (an unlicensed intermediary).
- child_labour (job ads): under_16.
- illegal_marriage_broker (marriage ads): cross_border_bride, bride_under_20 or virgin_offer; or
  guaranteed_success together with large_fee or unregistered_marriage_agency.

Pay truth is monthly CNY: a day rate is multiplied by 21.75, an hourly rate by 174; "面议" is None.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from store.demo import ad_parts as parts
from store.demo import phrases as P
from store.demo import phrases_marriage as M
from store.demo.ad_parts import PROVINCE_CODE, City

INDICATORS: tuple[str, ...] = (
    "deposit_fee",
    "training_fee",
    "uniform_fee",
    "training_loan",
    "id_card_kept",
    "wages_withheld",
    "no_freedom",
    "debt_bondage",
    "under_16",
    "intellectually_disabled",
    "pay_far_above_norm",
    "contact_only_phone_wechat",
    "no_company_named",
    "no_licence_shown",
    "claims_agency",
    "cross_border_bride",
    "bride_under_20",
    "guaranteed_success",
    "virgin_offer",
    "large_fee",
    "unregistered_marriage_agency",
)
RISK_TYPES: tuple[str, ...] = ("illegal_agency", "child_labour", "illegal_marriage_broker")
FEE_INDICATORS = frozenset({"deposit_fee", "training_fee", "uniform_fee", "training_loan"})
COERCION_INDICATORS = frozenset(
    {"id_card_kept", "wages_withheld", "no_freedom", "debt_bondage", "intellectually_disabled"}
)
BROKER_CORE = frozenset({"cross_border_bride", "bride_under_20", "virgin_offer"})
LATEST_POSTED = date(2025, 6, 30)


@dataclass(frozen=True)
class Ad:
    """One synthetic ad as printed, with the ground truth behind it."""

    ad_id: str
    kind: str
    title: str
    body: str
    employer: str
    org_key: str
    contact_text: str
    phones: tuple[str, ...]
    wechat_ids: tuple[str, ...]
    salary_text: str
    salary_min: int | None
    salary_max: int | None
    age_text: str
    age_min: int | None
    age_max: int | None
    location_text: str
    province_code: str
    city_code: str
    county_code: str | None
    posted: date
    licence_no: str | None
    credit_code: str | None
    indicators: frozenset[str]
    labels: dict[str, bool] = field(hash=False)
    job_type: str | None = None
    synthetic: bool = True


@dataclass(frozen=True)
class LabelledExample:
    """A training text with its labels and where it came from."""

    text: str
    kind: str
    labels: dict[str, bool] = field(hash=False)
    indicators: frozenset[str]
    provenance: str


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


def derive_labels(kind: str, indicators: frozenset[str]) -> dict[str, bool]:
    """Risk-type labels from indicators, by the rules in the module docstring."""
    job = kind == "job"
    agency = (
        bool(indicators & (FEE_INDICATORS | COERCION_INDICATORS))
        or {
            "claims_agency",
            "no_licence_shown",
        }
        <= indicators
    )
    broker = bool(indicators & BROKER_CORE) or (
        "guaranteed_success" in indicators
        and bool(indicators & {"large_fee", "unregistered_marriage_agency"})
    )
    return {
        "illegal_agency": job and agency,
        "child_labour": job and "under_16" in indicators,
        "illegal_marriage_broker": (not job) and broker,
    }


# --------------------------------------------------------------------------------------------------
# Organisations


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


def _org_pool(rng: random.Random, seed: int, n_job: int, n_marriage: int) -> dict[str, list[Org]]:
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


# --------------------------------------------------------------------------------------------------
# Archetypes: (name, weight, org roles, fixed indicators, optional indicators with probability)

JOB_ARCHETYPES = {
    "employer": ("employer",),
    "licensed_agency": ("agency",),
    "legal_deposit": ("employer", "agency"),
    "summer_adult": ("employer", "agency"),
    "fee_agency": ("risky_agency",),
    "coercion": ("risky_agency", "individual"),
    "child": ("risky_agency", "individual"),
    "training_loan": ("risky_agency",),
    "high_pay": ("individual",),
    "disabled": ("individual", "risky_agency"),
}
MARRIAGE_ARCHETYPES = {
    "agency_service": ("marriage_agency",),
    "event": ("marriage_agency",),
    "member_profile": ("marriage_agency",),
    "cross_border": ("broker",),
    "minor_bride": ("broker",),
    "guaranteed": ("broker", "marriage_agency"),
}
ADS_JOB_MIX = {
    "employer": 62,
    "licensed_agency": 14,
    "legal_deposit": 4,
    "summer_adult": 3,
    "fee_agency": 6,
    "coercion": 3,
    "child": 4,
    "training_loan": 1.5,
    "high_pay": 2,
    "disabled": 0.5,
}
ADS_MARRIAGE_MIX = {
    "agency_service": 35,
    "event": 25,
    "member_profile": 22,
    "cross_border": 9,
    "minor_bride": 4,
    "guaranteed": 5,
}
CORPUS_JOB_MIX = {
    "employer": 35,
    "licensed_agency": 10,
    "legal_deposit": 13,
    "summer_adult": 12,
    "fee_agency": 9,
    "coercion": 4,
    "child": 12,
    "training_loan": 2,
    "high_pay": 2,
    "disabled": 1,
}
CORPUS_MARRIAGE_MIX = {
    "agency_service": 28,
    "event": 22,
    "member_profile": 20,
    "cross_border": 14,
    "minor_bride": 8,
    "guaranteed": 8,
}


def _risky_job_indicators(rng: random.Random, archetype: str) -> set[str]:
    """The illegal practices an ad of this archetype states (chosen, not detected)."""
    chosen: set[str] = set()
    if archetype == "fee_agency":
        chosen |= set(rng.sample(("deposit_fee", "uniform_fee", "training_fee"), rng.choice((1, 1, 2))))
        if rng.random() < 0.3:
            chosen.add("id_card_kept")
    elif archetype == "coercion":
        chosen |= set(
            rng.sample(("id_card_kept", "wages_withheld", "no_freedom", "debt_bondage"), rng.choice((2, 3)))
        )
    elif archetype == "child":
        chosen.add("under_16")
        chosen |= {"deposit_fee"} if rng.random() < 0.3 else set()
        chosen |= {"no_freedom"} if rng.random() < 0.2 else set()
    elif archetype == "training_loan":
        chosen |= {"training_loan"} | ({"training_fee"} if rng.random() < 0.5 else set())
    elif archetype == "high_pay":
        chosen.add("pay_far_above_norm")
        chosen |= {"deposit_fee"} if rng.random() < 0.5 else set()
    elif archetype == "disabled":
        chosen |= {"intellectually_disabled", "no_freedom"} | (
            {"wages_withheld"} if rng.random() < 0.5 else set()
        )
    return chosen


# --------------------------------------------------------------------------------------------------
# Job ads


class _Writer:
    """Writes ads for one seed; holds the rng and the organisation pool."""

    def __init__(self, seed: int, n_job: int, n_marriage: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.pool = _org_pool(self.rng, seed, n_job, n_marriage)

    def pick_org(self, roles: tuple[str, ...]) -> Org:
        # A skewed choice so some organisations post many ads (reposts), most post a few.
        orgs = self.pool[self.rng.choice(roles)]
        return orgs[
            min(int(self.rng.paretovariate(1.2)) - 1, len(orgs) - 1)
            if self.rng.random() < 0.4
            else self.rng.randrange(len(orgs))
        ]

    def posted(self) -> date:
        return LATEST_POSTED - timedelta(days=self.rng.randrange(90))

    def job_ad(self, ad_id: str, archetype: str) -> Ad:
        rng = self.rng
        org = self.pick_org(JOB_ARCHETYPES[archetype])
        risk = _risky_job_indicators(rng, archetype)
        job_type = org.job_type or rng.choice(("pugong", "dianzichang", "kuaidi", "fuwuyuan"))
        if archetype in ("child", "summer_adult") and rng.random() < 0.7:
            job_type = rng.choice(("dianzichang", "pugong", "fuwuyuan"))
        spec = P.JOB_TYPES[job_type]
        county = org.county_code if rng.random() < 0.6 else rng.choice(org.city.counties)[0]
        salary_text, smin, smax = self._job_salary(spec, job_type, "pay_far_above_norm" in risk)
        if "under_16" in risk:
            age_text, amin, amax = rng.choice(P.UNDER_16_AGES)
        elif archetype == "summer_adult":
            age_text, amin, amax = rng.choice(
                (("18周岁以上", 18, None), ("18-25岁", 18, 25), ("年满18周岁", 18, None))
            )
        else:
            age_text, amin, amax = parts.ordinary_age(rng)
        if smin is not None and smin >= 2 * spec["norm"][0]:
            risk.add("pay_far_above_norm")
        no_company = org.role == "individual"
        claims_agency = org.role in ("agency", "risky_agency") or (no_company and rng.random() < 0.4)
        show_licence = org.role == "agency"
        show_address = rng.random() < (0.92 if org.role in ("employer", "agency") else 0.35)
        show_credit = org.credit_code is not None and rng.random() < (0.35 if org.role == "employer" else 0.6)
        indicators = set(risk)
        indicators |= {"claims_agency"} if claims_agency else set()
        indicators |= {"no_licence_shown"} if claims_agency and not show_licence else set()
        indicators |= {"no_company_named"} if no_company else set()
        indicators |= {"contact_only_phone_wechat"} if not show_address else set()
        employer = self._display_name(org)
        contact_text, phones, wechats = self._contact(org, obfuscate=bool(risk) and rng.random() < 0.6)
        location_text, county_code = self._location(org.city, county)
        title = self._job_title(rng.choice(spec["titles"]), org.city, county, salary_text, risk, archetype)
        body = self._job_body(
            org,
            spec,
            archetype,
            risk,
            employer,
            salary_text,
            age_text,
            contact_text,
            location_text if show_address else None,
            claims_agency,
            show_credit,
        )
        style_trad, style_fw = rng.random() < 0.04, rng.random() < 0.08
        frozen = frozenset(indicators)
        return Ad(
            ad_id=ad_id,
            kind="job",
            title=parts.styled(title, style_trad, style_fw),
            body=parts.styled(body, style_trad, style_fw),
            employer=employer,
            org_key=org.key,
            contact_text=parts.styled(contact_text, style_trad, style_fw),
            phones=phones,
            wechat_ids=wechats,
            salary_text=parts.styled(salary_text, style_trad, style_fw),
            salary_min=smin,
            salary_max=smax,
            age_text=parts.styled(age_text, style_trad, style_fw),
            age_min=amin,
            age_max=amax,
            location_text=location_text,
            province_code=PROVINCE_CODE,
            city_code=org.city.code,
            county_code=county_code,
            posted=self.posted(),
            licence_no=org.licence_no if show_licence else None,
            credit_code=org.credit_code if show_credit else None,
            indicators=frozen,
            labels=derive_labels("job", frozen),
            job_type=job_type,
        )

    def _job_salary(self, spec: dict, job_type: str, high: bool) -> tuple[str, int | None, int | None]:
        rng = self.rng
        nmin, nmax = spec["norm"]
        if high:
            lo = max(10000, round(nmin * rng.uniform(2.0, 3.2) / 500) * 500)
            return rng.choice(
                (
                    (f"{lo}-{lo * 2}元/月", lo, lo * 2),
                    ("月薪过万", 10000, None),
                    (
                        f"日结{round(lo / 21.75 / 50) * 50 + 50}-800",
                        round((round(lo / 21.75 / 50) * 50 + 50) * 21.75),
                        17400,
                    ),
                    (f"月入{lo // 10000}-3万", lo // 10000 * 10000, 30000),
                )
            )
        lo = round(rng.uniform(0.85 * nmin, 0.85 * nmax) / 100) * 100
        hi = lo + rng.choice((500, 1000, 1500, 2000, 3000))
        unit = "month"
        if job_type in ("kuaidi", "jianzhu", "fuwuyuan", "pugong") and rng.random() < 0.2:
            unit = rng.choice(("day", "day", "hour"))
        return parts.salary_wording(rng, lo, hi, unit)

    def _display_name(self, org: Org) -> str:
        rng = self.rng
        if org.role == "individual":
            return org.names[0] if rng.random() < 0.6 else rng.choice(org.names[1:])
        return org.names[0] if rng.random() < 0.5 else rng.choice(org.names[1:])

    def _contact(self, org: Org, obfuscate: bool) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
        """Contact line as printed, plus the true phones and WeChat IDs it contains."""
        rng = self.rng
        phones = [p for p in org.phones if rng.random() < 0.75] or [org.phones[-1]]
        person = org.names[0] if org.role == "individual" else parts.person_name(rng)
        pieces = [f"{person}{rng.choice(('：', ' ', '，电话：', ' 手机'))}"]
        pieces.append("、".join(parts.render_phone(rng, p, obfuscate) for p in phones))
        wechats: list[str] = []
        mobile = next((p for p in phones if "-" not in p), None)
        if org.wechat_id and rng.random() < 0.7:
            wechats.append(org.wechat_id)
            pieces.append("，" + parts.render_wechat(rng, org.wechat_id, False, obfuscate))
        elif mobile and rng.random() < 0.4:
            wechats.append(mobile)
            pieces.append(" " + parts.render_wechat(rng, mobile, True, obfuscate))
        return "".join(pieces), tuple(phones), tuple(wechats)

    def _location(self, city: City, county: str) -> tuple[str, str | None]:
        rng = self.rng
        if rng.random() < 0.15:
            return city.name, None
        town = rng.choice(P.PARKS)
        street = rng.choice(("", town, f"{town}{rng.randint(1, 99)}号"))
        return f"{city.name}{parts.COUNTY_NAMES[county]}{street}", county

    def _job_title(
        self, title: str, city: City, county: str, salary: str, risk: set[str], archetype: str
    ) -> str:
        rng = self.rng
        place = rng.choice((city.name[:-1], parts.COUNTY_NAMES[county][:-1], ""))
        hooks = ["包吃住", "五险一金", "急招", "长白班", "正式工", "可预支", "缴纳社保", "双休"]
        if salary[:1].isdigit():
            hooks.append(f"月入{salary}")
        if risk:
            hooks += ["高薪", "日结", "无需经验", "今天报名明天上班", "不限学历"]
        if archetype == "child":
            hooks += ["学生工", "暑假工", "寒假工", "小时工"]
        chosen = rng.sample(hooks, rng.randint(1, 3))
        sep = rng.choice((" ", "，", "|", "/"))
        return (
            rng.choice(P.NOISE_OPENERS if risk else ("", "", "", "【急招】"))
            + place
            + title
            + sep
            + sep.join(chosen)
        )

    def _job_body(
        self,
        org: Org,
        spec: dict,
        archetype: str,
        risk: set[str],
        employer: str,
        salary: str,
        age: str,
        contact: str,
        address: str | None,
        claims_agency: bool,
        show_credit: bool,
    ) -> str:
        rng = self.rng
        paras = [self._job_intro(org, spec, archetype, risk, employer, show_credit)]
        duties = (
            P.DUTY_HEADERS[rng.randrange(len(P.DUTY_HEADERS))]
            + "\n"
            + parts.numbered(rng, rng.sample(spec["duties"], min(len(spec["duties"]), rng.randint(2, 4))))
        )
        age_line = age if age.startswith(("年", "男")) else f"年龄{age}"
        reqs = [age_line, rng.choice(P.EDUCATION), *rng.sample(P.REQUIREMENTS, rng.randint(1, 4))]
        reqs += [rng.choice(P.UNDER_16_LINES)] if "under_16" in risk else []
        reqs += [rng.choice(P.INTELLECTUALLY_DISABLED)] if "intellectually_disabled" in risk else []
        requirements = rng.choice(P.REQUIREMENT_HEADERS) + "\n" + parts.numbered(rng, reqs)
        middle = [duties, requirements] if rng.random() < 0.7 else [requirements, duties]
        if "pay_far_above_norm" in risk and rng.random() < 0.5:
            middle = [requirements]
        paras += middle
        paras.append(self._benefits(salary, risk, archetype))
        fees = self._risky_lines(risk)
        if fees:
            paras.append(
                rng.choice(("注意事项：", "入职须知：", "说明：", ""))
                + "；".join(fees)
                + rng.choice(("。", "！", ""))
            )
        closing = [rng.choice(P.APPLY_LINES)] if address or rng.random() < 0.5 else []
        closing.append(rng.choice(P.CONTACT_HEADERS) + contact)
        if address:
            closing.append(rng.choice(("地址：", "面试地点：", "工作地点：")) + address)
        if risk and rng.random() < 0.4:
            closing.append(rng.choice(P.CONTACT_ONLY_LINES))
        paras.append("\n".join(closing) + rng.choice(P.NOISE_CLOSERS if risk else ("", "", "。")))
        return "\n\n".join(paras)

    def _job_intro(
        self, org: Org, spec: dict, archetype: str, risk: set[str], employer: str, show_credit: bool
    ) -> str:
        rng = self.rng
        city = org.city.name
        if archetype == "high_pay":
            return rng.choice(P.HIGH_PAY_LINES) + rng.choice(("！", "!!", "，", "～"))
        if org.role == "agency":
            return rng.choice(P.AGENCY_INTROS).format(name=org.names[0], licence=org.licence_no, city=city)
        if org.role in ("risky_agency", "individual"):
            return rng.choice(P.RISKY_AGENCY_INTROS).format(city=city, short=employer)
        text = rng.choice(P.INTROS).format(
            name=employer,
            year=rng.randint(1995, 2021),
            place=city + parts.COUNTY_NAMES[org.county_code] + rng.choice(P.PARKS),
            business=rng.choice(spec["business"]),
            ownership=rng.choice(P.OWNERSHIPS),
            staff=rng.choice((80, 200, 500, 1200, 3000)),
            revenue=rng.choice((2, 5, 10, 30)),
        )
        if show_credit:
            text += f"（统一社会信用代码：{org.credit_code}）"
        return text

    def _benefits(self, salary: str, risk: set[str], archetype: str) -> str:
        rng = self.rng
        pay = rng.choice(
            (f"薪资：{salary}", f"工资{salary}", f"综合收入：{salary}", f"待遇：{salary}，按时发放")
        )
        perks = rng.sample(P.BENEFITS, rng.randint(2, 6))
        lines = [pay, rng.choice(("、", "，", " ", "+")).join(perks), "工作时间：" + rng.choice(P.SHIFTS)]
        if archetype == "legal_deposit":
            lines.append(rng.choice(P.LEGAL_DEPOSIT_NEGATIVES))
        if archetype == "summer_adult":
            lines.append(rng.choice(P.SUMMER_ORDINARY))
        return rng.choice(P.BENEFIT_HEADERS) + "\n" + "\n".join(lines)

    def _risky_lines(self, risk: set[str]) -> list[str]:
        rng = self.rng
        banks = {
            "deposit_fee": P.DEPOSIT_FEE,
            "uniform_fee": P.UNIFORM_FEE,
            "training_fee": P.TRAINING_FEE,
            "training_loan": P.TRAINING_LOAN,
            "id_card_kept": P.ID_CARD_KEPT,
            "wages_withheld": P.WAGES_WITHHELD,
            "no_freedom": P.NO_FREEDOM,
            "debt_bondage": P.DEBT_BONDAGE,
        }
        lines = [
            rng.choice(banks[name]).format(fee=rng.choice((100, 150, 200, 300, 350, 500, 800)))
            for name in sorted(risk)
            if name in banks
        ]
        rng.shuffle(lines)
        return lines

    # ----------------------------------------------------------------------------------------------
    # Marriage ads

    def marriage_ad(self, ad_id: str, archetype: str) -> Ad:
        rng = self.rng
        org = self.pick_org(MARRIAGE_ARCHETYPES[archetype])
        county = org.county_code
        indicators: set[str] = set()
        if org.role == "broker":
            indicators.add("unregistered_marriage_agency")
        writer = {
            "agency_service": self._m_service,
            "event": self._m_event,
            "member_profile": self._m_profile,
            "cross_border": self._m_cross_border,
            "minor_bride": self._m_minor,
            "guaranteed": self._m_guaranteed,
        }[archetype]
        title, paras, age_text, amin, amax = writer(org, indicators)
        show_credit = org.credit_code is not None and rng.random() < 0.75
        if show_credit:
            paras.insert(1, f"统一社会信用代码：{org.credit_code}")
        contact_text, phones, wechats = self._contact(
            org, obfuscate=org.role == "broker" and rng.random() < 0.7
        )
        location_text, county_code = self._location(org.city, county)
        show_address = org.role == "marriage_agency" and rng.random() < 0.8
        if not show_address:
            indicators.add("contact_only_phone_wechat")
        paras.append(
            rng.choice(("联系：", "咨询热线：", "报名：", ""))
            + contact_text
            + (f"\n地址：{location_text}" if show_address else "")
        )
        employer = self._display_name(org)
        frozen = frozenset(indicators)
        trad = rng.random() < 0.04
        return Ad(
            ad_id=ad_id,
            kind="marriage",
            title=parts.styled(title, trad, False),
            body=parts.styled("\n\n".join(paras), trad, False),
            employer=employer,
            org_key=org.key,
            contact_text=contact_text,
            phones=phones,
            wechat_ids=wechats,
            salary_text="",
            salary_min=None,
            salary_max=None,
            age_text=age_text,
            age_min=amin,
            age_max=amax,
            location_text=location_text,
            province_code=PROVINCE_CODE,
            city_code=org.city.code,
            county_code=county_code,
            posted=self.posted(),
            licence_no=None,
            credit_code=org.credit_code if show_credit else None,
            indicators=frozen,
            labels=derive_labels("marriage", frozen),
        )

    def _m_intro(self, org: Org) -> str:
        rng = self.rng
        return (
            rng.choice(M.ORDINARY_INTROS)
            .format(
                name=org.names[0],
                city=org.city.name,
                credit=org.credit_code or "",
                years=rng.randint(3, 20),
                year=rng.randint(2003, 2020),
                place=parts.COUNTY_NAMES[org.county_code] + rng.choice(("万达广场", "步行街", "商务楼")),
                pairs=rng.choice((300, 800, 1500, 3000)),
            )
            .replace("（统一社会信用代码）", "")
        )

    def _m_fee_line(self) -> str:
        template, fees = self.rng.choice(M.ORDINARY_FEES)
        return template.format(fee=self.rng.choice(fees))

    def _m_title(self, org: Org, age: int = 30) -> str:
        rng = self.rng
        return rng.choice(M.ORDINARY_TITLES).format(
            city=org.city.name[:-1],
            district=parts.COUNTY_NAMES[org.county_code],
            brand=rng.choice(org.names[1:]),
            age=age,
            job=rng.choice(M.MEMBER_JOBS),
        )

    def _m_service(self, org: Org, ind: set[str]) -> tuple:
        rng = self.rng
        lo, hi = rng.choice(((22, 45), (25, 50), (22, 60), (28, 55)))
        services = parts.numbered(rng, rng.sample(M.ORDINARY_SERVICES, rng.randint(2, 4)))
        paras = [
            self._m_intro(org),
            "服务内容：\n" + services,
            f"会员年龄：{lo}-{hi}岁\n" + self._m_fee_line(),
        ]
        return self._m_title(org), paras, f"{lo}-{hi}岁", lo, hi

    def _m_event(self, org: Org, ind: set[str]) -> tuple:
        rng = self.rng
        lo, hi = rng.choice(((22, 35), (25, 40), (30, 45), (35, 55)))
        day = LATEST_POSTED + timedelta(days=rng.randint(3, 30))
        age_text = f"{lo}-{hi}周岁"
        lines = [
            line.format(
                date=f"{day.month}月{day.day}日",
                place=parts.COUNTY_NAMES[org.county_code] + "文化中心",
                age_text=age_text,
                n=rng.choice((40, 60, 100)),
            )
            for line in M.EVENT_LINES
        ]
        paras = [self._m_intro(org), "\n".join(lines), self._m_fee_line()]
        return self._m_title(org), paras, age_text, lo, hi

    def _m_profile(self, org: Org, ind: set[str]) -> tuple:
        rng = self.rng
        age = rng.randint(24, 45)
        member = rng.choice(M.ORDINARY_MEMBERS).format(
            age=age,
            height=rng.randint(155, 183),
            edu=rng.choice(M.MEMBER_EDU),
            job=rng.choice(M.MEMBER_JOBS),
            city=org.city.name,
        )
        paras = [self._m_intro(org), "会员资料：" + member, "以上资料已实名认证，详情请到店咨询。"]
        return self._m_title(org, age), paras, f"{age}岁", age, age

    def _m_cross_border(self, org: Org, ind: set[str]) -> tuple:
        rng = self.rng
        country = rng.choice(M.COUNTRIES[:3]) if rng.random() < 0.8 else rng.choice(M.COUNTRIES)
        lo, hi = rng.choice(((18, 20), (18, 25), (17, 22), (20, 28), (16, 20)))
        age_text = f"{lo}-{hi}岁"
        ind |= {"cross_border_bride", "large_fee"}
        ind |= {"bride_under_20"} if lo < 20 else set()
        lines = rng.sample(M.CROSS_BORDER_LINES, rng.randint(2, 4))
        if any("处女" in line for line in lines):
            ind.add("virgin_offer")
        elif rng.random() < 0.3:
            ind.add("virgin_offer")
            lines.append(rng.choice(M.VIRGIN_LINES))
        if any("不成功" in line or "包找回" in line for line in lines) or rng.random() < 0.5:
            ind.add("guaranteed_success")
            lines.append(rng.choice(M.GUARANTEED_LINES))
        lines = [line.format(age_text=age_text) for line in lines]
        fee = rng.choice(M.CROSS_BORDER_FEES).format(fee=rng.choice((6, 8, 10, 12, 15, 18)))
        title = rng.choice(M.CROSS_BORDER_TITLES).format(country=country)
        paras = [
            f"{country}新娘，{age_text}，" + rng.choice(("年轻漂亮", "勤劳善良", "温柔顾家")),
            "\n".join(lines),
            fee,
        ]
        return title, paras, age_text, lo, hi

    def _m_minor(self, org: Org, ind: set[str]) -> tuple:
        rng = self.rng
        age = rng.randint(15, 19)
        ind.add("bride_under_20")
        line = rng.choice(M.MINOR_BRIDE_LINES).format(age=age)
        extra = rng.choice(M.UNREGISTERED_LINES)
        title = rng.choice(
            (f"农村姑娘{age}岁 找婆家", "介绍对象 女孩年轻 彩礼面议", f"{age}岁女孩 想嫁本地人")
        )
        return title, [line, extra, "有意者私聊，看照片"], f"{age}岁", age, age

    def _m_guaranteed(self, org: Org, ind: set[str]) -> tuple:
        rng = self.rng
        lo, hi = rng.choice(((25, 45), (28, 50), (30, 55)))
        ind |= {"guaranteed_success", "large_fee"}
        fee = rng.choice(M.LARGE_FEES).format(fee=rng.choice((2.8, 3.8, 5, 6.6, 8.8)))
        lines = [rng.choice(M.GUARANTEED_LINES), fee, rng.choice(M.ORDINARY_SERVICES)]
        if org.role == "broker":
            lines.append(rng.choice(M.UNREGISTERED_LINES))
        rng.shuffle(lines)
        title = rng.choice(
            ("大龄剩男 包成功 娶不到不收钱", f"{org.city.name[:-1]}相亲 包脱单", "百分百成功 签约保障")
        )
        return (
            title,
            [self._m_intro(org) if org.role == "marriage_agency" else "专业红娘十余年", "\n".join(lines)],
            f"{lo}-{hi}岁",
            lo,
            hi,
        )


def _mixed(rng: random.Random, mix: dict[str, float], n: int) -> list[str]:
    """n archetype names drawn by weight (a fixed share is not forced: shares vary like real boards)."""
    names = list(mix)
    return rng.choices(names, weights=[mix[k] for k in names], k=n)


def generate_ads(seed: int = 2014, n_job: int = 240, n_marriage: int = 60) -> list[Ad]:
    """n_job job ads then n_marriage matchmaking ads, identical for the same arguments."""
    writer = _Writer(seed, n_job, n_marriage)
    plan_rng = random.Random(seed * 7919 + 1)
    ads = [
        writer.job_ad(f"job-{seed}-{i:05d}", a) for i, a in enumerate(_mixed(plan_rng, ADS_JOB_MIX, n_job))
    ]
    ads += [
        writer.marriage_ad(f"mar-{seed}-{i:05d}", a)
        for i, a in enumerate(_mixed(plan_rng, ADS_MARRIAGE_MIX, n_marriage))
    ]
    return ads


def generate_extra_ads(
    seed: int, n_job: int, n_marriage: int, k_job: int, k_marriage: int, tag: str
) -> list[Ad]:
    """k new ads from the same organisations as generate_ads(seed, n_job, n_marriage) (for later crawls)."""
    writer = _Writer(seed, n_job, n_marriage)
    writer.rng = random.Random(f"{seed}:{tag}")
    ads = [
        writer.job_ad(f"job-{seed}-{tag}-{i:04d}", a)
        for i, a in enumerate(_mixed(writer.rng, ADS_JOB_MIX, k_job))
    ]
    ads += [
        writer.marriage_ad(f"mar-{seed}-{tag}-{i:04d}", a)
        for i, a in enumerate(_mixed(writer.rng, ADS_MARRIAGE_MIX, k_marriage))
    ]
    return ads


def ad_text(ad: Ad) -> str:
    """The text a model sees for an ad: title, body and contact line."""
    return f"{ad.title}\n{ad.body}"


def generate_labelled_corpus(seed: int, n: int, kind: str) -> list[LabelledExample]:
    """n labelled training texts of one kind (~30% positives, many hard negatives)."""
    if kind not in ("job", "marriage"):
        raise ValueError(f"kind must be 'job' or 'marriage', not {kind!r}")
    job = kind == "job"
    writer = _Writer(seed, n if job else 20, 20 if job else n)
    plan = _mixed(random.Random(seed * 31 + 7), CORPUS_JOB_MIX if job else CORPUS_MARRIAGE_MIX, n)
    make = writer.job_ad if job else writer.marriage_ad
    provenance = f"synthetic:demo.ads:v1:seed={seed}"
    examples = []
    for i, archetype in enumerate(plan):
        ad = make(f"corpus-{seed}-{i:06d}", archetype)
        examples.append(LabelledExample(ad_text(ad), kind, ad.labels, ad.indicators, provenance))
    return examples


def organisations(seed: int = 2014, n_job: int = 240, n_marriage: int = 60) -> dict[str, Org]:
    """The organisations behind generate_ads(seed, n_job, n_marriage), by org_key."""
    pool = _Writer(seed, n_job, n_marriage).pool
    return {org.key: org for orgs in pool.values() for org in orgs}
