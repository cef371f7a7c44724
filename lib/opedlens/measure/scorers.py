"""Named sentence scorers, all on one scale: -1 (negative) .. +1 (positive).

``accurate`` and ``fast`` are kernel ridge models trained on human valence ratings (EmoBank and
the NYT editorial snippets, see models/README.md); ``vader`` is VADER's compound score;
``textblob`` is TextBlob's polarity, the design card's baseline.
"""

from __future__ import annotations

import functools

import numpy as np

from opedlens.errors import InputError
from opedlens.measure import features, lexicon
from opedlens.measure.models import Model, load_model, predict
from opedlens.paths import MODELS_DIR

SCORERS = ("accurate", "fast", "vader", "textblob")
TRAINED = ("accurate", "fast")
DESCRIPTIONS = {
    "accurate": "MiniLM sentence embedding + VADER + TextBlob, kernel ridge trained on human ratings",
    "fast": "static word-piece embedding + VADER, kernel ridge trained on human ratings",
    "vader": "VADER compound score (lexicon and rules)",
    "textblob": "TextBlob polarity (pattern lexicon; the design card's baseline)",
}


def check_names(names) -> list[str]:
    """The scorer names, in order, or an InputError naming the unknown one."""
    names = [names] if isinstance(names, str) else list(names)
    for name in names:
        if name not in SCORERS:
            raise InputError(f"unknown scorer {name!r}; choose from {', '.join(SCORERS)}")
    if not names:
        raise InputError(f"no scorer chosen; choose from {', '.join(SCORERS)}")
    return names


@functools.lru_cache(maxsize=None)
def trained_model(name: str) -> Model:
    """The shipped model for a trained scorer."""
    return load_model(MODELS_DIR / f"sentiment-{name}.npz")


def feature_matrix(name: str, texts: list[str]) -> np.ndarray:
    """The features the trained scorer ``name`` reads."""
    return features.fast(texts) if name == "fast" else features.accurate(texts)


def score(name: str, texts: list[str], model: Model | None = None) -> np.ndarray:
    """Scores of ``texts`` by scorer ``name`` (optionally with another fitted model, for validation)."""
    texts = list(texts)
    if not texts:
        return np.zeros(0)
    if name == "vader":
        return lexicon.vader_compound(texts)
    if name == "textblob":
        return lexicon.textblob(texts)["textblob_polarity"].to_numpy()
    model = model or trained_model(name)
    return np.clip(predict(model, feature_matrix(name, texts)), -1.0, 1.0)


#: Scores within +-this of 0 are neutral (VADER's convention): the three classes, the band shaded in notebook 02's
#: figures, and where a tone reads only "slightly" hopeful or pessimistic (:mod:`opedlens.compare.contrast`).
NEUTRAL_BAND = 0.05


def three_class(values: np.ndarray, cut: float = NEUTRAL_BAND) -> np.ndarray:
    """-1 / 0 / +1 with a neutral band of +-cut (VADER's convention)."""
    values = np.asarray(values, dtype=float)
    return np.select([values <= -cut, values >= cut], [-1, 1], 0)
