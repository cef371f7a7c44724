"""From sentences to counts: text units with ids, content-word lemmas, and a document-term matrix.

Units are paragraphs (``para_id``) or windows of consecutive sentences within a paragraph
(``window_id`` like ``doc.p03.w01``), so every count traces back to text. Lemmas come from simplemma
(dictionaries inside the package, no NLTK download); names keep their form (:func:`forms`). Stop words are
scikit-learn's English list plus a short list of words that carry no topic in op-eds; extend it with the
``extra_stop_words`` parameter.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from opedlens.errors import InputError

TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Za-z]+")
DOMAIN_STOP_WORDS = frozenset(
    "say said says also would could should may might must one two three first second new year years time "
    "make made way just like even still well many much lot get got take took yes mr mrs ms dr prof "
    "adm gen lt col sgt capt cmdr sen rep gov jr".split()
)


@functools.lru_cache(maxsize=1)
def _english_stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def stop_words(extra=()) -> frozenset[str]:
    """scikit-learn's English stop words + the domain list + ``extra``."""
    return _english_stop_words() | DOMAIN_STOP_WORDS | {w.lower() for w in extra}


@functools.lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """Lower-cased dictionary form; abbreviations such as "u.s." are kept as they are."""
    import simplemma

    word = word.lower()
    return word if "." in word else simplemma.lemmatize(word, lang="en").lower()


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(lower-cased word, start, end) for every word of ``text``."""
    return [(m.group().lower(), m.start(), m.end()) for m in TOKEN.finditer(text)]


#: What stands before a sentence's first word (the text's start, or a sentence's end, then white space and opening
#: quotes): where it ends, a capital says nothing about the word.
_OPENS_SENTENCE = re.compile(r"(?:^|[.!?:;]['\"’”)\]]*)[\s'\"‘“(\[]*")


def forms(text: str, lemmatize: bool = True) -> list[tuple[str, int, int]]:
    """(form, start, end) for every word of ``text``: its lemma, except for a capitalised word inside a sentence,
    a name, which keeps its lower-cased form ("United States" -> "united", "states", not "unite", "state")."""
    openings = {match.end() for match in _OPENS_SENTENCE.finditer(text)}
    out = []
    for word, start, end in tokens(text):
        name = text[start].isupper() and start not in openings
        out.append((lemma(word) if lemmatize and not name else word, start, end))
    return out


def content_lemmas(text: str, stops: frozenset[str], lemmatize: bool = True) -> list[str]:
    """Lemmas of the content words of ``text`` (names as written, see :func:`forms`), in order: stop words and
    one-letter words dropped."""
    return [form for form, start, end in forms(text, lemmatize)
            if end - start > 1 and text[start:end].lower() not in stops and form not in stops]


def units(corpus, unit: str = "paragraph", window: int = 3) -> pd.DataFrame:
    """Text units: ``unit_id``, doc_id, para_id, first and last sent_id, position in the article, text."""
    sentences = corpus.sentences
    if unit == "paragraph":
        grouped = sentences.groupby("para_id", sort=False)
        frame = grouped.agg(doc_id=("doc_id", "first"), first_sent=("sent_id", "first"),
                            last_sent=("sent_id", "last"), text=("text", " ".join)).reset_index()
        frame.insert(0, "unit_id", frame["para_id"])
    elif unit == "window":
        if window < 1:
            raise InputError(f"window must be at least 1 sentence, not {window}")
        rows = []
        for para_id, group in sentences.groupby("para_id", sort=False):
            for w, start in enumerate(range(0, len(group), window), start=1):
                part = group.iloc[start:start + window]
                rows.append({"unit_id": f"{para_id}.w{w:02d}", "para_id": para_id, "doc_id": part["doc_id"].iloc[0],
                             "first_sent": part["sent_id"].iloc[0], "last_sent": part["sent_id"].iloc[-1],
                             "text": " ".join(part["text"])})
        frame = pd.DataFrame(rows)
    else:
        raise InputError(f"unit must be 'paragraph' or 'window', not {unit!r}")
    if frame.empty:
        raise InputError("the corpus has no body sentences to model")
    frame["text"] = frame["text"].str.split().str.join(" ")
    order = frame.groupby("doc_id", sort=False).cumcount()
    size = frame.groupby("doc_id", sort=False)["unit_id"].transform("size")
    frame["position"] = ((order + 0.5) / size).round(4)
    return frame[["unit_id", "doc_id", "para_id", "first_sent", "last_sent", "position", "text"]]


@dataclass(frozen=True)
class DocumentTerms:
    """Counts of terms (lemmas and n-grams) per unit; rows follow ``unit_ids``."""

    counts: sparse.csr_matrix
    terms: np.ndarray
    unit_ids: list[str]
    lemmas: list[list[str]]


def document_terms(frame: pd.DataFrame, extra_stop_words=(), ngram_max: int = 1, min_df: int = 2,
                   lemmatize: bool = True) -> DocumentTerms:
    """The unit x term count matrix; errors say which setting emptied it."""
    from sklearn.feature_extraction.text import CountVectorizer

    stops = stop_words(extra_stop_words)
    lemmas = [content_lemmas(t, stops, lemmatize) for t in frame["text"]]
    empty = [u for u, words in zip(frame["unit_id"], lemmas) if not words]
    if len(empty) == len(lemmas):
        raise InputError("no unit has any content word left after removing stop words")
    if min_df > len(lemmas):
        raise InputError(f"min_df={min_df} is more than the {len(lemmas)} units: no term can pass it")
    vectorizer = CountVectorizer(analyzer=lambda words: words, min_df=min_df) if ngram_max == 1 else \
        CountVectorizer(tokenizer=str.split, preprocessor=None, lowercase=False, token_pattern=None,
                        ngram_range=(1, ngram_max), min_df=min_df)
    docs = lemmas if ngram_max == 1 else [" ".join(words) for words in lemmas]
    try:
        counts = vectorizer.fit_transform(docs)
    except ValueError:
        raise InputError(f"min_df={min_df} leaves no term: no term occurs in {min_df} or more units; "
                         "lower min_df or add units") from None
    return DocumentTerms(counts.tocsr(), vectorizer.get_feature_names_out(), frame["unit_id"].tolist(), lemmas)
