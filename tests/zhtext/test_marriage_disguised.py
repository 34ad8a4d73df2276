"""Marriage brokering written to slip past readers, and the lawful posts that share its words.

Written for this suite from the law (涉外婚姻介绍 for profit is banned; 借婚姻索取财物 and 婚托 are unlawful;
a woman's legal age of marriage is 20), not taken from any evaluation set: pinyin and flags for the
countries, foreign men seeking Chinese wives, an age or a go-between with no bride word, a minor bride,
sham weddings and sham dates, sums written 六个w or 三五万. Beside each, the trap it must not fire on.
"""

from __future__ import annotations

import pytest

from tests.zhtext.readings import fired
from zhtext.scan import pinyin_forms


def test_pinyin_forms_spell_any_character() -> None:
    assert pinyin_forms("越南", "yue nan") == ["越南", "越nan", "yue南", "yuenan"]
    assert len(pinyin_forms("包成功", "bao cheng gong")) == 8
    with pytest.raises(ValueError, match="one syllable per character"):
        pinyin_forms("越南", "yuenan")


@pytest.mark.parametrize(
    ("text", "indicator", "quoted"),
    [
        ("缅dian mei子 xiang亲，包cheng功，手续全包 加v", "cross_border_bride", "缅dian mei子"),
        ("缅dian mei子 xiang亲，包cheng功，手续全包 加v", "guaranteed_success", "包cheng功"),
        ("LAOWO新娘 五万八 全包 私聊", "cross_border_bride", "laowo新娘"),
        ("🇱🇦👰 五万八 全包 私聊", "cross_border_bride", "🇱🇦👰"),
        ("韩国农村男士征婚，求娶中国姑娘，介绍费另议", "cross_border_bride", "韩国农村男士征婚"),
        ("想远嫁日本的姑娘看过来，对方条件好，中介全程办理，费用面议", "cross_border_bride", "远嫁日本"),
        ("柬埔寨的十八九岁，彩礼四万，其它费用我们统一收", "cross_border_bride", "柬埔寨的十八九岁"),
        ("柬埔寨的十八九岁，彩礼四万，其它费用我们统一收", "bride_buying", "其它费用我们统一收"),
        (
            "缅甸那边的亲戚可以介绍，辛苦费三个w，女方家的礼金另谈",
            "cross_border_bride",
            "缅甸那边的亲戚可以介绍",
        ),
        ("缅甸那边的亲戚可以介绍，辛苦费三个w，女方家的礼金另谈", "large_fee", "三个w"),
        ("老挝姑娘，彩礼三五万就行，加我细聊", "large_fee", "三五万"),
        ("姑娘还没成年，可以先摆酒，到岁数再领证，价钱好说", "bride_under_20", "还没成年"),
        ("招女孩子配合办酒，过门后住一阵就走，彩礼分给你一半", "bride_buying", "彩礼分给你"),
        ("招女孩子配合办酒，过门后住一阵就走，彩礼分给你一半", "bride_buying", "过门后住一阵就走"),
        ("婚恋公司招兼职女嘉宾，陪男会员喝咖啡，不用真处对象，按场结算", "bride_buying", "不用真处"),
        ("婚恋公司招兼职女嘉宾，陪男会员喝咖啡，不用真处对象，按场结算", "bride_buying", "陪男会员喝"),
        # a bare promise counts in a post that offers foreign brides, however far from the bride word
        (
            "专做老挝婚姻，机票食宿全包，现场见面，全程价十二万八，签约后包办手续，不成功退一半",
            "guaranteed_success",
            "不成功退",
        ),
    ],
)
def test_the_disguised_offer_is_found(text: str, indicator: str, quoted: str) -> None:
    assert any(quoted in span for span in fired(text).get(indicator, [])), fired(text)


