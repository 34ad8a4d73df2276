"""Contacts as spans over the original text: real obfuscated forms found, other numbers left alone."""

from __future__ import annotations

import pytest

from zhtext.contacts import find_contacts, find_phones, mobile_numbers

PHONE = "13812345678"


def _found(text: str) -> list[tuple[str, str]]:
    return [(m.kind, m.value) for m in find_contacts(text)]


@pytest.mark.parametrize(
    "text",
    [
        "电话13812345678",
        "手机：138-1234-5678",
        "138.1234.5678",
        "1 3 8 . 1 2 3 4 . 5 6 7 8",
        "一三八一二三四五六七八",
        "壹叁捌壹贰叁肆伍陆柒捌",
        "幺三八幺二三四五六七八",
        "①③⑧①②③④⑤⑥⑦⑧",
        "１３８１２３４５６７８",
        "１３８－１２３４－５６７８",
        "❶❸❽❶❷❸❹❺❻❼❽",
        "1️⃣3️⃣8️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣",
        "138🔥1234🔥5678",
        "138❤️1234❤️5678",
        "138\u200b1234\u200b5678",
        "+86 138 1234 5678",
        "+86-13812345678",
        "電話：壹叁捌-壹貳叁肆-伍陸柒捌",
    ],
)
def test_mobile_forms(text: str) -> None:
    assert _found(text) == [("mobile", PHONE)]


def test_a_mention_points_at_the_original_characters() -> None:
    text = "聯繫：１３８ １２３４ ５６７８（王）"
    (mention,) = find_phones(text)
    assert text[mention.start : mention.end] == "１３８ １２３４ ５６７８"
    assert [text[i] for i in mention.positions] == list("１３８１２３４５６７８")


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("座机0512-6666 8888", "051266668888"),
        ("(025)8888888", "0258888888"),
        ("（025）8400 1234转12", "02584001234"),
        ("苏州 0512 66668888", "051266668888"),
        ("北京010-62751234", "01062751234"),
        ("电话:5221234", "5221234"),
        ("电话：6666 8888", "66668888"),
        ("TEL: 522-1234", "5221234"),
    ],
)
def test_landlines(text: str, number: str) -> None:
    assert _found(text) == [("landline", number)]


@pytest.mark.parametrize(
    "text",
    [
        "订单号 202405011234567",
        "订单号2138123456789",
        "统一社会信用代码91320500MA1XXXXXXX",
        "统一社会信用代码 913205947705551234",
        "月薪3000-5000元",
        "发布日期2024-05-01",
        "2023-11-28 10:30:45",
        "售价1299.00元，原价1599元",
        "编号5221234",  # seven digits without a phone word: not a local number
        "iPhone 6666888",
        "共8888888件",
        "招聘100人，年龄16-35岁",
        "一二三四五六七八九十",
        "月薪三千至五千元，工作一二年",
        "身份证130102199001011234",
        "什么都不用管",
        "",
    ],
)
def test_traps_are_not_contacts(text: str) -> None:
    assert find_contacts(text) == []


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("微信：abc_12345", ["abc_12345"]),
        ("威信 abc_12345", ["abc_12345"]),
        ("薇信:abc_12345", ["abc_12345"]),
        ("徽信 abc_12345", ["abc_12345"]),
        ("卫星：abc_12345", ["abc_12345"]),
        ("V信 Lily520", ["Lily520"]),
        ("v信-lily_520", ["lily_520"]),
        ("VX：a1234567", ["a1234567"]),
        ("vx = a1234567", ["a1234567"]),
        ("WX: hello2024", ["hello2024"]),
        ("wx:hello2024", ["hello2024"]),
        ("加V：hello2024", ["hello2024"]),
        ("加v hello2024", ["hello2024"]),
        ("➕V：hello2024", ["hello2024"]),
        ("+V hello2024", ["hello2024"]),
        ("加薇 hello2024", ["hello2024"]),
        ("薇❤：hello2024", ["hello2024"]),
        ("微❤️ hello2024", ["hello2024"]),
        ("绿泡泡：hello2024", ["hello2024"]),
        ("🛰️ hello2024", ["hello2024"]),
        ("V:hello2024", ["hello2024"]),
        ("微 信：hello2024", ["hello2024"]),
        ("微信号是 hello2024", ["hello2024"]),
        ("加V: 138 1234 5678", [PHONE]),
        ("电话13812345678 v同号", [PHONE]),
        ("13812345678（微信同号）", [PHONE]),
        ("TV:abcdefg", []),
        ("下载微信APP", []),
        ("微信同号", []),  # the same as a phone the ad does not give
    ],
)
def test_wechat_markers(text: str, ids: list[str]) -> None:
    assert [value for kind, value in _found(text) if kind == "wechat"] == ids


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("QQ：123456789", ["123456789"]),
        ("qq 10001", ["10001"]),
        ("扣扣：12345678", ["12345678"]),
        ("企鹅号 一二三四五六七八", ["12345678"]),
        ("Q号:88886666", ["88886666"]),
        ("电话13812345678 QQ 88886666", ["88886666"]),
        ("电话13812345678，欢迎来电", []),  # no QQ marker: no QQ number
        ("QQ音乐", []),
    ],
)
def test_qq_only_after_a_marker(text: str, ids: list[str]) -> None:
    assert [value for kind, value in _found(text) if kind == "qq"] == ids


def test_no_phantom_qq_beside_a_real_phone() -> None:
    text = "王经理13812345678，QQ：88886666，座机0512-66668888"
    assert _found(text) == [
        ("mobile", PHONE),
        ("landline", "051266668888"),
        ("qq", "88886666"),
    ]


def test_email_is_found_in_full_width() -> None:
    assert _found("邮箱：ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ") == [("email", "zhang@example.com")]


def test_mobile_numbers_for_the_model() -> None:
    text = "王经理 138-1234-5678，或 幺三九 一二三四 五六七八，座机 0512-66668888，再说 13812345678"
    assert mobile_numbers(text) == [PHONE, "13912345678"]
    assert mobile_numbers(text.lower()) == [PHONE, "13912345678"]
    assert mobile_numbers("热线400-820-5555") == [] and mobile_numbers(None) == []
