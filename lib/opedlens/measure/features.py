"""Feature matrices shared by the trained scorers and their training: one definition, used twice.

- ``fast``: the mean of MiniLM's input word-piece vectors (a static embedding, no transformer
  pass) + VADER's four scores; thousands of sentences per second.
- ``accurate``: the MiniLM sentence embedding + VADER + TextBlob.
- ``targeted``: for one target span in a sentence, the contextual MiniLM vectors of the span's
  tokens, the MiniLM embedding of the clause holding the target, and VADER on the sentence, on
  that clause and on the rest of the sentence. Reading the clause rather than the whole sentence
  is what lets "Seoul deserves praise, while Tokyo has been petty" come out positive toward one
  and negative toward the other.
"""

from __future__ import annotations

import re

import numpy as np

from opedlens.measure import embed, lexicon

CLAUSE_BREAK = re.compile(r"[,;:()\u2014\u2013]|\b(?:but|while|whereas|although|though|yet|however|because)\b", re.I)


def fast(texts: list[str]) -> np.ndarray:
    """Static word-piece mean (384) + VADER compound/pos/neu/neg."""
    model = embed.load()
    table = model.word
    static = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
    for i, enc in enumerate(model.tokenizer.encode_batch(list(texts))):
        ids = enc.ids[1:-1]
        if ids:
            static[i] = table[ids].mean(0)
    return np.hstack([static, lexicon.vader(texts).to_numpy()])


def accurate(texts: list[str], sentence_vectors: np.ndarray | None = None) -> np.ndarray:
    """MiniLM sentence embedding (384) + VADER (4) + TextBlob (2)."""
    if sentence_vectors is None:
        sentence_vectors = embed.sentence_vectors(texts)  # remembered: evidence types reuse them
    return np.hstack([sentence_vectors, lexicon.vader(texts).to_numpy(), lexicon.textblob(texts).to_numpy()])


def clause_around(text: str, start: int, end: int) -> str:
    """The clause of ``text`` that holds the span start..end (cut at punctuation and contrast words)."""
    cuts = [0, *(m.start() for m in CLAUSE_BREAK.finditer(text)), len(text)]
    low = max(c for c in cuts if c <= start)
    high = min((c for c in cuts if c >= end), default=len(text))
    return text[low:high]


def span_vector(encoded: embed.Encoded, row: int, start: int, end: int) -> np.ndarray:
    """Mean contextual vector of the tokens overlapping start..end (the sentence vector if none do)."""
    offsets = encoded.offsets[row]
    hit = (offsets[:, 0] < end) & (offsets[:, 1] > start) if len(offsets) else np.zeros(0, bool)
    return encoded.tokens[row][hit].mean(0) if hit.any() else encoded.sentences[row]


def targeted(texts: list[str], spans: list[tuple[int, int, int]]) -> np.ndarray:
    """One row per (sentence row, start, end) in ``spans``; ``texts`` are the distinct sentences."""
    model = embed.load()
    encoded = embed.with_tokens(list(texts))  # token states remembered: `measure` encoded these sentences already
    clauses = [clause_around(texts[r], s, e) for r, s, e in spans]
    rests = [texts[r].replace(c, " ", 1) for (r, _, _), c in zip(spans, clauses)]
    distinct = list(dict.fromkeys(clauses))
    clause_vectors = model.encode(distinct).sentences
    where = {c: i for i, c in enumerate(distinct)}
    lex = ["vader_compound", "vader_pos", "vader_neg"]
    sentence_lex = lexicon.vader(texts)[lex].to_numpy()
    clause_lex = lexicon.vader(clauses)[lex].to_numpy()
    rest_lex = lexicon.vader_compound(rests)[:, None]
    spans_and_clauses = np.array([np.concatenate([span_vector(encoded, r, s, e), clause_vectors[where[c]]])
                                  for (r, s, e), c in zip(spans, clauses)]).reshape(len(spans), -1)
    rows = np.array([r for r, _, _ in spans], dtype=int)
    return np.hstack([spans_and_clauses, sentence_lex[rows], clause_lex, rest_lex])


def targeted_for(texts, starts, ends) -> np.ndarray:
    """:func:`targeted` for parallel lists (sentence, start, end), each distinct sentence encoded once."""
    unique = list(dict.fromkeys(texts))
    row = {t: i for i, t in enumerate(unique)}
    return targeted(unique, [(row[t], int(s), int(e)) for t, s, e in zip(texts, starts, ends)])
