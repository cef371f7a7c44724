"""Non-English sentences are recognised (and so left unscored); English ones, even fragments, are not."""

from __future__ import annotations

import pytest

from opedlens.corpus.language import language_of


@pytest.mark.parametrize("text, code", [
    ("Le gouvernement a décidé de ne pas participer aux négociations.", "fr"),
    ("Die Regierung hat das Abkommen gestern gekündigt.", "de"),
    ("日本と韓国の関係は悪化している。", "ja"),
    ("한일 관계가 악화되고 있다.", "ko"),
])
def test_other_languages(text, code):
    assert language_of(text) == code


@pytest.mark.parametrize("text", ["Kim Jong Un.", "Seoul.", "GSOMIA!", "This time it's for real.",
                                  "Fortunately, there is hope.", "Abe and Moon met in Osaka."])
def test_english_and_fragments(text):
    assert language_of(text) == "en"


def test_no_seed_sentence_is_flagged(seed_corpus):
    assert {language_of(t) for t in seed_corpus.sentences["text"]} == {"en"}
