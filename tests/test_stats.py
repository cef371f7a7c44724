"""Bootstrap intervals, permutation tests and arcs: correct, seeded, reproducible."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opedlens.compare import stats


def test_bootstrap_interval_brackets_the_mean_and_is_seeded():
    values = np.random.default_rng(1).normal(0.2, 0.3, 60)
    mean, low, high = stats.bootstrap_mean(values, 2000, seed=7)
    assert low < mean < high
    assert abs(mean - values.mean()) < 1e-12
    # a normal-theory interval of the mean is close to the bootstrap one
    half = 1.96 * values.std(ddof=1) / np.sqrt(len(values))
    assert abs((high - low) / 2 - half) < 0.25 * half
    assert stats.bootstrap_mean(values, 2000, seed=7) == (mean, low, high)


def test_bootstrap_edge_cases():
    assert np.isnan(stats.bootstrap_mean([], 100, 0)[0])
    mean, low, high = stats.bootstrap_mean([0.4], 100, 0)
    assert mean == 0.4 and np.isnan(low) and np.isnan(high)
    assert stats.bootstrap_mean([np.nan, 1.0, 3.0], 100, 0)[0] == 2.0


def test_permutation_test_separates_signal_from_noise():
    rng = np.random.default_rng(3)
    same = stats.permutation_test(rng.normal(0, 1, 40), rng.normal(0, 1, 40), 2000, seed=1)
    shifted = stats.permutation_test(rng.normal(1, 1, 40), rng.normal(0, 1, 40), 2000, seed=1)
    assert same["p_value"] > 0.05
    assert shifted["p_value"] < 0.01
    assert shifted["p_value"] >= 1 / 2001  # never zero
    assert stats.permutation_test([1.0], [], 100, 0)["permutations"] == 0


def test_summarize_is_tidy():
    frame = pd.DataFrame({"doc": ["a", "a", "b", "b", "b"], "v": [0.1, 0.3, -0.2, -0.4, np.nan]})
    table = stats.summarize(frame, ["doc"], "v", 500, 0)
    assert table.columns.tolist() == ["doc", "n", "mean", "ci_low", "ci_high"]
    assert table["n"].tolist() == [2, 2]
    assert np.allclose(table["mean"], [0.2, -0.3])


def test_rolling_arc_keeps_ends():
    assert stats.rolling_arc([0, 1, 2, 3, 4], 3).tolist() == [0.5, 1.0, 2.0, 3.0, 3.5]
    assert stats.rolling_arc([1.0], 5).tolist() == [1.0]


def test_proportion_interval_is_wilsons():
    # textbook values: 5 of 5 gives 0.566 to 1; 0 of 10 gives 0 to 0.278; none of nothing is unknown
    assert stats.proportion_interval(5, 5) == pytest.approx((0.5655, 1.0), abs=1e-4)
    assert stats.proportion_interval(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    low, high = stats.proportion_interval(37, 43)
    assert low < 37 / 43 < high
    assert all(np.isnan(stats.proportion_interval(0, 0)))
