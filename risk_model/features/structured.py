"""Registry and structured-field features: company registration facts and the ORFD guideline's anomalies.

Each feature maps a folded record to a number scaled to about [0, 1], so one regularisation strength
suits them all and a contribution (coefficient × value) reads directly. The numbers in comments refer
to the 27 anomaly points of ORFD's labelling guideline.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from risk_model.features.legal_basis import AGENCY_LICENCE, TRUTHFUL_ADS
from zhtext.law.agency import agency_claims, company_is_agency
from zhtext.scan import led

BUSINESS_REGISTRATION = "市场主体登记管理条例（营业执照与登记信息应真实、有效）"
# Bumped when a feature keeps its name but changes meaning, so models fitted before are retrained.
# 2: the "missing" registry features fire only when the registry was looked up (registry_source set).
STRUCTURED_FEATURES_VERSION = 2

_AGENCY_SCOPE = re.compile(r"职业中介|人力资源服务|劳务派遣|人才中介|人力资源中介")
_NORMAL_STATUS = re.compile(r"开业|存续|在业|在营|正常|在册")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_STATE_OWNED = re.compile(r"国有|国企|事业单位|机关|央企")
_PREMIUM_WELFARE = re.compile(r"房补|车补|保底|无责底薪|年底双薪|出国|旅游|高提成|分红|股份|交通补助|话补")
_SALARY_TALK = re.compile(r"薪资|工资|薪酬|月薪|年薪|底薪|提成|佣金|收入|奖金|补贴|分红|元")
_SUBTITLE_PAY = re.compile(r"\d|薪|元|k|工资|底薪|提成|五险|包吃|包住|双休|补贴|奖金")
_STRUCTURE = re.compile(r"职责|任职|要求|资格|工作内容|岗位描述|职位描述|负责")
_INTRO_TEMPLATE = re.compile(r"招才猫|老板忙得连写简介的时间都没有|直聘app")
_INTRO_RECRUITING = re.compile(r"招聘|诚聘|急招|岗位|薪资|底薪|提成")
_NAME_AFFIX = led(
    r"^(北京|上海|广州|深圳|天津|重庆|江苏|浙江|广东|中国)(市|省)?|"
    r"(股份)?有限(责任)?公司$|集团$|分公司$|公司$|(科技|信息|技术|商贸|贸易|管理|咨询|服务|文化|传媒)+$",
)


def _first_number(text: str) -> float | None:
    match = _NUMBER.search(text)
    return float(match.group()) if match else None


def _log_scaled(value: float | None, decades: float) -> float:
    """log10(1 + value) / decades, capped to 1; missing reads as 0."""
    return 0.0 if value is None or value <= 0 else min(math.log10(1 + value) / decades, 1.0)


def reg_capital_wan(text: str) -> float | None:
    """Registered capital in 万 (10,000) of the stated currency; None when absent."""
    value = _first_number(text)
    if value is None:
        return None
    return value if "万" in text else value / 10_000


def salary_range(text: str) -> tuple[float, float] | None:
    """(min, max) monthly salary from '8000-12000元/月'; None for 面议 or absent."""
    numbers = [float(n) for n in _NUMBER.findall(text)]
    if not numbers:
        return None
    return (numbers[0], numbers[-1])


def company_size_upper(text: str) -> float | None:
    """Upper bound of a size band ('100-499人' -> 499, '1000人以上' -> 2000)."""
    numbers = [float(n) for n in _NUMBER.findall(text)]
    if not numbers:
        return None
    return numbers[-1] * 2 if "以上" in text else numbers[-1]


@lru_cache(maxsize=4096)
def credit_code_valid(code: str) -> bool:
    """The unified social credit code passes its check digit (GB 32100-2015).

    Cached: a company's code comes with every one of its ads, and the check costs ~13 µs."""
    from stdnum.cn import uscc  # lazily: only needed when features are computed

    return bool(code) and bool(uscc.is_valid(code))


