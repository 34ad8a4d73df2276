"""Marriage-broker facts: cross-border bride trade, brides under 20, guarantees, selling a marriage.

Spans on folded, lower-cased text (zhtext.fold).
"""

from __future__ import annotations

import re

from zhtext.ages import WEDDING_WORDS
from zhtext.law.context import CLAUSE, QUESTION_AFTER, Gated, affirmed, asked, refused, sentence_around
from zhtext.law.matchmaking import DATING_WORDS, dishonest_matchmaking
from zhtext.law.sale import sold_without_saying, told
from zhtext.law.sums import JOB_AD, about_marriage, large_sums, number
from zhtext.law.sums import MARRIAGE_WORDS as _MARRIAGE_WORDS
from zhtext.scan import any_word, led, pinyin_forms
from zhtext.spans import Span

# Key words as they are spelled to slip past filters (yue南, 缅dian, xin娘, 包cheng功): any character in
# pinyin (zhtext.scan.pinyin_forms), the written form first.
_SPELLED = {
    word: pinyin_forms(word, syllables, r"\s?")
    for word, syllables in (
        ("越南", "yue nan"),
        ("缅甸", "mian dian"),
        ("老挝", "lao wo"),
        ("柬埔寨", "jian pu zhai"),
        ("新娘", "xin niang"),
        ("媳妇", "xi fu"),
        ("老婆", "lao po"),
        ("妹子", "mei zi"),
        ("相亲", "xiang qin"),
        ("结婚", "jie hun"),
        ("包成功", "bao cheng gong"),
    )
}


def _spelled(*words: str) -> str:
    """The pinyin spellings of WORDS (not the written forms), as alternatives."""
    return "|".join(form for word in words for form in _SPELLED[word][1:])


