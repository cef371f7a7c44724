"""Sentiment toward each actor: per mention, from the words around it, not copied from the sentence."""

from __future__ import annotations

import pytest

from opedlens import actors, embed, targeted

pytestmark = pytest.mark.skipif(not embed.available(), reason=embed.INSTALL_HINT)

PRAISE_SEOUL_BLAME_TOKYO = "Seoul deserves praise for its restraint, while Tokyo has been petty and vindictive."


def spans(text, *names):
    starts = [text.index(n) for n in names]
    return [text] * len(names), starts, [s + len(n) for s, n in zip(starts, names)]


def test_praise_and_blame_in_one_sentence_come_apart():
    result = targeted.predict_targets(*spans(PRAISE_SEOUL_BLAME_TOKYO, "Seoul", "Tokyo"))
    seoul, tokyo = result.itertuples()
    assert seoul.label == 1 and tokyo.label == -1
    assert seoul.score > 0.3 > -0.3 > tokyo.score
    baseline = targeted.predict_targets(*spans(PRAISE_SEOUL_BLAME_TOKYO, "Seoul", "Tokyo"), method="sentence-vader")
    assert baseline["score"].nunique() == 1  # the baseline copies one score onto both


def test_probabilities_and_scores_are_consistent():
    result = targeted.predict_targets(*spans("Washington wisely brokered peace, but Pyongyang cheated again.",
                                             "Washington", "Pyongyang"))
    probs = result[["p_negative", "p_neutral", "p_positive"]]
    assert (probs.sum(axis=1).round(6) == 1).all()
    assert ((result["score"] - (result["p_positive"] - result["p_negative"])).abs() < 1e-9).all()
    assert result.loc[1, "label"] == -1 and result.loc[0, "score"] > result.loc[1, "score"]


def test_seed_actor_sentiment_is_per_mention_with_intervals(seed_corpus):
    mentions = actors.find_mentions(seed_corpus.sentences, actors.load_gazetteer())
    scored = targeted.actor_sentiment(seed_corpus.sentences, mentions)
    assert len(scored) == len(mentions)
    assert set(scored["label"]) <= {"negative", "neutral", "positive"}
    assert scored["score"].between(-1, 1).all()
    # in sentences naming two actors, the actors can get different scores
    shared = scored.groupby("sent_id").filter(lambda g: g["actor"].nunique() > 1)
    assert (shared.groupby("sent_id")["score"].nunique() > 1).any()
    summary = targeted.toward_actors(scored, 500, seed=1)
    us = summary[summary["actor"] == "united_states"]
    assert len(us) == 2 and (us["n"] >= 5).all()
    assert (us["ci_low"] <= us["mean"]).all() and (us["mean"] <= us["ci_high"]).all()
    assert summary.equals(targeted.toward_actors(scored, 500, seed=1))