def name_core(company_name: str) -> str:
    """The distinctive part of a company name: city prefix and legal-form suffixes removed."""
    previous = None
    name = company_name
    while previous != name:
        previous, name = name, _NAME_AFFIX.sub("", name)
    return name


def bigram_overlap(needle: str, haystack: str) -> float:
    """Share of the needle's character bigrams found in the haystack (1.0 for an empty needle)."""
    grams = {needle[i : i + 2] for i in range(len(needle) - 1)}
    return 1.0 if not grams else sum(g in haystack for g in grams) / len(grams)


@dataclass(frozen=True)
class StructuredFeature:
    """One registry or structured-field feature with its meaning and legal basis ("" when none)."""

    name: str
    meaning: str
    legal_basis: str
    compute: Callable[[Mapping[str, str]], float]


def _flag(condition: bool) -> float:
    return 1.0 if condition else 0.0


def _salary_low(r: Mapping[str, str]) -> float:
    pay = salary_range(r["salary"])
    return _log_scaled(pay[0] if pay else None, 5)


def _salary_spread(r: Mapping[str, str]) -> float:
    pay = salary_range(r["salary"])
    return 0.0 if not pay or pay[0] <= 0 else min((pay[1] / pay[0] - 1) / 3, 1.0)


def _hiring_over_capacity(r: Mapping[str, str]) -> float:
    """Anomaly 19: people wanted across all posts against the company's size."""
    need = _first_number(r["need_number"]) or 0.0
    posts = _first_number(r["position_total"]) or 1.0
    size = company_size_upper(r["company_size"])
    return 0.0 if not size else min(need * posts / size / 10, 1.0)


def _read_rate_anomaly(r: Mapping[str, str]) -> float:
    """Anomalies 4-5: few applicants yet résumés left unread (n = needNumber × 5)."""
    applies = _first_number(r["apply_num"])
    read = _first_number(r["resume_read_percent"])
    need = _first_number(r["need_number"]) or 1.0
    if applies is None or read is None:
        return 0.0
    return _flag(applies < need * 5 and read < 50)


def _company_age(r: Mapping[str, str]) -> float:
    est, posted = _first_number(r["established"]), _first_number(r["posted_at"])
    if est is None or est < 1900 or posted is None:
        return 0.0
    return min(max(posted - est, 0.0) / 20, 1.0)


def _name_in_intro(r: Mapping[str, str]) -> float:
    """Anomaly 21: the company introduction is about another company."""
    core = name_core(r["company_name"])
    return 0.0 if not r["company_intro"] or not core else bigram_overlap(core, r["company_intro"])


def _looked_up(r: Mapping[str, str]) -> bool:
    """The registry was consulted for this record: an empty registry field then means "not there"."""
    return bool(r["registry_source"])


def _registry_missing(field: str) -> Callable[[Mapping[str, str]], float]:
    """1 when the registry was consulted and FIELD is empty; 0 when it was not consulted (unknown)."""
    return lambda r: _flag(_looked_up(r) and not r[field])


def _agency_scope_missing(r: Mapping[str, str]) -> float:
    if not _looked_up(r):
        return 0.0
    # The whole ad text: the context view (risk_model.features.context) drops the sentence that claims agency.
    text = r.get("_ad_text") or " ".join((r["title"], r["subtitle"], r["body"]))
    claims = bool(agency_claims(text)) or company_is_agency(r["company_name"])
    return _flag(claims) * _flag(not _AGENCY_SCOPE.search(r["business_scope"]))