_COUNTRIES = (
    "越南|缅甸|老挝|柬埔寨|巴基斯坦|尼泊尔|孟加拉|印尼|印度尼西亚|朝鲜|菲律宾|泰国|乌克兰|俄罗斯|白俄罗斯|蒙古|哈萨克"
    "|东南亚|(?<!越来)(?<![超穿跨卓优飞])越(?![来野过级剧狱])|缅(?!因|怀)|老挝|柬|河内|胡志明|海防|金边|仰光|曼德勒|万象|伊斯兰堡|加德满都"
    "|粤南|月南|越喃|(?<![a-z])yn(?![a-z])|"  # written to slip past filters
    + _spelled("越南", "缅甸", "老挝", "柬埔寨")
    + "|🇻🇳|🇲🇲|🇱🇦|🇰🇭|🇵🇰|🇺🇦|🇷🇺"  # their flags
    # border towns and places over the border, named instead of the country
    + "|佤邦|果敢|芒街|磨丁|木姐|腊戍|边境那边|边境线那边"
)
_BRIDE_WORDS = (
    r"(新娘|心娘|媳妇儿?|老婆|lp|姻缘|良缘|姑娘|女孩子?|美女|妹子|妹妹|妹|女人|女子|少女|女方|婚姻|婚介|相亲|婚恋|嫁|娶"
    r"|闪婚|对象|佳丽|👰|" + _spelled("新娘", "媳妇", "老婆", "妹子", "相亲", "结婚") + ")"
)
_CROSS_BORDER = led(
    rf"({_COUNTRIES}|外籍|外国|跨国|涉外|境外|异国)[^,。;!?]{{0,4}}{_BRIDE_WORDS}"
    rf"|(娶|找|介绍|带|领)[^,。;!?]{{0,3}}({_COUNTRIES}|外籍|外国|境外)[^,。;!?]{{0,3}}(新娘|媳妇|老婆|姑娘|女孩|妹子|美女)?"
    r"|(越南|缅甸|老挝|柬埔寨)(妹|女|新娘|媳妇|姑娘|老婆|lp)"
    rf"|(妹妹|姑娘|女孩|妹子|美女)[^。;!?]{{0,10}}({_COUNTRIES})(那边|那里)?(的|来的|过来的|人)"
    rf"|({_COUNTRIES})[^。;!?]{{0,12}}(货源|看人|挑人|现货|随时可以看|包?带回(?!来?的(?!人|姑娘|媳妇|新娘|老婆|妹|女|丫头|都|很|也|个|,|。|$))|到手|到家|来一批|一批|新到)"
    rf"|({_COUNTRIES})的?(渠道|路子|门路|资源)[^。;!?]{{0,12}}{_BRIDE_WORDS}"
    rf"|(老婆|媳妇|新娘|对象)[^。;!?]{{0,6}}({_COUNTRIES})(的|人|籍|姑娘|妹)"
    r"|洋媳妇|外国媳妇|外国老婆|外籍老婆|跨国相亲团|出国相亲|出国看人|出国找老婆|涉外婚介"
    # the other way: Chinese women married abroad (日本农家男士征婚, 远嫁韩国)
    rf"|({_COUNTRIES}|日本|韩国|外国|外籍|国外|海外)[^,。;!?]{{0,6}}(男士|男人|男子|老公|丈夫|光棍|农民|农场主)"
    r"[^。;!?]{0,8}(征婚|娶|求娶|找老婆|找媳妇)"
    r"|(嫁到|远嫁|嫁去|嫁给)(国外|海外|日本|韩国|外国人)(?=[^。;!?]{0,30}(中介|介绍|办理|费用|服务费|私聊|私信|联系))"
    rf"|({_COUNTRIES}|外籍|外国|境外)的?(女士|女生|女性|女孩)(资源|货源|渠道)",
)
_COUNTRY_GATE = led(rf"{_COUNTRIES}|外籍|外国|跨国|涉外|境外|异国|出国|国外|海外|日本|韩国")
# In a marriage post, a woman named by her country and a young age (老挝的二十岁上下, 越南18岁), or someone
# over there who introduces for a fee (越南那边的人能帮忙介绍): an offer with no bride word.
_CROSS_BORDER_IN_MARRIAGE = led(
    rf"({_COUNTRIES})(那边|那里)?的?(姑娘|女孩|妹子|妹)?(\d{{2}}|十[一二三四五六七八九]{{1,2}}|二十)(岁|来岁|出头|上下|左右)"
    rf"|({_COUNTRIES})(那边|那里)的?(人|朋友|亲戚|关系)[^。;!?]{{0,8}}介绍"
    r"[^。;!?]{0,12}(费|钱|辛苦|礼金|彩礼|姑娘|女孩|媳妇|老婆|对象)"
    r"|有(几|\d+|[一二三四五六七八九十])个(想|要)嫁(过来|过去)?的"  # a stock: 手上有几个想嫁过来的
)
# 涉外婚姻 or 跨国婚姻 as the subject of a legal matter (a lawyer's divorce work, a registration notice's
# parties) is the legal category, not an offer.
_LEGAL_MATTER = re.compile(
    r"[^,。;!?]{0,4}?(离婚|登记|当事人|纠纷|诉讼|家事|财产|继承|抚养|公证|判决|法律|禁止|规定|管理|条例|法规)"
)
_ANSWERED_NO = re.compile(QUESTION_AFTER + r"\s*(不是|没有|并没有|哪有|没)")  # a question answered no
# Brokering is for profit (涉外婚姻介绍 as a business is banned): a price, a fee, or an offer to be contacted.
# A couple's own story or a registration guide names a foreign spouse with none of these.
_OFFERED = led(
    r"\d+(\.\d+)?\s*(万|w|k|千|元|块)|[一二两三四五六七八九十]+(万|千)|费|价|全包|包办|一条龙|手续|礼金|彩礼"
    r"|一站式|(可|任|随便|随意|随你)挑选|现有(\d+|[一二两三四五六七八九十几多]+)(多)?(个|位|名)|私我|私信|私聊|加我|联系|咨询|报名|名额|微信|威信|薇|vx|v信|qq|扣扣|电话|有意|想要|需要的|有需要|看人|挑人|带回|带队|转给"
    r"|快速|速配|速成|包(?!括)|保证|成功率|上门|资源|货源|娶|安排|想去的|位置|私(?=$|[,。!\s])|贵(一点|一些|些|点)|便宜|尾款|定金|渠道|路子|门路|聊聊"
)
# A translator or a registration office that says it brokers nothing.
_NO_BROKERING = re.compile(
    r"(不做|不提供|不从事|不搞)(涉外|外籍|跨国|国际)?(婚姻)?(介绍|婚介)|不介绍对象|没有(任何)?中介|没(找|通过|经过)(任何)?中介"
    r"|自由恋爱|自己谈的"
)
# Goods sold by the border (not sums.SHOP_WORDS: 直播, 宝贝 and 老铁 sell brides live as well).
_GOODS = re.compile(
    r"原石|翡翠|和田玉|玉石|料子|包邮|下单|拍下|链接|店铺|商品|房源|车型|特价|榴莲|水果|海鲜|零食|茶叶"
)
# A "缅甸姑娘" cutting jade is no bride; a trader who also offers 新niang is a broker.
_WEDLOCK = re.compile(
    r"婚|嫁|娶|媳妇|老婆|相亲|彩礼|新娘|成家|" + _spelled("新娘", "媳妇", "老婆", "相亲", "结婚")
)
_NEWS = re.compile(
    r"警惕|谨防|骗局|诈骗|提醒|依法|登记服务|指南|民政局|公安|打击|查处|被骗|案件|判处|(?<!相亲)(?<!不是)旅游|签证办理|一日游|导游|景区|景点|游客"
    r"|登记机关|登记处|须知|民政部门|民政厅"
)
# A wedding told as done (娶了个越南老婆, 前年…后来人跑了) or as news (骗婚新闻) is an offer only where the text
# also invites the reader: a way to be reached, a package, a stock, a payment, the broker's own place.
_DONE = re.compile(r"(娶|嫁|带|领|找|买|花)了|前年|去年|那年|当年|以前|年前|后来|结果|当时|那时")
_TOLD_AS_NEWS = re.compile(r"新闻|(?<![不防绝无没止])骗婚")
_INVITED = re.compile(
    r"私我|私信|私聊|加我|找我|联系|咨询|报名|名额|微信|威信|薇|vx|v信|qq|扣扣|电话|有意|想要|需要的|有需要|看人|挑人"
    r"|带队|上门|安排|想去的|聊聊|全包|包办|一条龙|一站式|挑选|现有|速配|成功率|货源|资源|渠道|路子|门路|保证|包(?!括)"
    r"|我们这|我们公司|我们机构|本公司|本机构|本店|我司|我这|您|尾款|定金|订金|首付|付款|再付|打款|转账"
)
_GUARANTEED = led(
    r"包成功|"
    + _spelled("包成功")
    + "|包说成|包谈成|包娶|包结婚|包领证|包脱单|包到结婚|包到手|保证成功|百分百成功|100%成功|包过|包退换|包找回|包换人|包补|包赔"
    r"|(不成功|不成|成不了|没成|未成功)[^,;。\s]{0,2}(不收|全额|退|包退|不要钱)|未成功[^,;。\s]{0,4}退|娶不到[^,;。\s]{0,3}(不收|退)|娶到为止|保证[^,;。\s]{0,6}(订婚|结婚|领证|娶到|成功)"
    # a term promised: 保证一年内让你娶上媳妇, 承诺一年内成婚
    r"|(保证|承诺)[^,;。\s]{0,4}(年|个月|天)(内|之内)(让|帮|包|使|为)?(你|您)?(顺利|成功)?(娶上|娶到|成婚|结婚|领证|脱单|成家)"
    r"|(跑了|逃跑|跑掉|跑路|离开|人走了)[^,;。\s]{0,8},?[^,;。\s]{0,4}(包补|包赔|包找|负责找回|再送|补一个|换一个|免费补|另配|再配|补一位|换一位)"
    r"|((\d+|[一二两三四五六七八九十]{1,3})(天|个月|周)|(?<![上下前后这那])半个?月)[^,;。\s]{0,3}(领证|结婚|带回家|娶回家|接回家)"
    r"|尾款[^,;。\s]{0,6}(登记|领证)(当日|当天|后)|(登记|领证)(当日|当天)[^,;。\s]{0,3}(结清|付清)"
    r"|人(不到|没到)[^,;。\s]{0,3}(不收|不付|不交)[^,;。\s]{0,2}(尾款|余款|钱)|(人到|见到人|见人)[^,;。\s]{0,3}(再付|再给|付|结清)[^,;。\s]{0,2}(尾款|余款|剩下)"
    r"|(剩下的|尾款|余款)[^,;。\s]{0,4}(见了人|见着人|领了证|过了门)[^,;。\s]{0,2}(再|后)(结|付|给)|管领证(?!当天|跟拍|的)|(?<!只)管生娃"
    r"|保证[^,;。\s]{0,6}牵手|包找到|包你满意|人(直接)?送到家|(媳妇|新娘|老婆|姑娘)[^,;。\s]{0,3}送到家|包到家|保证[^,;。\s]{0,10}(确定关系|见到|找到)|看不(中|上)[^,;。\s]{0,6}(免费|再换|再去)|(当天|当场|现场|立即|马上)[^,;。\s]{0,4}(带走|领走|带回家|娶回家|跟你走|跟你回家)",
)
_VIRGIN = re.compile(r"处女|黄花闺女|未婚处|原装|没谈过恋爱的?姑娘|纯洁少女")
_BUYING = led(
    r"买(个|一个)?(媳妇|老婆|新娘)|卖(媳妇|老婆|女儿)|(媳妇|老婆|新娘)[^,;。\s]{0,4}(价格|明码标价|报价|多少钱)"
    r"|换亲|转亲|看人团|(不满意|不喜欢|看不上|不中意)[^,;。\s]{0,3}(可以|可|能|就|随便)?换(人|一个)?|满意(当场|当天|现场|即可|就可以|就能|就可)(定|带走|领走|带回)"
    r"|(随便|任意|任|随你)挑|挑(了|中)(个|一个)[^,;。\s]{0,6}(岁|的)"
    r"|(看中|看上|相中|选中)(了)?(哪个|哪一个|的)?[^,;。\s]{0,4}(付款|交钱|打钱|定金|打在公屏|拍板|带走|领走)"
    r"|(看中|看上|相中|选中)了?(哪个|哪一个|谁)[^,;。\s]{0,3}(当场|当天|现场|立马|马上)定"
    r"|定金[^,;。\s]{0,4}锁人|锁人|(选|挑)一个|退回来了|空出来了|(谁要|(?<!需)(?<!想)要的)[^,;。\s]{0,3}(赶紧|抓紧|私|联系|早点说|快说|吱声)"
    r"|(看|挑)(二三十|几十|十几|[二三四五六七八九十]+)个"
    r"|(姑娘|妹子|女孩|美女|新娘)[^,;。\s]{0,2}(还有|还剩|就剩|只剩)[^,;。\s]{0,2}(个|位)",
)
# A woman sold, in the ways the third hand-written set showed (tests/zhtext/test_written_as_people_write.py):
# each part is tried only when one of its words is in the post, so most job ads pay for none of them.
_SOLD = Gated(
    (  # priced by age: 年纪小的贵一点, 十八的那个稍微贵一点
        (
            "的贵",
            "贵一",
            "贵点",
            "贵些",
            "稍贵",
            "稍微贵",
            "要贵",
            "越贵",
            "价钱高",
            "价高",
            "加钱",
            "多收",
            "另加",
        ),
        r"(年纪|岁数|年龄)?(小|轻)的[^,;。\s]{0,4}(贵|价钱?高|加钱|多收|另加)"
        r"|(?<![\d一二三四五六七八九十])(1\d|十[一二三四五六七八九])的(那个)?[^,;。\s]{0,3}(贵|价钱?高|加钱|多收|另加)"
        r"|越(小|年轻)越贵",
    ),
    (  # handed over for a sum: 六万就跟你过日子, 五万拿走
        ("跟你", "跟着你", "拿走", "带走", "领走", "领回家", "带回家"),
        r"(\d|[一二两三四五六七八九十])\s*(万|w)[^,;。\s]{0,3}(就)?(跟你|跟着你)(过日子|走|回家)"
        r"|(\d|[一二两三四五六七八九十])\s*(万|w)[^,;。\s]{0,2}(拿走|带走|领走|领回家|带回家)",
    ),
    (
        ("看中", "看上", "相中", "选中", "挑中"),
        r"(看中|看上|相中|选中|挑中)(了)?(哪个|哪一个|谁)(就)?(带|领|娶)(哪个|谁|走|回)",
    ),
    (("直接带走", "直接领走"), r"人[^,;。\s]{0,4}直接(带走|领走)"),
    (("锁住", "锁定"), r"(把人|人)[^,;。\s]{0,3}锁(住|定)"),
    (
        ("不会跑", "跑不了", "跑不掉"),
        r"(姑娘|女的|妹子|媳妇|老婆|女人|lp)[^。;!?]{0,12}(不会跑|跑不了|跑不掉)",
    ),
    (
        ("不想要了", "不要了", "转让", "出手"),
        r"(不想要了|不要了)[^。;!?]{0,6}(转给|转让|出给)|(老婆|媳妇|lp)[^,;。\s]{0,6}(转让|出手)",
    ),
    (  # the broker collects or shares the bride price (借婚姻索取财物)
        ("彩礼", "礼金", "媒人", "红娘"),
        r"彩礼[^。;!?]{0,6}(我|我们|中介|媒人|介绍人|红娘)(这边|这里)?(统一|先|代)?(收|代收|保管)"
        r"|(我|我们|中介|媒人|介绍人|红娘)(留|抽|拿|提|扣)([一二三四五六七八九两]|\d)成"
        r"|(彩礼|礼金)[^。;!?]{0,16}(我们|我|中介|平台)(再|另|额外|还)(收|加收|要)[^,;。]{0,4}(服务费|介绍费|中介费|手续费)"
        r"|彩礼[^。;!?]{0,4}(大家|一起|平|对半|五五)分"
        r"|(彩礼|礼金)[^。;!?]{0,4}分(给)?你[^,;。]{0,3}(成|一半|几成|点)"
        # the bride price to the family, every other payment through the broker
        r"|(别的|其他|其余|其它|所有|剩下的)费用[^,;。]{0,2}(我|我们|中介|介绍人)(这边|这里)?(统一|来)?(收|代收)",
    ),
    (  # a fake marriage for the bride price (骗婚): the bride leaves once the wedding is held
        ("真结婚", "真的结婚", "真嫁", "假结婚", "找机会", "就走", "走人", "就跑", "跑路", "就撤"),
        r"(不用|不需要|不是)真(的)?(结婚|嫁)|假结婚|找机会(走人|跑|溜)"
        r"|(办完酒|办完婚礼|摆完酒|过门|结完婚|领完证)[^。;!?]{0,4}(住|待|呆|过)(几天|一阵|一段|两天|些日子)"
        r"[^,;。!?]{0,3}(就走|走人|就跑|跑路|就撤)",
    ),
)
_AGE = re.compile(
    r"(?:二十|20)(?:岁|周岁)?(?:以下|不到|未满)"  # first: "二十岁以下" is under 20, not 20
    r"|(\d{2}|十[一二三四五六七八九]|[一二]十[一二三四五六七八九]?|十[一二三四五六七八九][一二三四五六七八九])\s*(?:-\d{2})?\s*周?岁"
    r"|(?:刚满|才满|年方|芳龄|刚刚)(\d{2}|十[一二三四五六七八九]|[一二]十[一二三四五六七八九]?)"
    r"|(?:(?<=有)|(?<=个)|(?<=個)|(?<=年纪小的)|(?<=最小的)|(?:姑娘|妹子|女孩|新娘|媳妇|丫头|闺女|女儿|小妹)[,:]?)"
    r"(1\d|十[一二三四五六七八九][一二三四五六七八九]?)(?=的|也有|,|岁|了)"
    # 今年刚17, 才十八: an age without 岁 (not 才10万, 刚15天)
    r"|(?:今年|刚|才)(?:刚|才|满)?(1\d|十[一二三四五六七八九])(?=$|[,。!?;\s的也就还])"
)
_BRIDE = re.compile(
    r"新娘|姑娘|女孩子?|美女|媳妇|少女|老婆|女方|妹子|妹妹|小妹|丫头|闺女|女儿|(挑|相中|看中|选)了?(个|一个)|嫁"
    r"|好看|漂亮|水灵|懂事|听话|老实|朴实|本分|能吃苦"
)
_MARRIAGE = re.compile(
    r"新娘|嫁|娶|媳妇|老婆|彩礼|礼金|婆家|相亲|订婚|领证|婚介|红娘|征婚|结婚|婚姻|闪婚|对象|单身|脱单|女方|男方"
)


