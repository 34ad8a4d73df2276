"""Phones, WeChat and QQ IDs, obfuscated forms included, without false positives on other numbers."""

from __future__ import annotations

import pytest

from crawlers.normalise.contacts import Contacts, extract_contacts, find_phones, find_qq_ids, find_wechat_ids

PHONE = "13812345678"


@pytest.mark.parametrize(
    "text",
    [
        "电话13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "138.1234.5678",
        "138/1234/5678",
        "1381234 5678",
        "1 3 8 . 1 2 3 4 . 5 6 7 8",
        "13 81 23 45 678",
        "一三八一二三四五六七八",
        "壹叁捌壹贰叁肆伍陆柒捌",
        "幺三八幺二三四五六七八",
        "一三八 1234 五六七八",
        "①③⑧①②③④⑤⑥⑦⑧",
        "１３８１２３４５６７８",
        "❶❸❽❶❷❸❹❺❻❼❽",
        "1️⃣3️⃣8️⃣12345678",
        "+86 138 1234 5678",
        "8613812345678",
        "电话：138*1234*5678（王经理）",
    ],
)
def test_obfuscated_mobile_numbers(text: str) -> None:
    assert find_phones(text) == [PHONE]


def test_several_phones_are_deduplicated_in_order() -> None:
    text = "13912345678 13812345678，再说一次：139-1234-5678，座机025-84001234，热线400-820-5555"
    assert find_phones(text) == ["13912345678", PHONE, "02584001234", "4008205555"]


@pytest.mark.parametrize(
    "text",
    [
        "月薪3000-5000元",
        "月收入8000-12000                   (1)公司有",
        "薪资8000-300001、19-32岁",
        "2023-05-12 09:30",
        "工作时间：早上7：00-19:00  8:00--20:00  9:00--21：00",
        "早上8:00一12:00，下午13:00一17:00，18:00一20:00(加班)",
        "第一个月收入6000+150*100=21000元",
        "身份证130102199001011234",
        "许可证编号：320102201801",
        "统一社会信用代码91320594MA1MXXXX0Q",
        "统一社会信用代码 913205947705551234",
        "12-18K·13薪",
        "年龄16-45岁，招聘200人",
        "订单号2138123456789",
        "白班12小时4000元 夜班3700坐岗",
        "什么都不用管",
        "",
    ],
)
def test_other_numbers_are_not_phones(text: str) -> None:
    assert find_phones(text) == []


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("加微信：abc_12345", ["abc_12345"]),
        ("V信 Lily520", ["Lily520"]),
        ("v信:lily_520", ["lily_520"]),
        ("vx:zhang-san88", ["zhang-san88"]),
        ("VX：a1234567", ["a1234567"]),
        ("wx: hello2024", ["hello2024"]),
        ("威信号：wx13812345678", ["wx13812345678"]),  # the wx inside the ID is not a second marker
        ("薇信13812345678", [PHONE]),
        ("加薇 abcdef", ["abcdef"]),
        ("加V: 138 1234 5678", [PHONE]),
        ("卫星：hello_world", ["hello_world"]),
        ("微信号（同号）13812345678", [PHONE]),
        ("电话：13812345678（微信同号）", [PHONE]),
        ("加微信了解详情", []),
        ("wx123", []),
        ("下载微信APP", []),
        ("vxlan配置", []),
    ],
)
def test_wechat_ids(text: str, ids: list[str]) -> None:
    assert find_wechat_ids(text) == ids


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("QQ：123456789", ["123456789"]),
        ("qq号 10001", ["10001"]),
        ("扣扣 1 2 3 4 5 6 7", ["1234567"]),
        ("企鹅号:一二三四五六七八", ["12345678"]),
        ("QQ群 12345678", ["12345678"]),
        ("QQ:0123", []),
        ("QQ:1234", []),
        ("QQ音乐", []),
    ],
)
def test_qq_ids(text: str, ids: list[str]) -> None:
    assert find_qq_ids(text) == ids


def test_extract_contacts_from_an_ad() -> None:
    ad = "急招普工，月薪4500-6000元。联系人王经理：壹叁捌-壹贰叁肆-伍陆柒捌，V信：wang_hr2024，QQ：88886666"
    assert extract_contacts(ad) == Contacts([PHONE], ["wang_hr2024"], ["88886666"])