@lru_cache(maxsize=1)
def structured_features() -> tuple[StructuredFeature, ...]:
    """All structured features, in the fixed column order the models use."""
    f, reg, ads = StructuredFeature, BUSINESS_REGISTRATION, TRUTHFUL_ADS
    return (
        f(
            "scope_names_agency",
            "经营范围含职业中介/人力资源服务/劳务派遣",
            AGENCY_LICENCE,
            lambda r: _flag(bool(_AGENCY_SCOPE.search(r["business_scope"]))),
        ),
        f(
            "agency_claim_outside_scope",
            "自称中介但经营范围无中介许可项目",
            AGENCY_LICENCE,
            _agency_scope_missing,
        ),
        f("scope_missing", "无经营范围", reg, _registry_missing("business_scope")),
        f(
            "scope_breadth",
            "经营范围过宽（异常点22）",
            reg,
            lambda r: min(len(re.split(r"[；;、,，]", r["business_scope"])) / 40, 1.0),
        ),
        f(
            "scope_vague",
            "经营范围过于简略（异常点23）",
            reg,
            lambda r: _flag(0 < len(r["business_scope"]) < 20),
        ),
        f(
            "status_abnormal",
            "经营状态异常（注销/吊销，异常点25）",
            reg,
            lambda r: _flag(bool(r["operating_status"]) and not _NORMAL_STATUS.search(r["operating_status"])),
        ),
        f("status_missing", "无经营状态", reg, _registry_missing("operating_status")),
        f(
            "reg_capital",
            "注册资本（万元，对数）",
            "",
            lambda r: _log_scaled(reg_capital_wan(r["reg_capital"]), 5),
        ),
        f(
            "reg_capital_missing",
            "无注册资本",
            reg,
            lambda r: _flag(_looked_up(r) and reg_capital_wan(r["reg_capital"]) is None),
        ),
        f(
            "credit_code_missing",
            "无统一社会信用代码（异常点24）",
            reg,
            _registry_missing("credit_code"),
        ),
        f(
            "credit_code_invalid",
            "统一社会信用代码校验失败",
            reg,
            lambda r: _flag(bool(r["credit_code"]) and not credit_code_valid(r["credit_code"].upper())),
        ),
        f("org_number_missing", "无组织机构代码（异常点26）", reg, _registry_missing("org_number")),
        f("reg_address_missing", "无注册地址（异常点27）", reg, _registry_missing("reg_address")),
        f(
            "established_missing",
            "无成立日期",
            reg,
            lambda r: _flag(_looked_up(r) and (_first_number(r["established"]) or 0) < 1900),
        ),
        f("company_age", "成立年限（/20年）", "", _company_age),
        f(
            "state_owned",
            "国有或事业单位（异常点16）",
            "",
            lambda r: _flag(bool(_STATE_OWNED.search(r["company_character"]))),
        ),
        f(
            "company_size",
            "公司规模（对数）",
            "",
            lambda r: _log_scaled(company_size_upper(r["company_size"]), 4),
        ),
        f("hiring_over_capacity", "招聘总人数超出公司规模（异常点19）", ads, _hiring_over_capacity),
        f("need_number", "招聘人数（对数）", "", lambda r: _log_scaled(_first_number(r["need_number"]), 3)),
        f(
            "position_total",
            "发布职位数（对数）",
            "",
            lambda r: _log_scaled(_first_number(r["position_total"]), 3),
        ),
        f("apply_num", "申请人数（对数）", "", lambda r: _log_scaled(_first_number(r["apply_num"]), 3)),
        f("resume_read", "简历查看率", "", lambda r: (_first_number(r["resume_read_percent"]) or 0.0) / 100),
        f("read_rate_anomaly", "申请少而简历未读（异常点4-5）", ads, _read_rate_anomaly),
        f(
            "feedback_ratio",
            "公司反馈率（异常点17-18）",
            "",
            lambda r: (_first_number(r["feedback_ratio"]) or 0.0) / 100,
        ),
        f(
            "feedback_zero",
            "反馈率为0（收集简历，异常点17）",
            ads,
            lambda r: _flag(r["feedback_ratio"] in ("0", "0.0")),
        ),
        f("salary_negotiable", "薪资面议", "", lambda r: _flag(salary_range(r["salary"]) is None)),
        f("salary_low", "最低月薪（对数）", "", _salary_low),
        f("salary_spread", "薪资范围过宽", ads, _salary_spread),
        f(
            "subtitle_pay",
            "子标题强调薪资福利（异常点2）",
            ads,
            lambda r: _flag(bool(_SUBTITLE_PAY.search(r["subtitle"]))),
        ),
        f(
            "salary_talk",
            "描述中反复强调薪资（异常点3）",
            ads,
            lambda r: min(len(_SALARY_TALK.findall(r["body"])) / 8, 1.0),
        ),
        f(
            "welfare_count",
            "福利项数（异常点6-7）",
            "",
            lambda r: min(len([w for w in r["welfare"].split("_") if w]) / 10, 1.0),
        ),
        f(
            "welfare_premium",
            "诱人福利项（房补/车补/保底，异常点7）",
            ads,
            lambda r: min(len(_PREMIUM_WELFARE.findall(r["welfare"])) / 3, 1.0),
        ),
        f(
            "no_requirements",
            "学历不限且经验不限（异常点8-9）",
            ads,
            lambda r: _flag("学历不限" in r["requirement"] and "经验不限" in r["requirement"]),
        ),
        f("body_length", "职位描述长度（对数）", "", lambda r: _log_scaled(len(r["body"]), 4)),
        f("body_short", "职位描述过短（异常点15）", ads, lambda r: _flag(len(r["body"]) < 60)),
        f(
            "body_unstructured",
            "描述无职责/要求结构（异常点11、14）",
            ads,
            lambda r: _flag(not _STRUCTURE.search(r["body"])),
        ),
        f(
            "title_body_mismatch",
            "标题与描述不符（异常点1）",
            ads,
            lambda r: 1.0 - bigram_overlap(r["title"], r["body"]),
        ),
        f("intro_missing", "无公司介绍（异常点21）", ads, lambda r: _flag(len(r["company_intro"]) < 20)),
        f(
            "intro_template",
            "公司介绍为平台模板（异常点21）",
            ads,
            lambda r: _flag(bool(_INTRO_TEMPLATE.search(r["company_intro"]))),
        ),
        f(
            "intro_recruiting",
            "公司介绍主要谈招聘（异常点21）",
            ads,
            lambda r: _flag(bool(_INTRO_RECRUITING.search(r["company_intro"]))),
        ),
        f("intro_name_match", "公司介绍提及本公司名称", "", _name_in_intro),
        f(
            "address_match",
            "工作地址与公司地址相符（异常点20）",
            "",
            lambda r: (
                bigram_overlap(r["job_address"][-12:], r["company_address"]) if r["job_address"] else 0.0
            ),
        ),
    )


