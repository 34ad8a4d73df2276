"""Finders on shapes a second, independently written development set (tests/probe) showed them missing:
posters spaced out character by character, euphemisms for the bride trade, wages handed to a family,
IOUs on arrival, and the traps beside them (a couple's own story, a registration guide, court news).

The sentences here are new variants, not the probe's own ads.
"""

from __future__ import annotations

import pytest

from tests.zhtext.readings import fired
from zhtext.fold import unspaced


@pytest.mark.parametrize(
    ("text", "indicator", "quoted"),
    [
        ("诚 聘 普 工 数 名 包 吃 住 年 满 十 四 岁 即 可 工 资 面 议", "minimum_age_under_16", "十 四 岁"),
        (
            "招 工 啦 智 力 差 点 也 行 有 力 气 就 可 以 工 资 年 底 给 家 里",
            "recruits_vulnerable",
            "智 力 差",
        ),
        ("初中辍学的孩子也可以来学手艺，管吃管住", "minimum_age_under_16", "辍学的孩子"),
        ("养殖场缺人，钱每月直接打给他父母，人包吃住", "wages_to_others", "钱每月直接打给他"),
        ("到了先写张借条三千，做满一年作废，中途走了就要还钱", "debt_bondage", "中途走了就要还钱"),
        ("渔船招人，出海半年不靠岸，工钱等回来再结", "no_freedom_to_leave", "半年不靠岸"),
        ("渔船招人，出海半年不靠岸，工钱等回来再结", "wages_withheld", "工钱等回来再结"),
        ("工地干活的，工资过年统一发，平时管饭", "wages_withheld", "过年统一发"),
        ("来了包吃住，人我们帮你盯着不让乱跑", "no_freedom_to_leave", "盯着不让乱跑"),
        ("缅甸的妹子，二十上下，七万带回，不成不收", "cross_border_bride", "缅甸的妹子"),
        ("东南亚姑娘随时可以过去挑，手续一条龙", "cross_border_bride", "东南亚姑娘"),
        ("看不上可以换一个，满意当天带走", "bride_buying", "看不上可以换一个"),
        ("这个妹子刚满十八，懂事，彩礼一共八个，有意私聊", "bride_under_20", "刚满十八"),
        ("这个妹子刚满十八，懂事，彩礼一共八个，有意私聊", "large_fee", "一共八个"),
        ("相亲一条龙，总共十二万，不成退一半", "large_fee", "十二万"),
        ("内推进大厂，内推费两千，入职返五百", "charges_fee", "内推费"),
        ("转99进群，每天推送日结兼职", "charges_fee", "转99进群"),
        ("本人帮人找工作多年，介绍成功收三百辛苦费", "claims_agency", "帮人找工作"),
        ("想娶媳妇的看过来，柬埔寨的，私", "cross_border_bride", "媳妇的看过来,柬埔寨的"),
        ("下一批飞仰光看人，还剩三个位置，包机票", "cross_border_bride", "仰光看人"),
        ("想娶媳妇的看这，那边的姑娘，十七八，勤快听话，家里只要三万就行", "bride_under_20", "十七八"),
        ("婚介费按女方年龄算，二十岁以下另加五千", "bride_under_20", "二十岁以下"),
        ("看上哪个打在公屏上，定金三千锁人", "bride_buying", "锁人"),
        ("老乡介绍的妹子还剩两个，二十出头，想娶的私我", "bride_buying", "妹子还剩两个"),
        ("人直接送到家，彩礼手续一口价", "guaranteed_success", "人直接送到家"),
        ("交6万包签证包工作，个人渠道", "charges_fee", "交6万包"),
        ("介绍成功我这边收两千，护照到了统一收", "charges_fee", "收两千"),
        # Third hand-written set (probe3, twelfth session): new variants of what it showed missing.
        ("岁数小的价钱高点，老挝那边月底到一批，先到先挑", "bride_buying", "小的价钱高"),
        ("岁数小的价钱高点，老挝那边月底到一批，先到先挑", "cross_border_bride", "老挝那边月底到一批"),
        ("云南山里出来的女孩，八万就跟着你回家过日子", "bride_buying", "八万就跟着你回家"),
        ("相中谁就领谁，手续我们来跑", "bride_buying", "相中谁就领谁"),
        ("彩礼由我们代收，谈成了我们拿两成", "bride_buying", "我们拿两成"),
        ("不需要真嫁，住半个月找机会溜，钱大伙分", "bride_buying", "找机会溜"),
        ("媳妇是外地买来的，老实，不会跑，三万带走", "bride_buying", "三万带走"),
        ("缅甸lp，有意的私", "cross_border_bride", "缅甸lp"),
        ("这个姑娘十九，越南来的，定金先交，人就给你锁定了", "bride_buying", "人就给你锁定"),
        ("南洋良缘，全包，人到了再付尾款", "guaranteed_success", "人到了再付尾款"),
        ("暑假工，学生不查身份证，来了就上岗", "minimum_age_under_16", "不查身份证"),
        ("年纪不够的也收，身份证我们想办法", "minimum_age_under_16", "年纪不够"),
        ("不到十五的也要，活轻", "minimum_age_under_16", "不到十五"),
        ("表弟带了三个十四岁的娃来厂里干活", "minimum_age_under_16", "十四岁"),
        ("学员的证件统一由班主任保管，结业后发还", "documents_kept", "统一由班主任保管"),
        ("每个月工资打领班卡上，他再分给大家", "wages_to_others", "工资打领班"),
        ("征婚：温柔少妇，有意者先付1314元诚意金，确认后安排见面", "bride_buying", "先付1314元诚意金"),
        ("女嘉宾很多，当天见面当天领证，费用私聊", "bride_buying", "当天见面当天领证"),
        ("到了以后证件我们替你保管，走的时候还你", "documents_kept", "证件我们替你保管"),
        ("她的护照放他那，要用再去拿", "documents_kept", "护照放他那"),
        ("工资一年一发，平时管饭", "wages_withheld", "工资一年一发"),
        ("砖厂进了厂就出不去，晚上有人看着", "no_freedom_to_leave", "有人看着"),
        ("干活慢了老板就打骂，干活的都是外地来的", "no_freedom_to_leave", "打骂"),
        ("工钱打我们卡上，再统一分", "wages_to_others", "工钱打我"),
        ("YN妹子，可视频，全包三万八", "cross_border_bride", "yn妹子"),
        ("手上有缅甸的路子，想娶媳妇的大哥私聊", "cross_border_bride", "缅甸的路子"),
        ("彩礼谈好了，人当天就能直接领走", "bride_buying", "人当天就能直接领走"),
    ],
)
def test_the_signal_is_found_as_written(text: str, indicator: str, quoted: str) -> None:
    assert any(quoted in span for span in fired(text).get(indicator, [])), fired(text)


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        (
            "我和先生（越南人）在河内留学时认识，自己谈的恋爱，去年在南京办的涉外婚姻登记",
            "cross_border_bride",
        ),
        (
            "涉外婚姻登记须知：外方当事人须提供护照和无配偶证明，到省民政厅指定的婚姻登记机关办理",
            "cross_border_bride",
        ),
        (
            "越南语翻译，可陪同办理涉外婚姻登记材料认证，按页收费，只做翻译，不做婚姻介绍",
            "cross_border_bride",
        ),
        (
            "以案说法：法院审理认为，中介以营利为目的介绍缅甸新娘并限制其人身自由，判处有期徒刑",
            "no_freedom_to_leave",
        ),
        ("吐槽：表哥花了十几万娶的越南媳妇跑了，大家千万别信包成功的广告，都是坑", "cross_border_bride"),
        ("新媒体运营岗，入职后岗前培训，培训期工资照发，年薪可达十五万", "large_fee"),
        ("正规招聘，不收取求职者任何费用、押金", "charges_fee"),
        ("工资每月15号打到员工本人银行卡，不给家属代领", "wages_to_others"),
        ("有没有人知道哪里招普工？", "claims_agency"),
        ("越南原装腰果、咖啡到货，边境朋友直发，量大从优", "virgin"),
        ("纪录片推荐：跟拍了嫁到苏北的越南新娘十年，也拍到中介收钱包成功、有人被骗", "cross_border_bride"),
        ("我和越南老婆是读研时自由恋爱的，没有中介，在民政局登记", "cross_border_bride"),
        ("内推名额，内推费三千，需要的私信", "bride_buying"),
        ("薪资范围：免费班车，2-3万·13薪", "large_fee"),
        ("二手电动车，年份新的贵一点，三千拿走", "bride_buying"),
        ("外卖骑手，电动车自备，不会跑单的有人带", "bride_buying"),
        ("销售岗，底薪三千，公司提两成，个人拿八成", "bride_buying"),
        ("越南那边的工厂下个月再来一批订单，招跟单员", "cross_border_bride"),
        ("零工市场，六十岁以下都要，不查身份证，日结", "minimum_age_under_16"),
        ("年龄不够18岁的勿扰，要求初中以上学历", "minimum_age_under_16"),
        ("带孩子的宝妈优先，孩子十岁，时间灵活", "minimum_age_under_16"),
        (
            "求助：老公花钱娶的越南媳妇跑了，中介说包补人现在不接电话，怎么维权，报警有用吗",
            "guaranteed_success",
        ),
        (
            "本会声明：有人冒用本会名义宣传“包成功”涉外婚介，本会从不做外籍婚介，如遇请报警",
            "cross_border_bride",
        ),
        ("法院判决：原告给付彩礼十八万元，被告应返还八万元", "large_fee"),
        ("身份证由本人保管，入职时核对原件", "documents_kept"),
        ("工资打到员工本人卡上，不经过领班", "wages_to_others"),
        ("订婚那天男方先给见面礼红包，这是老家的规矩", "bride_buying"),
        ("面试通过后当天见面签合同，先交诚意金的都是骗子", "bride_buying"),
        ("身份证请自己收好，不要交给任何人", "documents_kept"),
        ("工资打卡，每月10号准时发", "wages_to_others"),
        ("进厂要过安检，违禁品带不进去", "no_freedom_to_leave"),
        ("公司有越南渠道，做服装外贸，招业务员", "cross_border_bride"),
        ("粤南地区门店招聘店员，包吃住", "cross_border_bride"),
        ("工资统一打到我们公司账户，扣完管理费再打给个人", "wages_to_others"),
    ],
)
def test_traps_stay_quiet(text: str, indicator: str) -> None:
    assert indicator not in fired(text), fired(text)


