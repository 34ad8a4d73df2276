"""Indicators: legal signals read from the ad text, each with its spans, its legal basis and the risk
types it may raise.

Every indicator reads the folded, lower-cased ad text (zhtext.fold) and returns the spans it matched;
its value is 1 when it matched (``hype`` counts). The facts themselves (fees, documents, wages, ages,
brides …) are found by the shared text layer ``zhtext``; this module says what they mean in law and
for which risk type. A legal indicator can only raise the risk of the types in ``raises`` (the model
bounds its weight at ≥ 0 there and at 0 elsewhere, risk_model.constrained); a "missing evidence"
indicator (``lowers_only``) can only lower risk.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from risk_model.features import legal_basis as law
from risk_model.features.text_cache import TextCache
from zhtext.ages import under_16_hires
from zhtext.contacts import mobile_span
from zhtext.fold import unspaced
from zhtext.law import agency, fees, labour, marriage
from zhtext.law.context import is_report
from zhtext.money import pays_at_least
from zhtext.scan import led
from zhtext.spans import Span

AGENCY, CHILD, FORCED, MARRIAGE = "illegal_agency", "child_labour", "forced_labour", "illegal_marriage_broker"
Finder = Callable[[str], list[Span]]


def _always(_spans: list[Span], _text: str, _company: str) -> float:
    return 1.0


@dataclass(frozen=True)
class Indicator:
    """One named indicator: what it finds, what it means, the law it points to, the types it raises."""

    name: str
    meaning: str
    legal_basis: str
    find: Finder  # folded, lower-cased ad text -> spans
    raises: frozenset[str] = frozenset()
    lowers_only: bool = False  # "missing evidence": may lower risk, never raise it
    value: Callable[[list[Span], str, str], float] = field(default=_always)

    def compute(self, text: str, company: str) -> float:
        spans = legal_spans(text)[self.name] if self.name in _spanned() else self.find(text)
        return self.value_of(spans, text, company)

    def value_of(self, spans: list[Span], text: str, company: str) -> float:
        """The indicator's value given the spans it found in TEXT."""
        return self.value(spans, text, company) if spans or self.name in _NO_SPANS else 0.0


# Work that needs no skill, as the ads put it ("学历不限" alone is not it: a 月嫂 needs no degree).
_UNSKILLED = re.compile(
    r"经验不限|无需经验|无经验|不看经验|不要经验|零基础|普工|小白|无需技术|只需一部手机|动动手指|在家就能做|会玩手机"
)
HIGH_PAY = 10_000.0  # yuan a month: about twice unskilled factory pay (普工 4,500-6,500 in Jiangsu)
_WECHAT_ID = led(
    r"(微信|威信|薇信|v信|v)同号|(微信|威信|薇信|v信|vx|wx|加薇|➕v|加v|微讯|薇讯)号?\s*:?\s*[a-z][a-z0-9_-]{5,19}"
    r"|(qq|扣扣)号?\s*:?\s*[1-9]\d{4,10}",
)
# An explicit request to take contact off the ad: ORFD guideline anomaly 10 ("提示加其他联系方式直接联系").
_PRIVATE_ONLY = led(
    r"(直接|请|先|可|有意者|有意向|感兴趣|详情)加(我)?(微信|威信|薇信|v信|v|薇|qq|好友)(?!公众号)"
    r"|加(我)?(微信|v|薇|qq)(详聊|详谈|了解|咨询|报名|沟通|面试)"
    r"|私聊|私信我?|滴滴我|评论区扣1|微信(详聊|详谈|报名)|只(接受|收|加)微信|电话不接|不接陌生|不接受上门|来了再说",
)
_ADDRESS = led(r"地址|地点|厂址|店址|(路|街|道|巷|园|区|中心|大厦|广场)\d{1,4}号")
_COMPANY_NAMED = led(
    r"有限公司|有限责任公司|股份公司|集团|分公司|工作室|事务所|婚介所|婚姻介绍所"
    r"|(?<=[\u4e00-\u9fff]{2})(?<!指定|正规|附近|当地|三甲|公立|我们|各大|大型)(大酒店|酒店|宾馆|饭店|医院|学校|超市)"
    r"(?!前台|服务员|管理|保洁|厨师|收银|保安|经理|行业)"
    r"|(?<=[\u4e00-\u9fff]{2})(人力资源|人力|劳务派遣|劳务|人才服务)(?!资源部|团队|协议|合同|报酬|费|工|中介)"
    r"|成立于\d{4}年|\d{4}年成立|坐落在|公司简介|我公司\(|统一社会信用代码|人服证字",
)
_LURE = re.compile(
    r"在家|轻松|日结|日赚|月入过万|躺赚|宝妈|打字员|刷单|无需任何|做自己的老板|高薪|赚钱|时间自由|不限时间"
)