def cross_border_brides(text: str) -> list[Span]:
    """Foreign brides offered (越南新娘, 娶缅甸老婆, 外籍媳妇), not news, warnings or registration guides."""
    if not _COUNTRY_GATE.search(text) or not _OFFERED.search(text) or _NO_BROKERING.search(text):
        return []
    if _GOODS.search(text) and not _WEDLOCK.search(text):
        return []  # jade "缅甸过来的料子" sold live, its translator "缅甸小妹": goods, not a bride
    matches = list(affirmed(_CROSS_BORDER, text))
    if _MARRIAGE_WORDS.search(text):
        matches += affirmed(_CROSS_BORDER_IN_MARRIAGE, text)
    out: list[Span] = []
    invited = bool(matches) and bool(_INVITED.search(text))  # most texts have no match: not read
    for match in sorted(matches, key=lambda m: (m.start(), -m.end())):
        window = text[max(0, match.start() - 30) : match.end() + 30]
        legal_matter = match.group().endswith(("婚姻", "婚恋")) and _LEGAL_MATTER.match(text, match.end())
        answered_no = _ANSWERED_NO.match(text, match.end())  # "娶了个越南媳妇?不是"
        story = not invited and (
            bool(_DONE.search(sentence_around(text, match.start(), match.end(), 20, 20)))
            or bool(_TOLD_AS_NEWS.search(window))
        )
        if not _NEWS.search(window) and not legal_matter and not answered_no and not story:
            out.append(Span(match.start(), match.end(), match.group()))
    return out


