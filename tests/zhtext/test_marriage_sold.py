"""A woman sold into a marriage in words that avoid a sale's (zhtext.law.sale), the promises around it,
and the lawful posts that share those words.

Written for this suite from the law (买卖婚姻 and 包办强迫婚姻 are banned, 民法典第1042条; 涉外婚姻介绍 for
profit is banned), in wordings of my own, not taken from any evaluation set. Beside each reading, the
trap it must not fire on.
"""

from __future__ import annotations

import pytest

from risk_model.features.indicators import legal_spans
from zhtext.fold import fold
from zhtext.law.sale import sold_without_saying


def fired(text: str) -> dict[str, list[str]]:
    return {name: [s.text for s in spans] for name, spans in legal_spans(fold(text).lower()).items() if spans}


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        # brought from elsewhere, the country never named
        ("帮村里光棍说外边的媳妇，人都是河那边过来的，路费加辛苦费一共八万", "外边的媳妇"),
        ("想成家的找我，南边来的姑娘，勤快能干，价钱当面谈", "南边来的姑娘"),
        ("有路子的兄弟注意：能从山那边领人过来结婚的，一个给你八千", "山那边领人过来"),
        ("上礼拜刚到了四个，都想找个好人家嫁了，私我看视频", "刚到了四个"),
        ("彩礼不用愁，七个就能带一个回家，想要的吱声", "七个就能带一个回家"),
        # a daughter given to the highest bidder or against her will
        ("闺女十九了，媒人说了好几家，哪家出的多就嫁给哪家", "哪家出的多就嫁给哪家"),
        ("亲事定了，她不愿意也得嫁，彩礼都花了", "不愿意也得嫁"),
        # a buyer asking who has women
        ("四十了还没成家，谁手上有姑娘的介绍一个，钱不是问题", "谁手上有姑娘"),
    ],
)
def test_a_woman_sold_without_the_words_of_a_sale(text: str, quoted: str) -> None:
    assert any(quoted in span for span in fired(text).get("bride_buying", [])), fired(text)


@pytest.mark.parametrize(
    "text",
    [
        # a couple's own story, the bride from elsewhere
        "我老婆是南边的姑娘，我们是同事，自由恋爱，彩礼给了八万",
        "外地的媳妇也挺好，我们是网上认识的，结婚花了十来万",
        # families agreeing a bride price between themselves
        "两家商量好了，彩礼十八万，女方家里再陪嫁一辆车，下个月办酒",
        # a job ad and a shop
        "电子厂急招普工，名额有限，要的抓紧报名，工资月结",
        "这个17的尺码还有货吗，价格多少，包邮吗",
        # the past, told as a family story
        "姥姥十七岁那年嫁到我们村，那时候结婚都是家里做主",
    ],
)
def test_lawful_posts_that_share_the_words_are_left_alone(text: str) -> None:
    found = fired(text)
    assert not found.get("bride_buying") and not found.get("bride_under_20"), found


def test_the_promises_around_a_sale() -> None:
    text = "这周刚到三个，全包十二个，管领证，半年内人走了我这边免费再补一个"
    found = fired(text)
    assert any("管领证" in s for s in found["guaranteed_success"]), found
    assert any("人走了" in s for s in found["guaranteed_success"]), found
    assert found["large_fee"] == ["全包十二个"] or any("十二个" in s for s in found["large_fee"]), found


def test_an_age_quoted_with_a_price_but_not_in_a_shop_or_a_job_ad() -> None:
    assert sold_without_saying(fold("之前问的那个十六的还在吗，价钱还是那样？").lower())
    assert not sold_without_saying(fold("那个16的多少钱一天，工厂包吃住").lower())


@pytest.mark.parametrize(
    "text",
    [
        # a drama or a film is no offer, whatever it tells
        "电视剧《远嫁》第三集：介绍人收了十万，说越南新娘跑了包换，剧情改编自真实案件",
        # comments that call the practice a crime
        "这种买越南老婆的视频别信，买的人也犯法",
        # jade sold live by the border, a translator from over there
        "直播间在瑞丽，缅甸的料子一口价包邮，缅甸小妹做翻译帮大家讲价",
    ],
)
def test_stories_comments_and_goods_offer_no_bride(text: str) -> None:
    assert not fired(text).get("cross_border_bride"), fired(text)


@pytest.mark.parametrize(
    ("text", "indicator", "quoted"),
    [
        ("窑厂缺人，脑子不太灵光的也给我弄过来，管吃住，一个给你一千", "recruits_vulnerable", "脑子不太灵光"),
        ("工地收人，没家的、要饭的都要，管饭", "recruits_vulnerable", "没家的"),
        ("饭店招帮工，个子高就行，不看年纪", "minimum_age_under_16", "个子高就行"),
        ("汽修店收学徒，初二不想读了的也可以来", "minimum_age_under_16", "初二不想读"),
    ],
)
def test_labour_read_in_plain_speech(text: str, indicator: str, quoted: str) -> None:
    assert any(quoted in span for span in fired(text).get(indicator, [])), fired(text)


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("宿舍十一点门禁，这算不算限制人身自由？其实报备就能出", "no_freedom_to_leave"),
        ("须年满16周岁，初中在读生请勿报名", "minimum_age_under_16"),
        ("家里有房，有个小家，没家的感觉不好受", "recruits_vulnerable"),
    ],
)
def test_a_question_a_refusal_and_a_feeling_are_left_alone(text: str, indicator: str) -> None:
    assert not fired(text).get(indicator), fired(text)
