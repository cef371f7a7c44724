"""Text units, content lemmas, the document-term matrix, and topic models that can be trusted.

Covers opedlens.compare.vocabulary and opedlens.compare.topics: units that trace back to sentences, clear errors for
degenerate input, seeded reproducibility, the k/model selection rule, NPMI, stability and topic shares.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from opedlens.compare import topics, vocabulary
from opedlens.errors import InputError

HILL = "ha-2019-hill"
JAPAN_TIMES = "akimoto-2019-japantimes"


@pytest.fixture(scope="module")
def units(seed_corpus):
    return vocabulary.units(seed_corpus)


@pytest.fixture(scope="module")
def dt(units):
    return vocabulary.document_terms(units)


@pytest.fixture(scope="module")
def curves(dt):
    return topics.k_curves(dt, ks=[2, 3], models=("nmf", "lda"), seeds=range(3))


def _sentence_range(sentences: pd.DataFrame, first: str, last: str) -> pd.DataFrame:
    ids = sentences["sent_id"].tolist()
    return sentences.iloc[ids.index(first): ids.index(last) + 1]


# --- units -------------------------------------------------------------------------------------------


def test_paragraph_units_trace_back_to_their_sentences(seed_corpus, units):
    sentences = seed_corpus.sentences
    assert units.columns.tolist() == ["unit_id", "doc_id", "para_id", "first_sent", "last_sent", "position", "text"]
    assert (units["unit_id"] == units["para_id"]).all()
    assert units["unit_id"].is_unique
    assert units["para_id"].tolist() == list(dict.fromkeys(sentences["para_id"]))
    covered = []
    for row in units.itertuples(index=False):
        part = _sentence_range(sentences, row.first_sent, row.last_sent)
        assert (part["para_id"] == row.para_id).all()
        assert (part["doc_id"] == row.doc_id).all()
        # every sentence of the paragraph, in order, nothing else
        assert part["sent_id"].tolist() == sentences.loc[sentences["para_id"] == row.para_id, "sent_id"].tolist()
        assert row.text == " ".join(" ".join(part["text"]).split())
        covered += part["sent_id"].tolist()
    assert covered == sentences["sent_id"].tolist()


def test_unit_positions_lie_inside_the_article_and_increase(units):
    assert set(units["doc_id"]) == {HILL, JAPAN_TIMES}
    assert ((units["position"] > 0) & (units["position"] < 1)).all()
    for _, group in units.groupby("doc_id"):
        assert group["position"].is_monotonic_increasing
        assert group["position"].is_unique
    hill = units[units["doc_id"] == HILL]
    n = len(hill)
    assert hill["position"].iloc[0] == pytest.approx(0.5 / n, abs=1e-4)
    assert hill["position"].iloc[-1] == pytest.approx(1 - 0.5 / n, abs=1e-4)


def test_window_units_stay_inside_a_paragraph(seed_corpus):
    sentences = seed_corpus.sentences
    windows = vocabulary.units(seed_corpus, unit="window", window=2)
    assert windows["unit_id"].is_unique
    for row in windows.itertuples(index=False):
        assert re.fullmatch(re.escape(row.para_id) + r"\.w\d{2}", row.unit_id), row.unit_id
        part = _sentence_range(sentences, row.first_sent, row.last_sent)
        assert 1 <= len(part) <= 2
        assert (part["para_id"] == row.para_id).all(), f"{row.unit_id} crosses a paragraph"
        assert row.text == " ".join(" ".join(part["text"]).split())
    # numbered w01, w02, ... within each paragraph; ceil(n / 2) windows per paragraph
    for para_id, group in windows.groupby("para_id", sort=False):
        n_sent = int((sentences["para_id"] == para_id).sum())
        assert group["unit_id"].tolist() == [f"{para_id}.w{i:02d}" for i in range(1, -(-n_sent // 2) + 1)]
    assert len(windows) > len(vocabulary.units(seed_corpus))
    for _, group in windows.groupby("doc_id"):
        assert group["position"].is_monotonic_increasing
        assert ((group["position"] > 0) & (group["position"] < 1)).all()


def test_bad_unit_settings_are_input_errors(seed_corpus):
    with pytest.raises(InputError, match="unit must be 'paragraph' or 'window', not 'sentence'"):
        vocabulary.units(seed_corpus, unit="sentence")
    with pytest.raises(InputError, match="window must be at least 1 sentence, not 0"):
        vocabulary.units(seed_corpus, unit="window", window=0)


# --- content lemmas ----------------------------------------------------------------------------------


def test_content_lemmas_drop_stop_words_and_lemmatize():
    stops = vocabulary.stop_words()
    words = vocabulary.content_lemmas("The allies were negotiating talks", stops)
    assert {"ally", "negotiate", "talk"} <= set(words)
    assert "the" not in words and "were" not in words and "be" not in words
    assert vocabulary.content_lemmas("The allies were negotiating talks", stops, lemmatize=False) == \
        ["allies", "negotiating", "talks"]


def test_abbreviations_are_kept_as_they_are():
    words = vocabulary.content_lemmas("Talks with the U.S. resumed.", vocabulary.stop_words())
    assert "u.s." in words
    assert "u" not in words and "s" not in words


def test_names_inside_a_sentence_keep_their_form_and_a_sentence_s_first_word_is_lemmatized():
    """A topic read "level / state / attempt" on the seeds: "United States" had become "unite", "state"."""
    stops = vocabulary.stop_words()
    assert vocabulary.content_lemmas("Allies asked the United States for help.", stops) == \
        ["ally", "ask", "united", "states", "help"]
    assert vocabulary.content_lemmas("He met “Allies” there. “Talks failed.” (Parties met.)", stops) == \
        ["meet", "allies", "talk", "fail", "party", "meet"]
    text = "The alliance, said Adm. Kawano, holds."
    assert [text[start:end] for _, start, end in vocabulary.forms(text)][3:5] == ["Adm", "Kawano"]
    assert "adm" not in vocabulary.content_lemmas(text, stops)  # a title, not a topic


def test_extra_stop_words_are_removed():
    text = "The allies were negotiating talks"
    words = vocabulary.content_lemmas(text, vocabulary.stop_words(extra=["Talk", "allies"]))
    assert words == ["negotiate"]
    frame = pd.DataFrame({"unit_id": ["u1", "u2"], "text": ["allies negotiate talks", "allies negotiate peace"]})
    dt = vocabulary.document_terms(frame, extra_stop_words=["ally"], min_df=1)
    assert "ally" not in set(dt.terms)
    assert {"negotiate", "talk", "peace"} <= set(dt.terms)


def test_document_terms_counts_follow_units():
    frame = pd.DataFrame({"unit_id": ["u1", "u2", "u3"],
                          "text": ["Sanctions, sanctions and more sanctions.", "Trade and sanctions.", "Trade talks."]})
    dt = vocabulary.document_terms(frame, min_df=2)
    assert dt.unit_ids == ["u1", "u2", "u3"]
    assert sorted(dt.terms) == ["sanction", "trade"]
    col = {t: i for i, t in enumerate(dt.terms)}
    counts = dt.counts.toarray()
    assert counts[:, col["sanction"]].tolist() == [3, 1, 0]
    assert counts[:, col["trade"]].tolist() == [0, 1, 1]


# --- degenerate input -----------------------------------------------------------------------------


def test_units_without_content_words_are_an_input_error():
    frame = pd.DataFrame({"unit_id": ["u1", "u2"], "text": ["The and of it.", "But they were there, too."]})
    with pytest.raises(InputError, match="no unit has any content word left after removing stop words"):
        vocabulary.document_terms(frame, min_df=1)


def test_min_df_larger_than_the_number_of_units():
    frame = pd.DataFrame({"unit_id": ["u1", "u2", "u3"], "text": ["sanctions bite", "sanctions hurt", "sanctions"]})
    with pytest.raises(InputError, match=r"min_df=5 is more than the 3 units: no term can pass it"):
        vocabulary.document_terms(frame, min_df=5)


def test_min_df_that_empties_the_vocabulary():
    frame = pd.DataFrame({"unit_id": ["u1", "u2", "u3"],
                          "text": ["apple banana", "cherry dragon", "elephant falcon"]})
    with pytest.raises(InputError, match=r"min_df=2 leaves no term: no term occurs in 2 or more units"):
        vocabulary.document_terms(frame, min_df=2)
    # with min_df=1 the same units are fine
    assert len(vocabulary.document_terms(frame, min_df=1).terms) == 6


def test_k_must_fit_the_units():
    frame = pd.DataFrame({"unit_id": ["u1", "u2", "u3"],
                          "text": ["sanctions trade", "sanctions talks", "trade talks"]})
    small = vocabulary.document_terms(frame, min_df=1)
    with pytest.raises(InputError, match=r"k=4 is larger than the number of units \(3\)"):
        topics.fit(small, "nmf", 4, seed=0)
    with pytest.raises(InputError, match=r"k=4 is larger than the number of units \(3\)"):
        topics.check_k(4, 3)
    with pytest.raises(InputError, match="k=1: a topic model needs at least 2 topics"):
        topics.fit(small, "lda", 1, seed=0)
    with pytest.raises(InputError, match="k=0: a topic model needs at least 2 topics"):
        topics.check_k(0, 10)
    topics.check_k(3, 3)  # k == number of units is allowed
    with pytest.raises(InputError, match="no k in the range fits 3 units"):
        topics.k_curves(small, ks=[1, 4, 5], models=("nmf",), seeds=range(2))
    with pytest.raises(InputError, match="stability needs at least 2 seeds"):
        topics.k_curves(small, ks=[2], models=("nmf",), seeds=[0])
    with pytest.raises(InputError, match="unknown topic model 'lsa'"):
        topics.fit(small, "lsa", 2, seed=0)


# --- fitting and reproducibility -------------------------------------------------------------------


@pytest.mark.parametrize("model", ["nmf", "lda"])
def test_same_seed_gives_identical_tables(dt, units, model):
    first = topics.fit(dt, model, 3, seed=4)
    second = topics.fit(dt, model, 3, seed=4)
    table = topics.topic_table(first, dt, units)
    assert table.equals(topics.topic_table(second, dt, units))
    flow = topics.flow(first, units)
    assert flow.equals(topics.flow(second, units))
    assert topics.term_weights(first, dt).equals(topics.term_weights(second, dt))
    # the tables are what they claim to be
    assert first.doc_topic.shape == (len(units), 3)
    assert np.allclose(first.doc_topic.sum(1), 1.0)
    assert table["topic"].tolist() == ["T1", "T2", "T3"]
    assert table["corpus_share"].sum() == pytest.approx(1.0, abs=1e-3)
    text_of = dict(zip(units["unit_id"], units["text"]))
    assert [text_of[u] for u in table["typical_unit"]] == table["typical_text"].tolist()
    assert len(flow) == len(units) * 3
    assert flow.groupby("unit_id")["share"].sum().between(1 - 1e-3, 1 + 1e-3).all()
    assert set(flow["doc_id"]) == {HILL, JAPAN_TIMES}


def test_k_curves_table_and_stability_range(curves):
    assert {"model", "k", "npmi", "stability", "stable_enough", "chosen"} <= set(curves.columns)
    assert len(curves) == 4
    assert sorted(zip(curves["model"], curves["k"])) == [("lda", 2), ("lda", 3), ("nmf", 2), ("nmf", 3)]
    assert curves["stability"].between(0, 1).all()
    assert curves["npmi"].between(-1, 1).all()
    assert (curves["seeds"] == 3).all()
    assert (curves["stable_enough"] == (curves["stability"] >= topics.MIN_STABILITY)).all()
    assert curves["chosen"].sum() == 1


def _expected_choice(curves: pd.DataFrame):
    stable = curves[curves["stable_enough"]]
    if not stable.empty:
        best = stable[stable["npmi"] == stable["npmi"].max()]
    else:
        best = curves[curves["stability"] == curves["stability"].max()]
    return set(zip(best["model"], best["k"]))


def test_chosen_row_follows_the_stated_rule(curves):
    row = curves[curves["chosen"]].iloc[0]
    assert (row["model"], row["k"]) in _expected_choice(curves)
    if curves["stable_enough"].any():
        assert row["stable_enough"]
        assert row["npmi"] == curves.loc[curves["stable_enough"], "npmi"].max()
    model, k = topics.chosen(curves)
    assert (model, k) == (row["model"], int(row["k"]))
    note = topics.selection_note(curves)
    assert f"{model.upper()} with k = {k}" in note


def test_no_stable_model_falls_back_to_the_most_stable(dt):
    curves = topics.k_curves(dt, ks=[2, 3], models=("nmf",), seeds=range(3), min_stability=1.01)
    assert not curves["stable_enough"].any()
    assert curves["chosen"].sum() == 1
    row = curves[curves["chosen"]].iloc[0]
    assert row["stability"] == curves["stability"].max()
    assert curves.attrs["min_stability"] == 1.01


# --- NPMI and stability ----------------------------------------------------------------------------


@pytest.fixture
def toy_terms():
    # units:        0  1  2  3
    # together      x  x  .  .      y always with x
    # apart         .  .  z  z      z never with x or y
    # half-and-half w  .  w  .      w independent of x
    matrix = np.array([
        # x  y  z  w
        [1, 2, 0, 1],
        [1, 1, 0, 0],
        [0, 0, 3, 1],
        [0, 0, 1, 0],
    ])
    return vocabulary.DocumentTerms(counts=sparse.csr_matrix(matrix), terms=np.array(["x", "y", "z", "w"]),
                                    unit_ids=["u0", "u1", "u2", "u3"], lemmas=[[], [], [], []])


def test_npmi_of_terms_that_always_or_never_co_occur(toy_terms):
    scores = topics.npmi([["x", "y"], ["x", "z"], ["x", "w"], ["x", "y", "z"]], toy_terms)
    assert scores[0] == pytest.approx(1.0, abs=1e-9)
    assert scores[1] == pytest.approx(-1.0, abs=1e-9)
    assert scores[2] == pytest.approx(0.0, abs=1e-9)  # independent: P(x, w) = P(x) P(w)
    assert scores[3] == pytest.approx((1.0 - 1.0 - 1.0) / 3, abs=1e-9)  # mean over the three pairs


def test_npmi_ignores_terms_outside_the_vocabulary(toy_terms):
    scores = topics.npmi([["x", "y", "unknown"], ["unknown"]], toy_terms)
    assert scores[0] == pytest.approx(1.0)
    assert np.isnan(scores[1])


def test_matched_overlap():
    a = [["sanction", "trade", "tariff"], ["missile", "nuclear", "test"], ["abe", "moon", "summit"]]
    assert topics.matched_overlap(a, a[::-1]) == pytest.approx(1.0)
    assert topics.matched_overlap(a, [["x", "y", "z"], ["p", "q", "r"], ["s", "t", "u"]]) == 0.0
    # one-to-one: both runs' topics are matched to different partners, Jaccard 2/4 and 1/1
    assert topics.matched_overlap([["a", "b", "c"], ["d"]], [["d"], ["a", "b", "e"]]) == pytest.approx((0.5 + 1) / 2)


# --- topic shares ----------------------------------------------------------------------------------


def test_topic_shares_per_article(dt, units):
    fitted = topics.fit(dt, "lda", 2, seed=0)
    flow = topics.flow(fitted, units)
    table = topics.shares(flow, draws=300, seed=1)
    assert set(zip(table["doc_id"], table["topic"])) == {(d, t) for d in (HILL, JAPAN_TIMES) for t in ("T1", "T2")}
    assert (table["ci_low"] <= table["mean"]).all() and (table["mean"] <= table["ci_high"]).all()
    assert table[["mean", "ci_low", "ci_high"]].stack().between(0, 1).all()
    for doc_id, group in table.groupby("doc_id"):
        assert group["mean"].sum() == pytest.approx(1.0, abs=1e-3)
        assert (group["n"] == int((units["doc_id"] == doc_id).sum())).all()
    direct = flow.groupby(["doc_id", "topic"])["share"].mean()
    for row in table.itertuples(index=False):
        assert row.mean == pytest.approx(direct[(row.doc_id, row.topic)])
    assert topics.shares(flow, draws=300, seed=1).equals(table)
    # grouped: both articles in one group still sum to one
    grouped = topics.shares(flow, draws=300, seed=1, group=pd.Series({HILL: "all", JAPAN_TIMES: "all"}))
    assert grouped["doc_id"].unique().tolist() == ["all"]
    assert grouped["mean"].sum() == pytest.approx(1.0, abs=1e-3)


def test_the_k_grid_in_processes_gives_the_same_curves(dt, curves):
    """Notebook 03 fits its grid in one process per core by default (``jobs=-1``): the same table as in one."""
    pd.testing.assert_frame_equal(topics.k_curves(dt, ks=[2, 3], models=("nmf", "lda"), seeds=range(3), jobs=2),
                                  curves)


def test_the_k_grid_can_be_fitted_on_a_sample_of_units(dt, curves):
    n = dt.counts.shape[0]
    sampled = topics.k_curves(dt, ks=[2, 3], models=("nmf", "lda"), seeds=range(3), sample_units=n - 10)
    again = topics.k_curves(dt, ks=[2, 3], models=("nmf", "lda"), seeds=range(3), sample_units=n - 10)
    pd.testing.assert_frame_equal(sampled, again)
    assert sampled.attrs["units"] == (n - 10, n) and curves.attrs["units"] == (n, n)
    assert f"random sample of {n - 10} of the {n} units" in topics.selection_note(sampled)
    assert "sample" not in topics.selection_note(curves)
    part = topics.sample(dt, 5, seed=1)
    assert part.counts.shape[0] == 5 and part.unit_ids == sorted(part.unit_ids, key=dt.unit_ids.index)
    rows = [dt.unit_ids.index(u) for u in part.unit_ids]
    assert (dt.counts[rows].sum() == part.counts.sum()) and np.asarray(part.counts.sum(0)).min() > 0