# A bride called a minor (未成年也可以先办酒): under the marriage age whatever her years.
_MINOR = led(
    # a minor taken anyway (未成年也可以先办酒), not a customer or a story (未成年顾客需家长陪同)
    r"(未成年|未满(十八|18)周?岁?|没成年|还没成年|不到(十八|18)周?岁)"
    r"(?=[^。;!?]{0,8}(也可|也行|也能|可以先|先办|先摆|先定|先订|没关系|不要紧|没事))"
    # waiting until she is old enough: 等够岁数再领证, 到岁数再去领, 等娃长大了再办
    r"|等(够|到|满)?(岁数|年龄|年纪)(了)?再(去)?(领证|领|补证|办证|登记|结婚)|(娃|孩子)长大(了)?再(办|结婚|领证)"
)
_WEDDING = re.compile(WEDDING_WORDS + "|老婆|婚|亲事|门亲")  # a bride's side says these too


def brides_under_20(text: str) -> list[Span]:
    """A bride's age under the legal marriage age of 20 near a bride word, in a marriage context."""
    out = [
        Span(m.start(), m.end(), m.group())
        for m in affirmed(_MINOR, text)
        if not refused(text, m.end())
        and _WEDDING.search(text, max(0, m.start() - 12), min(len(text), m.end() + 12))
    ]
    if not _MARRIAGE.search(text):
        return out
    for match in _AGE.finditer(text):
        numeral = match.group(1) or match.group(2) or match.group(3) or match.group(4)
        age = number(numeral) if numeral else 19  # 二十岁以下, 二十不到
        if age is None:
            continue
        window = text[max(0, match.start() - 10) : match.end() + 10]
        story = told(text, match.start(), match.end()) or asked(text, match.end())  # 奶奶十六岁那年嫁给爷爷
        if 10 <= age < 20 and _BRIDE.search(window) and not _NEWS.search(window) and not story:
            out.append(Span(match.start(), match.end(), match.group()))
    return out


