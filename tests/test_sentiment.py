"""Sentence scores on the corpus: flags for what cannot be scored, one scale, tidy tables, intervals, tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opedlens.compare import tone
from opedlens.corpus import describe
from opedlens.errors import InputError
from opedlens.measure import embed, scorers, sentiment

needs_model = pytest.mark.skipif(not embed.available(), reason=embed.INSTALL_HINT)


def sentence_table(texts, doc_id="doc"):
    return pd.DataFrame({"doc_id": doc_id, "para_id": [f"{doc_id}.p01"] * len(texts),
                         "sent_id": [f"{doc_id}.p01.s{i:02d}" for i in range(1, len(texts) + 1)], "text": texts})


AWKWARD = ["", "...!?", "1965.", "Le gouvernement a décidé de ne pas participer aux négociations.",
           "It was a wonderful, generous and wise decision. " * 220, "This is a terrible failure."]


@needs_model
def test_awkward_sentences_are_flagged_not_scored_wrongly():
    table = sentiment.score_sentences(sentence_table(AWKWARD), scorers.SCORERS)
    assert table["scored"].tolist() == [False, False, False, False, True, True]
    assert table.loc[3, "flag"] == "not English (fr): left unscored"
    assert table.loc[0, "flag"] == table.loc[1, "flag"] == "no words to score"
    assert table.loc[4, "n_chars"] > 10_000 and "256 tokens" in table.loc[4, "flag"]
    assert tone.flag_note(table).startswith("5 of 6 sentences are flagged (3 no words to score; ")
    two = tone.flag_note(table, listed=2)  # a large corpus: the reasons counted, a few listed, the rest in the table
    assert two.count("\n- ") == 2 and "... and 3 more" in two
    for name in scorers.SCORERS:
        assert table.loc[:3, name].isna().all()
        assert table.loc[4, name] > 0 > table.loc[5, name]
        assert table[name].dropna().between(-1, 1).all()


@needs_model
def test_seed_scores_are_complete_and_traceable(seed_corpus):
    table = sentiment.score_sentences(seed_corpus.sentences, scorers.SCORERS)
    assert table["sent_id"].tolist() == seed_corpus.sentences["sent_id"].tolist()
    assert table["scored"].all()
    assert table[list(scorers.SCORERS)].notna().all().all()
    assert table.groupby("doc_id")["position"].agg(["min", "max"]).apply(lambda r: 0 < r["min"] < r["max"] < 1, axis=1).all()


def test_unknown_scorer_is_named():
    with pytest.raises(InputError, match="unknown scorer 'roberta'"):
        sentiment.score_sentences(sentence_table(["Fine."]), ["vader", "roberta"])


def fake_long():
    rng = np.random.default_rng(0)
    rows = [("a", f"a.p{i // 3:02d}", f"a.s{i}", (i + 0.5) / 30, "vader", v) for i, v in enumerate(rng.normal(0.4, 0.2, 30))]
    rows += [("b", f"b.p{i // 3:02d}", f"b.s{i}", (i + 0.5) / 30, "vader", v) for i, v in enumerate(rng.normal(-0.1, 0.2, 30))]
    frame = pd.DataFrame(rows, columns=["doc_id", "para_id", "sent_id", "position", "scorer", "score"])
    frame["scorer"] = pd.Categorical(frame["scorer"], ["vader"])
    return frame


def test_aggregates_and_comparison_are_seeded():
    long = fake_long()
    per_doc = tone.aggregate(long, "doc_id", 1000, seed=5)
    assert per_doc["doc_id"].tolist() == ["a", "b"]
    assert (per_doc["ci_low"] < per_doc["mean"]).all() and (per_doc["mean"] < per_doc["ci_high"]).all()
    assert per_doc.equals(tone.aggregate(long, "doc_id", 1000, seed=5))
    assert len(tone.aggregate(long, "para_id", 200, seed=5)) == 20
    test = tone.compare(long, ["a"], ["b"], 2000, seed=1).iloc[0]
    assert test["difference"] > 0.3 and test["p_value"] < 0.001
    assert "distinguishable from noise" in tone.difference_note(tone.compare(long, ["a"], ["b"], 200, 1), "vader")
    assert tone.compare(long, ["a"], [], 200, 1).empty


def test_arcs_keep_raw_points_and_smooth_them():
    arcs = tone.arcs(fake_long(), window=5)
    assert len(arcs) == 60
    assert arcs.groupby("doc_id")["position"].apply(lambda p: p.is_monotonic_increasing).all()
    assert arcs["smoothed"].std() < arcs["score"].std()


def test_validation_decides_which_scorer_leads():
    results = pd.DataFrame({"task": "sentiment", "gold": "g.tsv", "scorer": ["textblob", "vader", "fast"],
                            "pearson_r": [0.3, 0.5, 0.58], "n": 10, "spearman_rho": 0.1, "macro_f1": 0.1,
                            "protocol": "x"})
    assert tone.rank_scorers(["textblob", "vader", "fast", "accurate"], results) == ["fast", "vader", "textblob", "accurate"]
    assert tone.rank_scorers(["textblob", "vader"], pd.DataFrame()) == ["textblob", "vader"]
    assert "leads with **`fast`**" in tone.trust_note(results, ["vader", "fast"])


def test_comparison_groups_by_manifest_column():
    articles = pd.DataFrame({"doc_id": ["x1", "y1", "x2"], "outlet": ["X", "Y", "X"]})
    assert describe.comparison_groups(articles) == (["x1"], ["y1"])
    assert describe.comparison_groups(articles, "outlet") == (["x1", "x2"], ["y1"])
    with pytest.raises(InputError, match="no column 'paper'"):
        describe.comparison_groups(articles, "paper")


def test_lexicon_scores_are_computed_once_and_remembered_within_bounds(monkeypatch):
    """VADER and TextBlob feed several measures of the same sentences: each text is scored once, the memo stays
    bounded, and a remembered score is the computed one."""
    from collections import OrderedDict

    from opedlens.measure import lexicon

    calls = []
    real = lexicon._textblob_rows
    monkeypatch.setattr(lexicon, "_textblob_rows", lambda texts: calls.append(list(texts)) or real(texts))
    monkeypatch.setattr(lexicon, "MEMO_SIZE", 3)
    monkeypatch.setitem(lexicon._memo, "textblob", OrderedDict())
    first = lexicon.textblob(["Good news.", "Bad news.", "Good news."])
    again = lexicon.textblob(["Bad news.", "Good news."])
    assert calls == [["Good news.", "Bad news."]]
    assert first.iloc[1].tolist() == again.iloc[0].tolist() == list(real(["Bad news."])[0])
    lexicon.textblob(["one", "two", "three", "four"])
    assert len(lexicon._memo["textblob"]) == 3


def test_textblob_scores_are_textblobs_own_without_importing_nltk(seed_corpus):
    """The TextBlob scorer loads only TextBlob's pattern lexicon (not NLTK, seconds at every start), gives exactly
    what ``TextBlob(text).sentiment`` gives, and leaves ``import textblob`` working as usual afterwards."""
    import json
    import subprocess
    import sys

    texts = seed_corpus.sentences["text"].tolist() + ["Not bad at all.", "It is terribly good!", "", "No."]
    code = ("import json, sys\n"
            "from opedlens.measure import lexicon\n"
            "texts = json.loads(sys.stdin.read())\n"
            "rows = lexicon.textblob(texts).to_numpy().tolist()\n"
            "loaded = sorted(m for m in ('nltk', 'scipy', 'textblob') if m in sys.modules)\n"
            "from textblob import TextBlob\n"
            "print(json.dumps({'rows': rows, 'loaded': loaded,\n"
            "                  'textblob': [list(TextBlob(t).sentiment) for t in texts]}))\n")
    done = subprocess.run([sys.executable, "-c", code], input=json.dumps(texts), capture_output=True, text=True,
                          check=True)
    out = json.loads(done.stdout)
    assert out["loaded"] == []
    assert out["rows"] == out["textblob"]
    assert any(polarity != 0 for polarity, _ in out["rows"])


def test_the_trust_note_counts_sentences_as_whole_numbers():
    """Saved results of several tasks load into one table whose ``n`` is float ("10,062.0 sentences" on the page)."""
    results = pd.DataFrame({"task": ["sentiment", "sentiment", "outlook"], "gold": ["a/emobank/e.csv", "a/nyt/n.tsv",
                            "o.csv"], "scorer": ["vader", "vader", "rules"], "pearson_r": [0.48, 0.51, None],
                            "n": [10062.0, 2447.0, None], "spearman_rho": 0.4, "macro_f1": 0.5, "protocol": "x"})
    note = tone.trust_note(results, ["vader"])
    assert "10,062 sentences" in note and "2,447 sentences" in note and ".0 sentences" not in note
    assert tone.validation_panel(results, ["vader"])["n"].tolist() == [10062, 2447]