# The fields that describe the company, the same on every one of its ads, and the features that read
# only them: computed once per company (a partial record holding only these fields would raise KeyError
# for a feature that read anything else, and a test runs each on one).
COMPANY_FIELDS = (
    *("company_name", "company_intro", "business_scope", "credit_code", "org_number", "operating_status"),
    *("reg_capital", "reg_address", "established", "company_character", "company_size", "company_address"),
    "registry_source",
)
COMPANY_ONLY = frozenset(
    (
        *("scope_names_agency", "scope_missing", "scope_breadth", "scope_vague", "status_abnormal"),
        *("status_missing", "reg_capital", "reg_capital_missing", "credit_code_missing"),
        *("credit_code_invalid", "org_number_missing", "reg_address_missing", "established_missing"),
        *("state_owned", "company_size", "intro_missing", "intro_template", "intro_recruiting"),
        "intro_name_match",
    )
)


@lru_cache(maxsize=4096)
def company_values(company: tuple[str, ...]) -> tuple[float, ...]:
    """The COMPANY_ONLY features, in column order, of a company given by its COMPANY_FIELDS values
    (cached: a company's ads come one after another, ~11 ads a company in ORFD)."""
    record = dict(zip(COMPANY_FIELDS, company, strict=True))
    return tuple(f.compute(record) for f in structured_features() if f.name in COMPANY_ONLY)


def structured_values(record: Mapping[str, str]) -> list[float]:
    """Values of every structured feature for one folded record."""
    company = iter(company_values(tuple(record[key] for key in COMPANY_FIELDS)))
    return [next(company) if f.name in COMPANY_ONLY else f.compute(record) for f in structured_features()]
