"""Building blocks of synthetic ads: regions, registry numbers, contacts, pay and age wording.

Every function takes the caller's seeded ``random.Random`` so the generator stays deterministic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from synthetic_ads.phrases import job as P

PROVINCE_CODE = "320000"
# Working days and hours per month used to turn day / hour pay into monthly truth (劳社部发〔2008〕3号).
DAYS_PER_MONTH = 21.75
HOURS_PER_MONTH = 174


@dataclass(frozen=True)
class City:
    """A Jiangsu prefecture-level city with some of its counties (GB/T 2260 codes)."""

    code: str
    name: str
    area_code: str
    weight: int
    counties: tuple[tuple[str, str], ...]


# A small copy of the Jiangsu table until store.regions lands; codes are GB/T 2260 (2023).
CITIES: tuple[City, ...] = (
    City(
        "320500",
        "苏州市",
        "0512",
        30,
        (
            ("320505", "虎丘区"),
            ("320506", "吴中区"),
            ("320507", "相城区"),
            ("320508", "姑苏区"),
            ("320509", "吴江区"),
            ("320581", "常熟市"),
            ("320582", "张家港市"),
            ("320583", "昆山市"),
            ("320585", "太仓市"),
        ),
    ),
    City(
        "320100",
        "南京市",
        "025",
        18,
        (
            ("320102", "玄武区"),
            ("320104", "秦淮区"),
            ("320105", "建邺区"),
            ("320106", "鼓楼区"),
            ("320111", "浦口区"),
            ("320113", "栖霞区"),
            ("320114", "雨花台区"),
            ("320115", "江宁区"),
            ("320116", "六合区"),
            ("320117", "溧水区"),
            ("320118", "高淳区"),
        ),
    ),
    City(
        "320200",
        "无锡市",
        "0510",
        10,
        (
            ("320205", "锡山区"),
            ("320206", "惠山区"),
            ("320211", "滨湖区"),
            ("320213", "梁溪区"),
            ("320214", "新吴区"),
            ("320281", "江阴市"),
            ("320282", "宜兴市"),
        ),
    ),
    City(
        "320400",
        "常州市",
        "0519",
        7,
        (
            ("320402", "天宁区"),
            ("320404", "钟楼区"),
            ("320411", "新北区"),
            ("320412", "武进区"),
            ("320413", "金坛区"),
            ("320481", "溧阳市"),
        ),
    ),
    City(
        "320300",
        "徐州市",
        "0516",
        5,
        (
            ("320302", "鼓楼区"),
            ("320303", "云龙区"),
            ("320311", "泉山区"),
            ("320312", "铜山区"),
            ("320322", "沛县"),
            ("320382", "邳州市"),
        ),
    ),
    City(
        "320600",
        "南通市",
        "0513",
        6,
        (
            ("320612", "通州区"),
            ("320613", "崇川区"),
            ("320614", "海门区"),
            ("320681", "启东市"),
            ("320682", "如皋市"),
            ("320685", "海安市"),
        ),
    ),
    City("320700", "连云港市", "0518", 2, (("320706", "海州区"), ("320707", "赣榆区"), ("320722", "东海县"))),
    City("320800", "淮安市", "0517", 2, (("320803", "淮安区"), ("320804", "淮阴区"), ("320812", "清江浦区"))),
    City("320900", "盐城市", "0515", 3, (("320902", "亭湖区"), ("320903", "盐都区"), ("320981", "东台市"))),
    City("321000", "扬州市", "0514", 3, (("321002", "广陵区"), ("321003", "邗江区"), ("321012", "江都区"))),
    City("321100", "镇江市", "0511", 3, (("321102", "京口区"), ("321112", "丹徒区"), ("321181", "丹阳市"))),
    City("321200", "泰州市", "0523", 3, (("321202", "海陵区"), ("321281", "兴化市"), ("321282", "靖江市"))),
    City("321300", "宿迁市", "0527", 3, (("321302", "宿城区"), ("321322", "沭阳县"), ("321323", "泗阳县"))),
)
CITY_BY_CODE = {c.code: c for c in CITIES}
COUNTY_NAMES = {code: name for c in CITIES for code, name in c.counties}

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_MOBILE_PREFIXES = (
    "138",
    "139",
    "137",
    "136",
    "135",
    "150",
    "151",
    "152",
    "158",
    "159",
    "187",
    "188",
    "181",
    "180",
    "177",
    "176",
    "199",
    "191",
    "133",
    "153",
    "189",
    "130",
    "131",
    "155",
)
_WECHAT_STEMS = (
    "hr",
    "zp",
    "laowu",
    "job",
    "sz",
    "nj",
    "wx",
    "hongniang",
    "love",
    "xd",
    "ht",
    "kefu",
    "zhaopin",
)


def pick_city(rng: random.Random) -> City:
    """A city weighted by how many ads a real Jiangsu board carries for it."""
    return rng.choices(CITIES, weights=[c.weight for c in CITIES])[0]


def uscc_check_char(first17: str) -> str:
    """The GB 32100-2015 check character of a unified social credit code."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str:
    """The GB 11714 check character of the 9-character organisation code inside a credit code."""
    total = sum(int(ch, 36) * w for ch, w in zip(body8, _ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def make_credit_code(rng: random.Random, county_code: str) -> str:
    """A well-formed unified social credit code for a company registered in county_code."""
    letters = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body8 = "MA" + "".join(rng.choice(letters) for _ in range(6))
    first17 = "91" + county_code + body8 + org_code_check_char(body8)
    return first17 + uscc_check_char(first17)


def make_licence_no(rng: random.Random, county_code: str) -> str:
    """A human-resources service licence number in the Jiangsu style."""
    year = rng.randint(2012, 2023)
    return f"（苏）人服证字〔{year}〕第{county_code[2:]}{rng.randint(1, 9999):04d}号"


def make_mobile(rng: random.Random) -> str:
    """An 11-digit mainland mobile number."""
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"


def make_landline(rng: random.Random, city: City) -> str:
    """A normalised landline: area code, dash, 8 digits."""
    return f"{city.area_code}-{rng.randint(5, 8)}{rng.randint(0, 9_999_999):07d}"


def make_wechat_id(rng: random.Random) -> str:
    """A WeChat ID: starts with a letter, 6-20 letters, digits, underscores."""
    stem = rng.choice(_WECHAT_STEMS) + rng.choice(("", "_", "")) + rng.choice(_WECHAT_STEMS[:6])
    return stem + str(rng.randint(100, 99999))


def render_phone(rng: random.Random, phone: str, obfuscate: bool) -> str:
    """Print a normalised phone the way ads do: plain, spaced, dashed or in Chinese numerals."""
    if "-" in phone:
        return phone if rng.random() < 0.7 else phone.replace("-", "")
    if not obfuscate:
        return rng.choice(
            (phone, phone, f"{phone[:3]}-{phone[3:7]}-{phone[7:]}", f"{phone[:3]} {phone[3:7]} {phone[7:]}")
        )
    style = rng.randrange(4)
    if style == 0:
        digits = rng.choice(P.CHINESE_DIGITS)
        return "".join(digits[int(d)] for d in phone)
    if style == 1:
        return " ".join(phone)
    if style == 2:
        return phone.translate(P.FULL_WIDTH_DIGITS)
    return f"{phone[:3]}*{phone[3:7]}*{phone[7:]}"


def render_wechat(rng: random.Random, wechat_id: str, same_as_phone: bool, obfuscate: bool) -> str:
    """Print a WeChat contact: '微信：x', 'V信 x', '加薇 x', '威信同号' ..."""
    if same_as_phone:
        return rng.choice(("微信同号", "威信同号", "V同号", "（微信同号）"))
    label = (
        rng.choice(("V信", "加薇", "威信", "vx", "➕V", "薇信"))
        if obfuscate
        else rng.choice(("微信", "微信号"))
    )
    return f"{label}{rng.choice(('：', ':', ' ', ''))}{wechat_id}"


def salary_wording(
    rng: random.Random, lo: int, hi: int, unit_hint: str = "month"
) -> tuple[str, int | None, int | None]:
    """Pay as printed plus its monthly CNY truth (min, max); None where the ad gives no figure."""
    if unit_hint == "day":
        day = max(100, round(lo / DAYS_PER_MONTH / 10) * 10)
        return (
            rng.choice((f"{day}元/天", f"日薪{day}", f"{day}一天", f"日结{day}元")),
            _m(day * DAYS_PER_MONTH),
            _m(day * DAYS_PER_MONTH),
        )
    if unit_hint == "hour":
        hour = max(15, round(lo / HOURS_PER_MONTH))
        return (
            rng.choice((f"{hour}元/小时", f"时薪{hour}元", f"小时工{hour}元")),
            hour * HOURS_PER_MONTH,
            hour * HOURS_PER_MONTH,
        )
    style = rng.randrange(9)
    if style <= 2:
        return rng.choice((f"{lo}-{hi}元/月", f"{lo}-{hi}元", f"月薪{lo}-{hi}")), lo, hi
    if style == 3:
        a, b = max(1, round(lo / 1000)), max(1, round(hi / 1000))
        b = max(b, a + 1)
        return rng.choice((f"{a}-{b}千", f"{a}千-{b}千/月", f"{a}K-{b}K")), a * 1000, b * 1000
    if style == 4:
        return f"综合工资{lo}-{hi}", lo, hi
    if style == 5:
        return rng.choice((f"底薪{lo}+提成", f"保底{lo}，上不封顶")), lo, None
    if style == 6:
        return "面议", None, None
    if style == 7:
        return f"{lo}元以上", lo, None
    return f"{lo}-{hi}元/月（含加班）", lo, hi


def _m(value: float) -> int:
    return round(value)


def ordinary_age(rng: random.Random) -> tuple[str, int | None, int | None]:
    """An ordinary, lawful age requirement as printed, with its truth."""
    lo = rng.choice((16, 18, 18, 18, 18, 20, 22))
    hi = rng.choice((30, 35, 40, 45, 50, 55))
    return rng.choice(
        (
            (f"{lo}-{hi}周岁", lo, hi),
            (f"{lo}-{hi}岁", lo, hi),
            (f"{lo}岁以上", lo, None),
            (f"年满{lo}周岁", lo, None),
            ("年龄不限", None, None),
            (f"{hi}岁以下", None, hi),
            (f"男女不限，{lo}-{hi}岁", lo, hi),
        )
    )


def person_name(rng: random.Random) -> str:
    """A contact person as printed: surname plus title (王经理, 李老师)."""
    return rng.choice(P.SURNAMES) + rng.choice(P.PERSON_TITLES)


def numbered(rng: random.Random, items: list[str]) -> str:
    """Items joined one per line with a numbering style real boards use."""
    style = rng.randrange(4)
    marks = ("①", "②", "③", "④", "⑤", "⑥")
    lines = []
    for i, item in enumerate(items, 1):
        prefix = (f"{i}、", f"{i}.", marks[(i - 1) % 6], "- ")[style]
        lines.append(prefix + item + rng.choice(("；", "；", "。", "")))
    return "\n".join(lines)


def styled(text: str, traditional: bool, full_width: bool) -> str:
    """Apply an ad's print style: some traditional characters, full-width digits."""
    if traditional:
        text = text.translate(P.TRADITIONAL)
    if full_width:
        text = text.translate(P.FULL_WIDTH_DIGITS)
    return text
