"""Uncertainty for small samples: bootstrap intervals, permutation tests, smoothed arcs.

All take an explicit seed, so the same inputs give the same numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CONFIDENCE = 0.95


def bootstrap_mean(values, draws: int, seed: int, confidence: float = CONFIDENCE) -> tuple[float, float, float]:
    """Mean and percentile bootstrap interval; (nan, nan, nan) for no values, no interval for one."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if values.size == 0:
        return (np.nan, np.nan, np.nan)
    mean = float(values.mean())
    if values.size == 1 or draws < 1:
        return (mean, np.nan, np.nan)
    rng = np.random.default_rng(seed)
    means = values[rng.integers(0, values.size, size=(draws, values.size))].mean(1)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return (mean, float(low), float(high))


def proportion_interval(successes: int, trials: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Wilson score interval of a proportion (``successes`` of ``trials``): how far a precision or recall counted
    on a small labelled sample can be trusted. (nan, nan) for no trials."""
    from scipy.stats import norm

    if trials <= 0:
        return float("nan"), float("nan")
    z, share = norm.ppf(0.5 + confidence / 2), successes / trials
    centre = (share + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z / (1 + z * z / trials) * np.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials))
    return float(max(0.0, centre - half)), float(min(1.0, centre + half))


def summarize(frame: pd.DataFrame, by: list[str], value: str, draws: int, seed: int) -> pd.DataFrame:
    """n, mean and bootstrap interval of ``value`` for each group of ``by`` (a tidy table)."""
    rows = []
    for keys, group in frame.groupby(by, sort=True, observed=True):
        keys = keys if isinstance(keys, tuple) else (keys,)
        mean, low, high = bootstrap_mean(group[value], draws, seed)
        rows.append((*keys, int(group[value].notna().sum()), mean, low, high))
    return pd.DataFrame(rows, columns=[*by, "n", "mean", "ci_low", "ci_high"])


def permutation_test(a, b, permutations: int, seed: int) -> dict:
    """Two-sided permutation test for a difference in means (a - b), with the +1 correction."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    if a.size == 0 or b.size == 0:
        return {"n_a": int(a.size), "n_b": int(b.size), "difference": np.nan, "p_value": np.nan, "permutations": 0}
    observed = a.mean() - b.mean()
    pooled = np.concatenate([a, b])
    rng = np.random.default_rng(seed)
    extreme = 0
    for _ in range(permutations):
        shuffled = rng.permutation(pooled)
        extreme += abs(shuffled[:a.size].mean() - shuffled[a.size:].mean()) >= abs(observed) - 1e-12
    return {"n_a": int(a.size), "n_b": int(b.size), "difference": float(observed),
            "p_value": (extreme + 1) / (permutations + 1), "permutations": permutations}


def rolling_arc(values, window: int) -> np.ndarray:
    """Centred moving average that shrinks at the ends (no padding, no NaN edges)."""
    series = pd.Series(np.asarray(values, dtype=float))
    return series.rolling(max(1, int(window)), center=True, min_periods=1).mean().to_numpy()
