"""The growth-curve logic of ``scripts/bench --scale`` (scripts/benchmarks/scale.py): sizes,
the fitted exponent, the goals and the table; no database."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from benchmarks import scale  # noqa: E402


def test_the_exponent_of_a_linear_and_of_a_flat_path():
    assert scale.fit_exponent([1, 3, 10], [2.0, 6.0, 20.0]) == pytest.approx(1.0)
    assert scale.fit_exponent([1, 3, 10], [0.05, 0.05, 0.05]) == pytest.approx(0.0)
    assert scale.fit_exponent([1, 3, 10], [1.0, 9.0, 100.0]) == pytest.approx(2.0)
    assert scale.fit_exponent([1], [1.0]) is None  # one point fits no line


def test_a_scaled_size_multiplies_the_counts_of_its_base():
    counts = {"teams": 2, "reps": 4, "customers": 20, "products": 20, "orders": 30}
    sizes = {"tiny": {**counts, "lines": (1, 4), "opportunities": 30, "batch": 50}}
    assert scale.scaled_size(sizes, "tiny", 1) == "tiny"
    name = scale.scaled_size(sizes, "tiny", 10)
    assert name == "tiny_x10"
    assert sizes[name]["reps"] == 40 and sizes[name]["orders"] == 300
    assert sizes[name]["teams"] == scale.MAX_TEAMS  # the seed has 8 regions
    assert sizes[name]["lines"] == (1, 4) and sizes[name]["batch"] == 50
    assert sizes["tiny"]["reps"] == 4  # the base is left as it was


def runs(seconds, queries, memory=100):
    return {
        factor: {
            "handover": {"seconds": s, "queries": q, "peak_rss_mb": memory},
            "my_day": {"leader_ms_median": 30.0, "leader_queries": 40, "peak_rss_mb": memory},
        }
        for factor, s, q in zip((1, 3, 10), seconds, queries, strict=True)
    }


def test_the_goals_of_a_batch_path_and_of_a_screen():
    rows = {row["path"]: row for row in scale.curves(runs([1.0, 3.0, 10.0], [100, 110, 120]))}
    handover, my_day = rows["hand-over"], rows["My day, leader"]
    assert handover["exponent"] == 1.0 and handover["time_ok"] and handover["queries_ok"]
    assert my_day["seconds"] == [0.03, 0.03, 0.03] and my_day["exponent"] == 0.0
    assert my_day["time_ok"] and my_day["queries_ok"]
    # a path missing from the run has no curve and meets nothing
    assert rows["digest, next day"]["exponent"] is None
    assert not rows["digest, next day"]["time_ok"]


def test_a_path_growing_faster_than_its_records_misses_its_goals():
    rows = scale.curves(runs([1.0, 9.0, 100.0], [100, 300, 1000], memory=600))
    handover = next(row for row in rows if row["path"] == "hand-over")
    assert handover["exponent"] == 2.0
    assert not handover["time_ok"] and not handover["queries_ok"]
    assert handover["memory_ok"]  # the memory goal is a cron's
    table = scale.table(rows, "tiny")
    assert (
        "| hand-over | batch | 1.00 s, 100 q | 9.00 s, 300 q | 100.00 s, 1000 q | 2.00 (≤ 1.1)"
        in table
    )
    assert "missed: time, queries" in table
    assert "| My day, leader | screen | 30.0 ms, 40 q |" in table
