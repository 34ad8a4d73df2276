"""Bride trade written as offers of goods and ages written without 岁, with the traps beside them.

Written for this suite from the law (涉外婚姻介绍 for profit is banned; the legal age of marriage for a
woman is 20), not taken from any evaluation set.
"""

from __future__ import annotations

import pytest

from tests.zhtext.readings import fired


@pytest.mark.parametrize(
    ("text", "indicator", "quoted"),
    [
        # a stock of women to choose from is an offer, with no price named
        ("缅甸新娘 现有20多个在等 可视频挑选 看中就定", "cross_border_bride", "缅甸新娘"),
        ("老挝姑娘现有七八个，有意的兄弟来挑选", "cross_border_bride", "老挝姑娘"),
        ("大龄剩男福音！异国新娘一站式服务，半个月闪婚", "cross_border_bride", "异国新娘"),
        ("异国新娘，半个月领证，全程陪同", "guaranteed_success", "半个月领证"),
        ("越南妹子，二十天领证，手续全包", "guaranteed_success", "二十天领证"),
        # an age under 20 without 岁
        ("小姑娘今年刚17，家里穷，彩礼给够就嫁", "bride_under_20", "今年刚17"),
        ("这个妹子才十八，听话，彩礼好商量", "bride_under_20", "才十八"),
    ],
)
def test_the_offer_is_found(text: str, indicator: str, quoted: str) -> None:
    assert any(quoted in span for span in fired(text).get(indicator, [])), fired(text)


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("我和越南老婆是自由恋爱，去年闪婚，现在孩子两岁了", "cross_border_bride"),
        # a couple's own quick wedding is no promise sold
        ("我和越南老婆认识一个月就闪婚了，感谢大家祝福", "cross_border_bride"),
        ("我们认识半个月就闪婚啦，双方父母都同意", "guaranteed_success"),
        ("越南语翻译，现有名额3个，工资面议，包吃住", "cross_border_bride"),
        ("闪婚闪离的教训，提醒大家谨慎，越南新娘骗婚案件多", "cross_border_bride"),
        ("公司现有员工200人，越南工厂招聘管理人员", "cross_border_bride"),
        ("相亲会本周六举行，单身男女免费报名，现场挑选心仪对象", "cross_border_bride"),
        ("彩礼才10万，女方家里通情达理", "bride_under_20"),  # 才10 is ten thousand yuan, not an age
        ("姑娘刚15天就和男方见了家长，彩礼谈好了", "bride_under_20"),  # days, not an age
        ("今年刚18岁的妹妹找工作，会电脑", "bride_under_20"),  # no marriage in it
        # 才/刚 before a count, a time or a measure is no age
        ("见面才15分钟，彩礼好商量", "bride_under_20"),
        ("女方家才16亩地，彩礼好商量", "bride_under_20"),
        ("姑娘下午才17:30到，相亲", "bride_under_20"),
        ("美女才18人报名相亲", "bride_under_20"),
        ("才16次见面就结婚了", "bride_under_20"),
        # 现有 and 挑选 only as a stock and a choice among women
        ("我老婆是越南的，现有房有车，欢迎来玩", "cross_border_bride"),
        ("越南新娘嫁到中国，挑选丈夫很认真", "cross_border_bride"),
        ("上半个月结婚的人多，婚庆公司忙", "guaranteed_success"),
        ("民政局涉外婚姻登记须知：需提供护照、单身证明", "cross_border_bride"),
    ],
)
def test_traps_stay_quiet(text: str, indicator: str) -> None:
    assert indicator not in fired(text), fired(text)


# A foreign wife told as a wedding done, or as news, with nothing that invites the reader, is a story: the
# law bans brokering for profit, and a story offers no one anything. Written for this suite, with the
# brokers' testimonials and pitches beside them (a way to be reached, a package, a payment, "在我们这").
@pytest.mark.parametrize(
    "text",
    [
        "越南新娘骗婚新闻:男子花20万娶越南新娘,婚后一周新娘跑了",
        "我朋友娶了个柬埔寨媳妇,花了十几万,现在跑了",
        "村里老王前年花了八万块娶了个越南老婆,生了娃以后人就不见了",
        "看到一则新闻,一个小伙子花十五万从中介那里娶了个缅甸姑娘,结果人跑了钱也没了",
        "表哥前几年花了12万娶了越南媳妇,现在两口子开了个小超市",
    ],
)
def test_a_story_of_a_foreign_wife_is_no_offer(text: str) -> None:
    assert "cross_border_bride" not in fired(text), fired(text)


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("已帮助300多位大哥娶了越南老婆,有意者加微信", "娶了越南老婆"),
        ("我去年娶了越南媳妇,现在帮老乡介绍,费用6万全包,私聊", "娶了越南媳妇"),
        ("张大哥去年在我们这娶了越南新娘,现在孩子都两岁了,费用8万", "娶了越南新娘"),
        ("王哥您好,上次您看中的那个缅甸姑娘家里同意了,尾款六万人到了再付", "缅甸姑娘"),
        ("越南新娘8万,绝不骗婚,私聊", "越南新娘"),
        ("视频《越南新娘婚后第三天就跑了》别听新闻瞎说,我们这的都是正规的,想了解的私", "越南新娘"),
    ],
)
def test_a_broker_telling_of_weddings_done_still_offers(text: str, quoted: str) -> None:
    assert any(quoted in span for span in fired(text).get("cross_border_bride", [])), fired(text)


# A girl's age under the marriage age of 20 written "十七了" after a family word for her, or with 小妹.
@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("家里丫头十七了,想给她说个婆家,彩礼好商量", "丫头十七"),
        ("闺女18了,找个人家,彩礼十万", "闺女18"),
        ("小妹十六岁,先办酒后领证,彩礼面议", "十六"),
    ],
)
def test_a_bride_under_twenty_written_as_families_write(text: str, quoted: str) -> None:
    assert any(quoted in span for span in fired(text).get("bride_under_20", [])), fired(text)


@pytest.mark.parametrize(
    "text",
    ["姑娘今年二十三了,想找个对象", "女儿12了,上初中,找家教", "丫头十七了,在县城读高中"],
)
def test_an_age_of_twenty_or_no_marriage_is_no_bride_under_twenty(text: str) -> None:
    assert "bride_under_20" not in fired(text), fired(text)
