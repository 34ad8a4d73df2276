"""Masking writes into the original: only the hidden characters change, everything else stays as written."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhtext.contacts import mobile_numbers
from zhtext.pii import find_pii, mask_text

VALID_ID = "320102199001011232"
WRONG_CHECK_DIGIT = "320102199001011237"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("電話：138-1234-5678。", "電話：138-****-5678。"),
        ("聯絡人：王先生（１３８ １２３４ ５６７８）！", "聯絡人：王先生（１３８ **** ５６７８）！"),
        ("請加微信：abc_12345，謝謝", "請加微信：a******45，謝謝"),
        ("電話：壹叁捌-壹貳叁肆-伍陸柒捌", "電話：壹叁捌-****-伍陸柒捌"),
        ("①③⑧①②③④⑤⑥⑦⑧", "①③⑧****⑤⑥⑦⑧"),
        ("座機（0512）6666 8888", "座機（0512）**** 8888"),
        ("电话:5221234", "电话:***1234"),
        (f"身份證號：{VALID_ID}。", "身份證號：3201**********1232。"),
        (f"身份证号 {WRONG_CHECK_DIGIT}", "身份证号 3201**********1237"),
        ("身份证 320102 19900101 1232", "身份证 3201** ******** 1232"),
        ("證件號碼：320102900101123", "證件號碼：3201*******1123"),
        ("護照號碼：E12345678", "護照號碼：E******78"),
        ("郵箱：zhang.san@example.com", "郵箱：z********@example.com"),
        ("ＱＱ：１２３４５６７８９", "ＱＱ：１******８９"),
    ],
)
def test_mask_text_keeps_the_original_around_the_hidden_characters(text: str, masked: str) -> None:
    assert mask_text(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "月薪3000-5000元，包吃住",
        "發佈日期：2024-05-01",
        "统一社会信用代码：91320500MA1XXXXXXX",
        "订单号：202405011234567890",  # 18 digits, but no plausible region and birth date
        "320102199013011232",  # month 13
        "320102209901011232",  # born in the future
        "991234199001011232",  # no such province
        "售價￥1,299.00",
        "热线400-820-5555",  # a company's number, not personal data
        "编号5221234",
    ],
)
def test_not_personal_data(text: str) -> None:
    assert find_pii(text) == []
    assert mask_text(text) == text


def test_an_id_with_a_wrong_check_digit_is_still_masked() -> None:
    (mention,) = find_pii(WRONG_CHECK_DIGIT)
    assert (mention.kind, mention.value) == ("id_number", WRONG_CHECK_DIGIT)


def test_a_wechat_id_that_is_the_phone_is_masked_once_as_the_phone() -> None:
    found = find_pii("微信同号13812345678")
    assert [(m.kind, m.value) for m in found] == [("mobile", "13812345678")]


_PIECES = st.sampled_from(
    [
        "13812345678",
        "138-1234-5678",
        "壹叁捌 壹贰叁肆 伍陆柒捌",
        "①③⑧①②③④⑤⑥⑦⑧",
        "0512-66668888",
        "(025)8400 1234",
        VALID_ID,
        WRONG_CHECK_DIGIT,
        "身份证号：320102900101123",
        "护照E12345678",
        "微信：abc_12345",
        "vx:hello2024",
        "QQ：88886666",
        "a.b@example.com",
        "電話：",
        "月薪3000-5000元",
        "2024-05-01",
        "91320500MA1XXXXXXX",
        "，",
        "。",
        "（",
        "）",
        " ",
        "-",
        "🔥",
        "臺灣",
    ]
)
_TEXTS = st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_masking_keeps_length_changes_only_pii_spans_and_hides_every_mobile(text: str) -> None:
    masked = mask_text(text)
    assert len(masked) == len(text)
    spans = [(m.start, m.end) for m in find_pii(text)]
    for index, (before, after) in enumerate(zip(text, masked, strict=True)):
        if before != after:
            assert after == "*" and any(start <= index < end for start, end in spans), (text, index)
    assert not set(mobile_numbers(masked)) & set(mobile_numbers(text))
