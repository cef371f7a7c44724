"""Per-article statistics, readability and the side-by-side look."""

from __future__ import annotations

import math

import pytest

from opedlens.corpus import clean, describe


@pytest.mark.parametrize(
    "word, expected",
    [("cat", 1), ("Pyongyang", 2), ("militarily", 5), ("semiconductors", 5), ("U.S.", 2), ("relationship", 4)],
)
def test_syllables_come_from_the_cmu_dictionary(word, expected):
    assert describe.word_syllables(word) == expected


def test_unknown_words_fall_back_to_hyphenation():
    assert describe.word_syllables("Xqzbrlington") >= 2  # not in the dictionary: hyphenation points + 1


def test_flesch_formulas_on_known_counts():
    # "The cat sat on the mat.": 6 words, 1 sentence, 6 syllables
    scores = describe.readability(words=6, sentences=1, syllable_count=6)
    assert scores == {"flesch_reading_ease": 116.1, "flesch_kincaid_grade": -1.4}
    assert describe.syllables("The cat sat on the mat.") == 6
    assert all(math.isnan(v) for v in describe.readability(0, 0, 0).values())


def test_article_stats_agree_with_the_tables(seed_corpus):
    stats = describe.article_stats(seed_corpus).set_index("doc_id")
    for doc_id, sentences in seed_corpus.sentences.groupby("doc_id"):
        assert stats.loc[doc_id, "sentences"] == len(sentences)
        assert stats.loc[doc_id, "words"] == sentences["n_words"].sum()
        assert stats.loc[doc_id, "longest_sentence_words"] == sentences["n_words"].max()
    assert stats.loc["akimoto-2019-japantimes", "paragraphs"] == 37  # headings are not paragraphs of text
    assert 0 < stats.loc["ha-2019-hill", "flesch_reading_ease"] < 60  # policy prose: hard, not absurd


def test_side_by_side_quotes_opening_and_closing_paragraphs_with_ids(seed_corpus):
    frame = describe.side_by_side(seed_corpus, seed_corpus.doc_ids)
    assert list(frame.columns) == ["ha-2019-hill", "akimoto-2019-japantimes"]
    assert frame.loc["opening paragraph", "ha-2019-hill"].startswith("Donald Trump and Kim Jong Un surprised")
    assert frame.loc["opening paragraph", "ha-2019-hill"].endswith("[ha-2019-hill.p01]")
    assert frame.loc["closing paragraph", "akimoto-2019-japantimes"].endswith("Northeast Asia. [akimoto-2019-japantimes.p40]")
    assert frame.loc["date", "ha-2019-hill"] == "2019-07 (inferred)"
    assert frame.loc["subheads", "akimoto-2019-japantimes"] == "Times have changed · Generational gap · What Washington could do"


def test_cleaning_summary_counts_each_rule_per_article_in_corpus_order(seed_corpus):
    summary = describe.cleaning_summary(seed_corpus.removed, clean.RULES, seed_corpus.doc_ids)
    assert list(summary.columns) == ["what it removes", "ha-2019-hill", "akimoto-2019-japantimes"]
    assert summary.columns.name is None and summary.index.name == "rule"  # no "doc_id" over the rule column
    assert summary.loc["tag-list", "akimoto-2019-japantimes"] == 3
    assert summary.loc["print-button", "ha-2019-hill"] == 0
    assert summary.loc["social-follow", "what it removes"] == clean.RULES["social-follow"]


@pytest.mark.parametrize(
    "doc_ids, expected",
    [(["a"], "nothing to compare"), (["a", "b"], "Comparing `a` and `b`."), (["a", "b", "c"], "first two of 3")],
)
def test_comparison_note(doc_ids, expected):
    assert describe.compared_pair(doc_ids) == doc_ids[:2]
    assert expected in describe.comparison_note(doc_ids)


def test_article_heading_shows_markup_in_titles_as_plain_text():
    import pandas as pd

    articles = pd.DataFrame({"doc_id": ["x"], "author": ["<b>Eve</b>"], "title": ["*Bold* <script>alert(1)</script>"],
                             "outlet": ["[Link](javascript:alert(1))"], "date": ["2019"]})
    heading = describe.article_heading(articles, "x")
    assert "<script>" not in heading and "<b>" not in heading and "](" not in heading
    assert heading.startswith("### ")
