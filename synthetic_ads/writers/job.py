"""Writing synthetic job ads: ordinary ones and the risky archetypes, with their ground truth."""

from __future__ import annotations

import random

from synthetic_ads import ad_parts as parts
from synthetic_ads.ad_parts import PROVINCE_CODE, City
from synthetic_ads.ground_truth import Ad, derive_labels
from synthetic_ads.organisations import Org
from synthetic_ads.phrases import coercion as F
from synthetic_ads.phrases import job as P
from synthetic_ads.writers.base import AdWriterBase

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


def _risky_job_indicators(rng: random.Random, archetype: str) -> set[str]:
    """The illegal practices an ad of this archetype states (chosen, not detected)."""
    chosen: set[str] = set()
    if archetype == "fee_agency":
        chosen |= set(rng.sample(("deposit_fee", "uniform_fee", "training_fee"), rng.choice((1, 1, 2))))
        if rng.random() < 0.3:
            chosen.add("id_card_kept")
    elif archetype == "coercion":
        # One practice alone is unlawful (illegal_agency); two or more make it forced labour (child_labour).
        chosen |= set(
            rng.sample(
                ("id_card_kept", "wages_withheld", "no_freedom", "debt_bondage"), rng.choice((1, 2, 2, 3))
            )
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


class JobAdWriter(AdWriterBase):
    """Writes job ads; each call advances the shared rng."""

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
        amin: int | None
        amax: int | None
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
        intro = self._job_intro(org, spec, archetype, employer, show_credit, claims_agency)
        paras = [intro]
        duties = (
            P.DUTY_HEADERS[rng.randrange(len(P.DUTY_HEADERS))]
            + "\n"
            + parts.numbered(rng, rng.sample(spec["duties"], min(len(spec["duties"]), rng.randint(2, 4))))
        )
        age_line = age if age.startswith(("年", "男")) else f"年龄{age}"
        reqs = [age_line, rng.choice(P.EDUCATION), *rng.sample(P.REQUIREMENTS, rng.randint(1, 4))]
        # Some child-labour ads give only the age range: a model must read the numbers, not a phrase.
        reqs += [rng.choice(P.UNDER_16_LINES)] if "under_16" in risk and rng.random() < 0.7 else []
        reqs += [rng.choice(F.INTELLECTUALLY_DISABLED)] if "intellectually_disabled" in risk else []
        requirements = rng.choice(P.REQUIREMENT_HEADERS) + "\n" + parts.numbered(rng, reqs)
        middle = [duties, requirements] if rng.random() < 0.7 else [requirements, duties]
        if "pay_far_above_norm" in risk and rng.random() < 0.5:
            middle = [requirements]
        paras += middle
        paras.append(self._benefits(salary, risk, archetype, org.role))
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
        elif risk and rng.random() < 0.4:
            closing.append(rng.choice(P.CONTACT_ONLY_LINES))
        if org.role == "risky_agency" and employer not in intro:
            closing.append(rng.choice(P.SIGN_OFFS).format(name=employer))
        paras.append("\n".join(closing) + rng.choice(P.NOISE_CLOSERS if risk else ("", "", "。")))
        return "\n\n".join(paras)

    def _job_intro(
        self, org: Org, spec: dict, archetype: str, employer: str, show_credit: bool, claims_agency: bool
    ) -> str:
        rng = self.rng
        city = org.city.name
        if org.role == "individual":
            intro = rng.choice(P.HIGH_PAY_LINES if archetype == "high_pay" else P.INDIVIDUAL_INTROS)
            claim = "，" + rng.choice(P.INDIVIDUAL_AGENCY_CLAIMS).format(city=city) if claims_agency else ""
            return intro.format(city=city).rstrip("。！!") + claim + rng.choice(("！", "!!", "。", "～"))
        if archetype == "high_pay":
            return rng.choice(P.HIGH_PAY_LINES) + rng.choice(("！", "!!", "，", "～"))
        if org.role == "agency":
            return rng.choice(P.AGENCY_INTROS).format(name=org.names[0], licence=org.licence_no, city=city)
        if org.role == "risky_agency":
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

    def _benefits(self, salary: str, risk: set[str], archetype: str, role: str) -> str:
        rng = self.rng
        pay = rng.choice(
            (f"薪资：{salary}", f"工资{salary}", f"综合收入：{salary}", f"待遇：{salary}，按时发放")
        )
        perks = rng.sample(P.BENEFITS, rng.randint(2, 6))
        if not risk and "五险一金" not in perks and rng.random() < 0.6:
            perks.insert(0, "五险一金")  # most lawful employers lead with social insurance
        lines = [pay, rng.choice(("、", "，", " ", "+")).join(perks), "工作时间：" + rng.choice(P.SHIFTS)]
        if archetype == "legal_deposit":
            lines.append(rng.choice(P.LEGAL_DEPOSIT_NEGATIVES))
        if archetype == "summer_adult":
            lines.append(rng.choice(P.SUMMER_ORDINARY))
        if not risk and role in ("employer", "agency") and rng.random() < 0.3:
            lines.append(rng.choice(F.LAWFUL_TERMS))
        return rng.choice(P.BENEFIT_HEADERS) + "\n" + "\n".join(lines)

    def _risky_lines(self, risk: set[str]) -> list[str]:
        rng = self.rng
        banks = {
            "deposit_fee": P.DEPOSIT_FEE,
            "uniform_fee": P.UNIFORM_FEE,
            "training_fee": P.TRAINING_FEE,
            "training_loan": P.TRAINING_LOAN,
            "id_card_kept": F.ID_CARD_KEPT,
            "wages_withheld": F.WAGES_WITHHELD,
            "no_freedom": F.NO_FREEDOM,
            "debt_bondage": F.DEBT_BONDAGE,
        }
        lines = [
            rng.choice(banks[name]).format(
                fee=rng.choice((100, 150, 200, 300, 350, 500, 800)),
                n=rng.choice((2, 3, 6)),
                who=rng.choice(F.CONTROLLERS),
                living=rng.choice((300, 500, 800)),
            )
            for name in sorted(risk)
            if name in banks
        ]
        rng.shuffle(lines)
        return lines