# Every promise below holds one of these words (the gate, read before the patterns).
_GUARANTEE_WORDS = (
    *("保证", "成功", "娶", "跑", "逃", "领证", "结婚", "带回", "娶回", "接回"),
    *("不成", "成不了", "包成功", "包娶", "包结婚", "包领证", "包脱单", "包到", "包过", "包退换"),
    *("包找", "包换人", "包补", "包赔", "带走", "领走", "跟你走", "跟你回家", "送到家", "到家"),
    *("满意", "看不", "包说成", "包谈成", "尾款", "余款", "结清", "付清", "没成", "剩下"),
    *("人走了", "管领证", "管生娃", "承诺", "另配", "再配"),
)


_GUARANTEE_GATE = any_word(
    *_GUARANTEE_WORDS,
    *pinyin_forms("包成功", "bao cheng gong")[1:],
    *pinyin_forms("包成功", "bao cheng gong", " ")[1:],
)
# A promise that names no marriage (包成功, 包补, 不成功退款) is a marriage's only beside a word of one
# (not 婚纱): photographers promise 包成功出片, breeders 配种包成功, game partners 包成功上分.
_NAMES_A_MARRIAGE = re.compile(
    r"娶|婚|领证|领了证|过了门|脱单|带回|接回|跑|逃|带走|领走|跟你|尾款|余款|牵手|^人(到|不到|没到)"
)
_MARRIAGE_NEAR = re.compile(
    r"结婚|成婚|婚姻|婚介|婚恋|婚礼|闪婚|征婚|相亲|新娘|心娘|红娘|嫁|娶|媳妇|老婆|脱单|彩礼|对象|牵手|女方|男方|姑娘|女孩|妹子|领证|过门|办酒|酒席"
    r"|佳丽|女嘉宾|跨国|涉外|外籍|异国|👰|" + _spelled("新娘", "媳妇", "老婆", "妹子", "相亲", "结婚")
)


