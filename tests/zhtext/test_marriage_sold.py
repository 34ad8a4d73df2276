"""A woman sold into a marriage in words that avoid a sale's (zhtext.law.sale), the promises around it,
and the lawful posts that share those words.

Written for this suite from the law (买卖婚姻 and 包办强迫婚姻 are banned, 民法典第1042条; 涉外婚姻介绍 for
profit is banned), in wordings of my own, not taken from any evaluation set. Beside each reading, the
trap it must not fire on.
"""

from __future__ import annotations

import pytest

from tests.zhtext.readings import fired
from zhtext.fold import fold
from zhtext.law.sale import sold_without_saying


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        # brought from elsewhere, the country never named
        ("帮村里光棍说外头的媳妇，人都是河那边过来的，路费加辛苦费一共八万", "外头的媳妇"),
        ("想成家的找我，南边过来的姑娘，勤快能干，价钱当面谈", "南边过来的姑娘"),
        ("有路子的兄弟注意：能从山那边领人过来结婚的，一个给你八千", "山那边领人过来"),
        ("上礼拜刚到了四个，都想找个好人家嫁了，私我看视频", "刚到了四个"),
        ("彩礼不用愁，花七个就能带一个回家，想要的吱声", "花七个就能带一个回家"),
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
        # a couple's own story, the bride from elsewhere; a wife fetched from the station
        "我老婆是南边的姑娘，我们是同事，自由恋爱，彩礼给了八万",
        "我哥娶了个外面的媳妇，四川的，彩礼没要多少钱，人特别好",
        "下班去地铁站那边接媳妇回来，打车花了五十块钱",
        # a wedding shop's stock and customers, a vendor sought
        "今天来了三位新人咨询婚礼套餐价格，旺季档期快满了",
        "婚纱这批刚到三个款，都是今年新款，价格私聊",
        "婚礼缺个司仪，谁手里有人推荐一下，价格好商量",
        # a question, the old days, a tutor's pupil
        "谁家出得多就给谁？我们家嫁女儿从来不看彩礼，看的是人品",
        "奶奶常说，旧社会谁家出得多就把闺女嫁给谁家，现在可不兴这个了",
        "有个15岁的孩子想找家教补数学，价格怎么算？",
        "我奶奶17岁就嫁给我爷爷了，那时候兵荒马乱的",
        "外地的媳妇也挺好，我们是网上认识的，结婚花了十来万",
        # families agreeing a bride price between themselves
        "两家商量好了，彩礼十八万，女方家里再陪嫁一辆车，下个月办酒",
        # a job ad and a shop
        "电子厂急招普工，名额有限，要的抓紧报名，工资月结",
        "招聘司机，已成家优先，月薪7000，名额有限，要的抓紧联系",
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


@pytest.mark.parametrize(
    ("text", "indicator", "fires"),
    [
        # found by a review: words of the new readings in lawful posts, and real violations they hid
        ("冬天到了，没地方住的可以来我们教堂过夜，管吃管住", "recruits_vulnerable", False),
        ("寒冬送温暖，要饭的、没家的都可以来领棉衣，免费", "recruits_vulnerable", False),
        ("签了合同不准辞职怎么说都没用", "no_freedom_to_leave", True),
        ("进了厂无论是否周末都不准外出", "no_freedom_to_leave", True),
        ("工资只能选择年底一次性结清，中途走的不结", "wages_withheld", True),
        ("押一个月工资，可以选择现金或者打卡", "wages_withheld", True),
        ("初三不想读了怎么办？孩子天天玩手机，家长急求建议", "minimum_age_under_16", False),
        ("招保安，身高够就行，不看年龄，60岁以下都可以", "minimum_age_under_16", False),
        ("短剧拍摄招群演，本剧组包吃住，证件统一保管，剧情需要不准外出", "documents_kept", True),
        ("这不算犯法，也不是拐卖，姑娘自愿的，六万带回家", "bride_buying", True),
        ("过年留厂的，厂里每人给2000保证大家过个好年", "charges_fee", False),
        ("店里服务员人走了急需补一个，包吃住，月薪四千", "guaranteed_success", False),
        ("领证跟拍套餐：管领证当天的妆发和摄影，价格699", "guaranteed_success", False),
        ("驾校考试保证你进得去考场，不用排队", "guaranteed_placement", False),
    ],
)
def test_what_the_review_found(text: str, indicator: str, fires: bool) -> None:
    assert bool(fired(text).get(indicator)) == fires, fired(text)
