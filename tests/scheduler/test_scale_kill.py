"""A worker SIGKILLed mid-crawl of a real (demo) site: Redis hands the crawl to another worker, which stores
exactly what an uninterrupted crawl stores (issue 17; bench/scale.py runs the same at three moments).

Real `labourwatch worker` processes, Redis (LABOURWATCH_TEST_REDIS, emptied first) and PostgreSQL; skipped
locally when either is unreachable, failed in CI.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.scale import (
    KillPlan,
    bench_env,
    counts,
    differences,
    fresh_database,
    kill_round,
    local_run,
    pages_by_source,
    snapshot,
    start_fleet,
    write_sources,
)
from tests.conftest import require_pg
from tests.scheduler.test_engine import REDIS_URL, require_redis

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def test_a_worker_killed_mid_crawl_has_it_redelivered_and_the_store_equals_an_uninterrupted_crawl(
    tmp_path: Path,
) -> None:
    require_pg()
    require_redis()
    fleet = start_fleet(1, n_job=60, n_marriage=20)  # one site, about 20 pages
    try:
        sources = write_sources(tmp_path / "sources", fleet, delay=0.3)
        with fresh_database("lw_test_scale") as (url, engine):
            local_run(bench_env(url, tmp_path, fleet, REDIS_URL, 3), sources)
            uninterrupted, expected, stored = snapshot(engine), pages_by_source(engine), counts(engine)
        assert stored["listings"] > 10 and expected[sources[0]] > 15

        with fresh_database("lw_test_scale") as (url, engine):
            env = bench_env(url, tmp_path, fleet, REDIS_URL, 3)  # visibility timeout 3 s
            plan = KillPlan("middle", sources[0], 0.5, expected[sources[0]])
            figures = kill_round(env, engine, fleet, [plan], tmp_path, timeout=90)["middle"]
            assert 0 < figures["pages_served_at_kill"] < expected[sources[0]]
            assert figures["attempts"] == 2 and figures["finished_on"] == "kreplacement"
            assert counts(engine) == stored
            assert differences(uninterrupted, snapshot(engine), sources) == []
    finally:
        fleet.stop()
