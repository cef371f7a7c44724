"""Keyness: Monroe et al.'s log-odds with an informative Dirichlet prior, chi-squared, PMI, and KWIC lines.

The formulas are checked against independent re-computations written here with plain Python loops,
and the seed corpus against what a reader can verify: Ha (The Hill) writes about North Korea and
trilateral cooperation, and every count can be found again as keyword-in-context lines.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency

from opedlens.compare import keyness, vocabulary
from opedlens.errors import InputError

HILL = "ha-2019-hill"
JAPAN_TIMES = "akimoto-2019-japantimes"

A = [10, 0, 5, 1]
B = [2, 8, 5, 1]
PRIOR = 4.0


def _monroe(a, b, prior_strength, full_variance=True):
    """Monroe, Colaresi & Quinn (2008), eqs. 16 and 18-20, term by term.

    alpha_w = prior_strength * (a_w + b_w) / sum(a + b);
    delta_w = log((a_w + alpha_w) / (n_a + alpha_0 - a_w - alpha_w)) - log((b_w + alpha_w) / (n_b + alpha_0 - b_w - alpha_w));
    var(delta_w) ~ 1 / (a_w + alpha_w) + 1 / (b_w + alpha_w) (eq. 20), or with ``full_variance`` also the
    terms of the complements, 1 / (n_a + alpha_0 - a_w - alpha_w) + 1 / (n_b + alpha_0 - b_w - alpha_w), the form
    opedlens (like scattertext) uses;  z_w = delta_w / sqrt(var).
    """
    total = 0
    for x, y in zip(a, b):
        total += x + y
    n_a = 0
    for x in a:
        n_a += x
    n_b = 0
    for y in b:
        n_b += y
    alphas = [prior_strength * (x + y) / total for x, y in zip(a, b)]
    alpha_0 = 0.0
    for al in alphas:
        alpha_0 += al
    deltas, zs = [], []
    for x, y, al in zip(a, b, alphas):
        omega_a = (x + al) / (n_a + alpha_0 - x - al)
        omega_b = (y + al) / (n_b + alpha_0 - y - al)
        delta = math.log(omega_a) - math.log(omega_b)
        variance = 1.0 / (x + al) + 1.0 / (y + al)
        if full_variance:
            variance += 1.0 / (n_a + alpha_0 - x - al) + 1.0 / (n_b + alpha_0 - y - al)
        deltas.append(delta)
        zs.append(delta / math.sqrt(variance))
    return deltas, zs


@pytest.fixture(scope="module")
def seed_units(seed_corpus):
    return vocabulary.units(seed_corpus)


@pytest.fixture(scope="module")
def seed_table(seed_units):
    dt = vocabulary.document_terms(seed_units, min_df=1)
    return keyness.keyness(dt, seed_units, [HILL], [JAPAN_TIMES])


# --- formulas ----------------------------------------------------------------------------------------


def test_log_odds_delta_matches_monroe_et_al():
    delta, _ = keyness.log_odds_dirichlet(np.array(A, float), np.array(B, float), PRIOR)
    expected, _ = _monroe(A, B, PRIOR)
    assert delta.tolist() == pytest.approx(expected, abs=1e-9)
    # the first term leans to A, the second to B, the last two are used alike
    assert delta[0] > 0 > delta[1]
    assert delta[2] == pytest.approx(0.0, abs=1e-12) and delta[3] == pytest.approx(0.0, abs=1e-12)


def test_log_odds_z_matches_monroe_et_al():
    _, z = keyness.log_odds_dirichlet(np.array(A, float), np.array(B, float), PRIOR)
    _, expected = _monroe(A, B, PRIOR)
    assert z.tolist() == pytest.approx(expected, abs=1e-9)
    # the paper's two-term approximation is close on real counts, and never smaller in magnitude
    _, approximate = _monroe(A, B, PRIOR, full_variance=False)
    assert all(abs(x) >= abs(y) for x, y in zip(approximate, z))


def test_log_odds_z_has_the_sign_of_delta():
    delta, z = keyness.log_odds_dirichlet(np.array(A, float), np.array(B, float), PRIOR)
    assert np.array_equal(np.sign(z), np.sign(np.round(delta, 12)))
    assert np.isfinite(z).all()


def test_swapping_sides_negates_delta_and_z():
    a, b = np.array(A, float), np.array(B, float)
    delta_ab, z_ab = keyness.log_odds_dirichlet(a, b, PRIOR)
    delta_ba, z_ba = keyness.log_odds_dirichlet(b, a, PRIOR)
    assert np.allclose(delta_ba, -delta_ab, atol=1e-12)
    assert np.allclose(z_ba, -z_ab, atol=1e-12)
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 30, 40).astype(float) + 1, rng.integers(0, 30, 40).astype(float)
    assert np.allclose(keyness.log_odds_dirichlet(b, a)[1], -keyness.log_odds_dirichlet(a, b)[1], atol=1e-12)


def test_stronger_prior_shrinks_delta():
    a, b = np.array(A, float), np.array(B, float)
    weak, _ = keyness.log_odds_dirichlet(a, b, 1.0)
    strong, _ = keyness.log_odds_dirichlet(a, b, 100.0)
    assert abs(strong[0]) < abs(weak[0]) and abs(strong[1]) < abs(weak[1])


def test_chi_squared_matches_scipy():
    a, b = np.array(A, float), np.array(B, float)
    values = keyness.chi_squared(a, b)
    n_a, n_b = a.sum(), b.sum()
    for i in range(len(a)):
        table = [[a[i], b[i]], [n_a - a[i], n_b - b[i]]]
        expected = chi2_contingency(table, correction=False)[0]
        assert values[i] == pytest.approx(expected, rel=1e-9, abs=1e-12), i
    assert values[0] > 0 and values[2] == pytest.approx(0.0, abs=1e-12)


def test_pmi_leans_to_side_a():
    a, b = np.array([4.0, 0.0, 3.0, 3.0]), np.array([0.0, 5.0, 3.0, 2.0])
    values = keyness.pmi(a, b)
    assert values[0] > 0
    assert values[0] == pytest.approx(math.log2((4 / 10) / (4 / 20)))
    assert values[1] == -np.inf
    assert values[2] == pytest.approx(math.log2((3 / 10) / (6 / 20)))  # used alike: 0


# --- the seed corpus --------------------------------------------------------------------------------


def test_seed_corpus_keyness_finds_what_ha_writes_about(seed_table):
    top = seed_table.head(10)["term"].tolist()
    assert "north" in top or "trilateral" in top
    assert seed_table["z"].is_monotonic_decreasing
    assert seed_table["term"].is_unique
    assert (seed_table.head(10)["leans_to"] == HILL).all()
    assert (seed_table.loc[seed_table["z"] < 0, "leans_to"] == JAPAN_TIMES).all()
    assert seed_table["per_1000_a"].sum() == pytest.approx(1000, abs=0.5)
    assert seed_table["per_1000_b"].sum() == pytest.approx(1000, abs=0.5)


@pytest.mark.parametrize("term", ["north", "trilateral"])
def test_seed_corpus_counts_can_be_found_again(seed_corpus, seed_table, term):
    row = seed_table[seed_table["term"] == term].iloc[0]
    sentences = seed_corpus.sentences
    hill = keyness.kwic(sentences[sentences["doc_id"] == HILL], term)
    japan = keyness.kwic(sentences[sentences["doc_id"] == JAPAN_TIMES], term)
    assert row["count_a"] == len(hill) > 0
    assert row["count_b"] == len(japan)
    assert row["z"] > 0 and row["pmi_a"] > 0


def test_seed_corpus_counts_sum_to_the_content_words(seed_corpus, seed_units, seed_table):
    stops = vocabulary.stop_words()
    hill_words = sum(len(vocabulary.content_lemmas(t, stops)) for t in seed_units.loc[seed_units["doc_id"] == HILL, "text"])
    japan_words = sum(len(vocabulary.content_lemmas(t, stops))
                      for t in seed_units.loc[seed_units["doc_id"] == JAPAN_TIMES, "text"])
    assert seed_table["count_a"].sum() == hill_words
    assert seed_table["count_b"].sum() == japan_words


def test_kwic_lines_point_into_their_sentences(seed_corpus):
    sentences = seed_corpus.sentences
    text_of = dict(zip(sentences["sent_id"], sentences["text"]))
    doc_of = dict(zip(sentences["sent_id"], sentences["doc_id"]))
    lines = keyness.kwic(sentences, "trilateral", width=40)
    assert len(lines) >= 8
    assert lines.columns.tolist() == ["doc_id", "sent_id", "term", "left", "keyword", "right"]
    for row in lines.itertuples(index=False):
        assert row.sent_id in text_of
        assert row.doc_id == doc_of[row.sent_id]
        text = text_of[row.sent_id]
        assert row.keyword.lower() == "trilateral"
        assert len(row.left) == 40  # right-justified to the width
        assert len(row.right) <= 40
        assert row.keyword + row.right[:10] in text
        assert row.left.lstrip() + row.keyword + row.right in text
    assert (lines["doc_id"] == HILL).sum() == 8
    assert keyness.kwic(sentences, "trilateral", limit=3).equals(keyness.kwic(sentences, "trilateral").head(3))


def test_kwic_matches_lemmas_and_ngrams():
    sentences = pd.DataFrame({"doc_id": ["d", "d"], "sent_id": ["d.p01.s01", "d.p01.s02"],
                              "text": ["The allies met. Talks followed.", "North Korea and the north."]})
    allies = keyness.kwic(sentences, "ally")
    assert allies["keyword"].tolist() == ["allies"]
    ngram = keyness.kwic(sentences, "north korea")
    assert ngram["keyword"].tolist() == ["North Korea"]
    assert ngram["sent_id"].tolist() == ["d.p01.s02"]
    assert len(keyness.kwic(sentences, "north")) == 2
    assert keyness.kwic(sentences, "talk")["keyword"].tolist() == ["Talks"]  # a sentence's first word is lemmatized
    states = pd.DataFrame({"doc_id": ["d"], "sent_id": ["d.p01.s01"], "text": ["The United States helps states."]})
    assert keyness.kwic(states, "united states")["keyword"].tolist() == ["United States"]  # a name as written
    assert keyness.kwic(states, "state")["keyword"].tolist() == ["states"]


def test_keyness_needs_two_sides(seed_units):
    dt = vocabulary.document_terms(seed_units, min_df=1)
    with pytest.raises(InputError, match="keyness needs two sides with at least one article each"):
        keyness.keyness(dt, seed_units, [HILL], [])
    with pytest.raises(InputError, match="keyness needs two sides with at least one article each"):
        keyness.keyness(dt, seed_units, [], [JAPAN_TIMES])


def test_distinctive_takes_both_ends(seed_table):
    both = keyness.distinctive(seed_table, 3)
    assert both["term"].tolist()[:3] == seed_table["term"].head(3).tolist()
    assert both["term"].tolist()[3:] == seed_table["term"].tail(3).iloc[::-1].tolist()


def test_kwic_for_limits_lines_per_term(seed_corpus):
    lines = keyness.kwic_for(seed_corpus.sentences, ["trilateral", "north"], per_term=2)
    assert lines["term"].tolist() == ["trilateral", "trilateral", "north", "north"]


def test_kwic_for_with_no_match_is_empty(seed_corpus):
    lines = keyness.kwic_for(seed_corpus.sentences, ["zzyzx"])
    assert lines.empty
    assert lines.columns.tolist() == ["doc_id", "sent_id", "term", "left", "keyword", "right"]
