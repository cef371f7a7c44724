"""Group comparisons: what is compared, and statistics with the article as the unit, checked against simulated truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opedlens.compare import groups
from opedlens.errors import InputError


def articles(values, column="outlet"):
    return pd.DataFrame({"doc_id": [f"d{k}" for k in range(len(values))], column: values})


def test_plan_keeps_every_group_in_corpus_order():
    plan = groups.plan(articles(["fox", "guardian", "aljazeera", "fox", "guardian"]), "outlet")
    assert plan.groups == {"fox": ["d0", "d3"], "guardian": ["d1", "d4"], "aljazeera": ["d2"]}
    assert plan.pairs == [("fox", "guardian"), ("fox", "aljazeera"), ("guardian", "aljazeera")]
    assert plan.kind == "groups" and not plan.single_articles


def test_without_group_by_articles_are_compared_one_by_one():
    plan = groups.plan(articles(["a", "b", "c"]))
    assert plan.groups == {"d0": ["d0"], "d1": ["d1"], "d2": ["d2"]} and plan.single_articles
    assert "3 articles with each other, article by article" in groups.plan_note(plan)
    assert groups.plan(articles(["a"])).kind == "one"


def test_a_group_by_column_must_exist_and_have_two_values():
    with pytest.raises(InputError, match="group_by: no column 'outlets'"):
        groups.plan(articles(["a", "b"]), "outlets")
    with pytest.raises(InputError, match="group_by: column 'outlet' has one value \\('fox'\\) for every article"):
        groups.plan(articles(["fox", "fox"]), "outlet")


@pytest.mark.parametrize("p, text", [(0.0002, "p < 0.001"), (0.001, "p = 0.001"), (0.0421, "p = 0.042"),
                                     (np.nan, "p = n/a")])
def test_p_values_below_a_thousandth_are_not_printed_as_zero(p, text):
    assert groups.format_p(p) == text


def test_holm_adjustment():
    assert groups.holm([0.01, 0.04, 0.03]).round(4).tolist() == [0.03, 0.06, 0.06]


# --- simulated truth -----------------------------------------------------------------------------------------------

def simulate(rng, shift=0.0, n_groups=2, articles_per_group=8, sentences=30, article_sd=0.3, sentence_sd=0.3):
    """Sentences of articles of groups: each article has its own level (articles of one group differ: the article
    is the unit); group 0 is shifted by ``shift``."""
    rows = []
    for g in range(n_groups):
        for k in range(articles_per_group):
            level = (shift if g == 0 else 0.0) + rng.normal(0, article_sd)
            for value in level + rng.normal(0, sentence_sd, sentences):
                rows.append({"group": f"g{g}", "doc_id": f"g{g}a{k}", "score": value})
    return pd.DataFrame(rows)


def plan_of(frame):
    docs = frame.drop_duplicates("doc_id")
    return groups.plan(docs.rename(columns={"group": "outlet"}), "outlet")


def rejection_rate(shift, n_groups=2, sims=120, seed=7):
    rng = np.random.default_rng(seed)
    rejected, sentence_level = 0, 0
    for s in range(sims):
        frame = simulate(rng, shift, n_groups)
        omnibus, pairs = groups.compare(frame, "score", plan_of(frame), permutations=199, draws=0, seed=s)
        p = omnibus["p_value"] if n_groups > 2 else pairs["p_value"].iloc[0]
        rejected += p < 0.05
        a, b = frame[frame["group"] == "g0"]["score"], frame[frame["group"] == "g1"]["score"]
        sentence_level += groups.permutation_test(a, b, 199, s)["p_value"] < 0.05
    return rejected / sims, sentence_level / sims


def test_with_no_difference_the_article_level_test_rejects_about_five_percent():
    rate, naive = rejection_rate(shift=0.0)
    assert 0.01 <= rate <= 0.11, rate
    assert naive > 3 * rate, "shuffling sentences would call chance a difference far too often"


def test_with_a_real_difference_the_test_finds_it():
    rate, _ = rejection_rate(shift=0.6, sims=60)
    assert rate >= 0.8


def test_the_omnibus_test_holds_its_level_and_finds_one_shifted_group():
    null, _ = rejection_rate(shift=0.0, n_groups=3, sims=100)
    shifted, _ = rejection_rate(shift=0.6, n_groups=3, sims=60)
    assert 0.01 <= null <= 0.11 and shifted >= 0.8


def test_the_cluster_bootstrap_interval_covers_the_truth_about_95_percent_of_the_time():
    rng = np.random.default_rng(3)
    covered = 0
    for s in range(150):
        frame = simulate(rng, 0.0, n_groups=1, articles_per_group=12)
        _, low, high = groups.cluster_bootstrap(frame, "score", draws=400, seed=s)
        covered += low <= 0.0 <= high
    assert 0.86 <= covered / 150 <= 0.99


def test_pairs_report_effect_size_interval_and_the_unit():
    rng = np.random.default_rng(11)
    frame = simulate(rng, 0.6, n_groups=3)
    omnibus, pairs = groups.compare(frame, "score", plan_of(frame), permutations=499, draws=500, seed=1)
    assert set(pairs["unit"]) == {"article"} and len(pairs) == 3
    first = pairs.iloc[0]
    assert first["n_a"] == first["n_b"] == 8  # articles, not sentences
    assert first["ci_low"] < first["difference"] < first["ci_high"] and first["hedges_g"] > 0
    assert (pairs["p_holm"] >= pairs["p_value"]).all() and omnibus["groups"] == 3


def test_two_single_articles_are_tested_sentence_by_sentence_and_say_so():
    frame = pd.DataFrame({"doc_id": ["a"] * 20 + ["b"] * 20, "score": list(np.linspace(0, 1, 20)) * 2})
    plan = groups.plan(pd.DataFrame({"doc_id": ["a", "b"]}))
    _, pairs = groups.compare(frame, "score", plan, permutations=99, draws=100, seed=0)
    assert pairs["unit"].tolist() == ["sentence"] and pairs["n_a"].iloc[0] == 20


def test_the_largest_difference_and_the_omnibus_test_read_the_same_in_every_finding():
    from opedlens.compare.groups import beyond_chance, largest_difference

    table = pd.DataFrame({"group_a": ["A", "A"], "group_b": ["B", "C"], "difference": [0.01, -0.034],
                          "ci_low": [-0.02, -0.061], "ci_high": [0.04, -0.004], "p_holm": [0.5, 0.0331]})
    assert largest_difference(table) == ("the largest difference is A − C = -0.03 (95% CI -0.06 to -0.00, "
                                         "Holm-adjusted p = 0.033)")
    assert largest_difference(table, 3, lambda g: f"`{g}`").startswith("the largest difference is `A` − `C` = -0.034")
    assert beyond_chance(0.075, 0.041, "article") == ("does not differ beyond chance (p = 0.075, eta squared 0.04, "
                                                      "shuffling whole articles between groups)")