def _pay_far_above_norm(text: str) -> list[Span]:
    """Work needing no skill at 10,000+ yuan a month (月薪过万, 13500-27000元/月, 日结500+: x 21.75)."""
    unskilled = _UNSKILLED.search(text)
    if not unskilled or not pays_at_least(text, HIGH_PAY):
        return []
    return [Span(unskilled.start(), unskilled.end(), unskilled.group())]


def _contact_off_platform(text: str) -> list[Span]:
    """Contact only by phone or WeChat: a personal contact and no address, or 'add WeChat / ask privately'."""
    private = _PRIVATE_ONLY.search(text)
    if private:
        return [Span(private.start(), private.end(), private.group())]
    if _ADDRESS.search(text):
        return []
    wechat = _WECHAT_ID.search(text)
    if wechat:
        return [Span(wechat.start(), wechat.end(), wechat.group())]
    mobile = mobile_span(text)
    return [mobile] if mobile else []


def _no_company(_spans: list[Span], text: str, company: str) -> float:
    return 0.0 if company or _COMPANY_NAMED.search(text) else 1.0


def _agency_claimed(spans: list[Span], _text: str, company: str) -> float:
    return 1.0 if spans or agency.company_is_agency(company) else 0.0


def _without_licence(spans: list[Span], text: str, company: str) -> float:
    if not _agency_claimed(spans, text, company):
        return 0.0  # no agency: no licence to look for (most ads)
    return 0.0 if agency.licence_shown(text) else 1.0


def _brand_by_middleman(spans: list[Span], text: str, company: str) -> float:
    return 1.0 if agency.brand_used_by_middleman(text, company) else 0.0


def _job_fee(spans: list[Span], text: str, _company: str) -> float:
    return 1.0 if fees.job_context(text) else 0.0


def _intermediary_fee(spans: list[Span], text: str, company: str) -> float:
    """A fee asked by someone who places workers: an agency's fee (就业服务与就业管理规定第五十八条)."""
    if not fees.job_context(text):
        return 0.0
    return 1.0 if fees.intermediary(text) or agency.company_is_agency(company) or not company else 0.0


def _hype(_spans: list[Span], text: str, _company: str) -> float:
    return min(text.count("!") / 5.0, 1.0)


def _pattern(regex: re.Pattern[str]) -> Finder:
    return lambda text: [Span(m.start(), m.end(), m.group()) for m in regex.finditer(text)]


def _none(_text: str) -> list[Span]:
    return []


