"""Incremental listing scores, organisation roll-up, JSON-lines scoring and active-learning batches."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlmodel import Session

from risk_model.data.grouping import near_duplicate_groups
from risk_model.data.orfd import DEFAULT_PATH as ORFD
from risk_model.ops.active import uncertain_listings
from risk_model.ops.jsonl_scoring import score_jsonl
from risk_model.ops.registry import model_promote
from risk_model.ops.scoring import organisation_risk, score_listings
from store.models import InspectionTask, Listing, Organisation, RiskScore
from tests.conftest import needs_real_data
from tests.risk_model.ops_support import pretrained_bundle, register, small_settings
from tests.rows import content_hash, make_listing, make_source

RISKY = "电子厂招普工，年满14周岁即可，包吃包住，入职交押金500元，身份证统一保管"
SAFE = "招聘会计，大专以上学历，两年经验，五险一金，周末双休"


def _champion(session: Session, tmp_path: Path):  # type: ignore[no-untyped-def]
    settings = small_settings(tmp_path)
    version = register(session, settings)
    model_promote(session, version=version.version, actor="t", settings=settings)
    return settings, version


def _scores(session: Session) -> list[RiskScore]:
    return list(
        session.execute(select(RiskScore).order_by(RiskScore.listing_id, RiskScore.risk_type)).scalars()
    )


def test_incremental_scoring_skips_unchanged_and_rescores_changed(session: Session, tmp_path: Path) -> None:
    settings, version = _champion(session, tmp_path)
    jobs, brides = make_source(session), make_source(session, "demo-marriage", "marriage")
    risky = make_listing(session, jobs, "a", RISKY)
    make_listing(session, jobs, "b", SAFE)
    make_listing(session, brides, "c", "越南新娘包成功，18岁姑娘，服务费6万全包")
    first = score_listings(session, settings=settings, batch_size=2)
    assert (first.listings, first.scores, first.batches) == (3, 7, 2)  # 2 job listings × 3 types + 1 marriage
    scores = _scores(session)
    assert {(s.risk_type) for s in scores if s.listing_id == risky.id} == {
        "illegal_agency",
        "child_labour",
        "forced_labour",
    }
    assert {s.model_version_id for s in scores} == {version.id}
    by_risk = {s.risk_type: s for s in scores if s.listing_id == risky.id}
    top = by_risk["illegal_agency"].explanation[0]
    assert set(top) >= {"feature", "kind", "weight", "legal_basis"}
    assert any(c["legal_basis"] for c in by_risk["illegal_agency"].explanation)

    again = score_listings(session, settings=settings)
    assert (again.listings, again.scores) == (0, 0)
    before = by_risk["child_labour"].probability
    risky.body, risky.content_hash = SAFE + "，长期有效", content_hash("招聘", SAFE + "，长期有效")
    session.add(risky)
    session.flush()
    changed = score_listings(session, settings=settings)
    assert (changed.listings, changed.scores) == (1, 3)
    session.expire_all()
    rescored = {s.risk_type: s for s in _scores(session) if s.listing_id == risky.id}
    assert rescored["child_labour"].content_hash == risky.content_hash
    assert rescored["child_labour"].probability < before
    assert len(_scores(session)) == 7  # updated in place, one row per (listing, version, risk type)


def test_organisation_risk_is_the_maximum_over_its_listings(session: Session, tmp_path: Path) -> None:
    settings, _ = _champion(session, tmp_path)
    org = Organisation(name="某某劳务")
    session.add(org)
    session.flush()
    jobs = make_source(session)
    risky = make_listing(session, jobs, "a", RISKY, organisation_id=org.id)
    make_listing(session, jobs, "b", SAFE, organisation_id=org.id)
    score_listings(session, settings=settings)
    rolled = organisation_risk(session, org.id)
    highest = max(s.probability for s in _scores(session) if s.risk_type == "child_labour")
    assert rolled["child_labour"].probability == highest
    assert rolled["child_labour"].listing_id == risky.id and rolled["child_labour"].listings == 2
    assert "illegal_marriage_broker" not in rolled


def test_jsonl_scores_valid_lines_and_reports_invalid_ones_by_number(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    lines = [
        json.dumps(
            {"id": "a", "kind": "job", "title": "招工", "text": RISKY, "employer": "某某劳务", "salary": 5000}
        ),
        "{not json",
        json.dumps({"id": "b", "kind": "ship", "title": "t", "text": "u"}),
        "",
        json.dumps({"kind": "job", "title": "t", "text": "u"}),
        json.dumps({"id": 7, "kind": "marriage", "title": "越南新娘", "text": "包成功，服务费6万"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "c", "kind": "job", "title": "", "text": " "}),
        json.dumps({"id": "d", "kind": "job", "title": "会计", "text": SAFE, "contact": {"phone": 1}}),
    ]
    source.write_bytes(("\n".join(lines) + "\n").encode() + b'{"id": "e", "kind": "job", "text": "\xff"}\n')
    target = tmp_path / "out.jsonl"
    report = score_jsonl(source, target, pretrained_bundle(), batch_size=1)
    assert report.scored == 2
    assert [line for line, _ in report.errors] == [2, 3, 5, 7, 8, 9, 10]
    reasons = dict(report.errors)
    assert "JSON" in reasons[2] and "kind" in reasons[3] and "id" in reasons[5] and "object" in reasons[7]
    assert "empty" in reasons[8] and "contact" in reasons[9] and "UTF-8" in reasons[10]
    out = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [o["id"] for o in out] == ["a", 7]
    assert set(out[0]["probabilities"]) == {
        "illegal_agency",
        "child_labour",
        "forced_labour",
        "illegal_marriage_broker",
    }
    assert set(out[1]["probabilities"]) == set(out[0]["probabilities"])  # every line: all four types
    assert out[0]["probabilities"]["child_labour"] > 0.5 and out[0]["flagged"]["child_labour"]
    assert out[0]["explanations"]["child_labour"][0]["legal_basis"]


def test_active_learning_batch_is_nearest_the_threshold_without_near_duplicates(
    session: Session, tmp_path: Path
) -> None:
    settings, version = _champion(session, tmp_path)
    jobs = make_source(session)
    bodies = [
        RISKY,
        RISKY,  # exact copy (another site)
        RISKY + "。",  # near copy
        SAFE,
        SAFE + "，欢迎加入",
        "餐厅招服务员，年龄16-20岁，包吃住，月薪4000",
        "餐厅招服务员，年龄16-20岁，包吃住，月薪4000元",
        "超市招收银员，年满18周岁，带薪年假",
        "工厂招学徒，15岁以上，暑假工，日结",
        "物流公司招司机，持C1驾照，多劳多得，押金全免",
    ]
    listings = [make_listing(session, jobs, f"k{i}", body) for i, body in enumerate(bodies)]
    score_listings(session, settings=settings)
    blocked = listings[-1]
    session.add(
        InspectionTask(
            risk_type="child_labour", agency="labour_inspection", region_code="320500", listing_id=blocked.id
        )
    )
    session.flush()

    batch = uncertain_listings(session, risk_type="child_labour", n=6, settings=settings)
    chosen = [session.get(Listing, item.listing_id) for item in batch]
    assert blocked.id not in {c.id for c in chosen}
    assert len({c.content_hash for c in chosen}) == len(chosen)
    texts = [f"\n{c.title}\n{c.body}" for c in chosen]
    assert len(set(near_duplicate_groups(texts))) == len(chosen)
    assert [b.distance for b in batch] == sorted(b.distance for b in batch)
    threshold = version.thresholds["child_labour"]
    assert all(abs(b.probability - threshold) == b.distance for b in batch)
    assert 3 <= len(batch) <= 6


def test_batch_explanations_equal_the_one_record_explanations() -> None:
    from risk_model.model.explanations import explain, explain_batch
    from synthetic_ads.ads import generate_ads

    ads = generate_ads(5, 40, 0)
    records = [
        {"title": a.title, "body": a.body, "company_name": a.employer, "salary": a.salary_text} for a in ads
    ]
    model = pretrained_bundle().models["illegal_agency"]
    batch = explain_batch(model, records, top=6)
    for record, many in zip(records, batch, strict=True):
        one = explain(model, record, top=6)
        assert [(c.feature, c.kind, c.legal_basis) for c in one] == [
            (c.feature, c.kind, c.legal_basis) for c in many
        ]
        assert np.allclose([c.weight for c in one], [c.weight for c in many])


def test_explanations_ranked_in_chunks_of_rows_are_the_whole_batchs(monkeypatch: pytest.MonkeyPatch) -> None:
    """explain_rows weighs and ranks a few dozen rows at a time (CHUNK_ENTRIES stored entries): chunks of
    one row, of a few rows, and the whole batch at once give the same contributions, exactly."""
    import risk_model.model.explanations as explanations
    from synthetic_ads.ads import generate_ads

    ads = generate_ads(6, 30, 10)
    records = [
        {"title": a.title, "body": a.body, "company_name": a.employer, "salary": a.salary_text} for a in ads
    ]
    model = pretrained_bundle().models["illegal_agency"]
    whole = explanations.explain_batch(model, records, top=6)
    assert sum(len(row) for row in whole) > 6 * len(records) // 2
    for chunk in (1, 700, 5_000):  # a row's entries: a few hundred
        monkeypatch.setattr(explanations, "CHUNK_ENTRIES", chunk)
        assert explanations.explain_batch(model, records, top=6) == whole, chunk


def test_shared_features_are_each_models_own_features_to_the_bit() -> None:
    """SharedFeatures hashes once and takes 1 + log(tf) once for all models; each model's matrix is still
    exactly what its own feature union computes (asked twice: the second reads the shared counts)."""
    from risk_model.model.explanations import SharedFeatures
    from synthetic_ads.ads import generate_ads

    bundle = pretrained_bundle()
    records = [
        {"title": a.title, "body": a.body, "company_name": a.employer, "salary": a.salary_text}
        for a in generate_ads(4, 40, 20)
    ]
    shared = SharedFeatures(records, next(iter(bundle.models.values())).base.named_steps["fold"])
    for model in [*bundle.models.values(), *bundle.models.values()]:
        base = model.base
        own = base.named_steps["features"].transform(base.named_steps["fold"].transform(records)).tocsr()
        got = shared.matrix(base)
        assert shared._layout is not None
        # Every model after the first is gathered into the first one's layout (shares its index arrays).
        assert np.shares_memory(got.indices, shared._layout[2].indices)
        assert np.array_equal(got.indptr, own.indptr)
        assert np.array_equal(got.indices, own.indices)
        assert np.array_equal(got.data, own.data)
        assert got.indices.dtype == own.indices.dtype and got.indptr.dtype == own.indptr.dtype


def test_shared_feature_scoring_equals_each_models_own_probabilities_and_explanations() -> None:
    from risk_model.model.explanations import explain_batch
    from risk_model.ops.scoring import score_records
    from synthetic_ads.ads import generate_ads

    bundle = pretrained_bundle()
    ads = generate_ads(9, 60, 30)
    for kind in ("job", "marriage"):
        records = [
            {"title": a.title, "body": a.body, "company_name": a.employer, "salary": a.salary_text}
            for a in ads
            if a.kind == kind
        ]
        assert records, kind
        scored = score_records(bundle, kind, records)
        for risk_type in scored[0]:
            model = bundle.models[risk_type]
            expected = model.predict_proba(records)
            got = np.asarray([row[risk_type][0] for row in scored])
            assert np.allclose(got, expected, rtol=0, atol=1e-12), risk_type
            explained = explain_batch(model, records, top=6)
            for row, contributions in zip(scored, explained, strict=True):
                # Rules come first and fired legal priors last; between them, the top contributions.
                top = [c for c in row[risk_type][1] if c["kind"] != "rule"][: len(contributions)]
                assert [c["feature"] for c in top] == [c.feature for c in contributions]
                assert np.allclose([c["weight"] for c in top], [c.weight for c in contributions], atol=1e-4)


def test_top_order_equals_a_full_stable_sort_including_ties() -> None:
    from risk_model.model.ranking import top_order

    rng = np.random.default_rng(3)
    for size in (0, 1, 5, 6, 7, 50, 400):
        for _ in range(20):
            weights = rng.choice([-2.0, -1.0, -0.5, 0.5, 1.0, 2.0, 3.0], size=size) * rng.choice(
                [1, 1, 0.1], size
            )
            expected = np.argsort(-np.abs(weights), kind="stable")[:6]
            assert top_order(weights, 6).tolist() == expected.tolist()


def test_top_order_cut_from_a_sample_misses_nothing() -> None:
    """The cut comes from a sample of the row: rows where the sample holds none of the largest, ties at
    the cut, zeros, NaN-free extremes and every length around the sample's size give a full sort's order."""
    from risk_model.model.ranking import TOP_SAMPLE, top_order

    rng = np.random.default_rng(5)
    rows = [np.zeros(300), np.ones(300), np.arange(1000.0), -np.arange(1000.0), np.arange(1000.0)[::-1]]
    large_off_sample = rng.normal(size=1300) * 0.01
    large_off_sample[1::20] = 5.0  # the largest all sit between the sampled entries
    rows.append(large_off_sample)
    for size in (TOP_SAMPLE - 1, TOP_SAMPLE, TOP_SAMPLE + 1, 2 * TOP_SAMPLE - 1, 2 * TOP_SAMPLE, 1000, 5000):
        for _ in range(30):
            rows.append(rng.choice([0.0, -1.0, 1.0, 2.0, -3.0, 1e-300, 1e300, np.inf], size=size))
            rows.append(rng.normal(size=size) * rng.choice([1.0, 1e-6], size))
    for weights in rows:
        for top in (1, 6, 64, 100):
            expected = np.argsort(-np.abs(weights), kind="stable")[:top]
            assert top_order(weights, top).tolist() == expected.tolist()


def test_top_order_with_nan_weights_is_what_it_was() -> None:
    """NaN weights (never seen) give what the cut over every entry gave: NaN entries are never picked."""
    from risk_model.model.ranking import top_order

    def previous(weights: np.ndarray, top: int) -> np.ndarray:
        size = np.abs(weights)
        if len(size) > top:
            cut = np.partition(size, len(size) - top)[len(size) - top]
            candidates = np.flatnonzero(size >= cut)
        else:
            candidates = np.arange(len(size))
        return candidates[np.argsort(-size[candidates], kind="stable")][:top]

    rng = np.random.default_rng(7)
    for size in (3, 6, 7, 200, 1000, 3000):
        for nans in (1, 3, 6, 10, 500):
            weights = rng.normal(size=size)
            weights[rng.choice(size, min(nans, size), replace=False)] = np.nan
            for top in (1, 6):
                assert top_order(weights, top).tolist() == previous(weights, top).tolist()


def _row_by_row(sizes: np.ndarray, bounds: list[int], top: int) -> tuple[list[int], list[int]]:
    from risk_model.model.ranking import _rows_with_nan, top_of_sizes

    nan_rows = _rows_with_nan(sizes, bounds)
    orders = [
        top_of_sizes(sizes[bounds[row] : bounds[row + 1]], top, row in nan_rows) + bounds[row]
        for row in range(len(bounds) - 1)
    ]
    return [int(i) for order in orders for i in order], [len(order) for order in orders]


@given(
    rows=st.lists(st.lists(st.integers(0, 40), max_size=150), max_size=30),
    nan_at=st.lists(st.integers(0, 10_000), max_size=3),
    top=st.sampled_from([1, 3, 6]),
)
# A row with one entry at the cut of a batch of long rows: cut row by row, not from its one candidate.
@example(rows=[*([list(range(41)) * 3] * 8), [40, 0, 0, 0, 0]], nan_at=[], top=3)
@settings(max_examples=400, deadline=None)
def test_the_batch_cut_picks_what_the_row_by_row_cut_picks(
    rows: list[list[int]], nan_at: list[int], top: int
) -> None:
    """top_rows ranks a whole batch at once; every row gets what top_of_sizes gives it (ties in index
    order, NaN rows, empty rows and rows shorter than TOP included)."""
    from risk_model.model.ranking import top_rows

    sizes = np.asarray([value / 8 for row in rows for value in row], dtype=np.float64)  # many ties
    if len(sizes):
        sizes[[at % len(sizes) for at in nan_at]] = np.nan
    bounds = np.cumsum([0, *map(len, rows)]).tolist()
    picked, counts = top_rows(sizes, bounds, top)
    assert (picked.tolist(), counts) == _row_by_row(sizes, bounds, top)


def test_the_batch_cut_on_long_rows_of_ties_and_short_rows() -> None:
    """Batches as scoring sees them (rows of ~1,000 entries, many tied) and skewed ones: a few long rows
    set a cut the short rows do not reach, so those are cut row by row."""
    from risk_model.model.ranking import top_rows

    rng = np.random.default_rng(7)
    for _ in range(20):
        lengths = rng.integers(0, 2_000, size=int(rng.integers(1, 200)))
        lengths[rng.random(len(lengths)) < 0.3] = rng.integers(0, 8)
        sizes = np.round(rng.exponential(size=int(lengths.sum())), int(rng.integers(1, 4)))
        bounds = np.cumsum([0, *lengths]).tolist()
        for top in (1, 6, 20):
            picked, counts = top_rows(sizes, bounds, top)
            assert (picked.tolist(), counts) == _row_by_row(sizes, bounds, top)
    assert top_rows(np.zeros(0), [0], 6)[1] == [] and top_rows(np.zeros(0), [0, 0, 0], 6)[1] == [0, 0]
    with pytest.raises(ValueError, match="at least 1"):
        top_rows(np.ones(3), [0, 3], 0)


def test_the_rows_holding_a_nan_are_found_for_the_batch() -> None:
    """explain_rows checks a batch for NaN weights once; each NaN is put in its own row (empty rows too)."""
    from risk_model.model.ranking import _rows_with_nan

    sizes = np.array([1.0, np.nan, 2.0, 3.0, np.nan])
    assert _rows_with_nan(sizes, [0, 2, 2, 4, 5]) == {0, 3}  # rows [0, 2), empty, [2, 4), [4, 5)
    assert _rows_with_nan(np.array([1.0, 2.0]), [0, 1, 2]) == set()


# The registry features learn their weight from ORFD's company fields; without ORFD they stay near zero.
@needs_real_data(ORFD, "ORFD")
def test_scoring_reads_the_business_registry_of_the_listings_organisation(
    session: Session, tmp_path: Path
) -> None:
    from datetime import date

    from risk_model.data.records import listing_record, registry_fields, registry_for_listings
    from store.models import RegistryRecord

    settings, _version = _champion(session, tmp_path)
    jobs = make_source(session)
    org = Organisation(name="苏州某某人力资源有限公司", credit_code="91320500MA1XXXXX0X")
    session.add(org)
    session.flush()
    record = RegistryRecord(
        kind="business",
        registry_key=org.credit_code,
        name=org.name,
        credit_code=org.credit_code,
        scope="职业中介活动；劳务派遣",
        status="存续",
        address="苏州市工业园区星湖街1号",
        valid_from=date(2015, 3, 2),
        data={"reg_capital": "200万元人民币"},
    )
    session.add(record)
    linked = make_listing(session, jobs, "linked", RISKY, organisation_id=org.id)
    alone = make_listing(session, jobs, "alone", RISKY)
    session.flush()
    found = registry_for_listings(session, [linked, alone])
    assert set(found) == {linked.id}
    assert found[linked.id]["business_scope"] == "职业中介活动；劳务派遣"
    assert (
        found[linked.id]["reg_capital"] == "200万元人民币" and found[linked.id]["established"] == "2015-03-02"
    )
    assert found[linked.id] == registry_fields(record)
    score_listings(session, settings=settings)
    model = pretrained_bundle().models["illegal_agency"]
    stored = {s.listing_id: s.probability for s in _scores(session) if s.risk_type == "illegal_agency"}
    with_registry = model.predict_proba([listing_record(linked, found[linked.id])])[0]
    assert stored[linked.id] == pytest.approx(with_registry, abs=1e-9)
    assert stored[alone.id] == pytest.approx(model.predict_proba([listing_record(alone)])[0], abs=1e-9)
    assert stored[linked.id] != pytest.approx(stored[alone.id], abs=1e-6)  # the registry facts count


def test_registry_gaps_count_only_where_the_registry_was_consulted() -> None:
    from risk_model.features import fold_record
    from risk_model.features.structured import structured_features, structured_values

    names = [f.name for f in structured_features()]
    registry = {
        "scope_missing",
        "status_missing",
        "reg_capital_missing",
        "credit_code_missing",
        "org_number_missing",
        "reg_address_missing",
        "established_missing",
    }
    missing = [i for i, name in enumerate(names) if name in registry]
    assert len(missing) == len(registry)
    unknown = structured_values(fold_record({"title": "招聘普工", "body": "包吃住"}))
    assert [unknown[i] for i in missing] == [0.0] * len(missing)
    consulted = structured_values(
        fold_record({"title": "招聘普工", "body": "包吃住", "registry_source": "registry"})
    )
    assert all(consulted[i] == 1.0 for i in missing)


def test_scoring_a_batch_makes_no_reference_cycle_and_leaves_the_collector_as_it_was() -> None:
    """score_records pauses the cyclic collector (collector_paused): that is safe only because a batch
    leaves no cycle for it to find; and the collector's state is restored, on an error too."""
    import gc

    from risk_model.ops.scoring import score_records
    from synthetic_ads.ads import generate_ads

    bundle = pretrained_bundle()
    ads = generate_ads(3, 40, 20)
    records = [
        {"title": a.title, "body": a.body, "company_name": a.employer, "salary": a.salary_text} for a in ads
    ]
    score_records(bundle, "job", records)  # imports and caches settle first
    enabled = gc.isenabled()
    try:
        gc.collect()
        gc.disable()
        for kind in ("job", "marriage"):
            assert score_records(bundle, kind, records)
        assert gc.collect() == 0  # nothing the batch allocated needed the collector
        assert not gc.isenabled()  # left paused, as the caller had it
        gc.enable()
        score_records(bundle, "job", records[:5])
        assert gc.isenabled()
        with pytest.raises(KeyError):
            score_records(bundle, "job", records[:5], ["no_such_risk"])
        assert gc.isenabled()
    finally:
        gc.enable() if enabled else gc.disable()


