"""Sentiment toward each actor: per mention, from the words around it, not copied from the sentence."""

from __future__ import annotations

import pytest

from opedlens.compare import actor_tone
from opedlens.measure import actors, embed, targeted

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
    summary = actor_tone.toward_actors(scored, 500, seed=1)
    us = summary[summary["actor"] == "united_states"]
    assert len(us) == 2 and (us["n"] >= 5).all()
    assert (us["ci_low"] <= us["mean"]).all() and (us["mean"] <= us["ci_high"]).all()
    assert summary.equals(actor_tone.toward_actors(scored, 500, seed=1))


# --- advice is not praise (issue 14) -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, mention, advised", [
    ("The U.S. therefore needs to take a more forward role.", "The U.S.", True),
    ("Washington, however, should help both allies.", "Washington", True),
    ("To be effective, the U.S. needs to walk a fine line.", "the U.S.", True),
    ("Tokyo must resign itself to a smaller role.", "Tokyo", True),
    ("Tokyo should have apologized in 2015.", "Tokyo", False),
    ("Tokyo, which should know better, refused.", "Tokyo", False),
    ("Seoul praised Tokyo for its restraint.", "Seoul", False),
    ("Seoul praised Tokyo for its restraint.", "Tokyo", False),
])
def test_a_mention_addressed_by_advice_is_recognised(text, mention, advised):
    start = text.index(mention)
    assert targeted.addressed(text, start, start + len(mention)) is advised


def test_advice_is_never_scored_as_praise():
    text = "To be effective, the U.S. needs to walk a fine line when it pursues deeper engagement."
    start = text.index("the U.S.")
    row = targeted.predict_targets([text], [start], [start + len("the U.S.")]).iloc[0]
    assert row["addressed"] and row["score"] <= 0 and row["label"] != 1


def test_criticism_addressed_to_an_actor_keeps_its_sign():
    assert targeted.not_praise([1, -1, 0, 1], [True, True, True, False]).tolist() == [0, -1, 0, 1]


def test_tone_toward_an_actor_leaves_out_the_advice_it_receives():
    import pandas as pd

    mentions = pd.DataFrame({"doc_id": "d", "actor": "us", "actor_label": "United States",
                             "sent_id": ["s1", "s2", "s3", "s4"], "score": [0.9, -0.5, -0.3, 0.0],
                             "addressed": [True, False, False, True]})
    row = actor_tone.toward_actors(mentions, draws=200, seed=1).iloc[0]
    assert row["n"] == 2 and row["mean"] == pytest.approx(-0.4) and row["addressed"] == 2
