"""The hand-written challenge set: its shape, its fixed split, and the rules on its development half.

The ads were written from the legal definitions by people who did not read the indicators; each label
carries a reason. The split is a hash of the id, decided once; the test half is only ever reported by
bench/evidence.py, never used to tune.
"""

from __future__ import annotations

from collections import Counter

from bench.evidence import challenge_items
from risk_model.data.examples import RISK_TYPES


def test_the_set_is_large_varied_and_explained() -> None:
    items = challenge_items()
    assert len(items) >= 200
    assert len({i["id"] for i in items}) == len(items)
    assert len({i["body"] for i in items}) == len(items)
    for item in items:
        assert set(item["labels"]) == set(RISK_TYPES), item["id"]
        assert all(v in (0, 1) for v in item["labels"].values()), item["id"]
        assert item["reason"].strip(), item["id"]
    assert len(Counter(i["style"] for i in items)) >= 8
    assert sum(i["trap"] for i in items) >= 50


def test_each_half_has_positives_and_traps_of_every_type() -> None:
    items = challenge_items()
    for half in ("dev", "test"):
        chosen = [i for i in items if i["half"] == half]
        assert len(chosen) >= 100
        for risk in RISK_TYPES:
            assert sum(i["labels"][risk] for i in chosen) >= 10, (half, risk)
        assert sum(i["trap"] for i in chosen) >= 20, half


def test_the_split_is_fixed() -> None:
    halves = Counter(i["half"] for i in challenge_items())
    assert halves == {"dev": 127, "test": 158}
