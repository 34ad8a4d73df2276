"""The hand-written development ads as a training source: development items only, every label, weighted,
and left out with a weight of 0 or when the files are absent."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sqlmodel import Session

from risk_model.data.hand_written import TESTS, challenge_half, development_items, probe_half, read_items
from risk_model.training.data_sources import DataPlan, collect_rows_without_db, hand_written_rows

FILES = (
    "challenge/jobs.jsonl",
    "challenge/marriage_social.jsonl",
    "probe/probe.jsonl",
    "probe/probe2.jsonl",
    "probe/probe3.jsonl",
)
SPLIT = (
    "probe/probe3.jsonl",
    "probe/probe4.jsonl",
    "probe/probe5.jsonl",
    "probe/probe6.jsonl",
    "probe/probe7.jsonl",
)
FINDER_ONLY = (
    "probe/probe4.jsonl",
    "probe/probe5.jsonl",
    "probe/probe6.jsonl",
    "probe/probe7.jsonl",
)  # to measure; never trained on


def _all_items() -> dict[str, list[dict]]:
    return {name: read_items(TESTS / name) for name in FILES + FINDER_ONLY}


def test_only_development_items_are_read() -> None:
    everything = _all_items()
    ids = {item["id"] for item in development_items()}
    held_out = {
        item["id"]
        for name, items in everything.items()
        for item in items
        if (name.startswith("challenge/") and challenge_half(item["id"]) == "test")
        or (name in SPLIT and probe_half(item["id"]) == "held_out")
    }
    assert not ids & held_out  # the test half and the held-out halves: never
    assert not ids & {item["id"] for name in FINDER_ONLY for item in everything[name]}  # nor these sets
    # The halves as they were fixed when each set was first split (158 challenge test items; 75 probe3,
    # 87 probe4, 88 probe5, 88 probe6 and 92 probe7 held-out items): a change to the split functions cannot move an item across
    # unnoticed.
    digest = hashlib.sha256("\n".join(sorted(held_out)).encode()).hexdigest()
    assert (len(held_out), digest) == (
        588,
        "aa5765e57919b63a20c258f7bb8a6a805e5727519ede871cd9d704b4c9c0288e",
    )
    trained = {name: items for name, items in everything.items() if name in FILES}
    expected = sum(len(items) for items in trained.values()) - len(
        held_out & {i["id"] for v in trained.values() for i in v}
    )
    assert len(ids) == expected > 500


def test_rows_carry_every_label_their_writer_set(tmp_path: Path) -> None:
    folder = tmp_path / "probe"
    folder.mkdir()
    items = [
        {
            "id": "w-1",
            "kind": "marriage",
            "title": "",
            "body": "越南姑娘，包成功",
            "labels": _labels(marriage=1),
        },
        {"id": "w-2", "kind": "job", "title": "普工", "body": "身份证统一保管", "labels": _labels(forced=1)},
    ]
    (folder / "probe.jsonl").write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items), "utf-8")
    plan = DataPlan(synthetic_per_kind=0)
    marriage = hand_written_rows(plan, "illegal_marriage_broker", tmp_path)
    forced = hand_written_rows(plan, "forced_labour", tmp_path)
    assert [(r.example.example_id, r.example.label, r.source) for r in marriage] == [
        ("hand:w-1", 1, "hand"),
        ("hand:w-2", 0, "hand"),
    ]
    assert [r.example.label for r in forced] == [0, 1] and forced[1].example.body == "身份证统一保管"
    assert {r.example.weight for r in forced} == {1.0}
    heavier = DataPlan(synthetic_per_kind=0, weights={"hand": 2.5})
    assert {r.example.weight for r in hand_written_rows(heavier, "forced_labour", tmp_path)} == {2.5}
    assert hand_written_rows(DataPlan(weights={"hand": 0.0}), "forced_labour", tmp_path) == []
    assert hand_written_rows(DataPlan(weights={"orfd": 1.0}), "forced_labour", tmp_path) == []  # an old plan
    assert hand_written_rows(plan, "forced_labour", tmp_path / "absent") == []


def test_the_corpus_types_learn_from_them_and_agency_from_orfd_alone() -> None:
    data = collect_rows_without_db(DataPlan(synthetic_per_kind=10, orfd_limit=400))
    hand = len(development_items())
    for risk in ("child_labour", "forced_labour", "illegal_marriage_broker"):
        assert sum(row.source == "hand" for row in data[risk]) == hand
    orfd_fakes = sum(row.example.label for row in data["illegal_agency"] if row.source == "orfd")
    if orfd_fakes >= 100:  # enough real fakes: no corpus and no hand-written ads for illegal_agency
        assert {row.source for row in data["illegal_agency"]} == {"orfd"}


def _labels(*, marriage: int = 0, forced: int = 0) -> dict[str, int]:
    return {
        "illegal_agency": 0,
        "child_labour": 0,
        "forced_labour": forced,
        "illegal_marriage_broker": marriage,
    }


def test_a_trained_version_counts_its_hand_written_rows(session: Session, tmp_path: Path) -> None:
    """`model train` with the source on: the version records the hand-written rows by risk type, and the
    analyst's model card names them in Chinese."""
    from risk_model.ops.reports import model_card
    from risk_model.ops.train import model_train
    from tests.risk_model.ops_support import small_settings

    settings = small_settings(tmp_path, model_source_weights={"hand": 1.0}, model_synthetic_per_kind=40)
    version = model_train(session, settings=settings)
    counts = version.training["provenance_counts"]
    hand = len(development_items())
    for risk in ("child_labour", "forced_labour", "illegal_marriage_broker"):
        assert counts[risk]["hand"] == hand and counts[risk]["synthetic"] == 40
    assert version.training["plan"]["weights"]["hand"] == 1.0
    assert version.training["plan"]["hand_written_items"] == hand
    assert f"{hand} hand-written" in model_card(session, version)
