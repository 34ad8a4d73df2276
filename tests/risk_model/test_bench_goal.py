"""bench/score.py's `goal`: issue 12's speed figure beside its ratio to the baseline and the processor."""

from __future__ import annotations

from bench.score import goal_of, machine

BASELINE = {"listings_per_cpu_s": 1000.0}


def test_the_goal_is_the_full_job_path_per_cpu_second() -> None:
    met = goal_of(BASELINE, {"job_scoring_per_cpu_s": 2400.04, "listings_per_cpu_s": 1.0, "file_mb": 4.9})
    assert met["met"] is True
    assert met["job_scoring_per_cpu_s"] == 2400.0
    assert met["ratio_to_baseline"] == 2.4
    # The one-risk-type figure does not count: only the full path with explanations and spans.
    short = goal_of(BASELINE, {"job_scoring_per_cpu_s": 1999.9, "listings_per_cpu_s": 3000.0, "file_mb": 4.9})
    assert short["met"] is False


def test_a_model_file_over_25_mb_misses_the_goal() -> None:
    assert goal_of(BASELINE, {"job_scoring_per_cpu_s": 5000.0, "file_mb": 25.1})["met"] is False
    assert goal_of(BASELINE, {"job_scoring_per_cpu_s": 2000.0, "file_mb": 25.0})["met"] is True


def test_the_machine_is_named() -> None:
    assert machine().strip()
