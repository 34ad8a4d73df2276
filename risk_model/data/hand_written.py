"""The hand-written development ads: written by people, from the law, in the ways posters write.

Eight sets live under the repository's tests folder, each written by a different writer who read none of
the code (docs/model.md): the challenge set (tests/challenge, split by a hash of the id into a
development half and a test half) and seven probe sets (tests/probe; the third to the seventh split the
same way into a development half and a held-out half).

Only development items are ever read for training, and only those of the challenge set and the first
three probe sets: the test and held-out halves are never returned here (a test checks), and the fourth to
seventh sets teach the finders only, so that the learned part still meets them as writers it has not seen
(docs/model.md, "Eighteenth session": training on probe4's development half lowered the recall of marriage
brokers on probe5's).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parents[2] / "tests"
CHALLENGE_FILES = ("challenge/jobs.jsonl", "challenge/marriage_social.jsonl")
PROBE_FILES = ("probe/probe.jsonl", "probe/probe2.jsonl")
SPLIT_PROBE_FILES = ("probe/probe3.jsonl",)  # split; the development half trains
FINDER_ONLY_FILES = (
    "probe/probe4.jsonl",
    "probe/probe5.jsonl",
    "probe/probe6.jsonl",
    "probe/probe7.jsonl",
)  # split; never trained on


def _first_half(item_id: str) -> bool:
    return int(hashlib.sha256(item_id.encode()).hexdigest(), 16) % 2 == 0


def challenge_half(item_id: str) -> str:
    """The challenge set's fixed split: a hash of the id, decided once, so neither half can be chosen."""
    return "dev" if _first_half(item_id) else "test"


def probe_half(item_id: str) -> str:
    """The fixed split of probe3.jsonl to probe7.jsonl, each made the same way before any of the set was
    read."""
    return "dev" if _first_half(item_id) else "held_out"


def read_items(path: Path) -> list[dict[str, Any]]:
    """The items of one JSON-lines file (blank lines skipped)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def development_items(root: Path = TESTS) -> list[dict[str, Any]]:
    """Every development item under ROOT: the challenge set's development half, probe.jsonl, probe2.jsonl
    and probe3.jsonl's development half (not probe4 to probe7, FINDER_ONLY_FILES). Files that are absent (an
    installation without the tests folder) give nothing."""
    out: list[dict[str, Any]] = []
    for name in CHALLENGE_FILES:
        if (root / name).is_file():
            out += [item for item in read_items(root / name) if challenge_half(item["id"]) == "dev"]
    for name in PROBE_FILES:
        if (root / name).is_file():
            out += read_items(root / name)
    for name in SPLIT_PROBE_FILES:
        if (root / name).is_file():
            out += [item for item in read_items(root / name) if probe_half(item["id"]) == "dev"]
    return out
