"""How consistently the developers' labels were given: a second, blind reading of a labelled round set against the
first (Cohen's kappa, with a bootstrap interval over the unit that was sampled).

Both readings are by the opedlens developers (in different sessions, the second without seeing the first), so this is
test-retest agreement of one set of guidelines as they apply them, not agreement between independent annotators: it
shows how much of a measure's error could be noise in its labels, not that another reader would label alike.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from opedlens.errors import InputError
from opedlens.validate.gold import rounds_named

SEED = 20261205  # the bootstrap's seed: the same labels always give the same interval
RESAMPLES = 2000
PROTOCOL = ("both by the opedlens developers, the second in a later session without seeing the first: test-retest "
            "agreement, not between independent annotators")


def kappa(first, second) -> float:
    """Cohen's kappa of two 0/1 labellings of the same items (nan when chance agreement is 1: one label only)."""
    first, second = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    observed = float(np.mean(first == second))
    p1, p2 = first.mean(), second.mean()
    chance = p1 * p2 + (1 - p1) * (1 - p2)
    return float("nan") if chance == 1 else (observed - chance) / (1 - chance)


def second_reading(first: pd.DataFrame, second: pd.DataFrame, label: str, path: str | Path,
                   cluster: str | None = None, unit: str = "sentences") -> dict:
    """The two readings of the same items (joined by ``item``; ``path``: the second reading's file, named in an error
    when an item is not in the first or its sentence's digest differs): how many, how many each marks, how many
    agree, Cohen's kappa and its 95% percentile interval over :data:`RESAMPLES` resamples of the items, or of whole
    ``cluster`` groups (the editorials, when whole editorials were drawn); ``unit`` names what was resampled. Also
    ``labels``, the rounds read again ("round 6"), and the ``protocol``."""
    joined = second.merge(first[["item", "digest", label]], on="item", how="left", suffixes=("", "_first"))
    missing = joined[joined[f"{label}_first"].isna() | (joined["digest"] != joined["digest_first"])]
    if len(missing):
        raise InputError(f"{missing['item'].iloc[0]} of the second reading is not labelled with the same sentence in "
                         "the first", path)
    a, b = joined[f"{label}_first"].to_numpy(dtype=int), joined[label].to_numpy(dtype=int)
    groups = joined[cluster].to_numpy() if cluster else np.arange(len(joined))
    members = [np.flatnonzero(groups == g) for g in pd.unique(groups)]
    rng = np.random.default_rng(SEED)
    draws = []
    for _ in range(RESAMPLES):
        rows = np.concatenate([members[k] for k in rng.integers(0, len(members), len(members))])
        draws.append(kappa(a[rows], b[rows]))
    low, high = np.nanpercentile(draws, [2.5, 97.5])
    return {"labels": rounds_named(sorted(second["round"].unique())), "protocol": PROTOCOL,
            "n": int(len(joined)), "first_positive": int(a.sum()), "second_positive": int(b.sum()),
            "agreed": int((a == b).sum()), "agreement": round(float(np.mean(a == b)), 4),
            "kappa": round(kappa(a, b), 4), "kappa_low": round(float(low), 4), "kappa_high": round(float(high), 4),
            "resampled": unit}


def describe(agreement: dict) -> str:
    """One line for the terminal: "second reading of ...: 296 of 300 agree, Cohen's kappa 0.94 (95% CI ...)"."""
    return (f"second reading of {agreement['labels']}: {agreement['agreed']} of {agreement['n']} agree "
            f"({agreement['first_positive']} and {agreement['second_positive']} marked), Cohen's kappa "
            f"{agreement['kappa']:.2f} (95% CI {agreement['kappa_low']:.2f} to {agreement['kappa_high']:.2f}, "
            f"resampling {agreement['resampled']}); {agreement['protocol']}")