@lru_cache(maxsize=1)
def indicators() -> tuple[Indicator, ...]:
    """All indicators, in the fixed column order the models use."""
    i = Indicator
    return (
        i(
            "charges_fee",
            "向求职者收取押金或费用",
            law.AGENCY_NO_DEPOSIT,
            fees.fees_charged,
            frozenset({AGENCY}),
            value=_job_fee,
        ),
        i(
            "fee_by_intermediary",
            "中介或个人招工者向求职者收费",
            law.AGENCY_NO_DEPOSIT,
            fees.fees_charged,
            frozenset({AGENCY}),
            value=_intermediary_fee,
        ),
        i(
            "training_loan",
            "招转培、培训贷或以求职者名义贷款",
            law.AGENCY_NO_DEPOSIT,
            fees.training_loans,
            frozenset({AGENCY}),
        ),
        i(
            "guaranteed_placement",
            "承诺包进厂、包分配",
            law.TRUTHFUL_ADS,
            agency.guaranteed_placement,
            frozenset({AGENCY}),
            value=_job_fee,
        ),
        i(
            "brand_by_middleman",
            "中介冒用知名企业名义招聘",
            law.TRUTHFUL_ADS,
            lambda t: agency.brand_used_by_middleman(t, ""),
            frozenset({AGENCY}),
            value=_brand_by_middleman,
        ),
        i(
            "documents_kept",
            "扣押身份证、护照或其他证件",
            law.CONTRACT_LAW_9,
            labour.documents_kept,
            frozenset({FORCED, AGENCY}),
        ),
        i(
            "wages_withheld",
            "押工资、年底才结工资或只发生活费",
            law.WAGES_ON_TIME,
            labour.wages_withheld,
            frozenset({FORCED}),
        ),
        i(
            "wages_to_others",
            "工资由工头、带班或他人代领",
            law.WAGES_TO_WORKER,
            labour.wages_to_others,
            frozenset({FORCED}),
        ),
        i(
            "no_freedom_to_leave",
            "限制人身自由（封闭管理、不准外出、收走手机、未满期不得离开）",
            law.FORCED_LABOUR,
            labour.confinement,
            frozenset({FORCED}),
        ),
        i(
            "debt_bondage",
            "以债务束缚（垫付路费从工资扣、还清才能走）",
            law.DEBT_BONDAGE,
            labour.debt_bondage,
            frozenset({FORCED}),
        ),
        i(
            "recruits_vulnerable",
            "招收智力残疾人、流浪人员或由他人带来的残疾人",
            law.DISABLED_WORKERS,
            labour.vulnerable_recruits,
            frozenset({FORCED}),
        ),
        i(
            "minimum_age_under_16",
            "招用不满16周岁的未成年人",
            law.CHILD_LABOUR,
            under_16_hires,
            frozenset({CHILD}),
        ),
        i(
            "pay_far_above_norm",
            "无技能岗位承诺月薪1万元以上",
            law.TRUTHFUL_ADS,
            _pay_far_above_norm,
            frozenset({AGENCY}),
        ),
        i(
            "contact_off_platform",
            "只留私人电话、微信或QQ，或要求私下联系",
            law.TRUTHFUL_ADS,
            _contact_off_platform,
            frozenset({AGENCY}),
        ),
        i("no_company_named", "未写明用人单位", law.TRUTHFUL_ADS, _none, lowers_only=True, value=_no_company),
        i(
            "claims_agency",
            "自称中介、劳务派遣或人力资源公司",
            law.AGENCY_LICENCE,
            agency.agency_claims,
            frozenset({AGENCY}),
            value=_agency_claimed,
        ),
        i(
            "agency_without_licence",
            "自称中介但未展示许可证",
            law.AGENCY_LICENCE,
            agency.agency_claims,
            frozenset({AGENCY}),
            value=_without_licence,
        ),
        i(
            "cross_border_bride",
            "跨境介绍外籍新娘",
            law.TRAFFICKING,
            marriage.cross_border_brides,
            frozenset({MARRIAGE}),
        ),
        i(
            "bride_under_20",
            "介绍不满20周岁的女方结婚",
            law.MARRIAGE_AGE,
            marriage.brides_under_20,
            frozenset({MARRIAGE}),
        ),
        i(
            "guaranteed_success",
            "保证成功、包娶或跑了包补",
            law.MARRIAGE_SALE,
            marriage.guarantees,
            frozenset({MARRIAGE}),
        ),
        i("virgin", "以处女为卖点", law.MARRIAGE_SALE, marriage.virginity, frozenset({MARRIAGE})),
        i(
            "bride_buying",
            "明码标价买卖婚姻",
            law.MARRIAGE_SALE,
            marriage.bride_buying,
            frozenset({MARRIAGE}),
        ),
        i(
            "large_fee",
            "费用、价款或彩礼1万元以上",
            law.MARRIAGE_SALE,
            marriage.large_sums,
            frozenset({MARRIAGE}),
        ),
        i(
            "lure_words",
            "诱导性用语（在家、轻松、日结、高薪）",
            law.TRUTHFUL_ADS,
            _pattern(_LURE),
            frozenset({AGENCY}),
        ),
        i("hype", "大量感叹号煽动", law.TRUTHFUL_ADS, _none, frozenset({AGENCY}), value=_hype),
    )


