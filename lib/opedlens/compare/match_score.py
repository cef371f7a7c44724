"""What decides "the same point": the cross-encoder's probability and the MiniLM cosine, weighed together.

The cross-encoder (:mod:`opedlens.measure.crossencoder`) learned "the same point" from IBM ArgKP-2021, where every
pair is on one debate topic and a key point is a short, general statement. On prose of other kinds it also rates
pairs on different subjects as the same point (on IBM CE-EMNLP-2015 pairs from different motions its ROC AUC is
0.89, the cosine's 0.99). A logistic regression on two numbers, the cross-encoder's log-odds and the cosine of
the two sentence embeddings, fitted on IBM CE-EMNLP-2015 claim / evidence pairs of the train motions (prose the
cross-encoder never saw), lets the cosine say whether two sentences are about the same thing at all. Its weights,
threshold and figures are in ``models/matching-cosine.json``, written by ``opedlens train --only matching-cosine``
(:mod:`opedlens.validate.matching_cosine`).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from opedlens.errors import InputError
from opedlens.paths import MODELS_DIR

PATH = MODELS_DIR / "matching-cosine.json"
CLIP = 1e-4  # probabilities are kept inside [CLIP, 1 - CLIP] before their log-odds are taken


def features(probability, cosine) -> np.ndarray:
    """One row per pair: the cross-encoder's log-odds and the cosine."""
    p = np.clip(np.asarray(probability, dtype=float), CLIP, 1 - CLIP)
    return np.column_stack([np.log(p / (1 - p)), np.asarray(cosine, dtype=float)])


@dataclass(frozen=True)
class MatchScore:
    """The fitted weights (``weights`` for :func:`features`, ``intercept``) and the model's metadata."""

    weights: tuple[float, float]
    intercept: float
    meta: dict

    def probability(self, probability, cosine) -> np.ndarray:
        """How likely each pair makes the same point, from its cross-encoder probability and its cosine."""
        z = features(probability, cosine) @ np.asarray(self.weights) + self.intercept
        return 1 / (1 + np.exp(-z))


def read(path: Path = PATH) -> MatchScore:
    """A saved model (JSON); a damaged file is an InputError naming it."""
    try:
        meta = json.loads(Path(path).read_text(encoding="utf-8"))
        return MatchScore(tuple(float(w) for w in meta["weights"]), float(meta["intercept"]), meta)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"not a readable matching model ({exc}); run `opedlens train --only matching-cosine`",
                         path) from None


@functools.lru_cache(maxsize=1)
def load() -> MatchScore:
    """The shipped model, read once per process."""
    return read(PATH)


def available() -> bool:
    return PATH.is_file()
