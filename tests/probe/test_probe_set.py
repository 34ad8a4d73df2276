"""The probe set: a second development set, written after the challenge set was split.

Writers who had not read the indicators, the challenge set or the model wrote these ads from the legal
definitions, a reason per label: probe.jsonl (160 ads, mostly job ads) before this round of finder
changes, probe2.jsonl (140, mostly marriage posts) after its first half. Each was scored once before
any change was read from it (illegal_marriage_broker ROC-AUC 0.878 and 0.760; the challenge test half
read 0.880), and its misses were then fixed as general readings of the law (docs/model.md). Both are
development sets from then on: they may be read and tuned on. The challenge set's test half still may
not. probe3.jsonl (170 posts, 76 traps; twelfth session) was scored once whole (illegal_marriage_broker
ROC-AUC 0.873), then split by a hash of the id: its development half is tuned on like the others, its
held-out half is only scored. probe4.jsonl (180 posts, 120 marriage, 77 traps; eighteenth session) the
same: scored once whole (illegal_marriage_broker ROC-AUC 0.875), split by the same hash, its development
half read and its held-out half only scored. probe5.jsonl (160 posts, 110 marriage, 72 traps, written to
the euphemisms people use: 茶水钱, 河对面, 等够岁数再领证) likewise (0.814). probe6.jsonl (160 posts, 110
marriage, 72 traps, nineteenth session, written to the way villagers and middlemen speak: 外头的媳妇, 山那边这周
刚到三个, 谁家出得多就给谁) likewise (0.809). probe7.jsonl (160 posts, 110 marriage, 75 traps, twentieth
session, signals stated through logistics, dialogue and the agency's own staff: 婚托 scripts, a buyer's
budget, 先垫付后返佣) likewise (0.794). None of the last four trains the learned part
(risk_model.data.hand_written.FINDER_ONLY_FILES).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from risk_model.data.examples import RISK_TYPES
from risk_model.data.hand_written import probe_half, read_items
from risk_model.features.indicators import indicators, legal_spans
from risk_model.features.rules import rule_hits
from zhtext.fold import fold

PROBES = (Path(__file__).with_name("probe.jsonl"), Path(__file__).with_name("probe2.jsonl"))
# The third set is split like the challenge set: its development half is read and tuned on; its held-out
# half is only ever scored (docs/model.md, "A third hand-written set").
PROBE3 = Path(__file__).with_name("probe3.jsonl")
PROBE4 = Path(__file__).with_name("probe4.jsonl")
PROBE5 = Path(__file__).with_name("probe5.jsonl")
PROBE6 = Path(__file__).with_name("probe6.jsonl")
PROBE7 = Path(__file__).with_name("probe7.jsonl")


def probe_items() -> list[dict]:
    """Every development item: probe.jsonl, probe2.jsonl and the development halves of probe3.jsonl to
    probe7.jsonl."""
    return [item for path in PROBES for item in read_items(path)] + [
        item
        for path in (PROBE3, PROBE4, PROBE5, PROBE6, PROBE7)
        for item in read_items(path)
        if probe_half(item["id"]) == "dev"
    ]


@pytest.mark.parametrize(
    ("path", "size", "traps"),
    [(PROBE3, 170, 30), (PROBE4, 180, 30), (PROBE5, 160, 30), (PROBE6, 160, 25), (PROBE7, 160, 30)],
)
def test_the_split_sets_are_split_once_and_both_halves_hold_every_type(
    path: Path, size: int, traps: int
) -> None:
    items = read_items(path)
    assert len(items) == size and len({i["id"] for i in items}) == size
    for half in ("dev", "held_out"):
        chosen = [i for i in items if probe_half(i["id"]) == half]
        assert all(sum(i["labels"][risk] for i in chosen) >= 1 for risk in RISK_TYPES), half
        assert sum(i["trap"] for i in chosen) >= traps, half


def _text(item: dict) -> str:
    return fold("\n".join(part for part in (item["title"], item["body"]) if part)).lower()


def test_the_set_is_varied_and_explained() -> None:
    items = probe_items()
    assert len(items) >= 390 and len({i["id"] for i in items}) == len(items)
    for item in items:
        assert set(item["labels"]) == set(RISK_TYPES) and item["reason"].strip(), item["id"]
    assert len(Counter(i["style"] for i in items)) >= 10
    assert sum(i["trap"] for i in items) >= 100


# Positives no finder reads, and why (left as they are rather than fitted to one post).
KNOWN_MISSES = {
    ("probe2-046", "illegal_marriage_broker"),  # "那边...姑娘想嫁过来...价格不变": a price, no woman offered
    ("probe2-047", "illegal_marriage_broker"),  # a live stream: "二十不到的就剩一个", no word of marriage
    (
        "probe2-065",
        "illegal_marriage_broker",
    ),  # a comment under "警方破获跨国骗婚案": the title reads as news
    (
        "probe3-109",
        "illegal_marriage_broker",
    ),  # a voice note: a girl of 十五 "报的是十八", no word of marriage
    # probe5's development half (eighteenth session), each with no word of marriage or no country:
    ("probe5-001", "illegal_marriage_broker"),  # "那边我有人，人你自己挑": a thread with no marriage word
    ("probe5-058", "illegal_marriage_broker"),  # "今日到了三个，都二十左右，会说点中文": women as arrivals
    ("probe5-090", "illegal_marriage_broker"),  # "看中了跟她家谈 茶水钱另外给我": a live chat, only 妹妹
    ("probe5-103", "illegal_marriage_broker"),  # "江那边过来的…人我送到": no word of marriage
    (
        "probe5-138",
        "illegal_marriage_broker",
    ),  # "只做河对面的，每周一批": 河对面 is ordinary speech, not a country
    # probe6's development half (nineteenth session), left after a review narrowed the readings:
    ("probe6-005", "illegal_marriage_broker"),  # "谁手里有人的": 有人 is also a vendor sought for a wedding
    (
        "probe6-006",
        "illegal_marriage_broker",
    ),  # a shop listing: "东南亚方向…护送到家…未成功可申请退还", no bride word
    ("probe6-046", "illegal_marriage_broker"),  # "看中了当场定": a wedding dress is chosen so too
    # probe7's development half (twentieth session): no word of marriage or of dating in either
    ("probe7-014", "illegal_marriage_broker"),  # "刚领回来俩,一个给了隔壁王家": puppies too
    ("probe7-025", "illegal_marriage_broker"),  # a shop's chat: "陪他吃两顿饭…人设"
    ("probe5-098", "child_labour"),  # "我家那个小的十三了": an age without 岁
    ("probe5-129", "forced_labour"),  # an employer's deposit (押金): read as a fee, not as forced labour
}


def test_every_positive_fires_an_indicator_of_its_type() -> None:
    raises = {ind.name: ind.raises for ind in indicators()}
    missed = []
    for item in probe_items():
        spans = legal_spans(_text(item))
        fired = {name for name, found in spans.items() if found}
        for risk in ("child_labour", "forced_labour", "illegal_marriage_broker"):
            if item["labels"][risk] and not any(risk in raises[name] for name in fired):
                missed.append((item["id"], risk))
    assert set(missed) == KNOWN_MISSES


def test_no_trap_opens_a_must_inspect_task() -> None:
    opened = [
        (item["id"], risk)
        for item in probe_items()
        if item["trap"]
        for risk in RISK_TYPES
        if rule_hits(_text(item), risk)
    ]
    assert opened == []
