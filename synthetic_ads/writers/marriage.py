"""Writing synthetic matchmaking / marriage-broker ads, ordinary and illegal, with their ground truth."""

from __future__ import annotations

from datetime import timedelta

from synthetic_ads import ad_parts as parts
from synthetic_ads.ad_parts import PROVINCE_CODE
from synthetic_ads.ground_truth import LATEST_POSTED, Ad, derive_labels
from synthetic_ads.organisations import Org
from synthetic_ads.phrases import marriage as M
from synthetic_ads.writers.base import AdWriterBase

MARRIAGE_ARCHETYPES = {
    "agency_service": ("marriage_agency",),
    "event": ("marriage_agency",),
    "member_profile": ("marriage_agency",),
    "cross_border": ("broker",),
    "minor_bride": ("broker",),
    "guaranteed": ("broker", "marriage_agency"),
}


class MarriageAdWriter(AdWriterBase):
    """Writes matchmaking ads; each call advances the shared rng."""

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
        if not show_address and archetype != "event":  # an event ad names its venue
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

    def _m_title(self, org: Org, titles: tuple[str, ...], age: int = 30) -> str:
        rng = self.rng
        return rng.choice(titles).format(
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
        return self._m_title(org, M.SERVICE_TITLES), paras, f"{lo}-{hi}岁", lo, hi

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
        return self._m_title(org, M.EVENT_TITLES), paras, age_text, lo, hi

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
        return self._m_title(org, M.PROFILE_TITLES, age), paras, f"{age}岁", age, age

    def _m_cross_border(self, org: Org, ind: set[str]) -> tuple:
        rng = self.rng
        country = rng.choice(M.COUNTRIES[:3]) if rng.random() < 0.8 else rng.choice(M.COUNTRIES)
        lo, hi = rng.choice(((18, 20), (18, 25), (17, 22), (20, 28), (16, 20)))
        age_text = f"{lo}-{hi}岁"
        ind |= {"cross_border_bride", "large_fee"}
        ind |= {"bride_under_20"} if lo < 20 else set()
        lines = rng.sample(M.CROSS_BORDER_LINES, rng.randint(2, 4))
        title = rng.choice(M.CROSS_BORDER_TITLES).format(country=country, age_text=age_text)
        if any("处女" in text for text in [title, *lines]):
            ind.add("virgin_offer")
        elif rng.random() < 0.3:
            ind.add("virgin_offer")
            lines.append(rng.choice(M.VIRGIN_LINES))
        if any(mark in text for mark in M.GUARANTEE_MARKS for text in [title, *lines]) or rng.random() < 0.5:
            ind.add("guaranteed_success")
            lines.append(rng.choice(M.GUARANTEED_LINES))
        lines = [line.format(age_text=age_text) for line in lines]
        fee = rng.choice(M.CROSS_BORDER_FEES).format(fee=rng.choice((6, 8, 10, 12, 15, 18)))
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
