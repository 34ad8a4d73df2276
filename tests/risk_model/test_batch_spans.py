"""Legal spans read a batch at a time, finder by finder (read_legal_spans), equal those read text by
text; the cache they fill forgets the least recently used text first."""

from __future__ import annotations

import threading

import pytest

from risk_model.features import IndicatorFeatures, clear_text_caches, fold_record
from risk_model.features.indicators import LEGAL_SPANS_CACHE, _read, legal_spans, read_legal_spans
from risk_model.features.text_cache import TextCache
from zhtext.fold import fold

ADS = [
    "招聘普工,包吃住,月薪5000-6000元,入职需交押金300元,身份证统一由公司保管",
    "招 聘 小 工 , 身 份 证 由 公 司 保 管",  # spaced out: read without the spaces, spans mapped back
    "警情通报:警方破获一起案件,犯罪嫌疑人扣押工人身份证,收取押金500元",  # a report: finds nothing
    "诚聘服务员,年满16周岁即可,工资年底统一结算,加微信:abc12345详聊",
    "正规人力资源公司,不收取任何费用,身份证复印件一份",
    "",
    "招聘普工,包吃住,月薪5000-6000元,入职需交押金300元,身份证统一由公司保管",  # a repeat
]


@pytest.fixture(autouse=True)
def _cold() -> None:
    clear_text_caches()


def _texts() -> list[str]:
    return [fold(ad).lower() for ad in ADS]


def test_a_batch_reads_the_same_spans_as_text_by_text() -> None:
    texts = _texts()
    one_by_one = [_read([text])[0] for text in texts]
    read_legal_spans(texts)
    assert LEGAL_SPANS_CACHE.cache_info().currsize == len(set(texts))
    batch = [legal_spans(text) for text in texts]
    assert LEGAL_SPANS_CACHE.cache_info().misses == len(set(texts))  # every lookup after the batch hit
    assert batch == one_by_one
    assert any(batch[0].values()) and any(batch[1].values()) and any(batch[3].values())
    assert not any(batch[2].values())  # the report
    spaced = batch[1]["documents_kept"][0]
    assert spaced.text == texts[1][spaced.start : spaced.end] and " " in spaced.text


def test_the_indicator_block_reads_its_batch_at_once() -> None:
    records = [fold_record({"title": "招聘", "body": ad}) for ad in ADS]
    block = IndicatorFeatures().fit(records)
    before = LEGAL_SPANS_CACHE.cache_info()
    rows = block.transform(records).toarray()
    after = LEGAL_SPANS_CACHE.cache_info()
    assert after.currsize == len({ad for ad in ADS})
    # read_legal_spans missed each distinct text once; indicator_values then hit every record
    assert after.misses - before.misses == after.currsize and after.hits - before.hits == len(ADS)
    clear_text_caches()
    assert (block.transform(records[:1]).toarray() == rows[:1]).all()


def test_the_cache_forgets_the_least_recently_used_text() -> None:
    cache: TextCache[int] = TextCache(2)
    assert cache.put("a", 1) == 1 and cache.put("b", 2) == 2
    assert cache.get("a") == 1  # "b" is now the least recently used
    cache.put("c", 3)
    assert cache.get("b") is None and cache.get("a") == 1 and cache.get("c") == 3
    info = cache.cache_info()
    assert (info.hits, info.misses, info.maxsize, info.currsize) == (3, 1, 2, 2)
    cache.cache_clear()
    assert cache.cache_info() == (0, 0, 2, 0)
    with pytest.raises(ValueError):
        TextCache(0)


def test_the_cache_is_shared_safely_between_threads() -> None:
    cache: TextCache[int] = TextCache(50)
    start = threading.Barrier(4)

    def work(offset: int) -> None:
        start.wait()
        for i in range(2000):
            key = str((i * 7 + offset) % 120)
            if cache.get(key) is None:
                cache.put(key, int(key))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    info = cache.cache_info()
    assert info.currsize == 50 and info.hits + info.misses == 8000
    assert all(cache.get(key) in (None, int(key)) for key in map(str, range(120)))


def test_hand_written_sets_read_the_same_in_a_batch() -> None:
    """Every hand-written ad (challenge and probe sets), read as one batch and one by one."""
    from risk_model.data.hand_written import TESTS, read_items

    paths = sorted([*TESTS.glob("challenge/*.jsonl"), *TESTS.glob("probe/*.jsonl")])
    items = [item for path in paths for item in read_items(path)]
    texts = [fold(f"{item.get('title', '')}\n{item.get('body', '')}").lower() for item in items]
    assert len(texts) > 500
    one_by_one = [_read([text])[0] for text in texts]
    read_legal_spans(texts)
    assert [legal_spans(text) for text in texts] == one_by_one
    assert sum(any(found.values()) for found in one_by_one) > 200


def test_a_batch_larger_than_the_cache_reads_each_text_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Spans are read in chunks well under the cache's size, so none is evicted before it is looked up."""
    import importlib

    import risk_model.features as features

    module = importlib.import_module("risk_model.features.indicators")  # features.indicators is a function

    small = TextCache[dict](8)
    monkeypatch.setattr(module, "LEGAL_SPANS_CACHE", small)
    monkeypatch.setattr(features, "SPAN_CHUNK", 3)
    records = [fold_record({"title": f"招聘普工{n}名", "body": ADS[n % len(ADS)]}) for n in range(20)]
    IndicatorFeatures().fit(records).transform(records)
    assert small.cache_info().misses == 20  # each text read once (the chunks' lookups all hit)
    assert small.cache_info().hits == 20