_NO_SPANS = frozenset({"no_company_named", "hype", "claims_agency", "agency_without_licence"})


# Legal spans of recent texts: scoring, explaining and the context view all ask for the same text.
LEGAL_SPANS_CACHE: TextCache[dict[str, list[Span]]] = TextCache(4096)


def legal_spans(text: str) -> dict[str, list[Span]]:
    """Spans of every indicator that finds spans, for one folded ad text (cached).

    A text written spaced out ("未 满 十 六 周 岁") is read without those spaces; its spans are mapped
    back onto TEXT."""
    found = LEGAL_SPANS_CACHE.get(text)
    return found if found is not None else LEGAL_SPANS_CACHE.put(text, _read([text])[0])


def read_legal_spans(texts: Iterable[str]) -> None:
    """Read and cache the legal spans of the TEXTS not cached yet, finder by finder across them.

    The same spans as ``legal_spans`` text by text, ~11% sooner: one finder's patterns and code stay in
    the processor's caches over the whole batch instead of two dozen finders taking turns on each text."""
    missing = [text for text in dict.fromkeys(texts) if LEGAL_SPANS_CACHE.get(text) is None]
    for text, found in zip(missing, _read(missing), strict=True):
        LEGAL_SPANS_CACHE.put(text, found)


def _read(texts: list[str]) -> list[dict[str, list[Span]]]:
    squeezed = [unspaced(text) for text in texts]
    read = [text if sq is None else sq.text for text, sq in zip(texts, squeezed, strict=True)]
    # News of a case or a warning names violations that are not the poster's own: such texts find nothing.
    ads = [index for index, text in enumerate(read) if not is_report(text)]
    # One column per finder: a finder shared by indicators (fees, agency claims) runs once.
    spanned = [(ind.name, ind.find) for ind in indicators() if ind.name in _spanned()]
    finders = dict.fromkeys(find for _, find in spanned)
    found = {finder: [finder(read[index]) for index in ads] for finder in finders}
    row_of = {index: row for row, index in enumerate(ads)}
    out = []
    for index, (text, sq) in enumerate(zip(texts, squeezed, strict=True)):
        row = row_of.get(index)
        if row is None:
            spans: dict[str, list[Span]] = {name: [] for name, _ in spanned}
        else:
            spans = {name: found[find][row] for name, find in spanned}
        if sq is not None:  # read without the spaces: spans mapped back onto TEXT
            spans = {
                name: [
                    Span.of(text, sq.origin[s.start], sq.origin[s.end - 1] + 1)
                    for s in got
                    if s.end > s.start
                ]
                for name, got in spans.items()
            }
        out.append(spans)
    return out


def indicator_values(ad_text: str, company: str) -> list[float]:
    """Values of every indicator for one folded, lower-cased ad text and company name (``compute`` of
    each, the text's legal spans looked up once rather than once per indicator)."""
    found, spanned = legal_spans(ad_text), _spanned()
    return [
        ind.value_of(found[ind.name] if ind.name in spanned else ind.find(ad_text), ad_text, company)
        for ind in indicators()
    ]


def indicator_spans(ad_text: str, name: str) -> list[Span]:
    """The spans behind indicator NAME in a folded, lower-cased ad text."""
    if name in _spanned():
        return legal_spans(ad_text)[name]
    return next(ind.find(ad_text) for ind in indicators() if ind.name == name)


@lru_cache(maxsize=1)
def _spanned() -> frozenset[str]:
    """Indicators that find spans (the rest only compute a value: no company named, hype)."""
    return frozenset(ind.name for ind in indicators() if ind.find is not _none)
