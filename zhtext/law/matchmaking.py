"""Dishonest matchmaking in a marriage post: money before a meeting, sham dates and relatives (婚托), and a
woman viewed and then paid for. zhtext.law.marriage.bride_buying reads these only where the post speaks of
marriage (zhtext.law.sums.MARRIAGE_WORDS).

Spans on folded, lower-cased text (zhtext.fold).
"""

from __future__ import annotations

import re

from zhtext.law.context import Gated, affirmed
from zhtext.scan import led
from zhtext.spans import Span

# Money before a date or a meeting in a marriage post: 借婚姻索取财物, or a 婚托's bait.
_PAY_TO_MEET = led(
    r"先(转|交|付|打)[^,;。\s]{0,8}(见面礼|见面费|诚意金|路费|红包)"
    r"|(见面礼|见面费|诚意金)[^,;。\s]{0,8}(才能|才|再)[^,;。\s]{0,2}(见面|见|约)"
    r"|(当天|当场)见面[^,;。\s]{0,2}(当天|当场)?(领证|结婚)"
)
# In a marriage post, a woman viewed and then paid for: 人你自己挑，到家前先付一半; 先看后付; 看中了跟她家谈.
_VIEWED_THEN_PAID = led(
    r"(?<![新客个们多有家工众病老夫])人(你|你们)?(自己)?(可以)?(先)?(视频)?(挑|看)[^。;!?]{0,10}(付钱|付款|先付|再付|给钱|交钱|跟她家|跟女方)"
    r"|先看后付|看(中|上)了?(再)?跟(她|女方)家(谈|商量)"
)
# A 婚托: the agency's own people sent to dates to sell memberships (婚姻介绍 by deceit). Read only in a
# marriage post: a sales job's "陪客户吃饭" is no date.
_SHAM_DATES = Gated(
    (
        (
            *("真", "露馅", "自己的人", "内部的人", "陪会员", "陪男", "性格不合", "不合适"),
            *("扮", "冒充"),
        ),
        r"(不用|不需要|不必|不是)真(的)?(谈|处|交往|恋爱|相亲)|别露馅|不能露馅"
        r"|(女士|女孩|女生|女嘉宾|姑娘|会员)[^。;!?]{0,16}都是(我们|公司|我司|平台)(自己|内部)的人"
        r"|陪(会员|男士|男会员|男嘉宾)[^,;。]{0,3}(吃|喝|相亲|见面|约会|聊)"
        r"|(女方|女士|女嘉宾|你|就|要)(找理由|找借口|借口)说?[^,;。]{0,2}(不合适|性格不合)"
        r"|(扮|假扮|冒充)(女方|男方|新娘)的?(亲戚|家人|父母|爸妈|舅舅|姨|表哥|哥哥)",
    ),
)

# The agency's own women as members (婚托 selling memberships): a woman who will go on only if the client
# buys a membership, women's accounts run by staff, the agency's "signed" women sent on dates.
_SHAM_MEMBERS = led(
    r"(她|女方|女嘉宾|女士|女孩|姑娘|女会员)[^。;!?]{0,16}(?<!也)(?<!也需)(只有|必须|需要|要|得)(升级|开通|办理?|续费|购买|充值)[^,;。\s]{0,6}"
    r"(会员|vip|套餐)[^,;。\s]{0,4}(才能|才可以|才可|才|方可|方能)[^,;。\s]{0,4}(继续|进一步)?(见面|约会|交往|联系|聊天|聊|接触|约)"
    r"|(她|女方|女嘉宾|女士|女孩|姑娘)[^。;!?]{0,16}(?<!设置)(?<!设定)(?<!选择)(?<!可以)只(接受|跟|和|与)[^,;。\s]{0,4}(vip会员|vip|会员|高级会员|付费会员)的?(邀约|约会|见面|交往|联系)"
    r"|(使用|用|操作|登录|冒用)[^,;。\s]{0,4}(公司|平台|店里|提供)[^,;。\s]{0,4}(女会员|女性会员|女嘉宾|女用户|美女|女生)的?"
    r"(账号|帐号|号|身份|资料)"
    r"|(公司|我司|店里|门店|平台)(签约|内部|自己)的?(女嘉宾|女会员|女生|姑娘)"
    r"|不(得|能|要)(透露|暴露|说出)[^,;。\s]{0,3}与?(公司|门店|本店)的关系"
)
_SHAM_MEMBER_WORDS = ("会员", "vip", "嘉宾", "账号", "帐号")

# Words of dating without a word of marriage (a 婚托's "小雨说和您聊得很愉快", a job ad for a 婚托's staff):
# where they stand, marriage.bride_buying reads dishonest matchmaking too.
DATING_WORDS = re.compile(r"约会|交往|聊得|好感|心动|单身|邀约|男会员|女会员|男嘉宾|女嘉宾|红娘|情感|陪男士")


def dishonest_matchmaking(text: str) -> list[Span]:
    """Spans of money asked before a meeting, sham dates or relatives, and a woman viewed then paid for."""
    found: list[re.Match[str]] = []
    if any(w in text for w in ("见面", "诚意金")):
        found += affirmed(_PAY_TO_MEET, text)
    found += affirmed(_SHAM_DATES, text)
    found += affirmed(_VIEWED_THEN_PAID, text)
    if any(w in text for w in _SHAM_MEMBER_WORDS):
        found += affirmed(_SHAM_MEMBERS, text)
    found.sort(key=lambda m: (m.start(), -m.end()))
    return [Span(m.start(), m.end(), m.group()) for m in found]


__all__ = ["DATING_WORDS", "dishonest_matchmaking"]
