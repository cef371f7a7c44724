"""Nearest neighbours between two sides' unit vectors, without ever holding the all-pairs similarity matrix.

Claim matching (:mod:`opedlens.compare.align`) needs, for each unit, its few most similar units on the other side
(the candidates the cross-encoder scores) and its best similarity (shown for a point only one side makes). Side
A's rows are compared with all of side B a block of rows at a time (at most :data:`BLOCK_CELLS` cells), keeping
each row's ``k`` best columns and, merged block by block, each column's ``k`` best rows: memory grows with the
number of units, not with their product. Ties go to the lower index, as a stable sort of the whole matrix would.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BLOCK_CELLS = 1 << 22  # similarities computed at once (32 MB of float64)


@dataclass
class Neighbours:
    """Each row's ``k`` nearest columns and each column's ``k`` nearest rows (their cosines), and every row's and
    column's best cosine over the whole other side (NaN when it is empty)."""

    pairs: dict[tuple[int, int], float]
    row_best: np.ndarray
    column_best: np.ndarray


def nearest(a: np.ndarray, b: np.ndarray, k: int, rows_ok: np.ndarray | None = None,
            columns_ok: np.ndarray | None = None, positive_only: bool = True) -> Neighbours:
    """Neighbours of row-normalised vectors ``a`` (rows) and ``b`` (columns), by cosine (clipped to [-1, 1]).

    Only rows in ``rows_ok`` and columns in ``columns_ok`` (boolean masks) take part in the pairs; the best
    cosines cover every row and column. With ``positive_only``, pairs need a cosine above 0; otherwise the
    nearest ``k`` are kept whatever their sign (those at or below 0 ranked by index)."""
    n_a, n_b = len(a), len(b)
    rows_ok = np.ones(n_a, bool) if rows_ok is None else np.asarray(rows_ok, bool)
    columns_ok = np.ones(n_b, bool) if columns_ok is None else np.asarray(columns_ok, bool)
    row_best, column_best = np.full(n_a, np.nan), np.full(n_b, np.nan)
    pairs: dict[tuple[int, int], float] = {}
    if not n_a or not n_b:
        return Neighbours(pairs, row_best, column_best)
    width = min(k, n_b)
    top_key, top_row, top_cos = (np.full((n_b, k), -np.inf), np.full((n_b, k), -1), np.zeros((n_b, k)))
    step = max(1, BLOCK_CELLS // n_b)
    b_t = b.T
    for start in range(0, n_a, step):
        cosines = np.clip(a[start:start + step] @ b_t, -1.0, 1.0)
        rows = np.arange(start, start + len(cosines))
        row_best[rows] = cosines.max(1)
        column_best = np.fmax(column_best, cosines.max(0))
        keys = np.where(cosines > 0, cosines, 0.0 if positive_only else 1e-9)
        keys[~rows_ok[rows]] = -np.inf
        keys[:, ~columns_ok] = -np.inf
        best = np.argsort(-keys, axis=1, kind="stable")[:, :width]
        for r, columns in zip(range(len(rows)), best):
            for c in columns:
                if keys[r, c] > (0.0 if positive_only else -np.inf):
                    pairs[(int(rows[r]), int(c))] = float(cosines[r, c])
        depth = min(k, len(rows))
        block_top = np.argsort(-keys.T, axis=1, kind="stable")[:, :depth]
        merged_key = np.concatenate([top_key, np.take_along_axis(keys.T, block_top, 1)], axis=1)
        merged_row = np.concatenate([top_row, rows[block_top]], axis=1)
        merged_cos = np.concatenate([top_cos, np.take_along_axis(cosines.T, block_top, 1)], axis=1)
        keep = np.argsort(-merged_key, axis=1, kind="stable")[:, :k]
        top_key, top_row, top_cos = (np.take_along_axis(m, keep, 1) for m in (merged_key, merged_row, merged_cos))
    floor = 0.0 if positive_only else -np.inf
    for c in range(n_b):
        for key, r, cosine in zip(top_key[c], top_row[c], top_cos[c]):
            if r >= 0 and key > floor:
                pairs[(int(r), c)] = float(cosine)
    return Neighbours(dict(sorted(pairs.items())), row_best, column_best)


def grid(a: np.ndarray, b: np.ndarray, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """Every cosine between the chosen rows and columns (a heatmap's few dozen units a side)."""
    return np.clip(a[rows] @ b[columns].T, -1.0, 1.0)
