"""The attribute ruler's faster matcher: exactly spaCy's matches, and spaCy's own matcher where it cannot promise
that."""

from __future__ import annotations

import pytest

from opedlens.measure import attribute_matcher, nlp

needs_spacy = pytest.mark.skipif(not nlp.available(), reason="spaCy model not installed (make install)")

#: Sentences that reach every kind of pattern the model's ruler holds: tags alone, tags with words ("a", "that",
#: "anyone"), dependencies ("but" as an adverb, "there is"), two-token patterns ("ain't", "gonna", "gotta", "let's",
#: "c'mon", "y'all"), white space inside a text, and a regular expression's near misses ("y all", "aint").
SENTENCES = [
    "Y'all gonna love it, ain't it?", "Let's go, c'mon!", "There is gotta be a   way.\n\nAnd there were others.",
    "Ya all know it ain't so; y all aint here.", "Anyone who said that should, but only if she must, resign.",
    "I told him that nothing could stop us, and they'd agree it was ours.", "Whether or not Japan acts, Seoul will.",
    "The U.S.-led coalition has divided; something must be done about it.", "  ", "Was it? No.",
]


@needs_spacy
def test_it_finds_exactly_the_matches_spacys_matcher_finds():
    pipeline = nlp.load()
    ruler = pipeline.get_pipe("attribute_ruler")
    assert isinstance(ruler.match, attribute_matcher.AttributeMatch), "nlp.load() did not install it"
    docs = [pipeline.make_doc(text) for text in SENTENCES]
    for _, component in pipeline.pipeline[:3]:  # tok2vec, tagger, parser: what the ruler reads
        docs = [component(doc) for doc in docs]
    spacys = type(ruler).match  # the class's method: spaCy's Matcher
    for text, doc in zip(SENTENCES, docs):
        assert ruler.match(doc) == spacys(ruler, doc), text
    assert any(end - start == 2 for doc in docs for _, _, start, end in ruler.match(doc))  # two-token ones too


@needs_spacy
def test_parses_keep_their_parts_of_speech_morphology_and_lemmas():
    docs = nlp.parse(SENTENCES, entities=False)
    fast = [[(t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_) for t in doc] for doc in docs]
    pipeline = nlp.load()
    ruler = pipeline.get_pipe("attribute_ruler")
    faster = ruler.match
    try:
        del ruler.match  # back to spaCy's matcher
        plain = [[(t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_) for t in doc]
                 for doc in pipeline.pipe(SENTENCES, disable=["ner"])]
    finally:
        ruler.match = faster
    assert fast == plain
    assert {t.lemma_ for doc in docs for t in doc if t.lower_ == "ai"} == {"be"}  # a two-token pattern ("ai" + "n't")


@needs_spacy
def test_a_ruler_with_a_pattern_it_cannot_read_keeps_spacys_matcher():
    import spacy

    pipeline = spacy.blank("en")
    ruler = pipeline.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "very", "OP": "+"}]], {"POS": "ADV"})
    assert not attribute_matcher.install(ruler)
    assert "match" not in vars(ruler)
    ruler = pipeline.add_pipe("attribute_ruler", name="second")
    ruler.add([[{"LOWER": {"IN": ["very", "so"]}}, {"TAG": {"NOT_IN": ["JJ"]}}]], {"POS": "ADV"})
    assert attribute_matcher.install(ruler)
