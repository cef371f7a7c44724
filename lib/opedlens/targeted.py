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

from . import features, lexicon, stats
from .gold import three_class
from .models import Model, load_model, predict
from .paths import MODELS_DIR

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


def toward_actors(mention_scores: pd.DataFrame, draws: int, seed: int) -> pd.DataFrame:
    """Mean targeted score per article and actor with bootstrap intervals; the unit is a
    sentence-actor pair (mentions of one actor in one sentence are averaged first). Mentions addressed by advice
    are left out of the tone and counted in ``addressed``."""
    keys = ["doc_id", "actor", "actor_label"]
    advised = mention_scores["addressed"] if "addressed" in mention_scores else pd.Series(False, mention_scores.index)
    pairs = mention_scores[~advised].rename(columns={"label": "tone"}).groupby(
        keys + ["sent_id"], as_index=False)["score"].mean()
    summary = stats.summarize(pairs, keys, "score", draws, seed)
    counts = mention_scores[advised].groupby(keys)["sent_id"].nunique().rename("addressed").reset_index()
    summary = summary.merge(counts, on=keys, how="left")
    summary["addressed"] = summary["addressed"].fillna(0).astype(int)
    return summary


def toward_groups(mention_scores: pd.DataFrame, plan, draws: int, seed: int) -> pd.DataFrame:
    """Tone toward each actor per compared group. For a group of articles: each article's mean tone toward the
    actor (over its sentences naming it), then the mean over the group's articles with an interval resampling
    articles; for a single article, its sentence-actor pairs. Advice-addressed mentions are left out, as in
    :func:`toward_actors`."""
    from .groups import cluster_bootstrap

    keys = ["actor", "actor_label"]
    advised = mention_scores["addressed"] if "addressed" in mention_scores else pd.Series(False, mention_scores.index)
    pairs = mention_scores[~advised].groupby(["doc_id", *keys, "sent_id"], as_index=False)["score"].mean()
    pairs["group"] = pairs["doc_id"].map(plan.group_of)
    rows = []
    for (group, actor, label), part in pairs.dropna(subset=["group"]).groupby(["group", *keys], sort=False):
        if plan.single_articles:
            mean, low, high = stats.bootstrap_mean(part["score"], draws, seed)
        else:
            mean, low, high = cluster_bootstrap(part, "score", draws, seed)
        rows.append({"group": group, "actor": actor, "actor_label": label, "articles": int(part["doc_id"].nunique()),
                     "n": int(len(part)), "mean": mean, "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows, columns=["group", "actor", "actor_label", "articles", "n", "mean", "ci_low", "ci_high"])


def trust_note(results: pd.DataFrame) -> str:
    """Markdown: the targeted method's validated macro-F1 beside the sentence-VADER baseline."""
    saved = results[results["task"] == "targeted"] if not results.empty else results
    if saved.empty:
        return "**No validation results for targeted sentiment found**; run `make validate`."
    scores = saved.set_index("scorer")
    parts = [f"`{name}` macro-F1 {scores.loc[name, 'macro_f1']:.2f} (accuracy {scores.loc[name, 'accuracy']:.2f})"
             for name in METHODS if name in scores.index]
    gold = saved["gold"].iloc[0].split("/")[-1]
    return (f"Agreement with human labels of sentiment toward a target on `{gold}` ({int(saved['n'].iloc[0]):,} targets, "
            f"three classes; the trained method scored by 5-fold cross-validation grouped by article): "
            + "; ".join(parts) + ". Published state of the art on NewsMTSC's own test set: 0.83.")


def warm_up() -> None:
    """Load the encoder and the shipped targeted model now (see opedlens.kernels)."""
    from . import embed

    embed.warm_up()
    shipped_model()