def guarantees(text: str) -> list[Span]:
    """Success promised (包成功, 娶不到退款, 跑了包补, 三个月领证): a marriage sold, not brokered."""
    if not _GUARANTEE_GATE.search(text):
        return []
    out, offered = [], None
    for m in affirmed(_GUARANTEED, text):
        near = _MARRIAGE_NEAR.search(text, max(0, m.start() - 24), min(len(text), m.end() + 24))
        if not near and not _NAMES_A_MARRIAGE.search(m.group()):
            if offered is None:  # or a post that offers foreign brides ("柬埔寨婚姻 ... 不成功退一半")
                offered = bool(cross_border_brides(text))
            if not offered:
                continue
        out.append(Span(m.start(), m.end(), m.group()))
    return out


_VIRGIN_WORDS = any_word("处", "黄花", "原装", "纯洁", "没谈过")


def virginity(text: str) -> list[Span]:
    """Virginity used as a selling point."""
    if not _VIRGIN_WORDS.search(text):
        return []
    marriage = bool(_MARRIAGE_WORDS.search(text))  # 原装腰果 is a product
    return [
        Span(m.start(), m.end(), m.group())
        for m in affirmed(_VIRGIN, text)
        if marriage or m.group() != "原装"
    ]


_BUYING_WORDS = any_word(
    "买",
    "卖",
    "价",
    "多少钱",
    "换亲",
    "包办",
    "挑",
    "选妃",
    "看中",
    "相中",
    "带走",
    "领走",
    "带回",
    "换",
    "满意",
    "看上",
    "选中",
    "锁人",
    "选一个",
    "挑一个",
    "退回来",
    "空出来",
    "谁要",
    "要的",
    "看人",
    *(f"{look}{n}" for look in ("看", "挑") for n in "二三四五六七八九十几"),
    "还有",
    "还剩",
    "就剩",
    "只剩",
)


def bride_buying(text: str) -> list[Span]:
    """A wife priced or bought (买媳妇, 新娘明码标价), or money asked before a meeting in a marriage post."""
    marriage = about_marriage(text)
    if not marriage and JOB_AD.search(text):
        # "要的抓紧", "随便挑" in a job ad sell places, not a woman; a 婚托's job ad is read for its sham dates
        staff = ("会员" in text or "嘉宾" in text or "红娘" in text) and DATING_WORDS.search(text)
        return dishonest_matchmaking(text) if staff else []
    found = _priced(text) + sold_without_saying(text)
    if marriage or DATING_WORDS.search(text):
        found += dishonest_matchmaking(text)
    return found


def _priced(text: str) -> list[Span]:
    found = [] if not _BUYING_WORDS.search(text) else list(affirmed(_BUYING, text))
    found += affirmed(_SOLD, text)
    found.sort(key=lambda m: (m.start(), -m.end()))
    return [Span(m.start(), m.end(), m.group()) for m in found]


__all__ = [
    "CLAUSE",
    "bride_buying",
    "brides_under_20",
    "cross_border_brides",
    "guarantees",
    "large_sums",
    "virginity",
]
