"""Who is recruiting: agencies presenting themselves, licences shown, famous brands used by middlemen.

Spans on folded, lower-cased text (zhtext.fold).
"""

from __future__ import annotations

import re

from zhtext.law.context import CLAUSE, affirmed, denied, sentence_around
from zhtext.scan import any_word, led
from zhtext.spans import Span

# An agency says so, or names itself so ("鑫达人力", "苏州鑫达劳务"); "人力资源部" and "劳务协议" do not.
_AGENCY = led(
    r"中介(?!费)|劳务派遣|人力资源(?!部|管理专业|专业)|劳务公司|劳务输出|职介|代招|招聘代理|派遣|输出劳务|人才服务"
    r"|输送(员工|工人|人员)|返费|工价|(?<=[\u4e00-\u9fff]{2})(人力|(?<!建筑)劳务)(?!资源部|协议|合同|报酬|费|工|成本)"
    r"|外包(公司|服务)|劳务中心|就业服务(站|中心)|招工(点|处)"
    r"|帮(人|你|大家)(介绍|找)(工作|活)|介绍成功(收|后)|内推(名额|费)",
)
_LICENCE = re.compile(r"许可证|许可号|人力资源服务许可|劳务派遣经营许可|人服证字|许可编号|\d{6}\d*号?许可")
_BRANDS = (
    r"富士康|华为|比亚迪|立讯|苹果|京东|顺丰|三星|格力|美的|海尔|伊利|蒙牛|青岛啤酒|雪花啤酒|百威|娃哈哈|农夫山泉"
    r"|可口可乐|百事|蓝思|仁宝|纬创|和硕|达功|世硕|名硕|英业达|昌硕|歌尔|舜宇|宁德时代|中芯|京东方|海康|小米|vivo|oppo"
    r"|中石油|中石化|中远|招商局|中国移动|中国电信|国家电网|南方电网|中铁|中建|华润|燕京啤酒|哈啤|三一重工|徐工"
)
_BRAND = re.compile(rf"({_BRANDS})(集团|公司|工厂|厂|科技|电子|啤酒|官方|总部)?")
_DIRECT = re.compile(r"直招|直聘|官方招聘|正式工|厂方直招|直接招聘|厂招|内招|内部推荐|大量招")
_MIDDLEMAN_NAME = re.compile(r"劳务|人力|派遣|管理|咨询|服务|职介|中介|信息|外包|经纪|猎头|人才")
_GUARANTEED_JOB = led(
    r"包进厂|包进|包分配|包上岗|包安排工作|包就业|保证就业|保证入职|包入职|百分百入职|包过面试|包面试|保证录取|包录取"
    r"|保证(你)?(能)?进(得去)?(厂|公司|单位)(?!后|以后|之后)|进不去[^,;!?。\s]{0,2}(全退|退钱|退款|包退)"
    rf"|(交|付){CLAUSE}{{0,8}}(安排|推荐)(工作|进厂|上岗)",
)

_PLACEMENT_WORDS = any_word("包", "保证", "百分百", "安排", "推荐", "进不去")


def agency_claims(text: str, company: str = "") -> list[Span]:
    """The ad presents itself as an agency, dispatcher or HR service (spans in TEXT only)."""
    return [Span(m.start(), m.end(), m.group()) for m in _AGENCY.finditer(text)]


def company_is_agency(company: str) -> bool:
    """The company name reads as an agency's."""
    return bool(_AGENCY.search(company))


def licence_shown(text: str) -> bool:
    """A licence number or licence wording is shown (not denied: "不搞营业执照许可证那一套")."""
    return any(not denied(text, match.start()) for match in _LICENCE.finditer(text))


# A brand named as what is made, sold or won ("生产苹果、小米的配件", "奖品有最新苹果手机"), or fruit on the
# canteen menu, is not a workplace borrowed by a middleman.
_PRODUCT_AFTER = led(
    rf"(、({_BRANDS}))*(等)?(的)?(手机|配件|产品|电脑|平板|耳机|数据线|充电器|品牌|系列|专卖|门店|代理)",
)
_PRODUCT_BEFORE = re.compile(
    r"(生产|组装|代工|加工|配套|供应|维修|销售|售卖|卖|奖品|奖励|抽奖|赠送|最新版?本?)[^,;!?。\s]{0,6}$"
)
_FRUIT = re.compile(r"水果|香蕉|桔子|橘子|橙子|梨|西瓜|葡萄|饭后")


def _brand_as_product(text: str, start: int, end: int) -> bool:
    if _PRODUCT_AFTER.match(text, end) or _PRODUCT_BEFORE.search(text[max(0, start - 10) : start]):
        return True
    return text[start:end] == "苹果" and bool(_FRUIT.search(sentence_around(text, start, end)))


def brand_used_by_middleman(text: str, company: str = "") -> list[Span]:
    """A famous brand recruited for by someone who is not that brand (a labour or 'management' company).

    "XX集团直招" posted by 鑫达劳务, or a brand named beside an agency's own words (返费, 工价, 中介).
    """
    found = [m for m in _BRAND.finditer(text) if not _brand_as_product(text, m.start(), m.end())]
    if not found:
        return []
    brand_company = any(m.group(1) in company for m in found) if company else False
    middleman = (bool(company) and not brand_company and bool(_MIDDLEMAN_NAME.search(company))) or bool(
        _AGENCY.search(text)
    )
    if not middleman and not (not company and _DIRECT.search(text)):
        return []
    return [Span(m.start(), m.end(), m.group()) for m in found]


def guaranteed_placement(text: str) -> list[Span]:
    """Placement promised (包进厂, 包分配, 交钱安排工作): what illegal agencies sell."""
    if not _PLACEMENT_WORDS.search(text):
        return []
    return [Span(m.start(), m.end(), m.group()) for m in affirmed(_GUARANTEED_JOB, text)]
