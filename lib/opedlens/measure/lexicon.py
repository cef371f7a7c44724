"""Lexicon-based sentence sentiment: TextBlob (the design card's baseline) and VADER.

Both work offline: their word lists ship inside the packages. TextBlob's polarity ignores
negation and part of speech; VADER handles negation, intensifiers and "but". Only TextBlob's
``.sentiment`` is used, never ``.sentences``/``.words``, which need NLTK downloads.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

VADER_COLUMNS = ["vader_compound", "vader_pos", "vader_neu", "vader_neg"]
TEXTBLOB_COLUMNS = ["textblob_polarity", "textblob_subjectivity"]


@functools.lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def vader(texts: list[str]) -> pd.DataFrame:
    """VADER compound (-1..1) and the positive/neutral/negative proportions of each text."""
    analyzer = _vader()
    rows = [analyzer.polarity_scores(t) for t in texts]
    return pd.DataFrame(
        np.array([[r["compound"], r["pos"], r["neu"], r["neg"]] for r in rows], dtype=float).reshape(-1, 4),
        columns=VADER_COLUMNS,
    )


def vader_compound(texts: list[str]) -> np.ndarray:
    """Just VADER's compound score."""
    analyzer = _vader()
    return np.array([analyzer.polarity_scores(t)["compound"] for t in texts], dtype=float)


def textblob(texts: list[str]) -> pd.DataFrame:
    """TextBlob (pattern lexicon) polarity (-1..1) and subjectivity (0..1)."""
    from textblob import TextBlob

    rows = [TextBlob(t).sentiment for t in texts]
    return pd.DataFrame(
        np.array([[r.polarity, r.subjectivity] for r in rows], dtype=float).reshape(-1, 2),
        columns=TEXTBLOB_COLUMNS,
    )


def warm_up() -> None:
    """Import TextBlob (and with it NLTK) and build VADER now (see opedlens.report.kernels)."""
    import textblob  # noqa: F401

    _vader()
