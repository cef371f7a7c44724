"""Sentiment toward each actor mention, not the sentence score copied onto every actor in it.

Methods (validated on NewsMTSC with ``opedlens validate targeted``):

- ``targeted``: logistic regression on the mention's contextual MiniLM vectors, the sentence
  vector, sentence VADER and VADER on the clause around the mention (trained on NewsMTSC);
- ``clause-vader``: VADER on the clause around the mention;
- ``sentence-vader``: the baseline, the sentence's VADER score applied to every target in it.

Scores run from -1 to +1 (P(positive) - P(negative) for ``targeted``); labels are
negative / neutral / positive.

Advice is not praise. A mention that is the subject of advice ("the U.S. therefore **needs to** take a more
forward role", "Washington, however, **should** ...") is *addressed* by a recommendation: the sentence says what
the actor should do, not that the author approves of it, so ``targeted`` never scores such a mention positive
(a positive score becomes 0; criticism, "X should be ashamed", stays) and marks it ``addressed``; the report counts
those mentions apart from the tone toward the actor. NewsMTSC's macro-F1 is measured with this rule in place.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

from opedlens.measure import features, lexicon
from opedlens.measure.models import Model, load_model, predict
from opedlens.measure.scorers import three_class
from opedlens.paths import MODELS_DIR

METHODS = ("targeted", "clause-vader", "sentence-vader")
# What follows a mention that is the subject of advice: an optional aside (", however,"), an adverb or two, then a
# deontic modal; "should have", "must have" + participle are judgements of the past or inferences, not advice.
_ADVISED = re.compile(r"\s*(?:,[^,.;:!?]{1,40},\s*)?(?:\w+ly\s+|therefore\s+|also\s+|now\s+|still\s+|then\s+|thus\s+|"
                      r"too\s+){0,2}(?:should|must|ought\s+to|needs?\s+to|has\s+to|have\s+to|had\s+better)\b"
                      r"(?!\s+have\s+\w+(?:ed|en|wn|ne)\b)", re.I)


def not_praise(labels, advised) -> np.ndarray:
    """Labels with "positive" turned neutral where the mention is addressed by advice (criticism stays)."""
    labels = np.asarray(labels).astype(int)
    return np.where(np.asarray(advised, dtype=bool) & (labels == 1), 0, labels)


def addressed(text: str, start: int, end: int) -> bool:
    """Whether the mention ``text[start:end]`` is the subject of advice ("the U.S. should ...")."""
    return bool(_ADVISED.match(text, end))
LABELS = {-1: "negative", 0: "neutral", 1: "positive"}


@functools.lru_cache(maxsize=1)
def shipped_model() -> Model:
    return load_model(MODELS_DIR / "targeted.npz")


def predict_targets(texts, starts, ends, method: str = "targeted", model: Model | None = None) -> pd.DataFrame:
    """score (-1..1) and label (-1/0/1) for each (sentence, span)."""
    texts, starts, ends = list(texts), list(starts), list(ends)
    if not texts:
        return pd.DataFrame({"score": [], "label": []})
    if method == "sentence-vader":
        score = lexicon.vader_compound(texts)
        return pd.DataFrame({"score": score, "label": three_class(score)})
    if method == "clause-vader":
        score = lexicon.vader_compound([features.clause_around(t, s, e) for t, s, e in zip(texts, starts, ends)])
        return pd.DataFrame({"score": score, "label": three_class(score)})
    model = model or shipped_model()
    probs = predict(model, features.targeted_for(texts, starts, ends))
    classes = model.arrays["classes"]
    p = {int(c): probs[:, i] for i, c in enumerate(classes)}
    advised = np.array([addressed(t, s, e) for t, s, e in zip(texts, starts, ends)], dtype=bool)
    score = np.where(advised, np.minimum(p[1] - p[-1], 0.0), p[1] - p[-1])
    label = not_praise(classes[probs.argmax(1)], advised)
    return pd.DataFrame({"score": score, "label": label, "addressed": advised,
                         "p_negative": p[-1], "p_neutral": p[0], "p_positive": p[1]})


def actor_sentiment(sentences: pd.DataFrame, mentions: pd.DataFrame, scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per mention: ids, actor, offsets, targeted score, label and class probabilities,
    and the sentence-VADER baseline beside it. Mentions in unscored sentences are dropped."""
    frame = mentions.merge(sentences[["sent_id", "text"]], on="sent_id", how="left")
    if scores is not None:
        frame = frame[frame["sent_id"].isin(scores.loc[scores["scored"], "sent_id"])]
    frame = frame.reset_index(drop=True)
    result = predict_targets(frame["text"], frame["sent_start"], frame["sent_end"], "targeted")
    baseline = predict_targets(frame["text"], frame["sent_start"], frame["sent_end"], "sentence-vader")
    out = frame.drop(columns=["text"]).rename(columns={"label": "actor_label"}).join(result.round(4))
    out["label"] = out["label"].map(LABELS)
    out["sentence_vader"] = baseline["score"].round(4)
    return out


def warm_up() -> None:
    """Load the encoder and the shipped targeted model now (see opedlens.report.kernels)."""
    from opedlens.measure import embed

    embed.warm_up()
    shipped_model()