def test_the_stacked_layout_order_is_where_hstack_puts_each_value() -> None:
    """stack_order: the value at each stacked position, read from the blocks' values end to end, is the
    one sp.hstack puts there (random blocks with empty rows, empty blocks, one row, no row)."""
    import scipy.sparse as sp

    from risk_model.model.stacking import stack_order

    rng = np.random.default_rng(5)
    for _ in range(60):
        rows = int(rng.integers(0, 9))
        parts = [
            sp.random(
                rows,
                int(rng.integers(1, 40)),
                density=float(rng.choice([0, 0.1, 0.5, 1])),
                format="csr",
                rng=rng,
            )
            for _ in range(int(rng.integers(1, 5)))
        ]
        stacked = sp.hstack(parts, format="csr")
        order = stack_order(parts)
        values = np.concatenate([p.data for p in parts]) if parts else np.zeros(0)
        assert np.array_equal(values[order], stacked.data)
        assert sorted(order.tolist()) == list(range(len(values)))


def test_pauses_of_the_collector_overlapping_in_threads_leave_it_as_it_was() -> None:
    """Scheduler jobs score in threads side by side: the collector stays off while any pause lasts and is
    back on when the last one ends, whichever ends first (the order is forced by events, not by time)."""
    import gc
    import threading

    from risk_model.ops.scoring import collector_paused

    entered, release = threading.Event(), threading.Event()

    def other() -> None:
        with collector_paused():
            entered.set()
            assert release.wait(60)

    enabled = gc.isenabled()
    gc.enable()
    try:
        with collector_paused():
            thread = threading.Thread(target=other)
            thread.start()
            assert entered.wait(60)
        assert not gc.isenabled()  # this pause ended first; the other thread's still holds
        release.set()
        thread.join(60)
        assert not thread.is_alive() and gc.isenabled()
        gc.disable()
        with collector_paused(), collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # it was off before: left off
    finally:
        gc.enable() if enabled else gc.disable()
