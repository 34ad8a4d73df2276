"""Entity-resolution quality on the demo ground truth: pairwise precision and recall over listing pairs.

Run: PYTHONPATH=. python bench/linking.py [--seeds 2014 7 99]. Each ad of synthetic_ads.ads carries the
org_key of the actor behind it (the same agency reposting across boards under varied names); a pair of
listings is a true pair when both keys agree. Keys are read as a crawl would give them: employer name,
credit code and licence number when the ad shows them, phones and WeChat IDs found in the text. The
"contacts from truth" line gives the generator's phones instead (a perfect contact extractor); the
"stress" lines lose each phone and WeChat ID with probability 0.5, as when agencies rotate numbers.
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import replace

from organisations.linking.evaluate import PairScores, pairwise_scores
from organisations.linking.keys import ListingKeys, keys_from_fields
from organisations.linking.resolve import resolve
from synthetic_ads.ads import Ad, generate_ads


def _keys(ads: list[Ad], truth_contacts: bool) -> list[ListingKeys]:
    return [
        keys_from_fields(
            i,
            employer_name=ad.employer,
            city_code=ad.city_code,
            credit_code=ad.credit_code,
            licence_no=ad.licence_no,
            texts=(ad.title, ad.body),
            contacts={"phones": list(ad.phones), "wechat_ids": list(ad.wechat_ids)}
            if truth_contacts
            else None,
        )
        for i, ad in enumerate(ads)
    ]


def _drop_contacts(keys: list[ListingKeys], share: float, seed: int) -> list[ListingKeys]:
    """Keys with each phone and WeChat ID lost with probability SHARE (rotated numbers, missed text)."""
    rng = random.Random(seed)
    return [
        replace(
            k,
            phones=frozenset(p for p in sorted(k.phones) if rng.random() >= share),
            wechat_ids=frozenset(w for w in sorted(k.wechat_ids) if rng.random() >= share),
        )
        for k in keys
    ]


def _score(
    ads: list[Ad], keys: list[ListingKeys], *, use_names: bool = True, name_guard: bool = True
) -> PairScores:
    resolution = resolve(keys, use_names=use_names, name_guard=name_guard)
    predicted = {i: n for n, cluster in enumerate(resolution.clusters) for i in cluster.listing_ids}
    return pairwise_scores({i: ad.org_key for i, ad in enumerate(ads)}, predicted)


def _exact_name(ads: list[Ad]) -> PairScores:
    """Baseline: listings with the same printed employer name are one organisation."""
    return pairwise_scores(
        {i: a.org_key for i, a in enumerate(ads)}, {i: a.employer for i, a in enumerate(ads)}
    )


def run(seed: int, n_job: int, n_marriage: int) -> list[tuple[str, PairScores]]:
    """Every variant's scores on one generated data set."""
    ads = generate_ads(seed, n_job, n_marriage)
    text_keys, truth_keys = _keys(ads, False), _keys(ads, True)
    lossy = _drop_contacts(text_keys, 0.5, seed)
    return [
        ("baseline: exact printed name", _exact_name(ads)),
        ("strong keys only (credit, licence, phone, WeChat)", _score(ads, text_keys, use_names=False)),
        ("+ name rule without phone guard", _score(ads, text_keys, name_guard=False)),
        ("LabourWatch linking (default)", _score(ads, text_keys)),
        ("default, contacts from truth", _score(ads, truth_keys)),
        ("stress: half of phones/WeChat lost, strong keys only", _score(ads, lossy, use_names=False)),
        ("stress: half of phones/WeChat lost, no phone guard", _score(ads, lossy, name_guard=False)),
        ("stress: half of phones/WeChat lost, default", _score(ads, lossy)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[2014, 7, 99])
    parser.add_argument("--size", type=int, nargs=2, default=[1000, 250], metavar=("N_JOB", "N_MARRIAGE"))
    args = parser.parse_args()
    for seed in args.seeds:
        for n_job, n_marriage in ((240, 60), tuple(args.size)):
            started = time.perf_counter()
            rows = run(seed, n_job, n_marriage)
            print(f"seed {seed}, {n_job + n_marriage} ads ({time.perf_counter() - started:.1f} s)")
            for label, s in rows:
                print(f"  {label:52} precision {s.precision:.3f}  recall {s.recall:.3f}  F1 {s.f1:.3f}  "
                      f"pairs {s.correct_pairs}/{s.predicted_pairs} of {s.true_pairs}")  # fmt: skip


if __name__ == "__main__":
    main()