def test_spaced_out_text_is_read_without_its_spaces_and_quoted_as_written() -> None:
    text = "招 工 启 事 包 吃 住 未 满 十 六 周 岁 需 家 长 签 字"
    squeezed = unspaced(text)
    assert squeezed is not None and squeezed.text.startswith("招工启事包吃住未满十六周岁")
    assert all(text[i] == c for i, c in zip(squeezed.origin, squeezed.text, strict=True))
    assert unspaced("普通的招聘广告 包吃住 月薪五千 电话联系") is None  # a few spaces between words


def test_a_list_of_pupils_beside_primary_pupils_is_a_clientele() -> None:
    assert "minimum_age_under_16" not in fired("飞镖教练员 | 教学对象：小学生、初中生、高中生，体育全能")
    assert "minimum_age_under_16" in fired("招暑假工，初中生高中生都可以")


def test_numerals_that_are_no_number_are_skipped_not_an_error() -> None:
    assert "large_fee" not in fired("彩礼十十六万，一共十十个")  # raised KeyError('十') before
    assert "large_fee" in fired("彩礼三四十万")
    assert "bride_under_20" in fired("十七八岁的新娘，嫁到本地")


# The twenty-third session's traps, written for this suite from the law's practices (wages held back,
# no leaving, work against a debt) in the shapes workers' ads take, with the lawful look-alikes beside.
@pytest.mark.parametrize(
    ("text", "indicator", "quoted"),
    [
        ("工资月结,压半个月", "wages_withheld", "压半个月"),
        ("工资15号发,押一个月", "wages_withheld", "押一个月"),
        ("工资日结,压三天", "wages_withheld", "压三天"),
        ("来了就不能走,有事找领班", "no_freedom_to_leave", "来了就不能走"),
        ("干满三个月才放人", "no_freedom_to_leave", "干满三个月才放人"),
        ("欠了公司钱的,用工资抵", "debt_bondage", "用工资抵"),
        ("借了老板的钱,拿工资来还", "debt_bondage", "拿工资来还"),
    ],
)
def test_held_pay_no_leaving_and_debt_in_a_clause_of_their_own(
    text: str, indicator: str, quoted: str
) -> None:
    assert any(quoted in span for span in fired(text).get(indicator, [])), fired(text)


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("工资按月发放,不压半个月", "wages_withheld"),
        ("工资3000,压力不大,半个月休息一次", "wages_withheld"),
        ("工资7000-8000,压铸工,一个月休4天", "wages_withheld"),
        ("住宿押一付三,工资月结", "wages_withheld"),
        ("工资月结压半个月吗?不压", "wages_withheld"),
        ("进厂后不能走动,流水线作业", "no_freedom_to_leave"),
        ("来了不能走神,注意安全", "no_freedom_to_leave"),
        ("来了就不能走了吗?", "no_freedom_to_leave"),
        ("借了钱可以找老板商量,工资照发", "debt_bondage"),
    ],
)
def test_their_lawful_look_alikes_stay_quiet(text: str, indicator: str) -> None:
    assert indicator not in fired(text), fired(text)
