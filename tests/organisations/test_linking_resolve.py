"""Clustering rules: strong keys link, names link only inside a city, constraints keep strangers apart."""

from __future__ import annotations

from organisations.linking.evaluate import pairwise_scores
from organisations.linking.keys import ListingKeys
from organisations.linking.resolve import resolve

CODE_A = "911101057776574230"
CODE_B = "91110105783991313X"


def _k(i: int, city: str | None = "320500", name: str | None = None, **keys: set[str]) -> ListingKeys:
    return ListingKeys(
        listing_id=i,
        city_code=city,
        credit_codes=frozenset(keys.get("credit", set())),
        licences=frozenset(keys.get("licence", set())),
        phones=frozenset(keys.get("phone", set())),
        wechat_ids=frozenset(keys.get("wechat", set())),
        name=name,
    )


def _groups(resolution) -> set[tuple[int, ...]]:  # type: ignore[no-untyped-def]
    return {c.listing_ids for c in resolution.clusters}


def test_strong_keys_chain_across_cities() -> None:
    keys = [
        _k(1, phone={"138"}),
        _k(2, city="320100", phone={"138"}, wechat={"w1"}),
        _k(3, wechat={"w1"}),
        _k(4),
    ]
    result = resolve(keys)
    assert _groups(result) == {(1, 2, 3), (4,)}
    confidence = {i: c for cl in result.clusters for i, c in cl.confidence.items()}
    assert confidence[1] == 0.9 and confidence[4] == 0.5


def test_name_links_only_inside_one_city() -> None:
    keys = [_k(1, name="鑫达#人力"), _k(2, name="鑫达#人力"), _k(3, city="320100", name="鑫达#人力")]
    assert _groups(resolve(keys)) == {(1, 2), (3,)}


def test_two_credit_codes_never_merge_even_through_a_shared_phone() -> None:
    keys = [_k(1, credit={CODE_A}, phone={"138"}), _k(2, credit={CODE_B}, phone={"138"})]
    result = resolve(keys)
    assert _groups(result) == {(1,), (2,)}
    assert result.refused == {"credit_conflict": 1}


def test_same_brand_with_different_phones_is_not_merged_by_name() -> None:
    keys = [_k(1, name="鑫达#人力", phone={"138"}), _k(2, name="鑫达#人力", phone={"139"})]
    assert _groups(resolve(keys)) == {(1,), (2,)}


def test_manual_pins_beat_shared_keys() -> None:
    keys = [_k(1, phone={"138"}), _k(2, phone={"138"}), _k(3, phone={"138"})]
    result = resolve(keys, pins={1: 10, 2: 20})
    groups = {c.pinned_org: c.listing_ids for c in result.clusters}
    assert groups[10] == (1, 3) and groups[20] == (2,)  # the split holds; 3 joins the first it meets


def test_pairwise_scores() -> None:
    truth = {1: "a", 2: "a", 3: "b", 4: "b"}
    scores = pairwise_scores(truth, {1: 1, 2: 1, 3: 1, 4: 2})
    assert (scores.true_pairs, scores.predicted_pairs, scores.correct_pairs) == (2, 3, 1)
    assert round(scores.precision, 3) == 0.333 and scores.recall == 0.5
