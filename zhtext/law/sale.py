"""A woman sold into a marriage, in the words that avoid the words of a sale (买卖婚姻, 民法典第1042条):
women brought from elsewhere for a fee, a daughter given to the family that pays most or married against
her will, a buyer asking who has women to sell, a girl's age quoted with a price.

zhtext.law.marriage.bride_buying reads these. Each needs a post about marriage (``about_marriage``) and
talk of money or of being contacted (not denied: "彩礼没要多少钱"), a buyer's budget for a woman, except a girl's age asked after with a
price, which needs no job or shop words instead. A question, a story of the past or fiction is no sale. Spans on folded, lower-cased text (zhtext.fold).
"""

from __future__ import annotations

import re

from zhtext.law.context import affirmed, asked, sentence_around
from zhtext.law.sums import JOB_AD, SHOP_WORDS, about_marriage
from zhtext.scan import led
from zhtext.spans import Span

# Elsewhere, said without naming the country: 外头的媳妇, 山那边的姑娘, 从江那边带人过来. 外边, 外面 and 南边
# name a place only with a fetching word (外边过来的姑娘): "娶了个南边的媳妇" is a wife from another province.
_FAR = r"(外头|山那边|山那头|江那边|河那边|河对岸|境外|国外|边境)"
_ELSEWHERE = rf"({_FAR}|外边|外面|南边)"
_WOMAN = r"(媳妇儿?|老婆|姑娘|女孩子?|妹子|女人|新娘|丫头)"
_BROUGHT = led(
    rf"{_FAR}(的|过来的|来的|带来的|领来的){_WOMAN}|{_ELSEWHERE}(过来的|带来的|领来的){_WOMAN}"
    # the woman first: 姑娘都是那边过来的
    rf"|{_WOMAN}[^,;。!?\s]{{0,3}}(从)?({_ELSEWHERE}|那边|那头)(过来|带过来|领过来|弄过来|送过来|来)的"
    # fetched from there, a person named: 从那边带人过来, 从外头领媳妇回来
    rf"|({_ELSEWHERE}|那边|那头)[^,;。!?\s]{{0,3}}(带|领|弄)(人|{_WOMAN}|一个|个)(过来|回来|回家)"
    # a price in 万, then one taken home: 十来个就能领一个回家, 花七个就能带一个回家
    r"|((\d|[一二两三四五六七八九十])来个|(花|出|掏)(\d|[一二两三四五六七八九十])个)[^,;。!?\s]{0,3}(就能|就可以|就|能)"
    r"(领|带|娶)(一个|个)?(回家|回去|走)"
    # a batch arrived, counted as people (not 三个款, 三位新人)
    r"|(刚|今天|今日|昨天|这周|本周|这批|这礼拜)[^,;。!?\s]{0,2}(到|来|过来)了?(\d|[两三四五六七八九十几])(个|位)(?=$|[,;。!?\s]|都|了)"
)
# Money or a way to be reached: what makes a woman brought over an offer rather than a story.
_DEAL = re.compile(
    r"费|钱|价|[\d一二两三四五六七八九十]\s*(万|w|千|k)|全包|感谢|诚意金|定金|便宜|贵|多少"
    r"|私我|私你|私聊|私信|找我|联系我|吱一声|吱声|加v|加我|微信|面谈"
)
_OWN_STORY = re.compile(r"自由恋爱|自己谈的|没(有)?(找|通过|经过)?(任何)?中介|网上认识|同学|同事")
# A daughter given to whoever pays most, or married whatever she says.
_SOLD_BY_FAMILY = led(
    r"(谁|哪家|谁家)[^,;。!?\s]{0,4}(出|给)(得|的)?(多|高|价高)[^,;。!?\s]{0,4}(就)?(给|嫁|定|许)(给)?(谁|哪家|他家)"
    r"|谁(家)?(先)?把(钱|彩礼|礼金)(拿来|送来|给了|打来|拿过来|送过来)[^,;。!?\s]{0,3}(就)?(定|给|嫁|许)(给)?谁"
    r"|(不乐意|不愿意|不同意|不想嫁|不肯)[^,;。!?\s]{0,2}也得(乐意|愿意|嫁|同意|过门)|由不得她(?![爸妈父母家])"
    r"|绑(也|着)?(得|要)?(送|绑)(过去|过门)"
)
# A buyer asking who has a woman to sell: 谁手上有姑娘的, 有没有手里有货的.
_ASKING_FOR_WOMEN = led(r"(谁|哪位|有没有|兄弟们?)[^,;。!?\s]{0,2}(手里|手上|那里|那儿)有(货|姑娘|女的|妹子)")
# A buyer's budget for a woman (想找个那边的,预算五万以内): a price for a person, not a wedding's costs.
_BUDGET_FOR_WOMAN = led(
    rf"(找|娶|要|弄)(个|一个)[^;。!?]{{0,6}}?({_WOMAN}|女的|({_ELSEWHERE}|那边|外地|外国|越南|缅甸)的)"
    r"[^;。!]{0,12}预算[^,;。!?\s]{0,3}(\d+(\.\d+)?|[一二两三四五六七八九十]+)\s*(万|w)"
)
_WEDDING_COSTS = re.compile(
    r"婚礼|婚宴|酒席|婚纱|婚庆|婚房|装修|钻戒|戒指|三金|蜜月|摄影|旅拍|彩礼|房子|买房|车"
)
# A girl named by her age, asked after, and a price: 那个十七的还在不…价钱不变.
_AGE_PRICED = led(
    r"(那个|这个|那位)(十[一二三四五六七八九]|1\d)(岁)?的(还在|在不|在吗|还有|呢)[^。;!]{0,16}(价钱|价格|多少钱|价)"
)
# A story of the past or fiction: "旧社会…", "小说第十章…".
_TOLD = re.compile(r"那年|那一年|那时|当年|时期|的时候|旧社会|以前|过去|小说|剧里|电视剧|电影里|这都什么年代")


def told(text: str, start: int, end: int) -> bool:
    """The phrase at [start, end) is told of the past or of fiction, in its sentence."""
    return bool(_TOLD.search(sentence_around(text, start, end, 20, 20)))


def sold_without_saying(text: str) -> list[Span]:
    """Spans where a woman is sold into a marriage in words that avoid a sale's."""
    found = []  # (match, whether a question mark after it makes it a question)
    marriage = about_marriage(text)
    if marriage and any(affirmed(_DEAL, text)) and not _OWN_STORY.search(text):
        found += [(m, True) for m in affirmed(_BROUGHT, text)]
        found += [(m, False) for m in affirmed(_ASKING_FOR_WOMEN, text)]  # asked by a buyer
        if "预算" in text and not _WEDDING_COSTS.search(text):
            found += [(m, False) for m in affirmed(_BUDGET_FOR_WOMAN, text)]
    if marriage:
        found += [(m, True) for m in affirmed(_SOLD_BY_FAMILY, text)]
    if not JOB_AD.search(text) and not SHOP_WORDS.search(text):
        found += [(m, False) for m in affirmed(_AGE_PRICED, text)]  # "那个十八的还在吗?"
    found.sort(key=lambda pair: (pair[0].start(), -pair[0].end()))
    return [
        Span(m.start(), m.end(), m.group())
        for m, question in found
        if not (told(text, m.start(), m.end()) or (question and asked(text, m.end())))
    ]


__all__ = ["sold_without_saying", "told"]
