"""Lexicon-based sentence sentiment: TextBlob (the design card's baseline) and VADER.

Both work offline: their word lists ship inside the packages. TextBlob's polarity ignores
negation and part of speech; VADER handles negation, intensifiers and "but". Only TextBlob's
``.sentiment`` is used, never ``.sentences``/``.words``, which need NLTK downloads, and it is computed by the
function ``TextBlob(text).sentiment`` calls (``textblob.en.sentiment``), loaded without importing NLTK (see
:func:`_pattern_sentiment`).
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import sys
import threading
from collections import OrderedDict

import numpy as np
import pandas as pd

VADER_COLUMNS = ["vader_compound", "vader_pos", "vader_neu", "vader_neg"]
TEXTBLOB_COLUMNS = ["textblob_polarity", "textblob_subjectivity"]


@functools.lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


#: Scores remembered per lexicon and process: one batch's sentences are scored by VADER for four measures and by
#: TextBlob for two (a scorer and the features of ``fast``, ``accurate`` and targeted sentiment), but read once.
MEMO_SIZE = 8_192
_memo: dict[str, OrderedDict] = {"vader": OrderedDict(), "textblob": OrderedDict()}


def _remembered(kind: str, texts: list[str], compute) -> list:
    """``compute``'s result for each text, computing only texts not among the last :data:`MEMO_SIZE` seen."""
    memo = _memo[kind]
    missing = list(dict.fromkeys(t for t in texts if t not in memo))
    if missing:
        memo.update(zip(missing, compute(missing)))
    rows = [memo[t] for t in texts]
    for text in dict.fromkeys(texts):
        memo.move_to_end(text)
    while len(memo) > MEMO_SIZE:
        memo.popitem(last=False)
    return rows


def _vader_rows(texts: list[str]) -> list[tuple]:
    analyzer = _vader()
    return [(r["compound"], r["pos"], r["neu"], r["neg"]) for r in map(analyzer.polarity_scores, texts)]


def vader(texts: list[str]) -> pd.DataFrame:
    """VADER compound (-1..1) and the positive/neutral/negative proportions of each text."""
    rows = _remembered("vader", list(texts), _vader_rows)
    return pd.DataFrame(np.array(rows, dtype=float).reshape(-1, 4), columns=VADER_COLUMNS)


def vader_compound(texts: list[str]) -> np.ndarray:
    """Just VADER's compound score."""
    return np.array([row[0] for row in _remembered("vader", list(texts), _vader_rows)], dtype=float)


_import_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def _pattern_sentiment():
    """``textblob.en.sentiment``, the pattern-lexicon scorer that ``TextBlob(text).sentiment`` returns the
    (polarity, subjectivity) of. TextBlob's ``__init__`` imports NLTK, and NLTK SciPy's statistics: about 4 s at
    each process start, for nothing this scorer uses. Unless TextBlob is imported already, ``textblob.en`` (which
    needs only ``textblob._text``) is loaded under a package whose ``__init__`` is not run, and those modules are
    taken out of ``sys.modules`` again, so a later ``import textblob`` loads the package as usual."""
    with _import_lock:
        if "textblob" in sys.modules:
            return importlib.import_module("textblob.en").sentiment
        package = importlib.util.find_spec("textblob")
        sys.modules["textblob"] = importlib.util.module_from_spec(package)
        try:
            return importlib.import_module("textblob.en").sentiment
        finally:
            for name in ("textblob", "textblob.en", "textblob._text"):
                sys.modules.pop(name, None)


def _textblob_rows(texts: list[str]) -> list[tuple]:
    score = _pattern_sentiment()
    return [tuple(score(t)) for t in texts]


def textblob(texts: list[str]) -> pd.DataFrame:
    """TextBlob (pattern lexicon) polarity (-1..1) and subjectivity (0..1)."""
    rows = _remembered("textblob", list(texts), _textblob_rows)
    return pd.DataFrame(np.array(rows, dtype=float).reshape(-1, 2), columns=TEXTBLOB_COLUMNS)


def read_ahead(texts: list[str]) -> None:
    """Score texts with both lexicons now, so that the measures that read them later find them remembered
    (``opedlens measure`` does this while MiniLM embeds the batch in another thread)."""
    _remembered("vader", list(texts), _vader_rows)
    _remembered("textblob", list(texts), _textblob_rows)


def warm_up() -> None:
    """Load TextBlob's sentiment lexicon and build VADER now (see opedlens.report.kernels)."""
    _pattern_sentiment()("warm")
    _vader()
