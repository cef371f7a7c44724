"""Is a sentence English? Non-English sentences are flagged and left unscored, never silently scored.

Most English sentences contain two or more common English function words, which settles them at
once; the rest (and anything mostly in a non-Latin script) go to py3langid's naive Bayes model,
which ships inside the package. Very short fragments ("Seoul.") are too short to judge and count
as English.
"""

from __future__ import annotations

import functools
import re
import unicodedata

FUNCTION_WORDS = frozenset(
    "the and of to is that with for was are this from have has which would will be by it its not but "
    "they their been were should must can could who what when there than also more".split()
)
WORD = re.compile(r"[^\W\d_]+")
MIN_WORDS_TO_JUDGE = 4
MIN_CONFIDENCE = 0.4


@functools.lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _latin_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 1.0
    return sum("LATIN" in unicodedata.name(c, "") for c in letters) / len(letters)


def language_of(text: str) -> str:
    """ISO 639-1 code of the sentence's language ("en" when English or too short to tell)."""
    words = WORD.findall(text)
    if len({w.lower() for w in words} & FUNCTION_WORDS) >= 2:
        return "en"
    latin = _latin_share(text)
    if len(words) < MIN_WORDS_TO_JUDGE and latin >= 0.5:
        return "en"
    code, confidence = _identifier().classify(text)
    if latin < 0.5 or (code != "en" and confidence >= MIN_CONFIDENCE):
        return code
    return "en"


def warm_up() -> None:
    """Load the language-identification model now (see opedlens.report.kernels)."""
    _identifier()
