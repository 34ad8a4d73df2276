"""The posts of the two feed demo sites (a 微博-style timeline, a short-video feed), with their truth.

Posts are written the many ways people write: chatter with a broker's WeChat buried in it, obfuscated
contacts (加薇, ➕V, 一三八…, 壹伍玖…), ages in words (十九岁, 二十出头), signals only in a picture or
video caption. Among them are traps a careless reader flags: a news repost warning about brides for
sale, a licensed agency, a man looking for work who gives his own phone. Deterministic for a seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

CHINA = timezone(timedelta(hours=8))  # the sites write Beijing time; the demo web never imports the crawler


@dataclass(frozen=True)
class Actor:
    """Who posts: the real actor (org_key), the handles used, the printed contacts, what they are."""

    org_key: str
    handles: tuple[str, ...]
    category: str  # broker | gang_master | agency | news | seeker | ordinary
    company: str | None = None
    phone: str | None = None
    wechat: str | None = None


@dataclass(frozen=True)
class Post:
    """One post as a feed serves it, with the truth a perfect reader would extract."""

    post_id: str
    actor: Actor
    author: str
    text: str  # plain text, lines separated by \n
    time: datetime
    reposts: int
    captions: tuple[str, ...]
    phones: tuple[str, ...]
    wechat_ids: tuple[str, ...]

    @property
    def employer(self) -> str:
        """The organisation name: the verified company, else the author's handle."""
        return self.actor.company or self.author


BROKER_A = Actor(
    "feed-broker-xiaomei", ("苏州红娘小美", "小美姐-婚介"), "broker", phone="13862011234", wechat="hn5201314"
)
BROKER_B = Actor("feed-broker-yuenan", ("缘来是你-越南新娘",), "broker", wechat="yuenan888")
GANG_C = Actor(
    "feed-gang-laozhang", ("老张劳务-日结",), "gang_master", phone="15995712345", wechat="zhang_lw88"
)
GANG_D = Actor("feed-gang-wangge", ("昆山普工直招王哥",), "gang_master", phone="13915887766")
AGENCY_E = Actor(
    "feed-agency-xinda", ("鑫达人力官方",), "agency", company="苏州鑫达人力资源有限公司", phone="051265781234"
)
NEWS_F = Actor("feed-news", ("苏州身边事",), "news")
SEEKER_G = Actor("feed-seeker", ("电工老李找活",), "seeker", phone="13771234567")
ORDINARY = tuple(
    Actor(f"feed-user-{i}", (name,), "ordinary")
    for i, name in enumerate(
        ("吃货小苏", "平江路的猫", "昆山宝妈日记", "跑步的阿杰", "园区打工人", "吴中摄影师", "金鸡湖晨跑",
         "阿婆的厨房", "考研的小周", "观前街路人", "太湖边钓鱼", "张家港小王")
    )
)  # fmt: skip

# Templates: text lines (\n), captions, and whether the actor's phone / WeChat is printed.
Template = tuple[str, tuple[str, ...], bool, bool]
_A: list[Template] = [
    (
        "今天带闺蜜去吃了松鼠鳜鱼🐟 好吃到哭～\n顺便说下 有想找老婆的大哥可以找我 加薇 {wechat} 懂的都懂",
        (),
        False,
        True,
    ),
    (
        "小美又成了一对❤️ 姑娘十九岁，温柔顾家，男方三十八也不嫌弃\n包成功，不成功退一半\n电话 一三八 六二零一 一二三四",
        ("新人合影",),
        True,
        False,
    ),
    (
        "有没有大龄未婚的哥哥？给你介绍好姑娘，年龄二十出头，彩礼好商量",
        ("姑娘照片 二十出头 ➕V：{wechat}",),
        False,
        True,
    ),
    ("周末在金鸡湖边拍照 天气真好☀️\n婚介咨询：138-6201-1234", (), True, False),
]
_B: list[Template] = [
    (
        "越南姑娘，十九岁，勤快听话，包成功！\nv信 {wechat} 详聊",
        ("越南新娘 十九岁", "全程包办 三个月到家"),
        False,
        True,
    ),
    ("缅甸、老挝姑娘都有，年龄十八到二十五，费用一口价\n有意者加V {wechat}", (), False, True),
    ("今天又送一位新娘到家，男方家里很满意🎉", ("婚礼现场",), False, False),
]
_C: list[Template] = [
    (
        "日结！日结！电子厂普工 16岁以上就行\n包吃包住 身份证押厂里 统一保管\n联系 壹伍玖玖伍柒壹贰叁肆伍",
        (),
        True,
        False,
    ),
    ("今天收工早 跟兄弟们喝两杯🍺\n还缺20个小伙子 年龄不限 工资老张统一发\nvx：{wechat}", (), False, True),
    (
        "昆山 太仓 常熟 多个厂 包车接送 不看学历\n懂的来 ➕V {wechat}",
        ("老张带队 工资月底统一发",),
        False,
        True,
    ),
]
_D: list[Template] = [
    (
        "昆山普工直招 十六七岁也要 日结一百八\n电话 139 1588 7766",
        ("厂门口集合 包车", "证件到厂统一保管"),
        True,
        False,
    ),
    ("兄弟们今晚加班到十点 辛苦了💪", ("食堂晚饭",), False, False),
    ("还缺人 男女不限 年龄十六到五十 工资王哥发", ("联系王哥 一三九 一五八八 七七六六",), True, False),
    ("周末休息 带娃去阳澄湖吃大闸蟹🦀", (), False, False),
]
_E: list[Template] = [
    (
        "【招聘】苏州鑫达人力资源有限公司 诚聘电子厂操作工\n18-45周岁 五险一金 不收任何费用\n人力资源服务许可证：(苏)人服证字〔2015〕第0501号\n咨询电话0512-65781234",
        (),
        True,
        False,
    ),
    ("提醒广大求职者：正规中介不收押金、不扣证件，遇到请报警", (), False, False),
]
_F: list[Template] = [
    (
        "【警惕】警方提醒：“越南新娘包成功”多为骗局，已有多名男子被骗十余万元\n转发提醒家里的大龄青年，不要轻信网络婚介",
        ("警方提醒",),
        False,
        False,
    ),
    ("#苏州身边事# 劳动监察部门查处一家非法劳务中介，扣押身份证、克扣工资的行为将被严惩", (), False, False),
]
_G: list[Template] = [
    (
        "求职｜本人男，三十五岁，有电工证，想在苏州园区找份稳定工作\n有合适的朋友帮忙推荐一下，电话13771234567",
        (),
        True,
        False,
    ),
]
_CHATTER = [
    "今天的苏州下了一整天雨☔️ 在家煮了碗面",
    "平江路的猫又胖了😂",
    "宝宝今天第一次叫妈妈，开心到哭",
    "晨跑十公里打卡 🏃 金鸡湖的日出真美",
    "加班到九点，地铁上都是和我一样的打工人",
    "阿婆教我做酱汁肉，第一次就成功啦",
    "考研倒计时一百天，冲！",
    "观前街新开了一家奶茶店，排队半小时",
    "太湖边钓了一下午，一条都没有🐟",
    "求推荐园区好吃的本帮菜",
    "下班路上看到好美的晚霞",
    "周末去拙政园，人山人海",
    "今年的杨梅好甜，十九块一斤",
    "二十出头的时候总觉得时间很多",
    "楼下便利店的大叔又送了我一个包子",
]
_CHATTER_CAPTIONS = ["晚霞", "一碗面", "打卡", "猫猫", "街景", "美食"]