@pytest.mark.parametrize(
    ("text", "indicator", "quoted"),
    [
        # a border town or "over the river" for the country
        ("木姐那边的姑娘，彩礼三万，联系我", "cross_border_bride", "木姐那边的姑娘"),
        ("边境那边的媳妇，每月来一批，红包到位的优先", "cross_border_bride", "边境那边的媳妇"),
        # exchange marriage, a woman viewed then paid for, taken away once the buyer is pleased
        ("换亲：他家闺女嫁你家，你家闺女嫁他家，我中间跑腿", "bride_buying", "换亲"),
        ("都是想嫁人的姑娘，人你们自己挑，看上了跟她家谈，我只收路费", "bride_buying", "人你们自己挑"),
        ("先看后付，光棍兄弟私我", "bride_buying", "先看后付"),
        ("见面满意即可带走，尾款领证当天结清，姑娘二十出头", "bride_buying", "满意即可带走"),
        ("见面满意即可带走，尾款领证当天结清，姑娘二十出头", "guaranteed_success", "尾款领证当天"),
        # waiting until she is old enough is an under-age bride
        ("小姑娘十六，先订亲，等够岁数再领证", "bride_under_20", "等够岁数再领证"),
        # relatives played by actors to talk up the bride price (骗婚)
        ("有剧本，扮女方的舅舅去男方家谈彩礼，一场八百", "bride_buying", "扮女方的舅舅"),
        # a pupil who left school
        ("饭店洗碗，初三没读完的也要，包吃住", "minimum_age_under_16", "初三没读"),
    ],
)
def test_the_euphemism_is_found(text: str, indicator: str, quoted: str) -> None:
    assert any(quoted in span for span in fired(text).get(indicator, [])), fired(text)


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("婚姻家庭咨询师培训：含涉外婚姻介绍禁止性规定，学费两千", "cross_border_bride"),
        ("我老婆是越南人，厂里认识的，没有任何中介，彩礼两家商量着来", "cross_border_bride"),
        ("河对面新开了家面馆，老板娘人很好，价格实惠", "cross_border_bride"),
        ("装修满意再付款，先看后付也行", "bride_buying"),  # no marriage in it
        ("等孩子长大了再办升学宴", "bride_under_20"),
        ("两家孩子从小一起长大，如今自由恋爱结婚，不要彩礼", "bride_under_20"),
    ],
)
def test_the_same_words_elsewhere_are_left_alone(text: str, indicator: str) -> None:
    assert not fired(text).get(indicator), fired(text)


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        # promises about other things than a marriage
        ("婚纱摄影套餐，外景三套服装任选，包成功出片，不满意免费重拍", "guaranteed_success"),
        ("英短蓝猫配种，包成功，不成功不收费，可上门", "guaranteed_success"),
        ("代练上分，包成功，不成功全额退款", "guaranteed_success"),
        # the legal category, not an offer: a lawyer, a registration notice
        ("涉外婚姻家事律师：跨国婚姻离婚、财产分割，首次咨询免费", "cross_border_bride"),
        ("结婚登记须知：涉外婚姻当事人须持有效护照，免费领取婚检表", "cross_border_bride"),
        # reports and warnings quote the broker's words
        (
            "记者调查：所谓越南新娘“包成功”“跑了包补”，其实是非法中介的噱头，营利性涉外婚介本身就是违法的",
            "guaranteed_success",
        ),
        (
            "记者调查：所谓越南新娘“包成功”“跑了包补”，其实是非法中介的噱头，营利性涉外婚介本身就是违法的",
            "cross_border_bride",
        ),
        # a foreign worker's age in a job ad; a minor who is not a bride
        ("越南工厂招聘翻译，越南的20岁以上，月薪一万", "cross_border_bride"),
        ("服务员，未成年勿扰，已婚优先，月薪五千", "bride_under_20"),
        ("不到18周岁的童星须监护人陪同", "bride_under_20"),
        # a sales job takes clients to dinner; an agency's fees with nothing of a bride price
        ("销售助理，偶尔陪客户吃饭，婚假按国家规定", "bride_buying"),
        ("婚礼策划：彩礼、嫁妆流程由双方家庭商定，其他费用我们按合同收", "bride_buying"),
        # pay with 个 is a count, not ten thousand
        ("彩礼谈好了，婚礼请了三个伴娘", "large_fee"),
    ],
)
def test_the_lawful_post_is_left_alone(text: str, indicator: str) -> None:
    assert not fired(text).get(indicator), fired(text)


# Lawful posts a reviewer wrote against the first version of these readings; each had fired.
@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("婚礼场地预订，新人可以先看场地再定", "bride_buying"),
        ("婚纱租赁，新人自己挑款式，满意再付款", "bride_buying"),
        ("婚车租赁，客人先看车再交定金", "bride_buying"),
        ("光棍节特价，原价1.2万现价8999", "large_fee"),
        ("双十一光棍节，百万医疗险只要99元一年", "large_fee"),
        ("瑜伽馆越来越多女生加入，咨询微信", "cross_border_bride"),
        ("英语一对一，老师是外籍女士，咨询电话", "cross_border_bride"),
        ("彩礼越来越高，越来越多农村男人娶不起媳妇", "cross_border_bride"),
        ("王者荣耀代练，包成功上分，越打越顺", "guaranteed_success"),
        ("猫咪配种包成功，种公是缅因猫", "guaranteed_success"),
        ("家电以旧换新，师傅送到家安装", "guaranteed_success"),
        ("我们结完婚就走，去三亚度蜜月", "bride_buying"),
        ("结婚的彩礼分给她做嫁妆", "bride_buying"),
        ("相亲对象找借口说不合适，其实就是嫌我穷", "bride_buying"),
        ("婚纱摄影：未成年顾客需家长陪同", "bride_under_20"),
        ("我家孩子还没成年，亲戚就问什么时候结婚，烦死了", "bride_under_20"),
        ("老挝那边的天气30左右，结婚旅拍套餐", "cross_border_bride"),
        ("越南那边的朋友帮忙介绍了几个客户，婚纱出口", "cross_border_bride"),
        ("我表姐远嫁日本了，彩礼给了不少", "cross_border_bride"),
    ],
)
def test_what_the_review_found_stays_quiet(text: str, indicator: str) -> None:
    assert not fired(text).get(indicator), fired(text)


@pytest.mark.parametrize(
    ("text", "indicator", "quoted"),
    [
        ("yue nan xin niang 全包 8w vx", "cross_border_bride", "yue nan xin niang"),
        ("婚介所招女会员，不用真的处对象，按场结", "bride_buying", "不用真的处"),
        ("越南姑娘介绍，登记当日结清", "guaranteed_success", "登记当日结清"),
    ],
)
def test_what_the_review_found_missing_is_read(text: str, indicator: str, quoted: str) -> None:
    assert any(quoted in span for span in fired(text).get(indicator, [])), fired(text)


def test_a_sum_is_counted_once() -> None:
    assert fired("越南姑娘，彩礼给了六个w")["large_fee"] == ["六个w"]
