"""A woman sold into a marriage, in the words that avoid the words of a sale (买卖婚姻, 民法典第1042条):
women brought from elsewhere for a fee, a daughter given to the family that pays most or married against
her will, a buyer asking who has women to sell, a girl's age quoted with a price.

zhtext.law.marriage.bride_buying reads these. Each needs a post about marriage (``MARRIAGE_WORDS``) and
talk of money or of being contacted, except an age quoted with a price, which needs neither but no job
or shop words. Spans on folded, lower-cased text (zhtext.fold).
"""

from __future__ import annotations

import re

from zhtext.law.context import affirmed
from zhtext.law.sums import JOB_AD, MARRIAGE_WORDS, SHOP_WORDS
from zhtext.scan import led
from zhtext.spans import Span

# Elsewhere, said without naming the country: 外头的媳妇, 山那边的姑娘, 从江那边带人过来.
_ELSEWHERE = r"(外头|外边|外面|南边|山那边|山那头|江那边|河那边|河对岸|境外|国外|边境)"
_WOMAN = r"(媳妇儿?|老婆|姑娘|女孩子?|妹子|女人|新娘|丫头)"
_BROUGHT = led(
    rf"{_ELSEWHERE}(的|过来的|来的|带来的|领来的){_WOMAN}"
    # the woman first: 姑娘都是那边过来的
    rf"|{_WOMAN}[^,;。!?\s]{{0,3}}(从)?({_ELSEWHERE}|那边|那头)(过来|带过来|领过来|弄过来|送过来|来)的"
    # fetched from there: 从那边带人过来, 从外头领媳妇回来, 老街那边领的
    rf"|({_ELSEWHERE}|那边|那头)[^,;。!?\s]{{0,3}}(带|领|弄|接|买)(人|{_WOMAN}|一个|个)?(过来|回来|回家|的)"
    # a batch arrived: 这周刚到三个, 今日到了三个
    # a price, then one taken home: 十来个就能领一个回家
    r"|(\d|[一二两三四五六七八九十])来?个[^,;。!?\s]{0,3}(就能|就可以|就|能)(领|带|娶)(一个|个)?(回家|回去|走)"
    r"|(刚|今天|今日|昨天|这周|本周|这批|这礼拜)[^,;。!?\s]{0,2}(到|来|过来)了?(\d|[两三四五六七八九十几])(个|位)(?![月天年人次])"
)
# Money or a way to be reached: what makes a woman brought over an offer rather than a story.
_DEAL = re.compile(
    r"费|钱|价|[\d一二两三四五六七八九十]\s*(万|w|千|k)|全包|红包|感谢|诚意金|定金|便宜|贵|多少"
    r"|私我|私你|私聊|私信|找我|联系我|吱一声|吱声|加v|加我|微信|登个?记|面谈"
)
_OWN_STORY = re.compile(r"自由恋爱|自己谈的|没(有)?(找|通过|经过)?(任何)?中介|网上认识|同学|同事")
# A daughter given to whoever pays most, or married whatever she says.
_SOLD_BY_FAMILY = led(
    r"(谁|哪家|谁家)[^,;。!?\s]{0,2}出(得|的)?(多|高|价高)[^,;。!?\s]{0,4}(就)?(给|嫁|定|许)(给)?(谁|哪家|他家)"
    r"|谁(家)?(先)?把(钱|彩礼|礼金)(拿来|送来|给了|打来|拿过来|送过来)[^,;。!?\s]{0,3}(就)?(定|给|嫁|许)(给)?谁"
    r"|(不乐意|不愿意|不同意|不想嫁|不肯)[^,;。!?\s]{0,2}也得(乐意|愿意|嫁|去|同意|过门)|由不得她|绑(也|着)?(得|要)?(送|绑)(过去|过门)"
)
# A buyer asking who has a woman to sell: 谁手里有人的, 有没有手上有货的.
_ASKING_FOR_WOMEN = led(
    r"(谁|哪位|有没有|兄弟们?)[^,;。!?\s]{0,2}(手里|手上|那里|那儿)有(人|货|姑娘|女的|妹子)"
)
# A girl named by her age and a price: 那个十七的还在不…价钱不变.
_AGE_PRICED = led(
    r"(那个|这个|有个|那位)(十[一二三四五六七八九]|1\d)(岁)?的[^。;!?]{0,16}(价钱|价格|多少钱|价)"
)


def sold_without_saying(text: str) -> list[Span]:
    """Spans where a woman is sold into a marriage in words that avoid a sale's."""
    found = []
    marriage = bool(MARRIAGE_WORDS.search(text))
    if marriage and _DEAL.search(text) and not _OWN_STORY.search(text):
        found += affirmed(_BROUGHT, text)
        found += affirmed(_ASKING_FOR_WOMEN, text)
    if marriage:
        found += affirmed(_SOLD_BY_FAMILY, text)
    if not JOB_AD.search(text) and not SHOP_WORDS.search(text):
        found += affirmed(_AGE_PRICED, text)
    found.sort(key=lambda m: (m.start(), -m.end()))
    return [Span(m.start(), m.end(), m.group()) for m in found]


__all__ = ["sold_without_saying"]