def _templates(actor: Actor) -> list[Template]:
    by_actor: dict[Actor, list[Template]] = {
        BROKER_A: _A,
        BROKER_B: _B,
        GANG_C: _C,
        GANG_D: _D,
        AGENCY_E: _E,
        NEWS_F: _F,
        SEEKER_G: _G,
    }
    return by_actor.get(actor, [])


def _plan(site: str) -> list[Actor]:
    """The actors of a site's posts, in a fixed mix (signals among many ordinary posts)."""
    if site == "weibo-feed":
        mix = {BROKER_A: 6, BROKER_B: 3, GANG_C: 3, AGENCY_E: 2, NEWS_F: 2, SEEKER_G: 1}
        ordinary = 43
    else:
        mix = {GANG_D: 4, GANG_C: 2, BROKER_A: 2, AGENCY_E: 1, NEWS_F: 1, SEEKER_G: 1}
        ordinary = 29
    actors = [a for a, n in mix.items() for _ in range(n)] + [
        ORDINARY[i % len(ORDINARY)] for i in range(ordinary)
    ]
    return actors


def _post(site: str, rng: random.Random, actor: Actor, k: int, number: int, when: datetime) -> Post:
    templates = _templates(actor)
    if templates:
        text, captions, shows_phone, shows_wechat = templates[k % len(templates)]
    else:
        text = _CHATTER[rng.randrange(len(_CHATTER))]
        captions = (rng.choice(_CHATTER_CAPTIONS),) if rng.random() < 0.4 else ()
        shows_phone = shows_wechat = False
    fill = {"wechat": actor.wechat or ""}
    text = text.format(**fill)
    captions = tuple(c.format(**fill) for c in captions)
    author = actor.handles[(k // 2) % len(actor.handles)]  # two posts under each name in turn
    base = 4_980_000_000_000_000 if site == "weibo-feed" else 7_230_000_000_000_000_000
    return Post(
        post_id=str(base - number * 7919 - rng.randrange(1000)),  # newer posts have larger ids
        actor=actor,
        author=author,
        text=text,
        time=when,
        reposts=rng.choice((0, 0, 1, 3, 12, 57, 230, 1200)),
        captions=captions,
        phones=(actor.phone,) if shows_phone and actor.phone else (),
        wechat_ids=(actor.wechat,) if shows_wechat and actor.wechat else (),
    )


@lru_cache(maxsize=8)
def feed_posts(seed: int, site: str) -> tuple[Post, ...]:
    """A site's posts, newest first; the same seed always gives the same posts."""
    rng = random.Random(f"{seed}:feed:{site}")
    actors = _plan(site)
    rng.shuffle(actors)
    seen: dict[str, int] = {}
    when = datetime(2025, 6, 20, 22, 15, tzinfo=CHINA)
    posts = []
    for number, actor in enumerate(actors):
        k = seen.get(actor.org_key, 0)
        seen[actor.org_key] = k + 1
        posts.append(_post(site, rng, actor, k, number, when))
        when -= timedelta(minutes=rng.randrange(7, 600), seconds=rng.randrange(60))
    return tuple(posts)
