"""Stance markers: hedges, boosters and modality in the author's own words."""

from __future__ import annotations

import pandas as pd
import pytest

from opedlens.measure import stance

LEXICONS = stance.LEXICON_DIR


@pytest.mark.parametrize("text, hedges, boosters", [
    ("Perhaps Japan is right.", ["perhaps"], []),
    ("It seems Japan is probably right.", ["it seems", "probably"], []),
    ("Clearly, this is a very serious problem.", [], ["clearly", "very"]),
    ("Of course Japan is right.", [], ["of course"]),
    ("Undoubtedly the talks will fail.", [], ["undoubtedly"]),
    ("Japan acted last week.", [], []),
])
def test_hedges_and_boosters(text, hedges, boosters):
    found = stance.markers(text)
    assert found["hedges"] == "; ".join(hedges) and found["n_hedges"] == len(hedges)
    assert found["boosters"] == "; ".join(boosters) and found["n_boosters"] == len(boosters)
    assert found["quoted_markers"] == 0


@pytest.mark.parametrize("text, strength, cue", [
    ("Japan must act.", "strong", "must"),
    ("Japan needs to act.", "strong", "needs to"),
    ("Japan has to act.", "strong", "has to"),
    ("Japan should act.", "medium", "should"),
    ("Japan ought to act.", "medium", "ought to"),
    ("It is time to act.", "medium", "it is time"),
    ("Japan might act.", "weak", "might"),
    ("Japan could act.", "weak", "could"),
    ("Japan will act.", "none", ""),
    ("Japan acted.", "none", ""),
])
def test_modality_strength(text, strength, cue):
    found = stance.markers(text)
    assert (found["modality"], found["modal"]) == (strength, cue)
    assert stance.modality(text) == (strength, cue)


@pytest.mark.parametrize("text, strength, cue", [
    ("Japan could act, but it must wait.", "strong", "must"),
    ("Japan must act, but it could wait.", "strong", "must"),
    ("Japan might act, and it should.", "medium", "should"),
    ("Tokyo, perhaps, should apologize and must pay.", "strong", "must"),
])
def test_modality_picks_the_strongest(text, strength, cue):
    assert stance.modality(text) == (strength, cue)


def test_modals_are_not_hedges():
    found = stance.markers("Japan may act, or it might not; it could even wait.")
    assert found["n_hedges"] == 0 and found["modality"] == "weak"
    hedges = set(stance.word_lists()["hedges"])
    assert not hedges & {"could", "may", "might", "would", "will", "found", "must", "should"}


def test_of_course_is_one_booster_and_never_course():
    found = stance.markers("Of course, the course of history matters.")
    assert found["boosters"] == "of course" and found["n_boosters"] == 1
    assert found["n_hedges"] == 0
    assert stance.markers("The course of history.")["n_boosters"] == 0
    # whitespace inside a phrase is flexible, case is ignored
    assert stance.markers("OF   COURSE it is.")["boosters"] == "of course"


def test_whole_words_only():
    assert stance.markers("The perhapsy idea.")["n_hedges"] == 0
    assert stance.markers("This is very-important.")["n_boosters"] == 0
    assert stance.find("Maybe, maybe not.", ("maybe",)) == ["maybe", "maybe"]


@pytest.mark.parametrize("text", [
    'He said: "Perhaps we must clearly wait."',
    "He said: “Perhaps we must clearly wait.”",
])
def test_quoted_words_belong_to_the_speaker(text):
    found = stance.markers(text)
    assert found["n_hedges"] == 0 and found["n_boosters"] == 0
    assert found["modality"] == "none"
    assert found["quoted_markers"] == 2  # "perhaps" and "clearly"


def test_author_and_quoted_markers_are_counted_apart():
    found = stance.markers("Clearly, Tokyo should listen when Seoul says “perhaps we were wrong.”")
    assert found["boosters"] == "clearly"
    assert found["modality"] == "medium"
    assert found["quoted_markers"] == 1
    assert "perhaps" not in found["hedges"]


def test_unquoted_keeps_offsets():
    text = 'He said "perhaps" twice.'
    blank = stance.unquoted(text)
    assert len(blank) == len(text)
    assert "perhaps" not in blank and blank.startswith("He said ") and blank.endswith(" twice.")


def test_hedge_and_booster_lists_do_not_overlap():
    lists = stance.word_lists()
    assert lists["hedges"] and lists["boosters"]
    assert not set(lists["hedges"]) & set(lists["boosters"])
    for words in lists.values():
        assert [len(w) for w in words] == sorted((len(w) for w in words), reverse=True)


@pytest.mark.parametrize("text, booster", [
    ("There is no doubt Japan erred.", "there is no doubt"),
    ("It is clear that Japan erred.", "it is clear that"),
])
def test_a_booster_phrase_is_not_also_a_hedge(text, booster):
    found = stance.markers(text)
    assert found["boosters"] == booster
    assert found["n_hedges"] == 0


def test_stance_markers_keeps_ids_and_row_order():
    sentences = pd.DataFrame({
        "doc_id": ["b", "a", "a"],
        "sent_id": ["b.p01.s01", "a.p01.s01", "a.p01.s02"],
        "para_id": ["b.p01", "a.p01", "a.p01"],
        "text": ["Japan must act.", "Perhaps not.", "Clearly so."],
    }, index=[7, 3, 5])
    table = stance.stance_markers(sentences)
    assert table["doc_id"].tolist() == ["b", "a", "a"]
    assert table["sent_id"].tolist() == ["b.p01.s01", "a.p01.s01", "a.p01.s02"]
    assert table["modality"].tolist() == ["strong", "none", "none"]
    assert table["n_hedges"].tolist() == [0, 1, 0]
    assert table["n_boosters"].tolist() == [0, 0, 1]
    assert list(table.columns) == ["doc_id", "sent_id", "hedges", "n_hedges", "boosters", "n_boosters",
                                   "modality", "modal", "quoted_markers", "looks_ahead"]
    assert list(table.index) == [0, 1, 2]


def test_profile_per_100_words():
    sentences = pd.DataFrame({
        "doc_id": ["a", "a", "b"],
        "sent_id": ["a.1", "a.2", "b.1"],
        "n_words": [10, 10, 4],
        "text": ["Perhaps Japan must clearly act now or never.",
                 "Perhaps Japan should wait for a better moment.",
                 "Probably true, really."],
    })
    table = stance.stance_markers(sentences)
    assert table["n_hedges"].tolist() == [1, 1, 2] and table["n_boosters"].tolist() == [1, 0, 0]
    result = stance.profile(table, sentences).set_index("doc_id")
    assert list(result.index) == ["a", "b"]
    a, b = result.loc["a"], result.loc["b"]
    assert a["sentences"] == 2 and b["sentences"] == 1
    assert a["hedges_per_100_words"] == pytest.approx(10.0)  # 2 hedges in 20 words
    assert a["boosters_per_100_words"] == pytest.approx(5.0)  # 1 booster in 20 words
    assert b["hedges_per_100_words"] == pytest.approx(50.0)  # 2 hedges in 4 words
    assert b["boosters_per_100_words"] == pytest.approx(0.0)
    assert (a["share_strong_modality"], a["share_medium_modality"], a["share_weak_modality"]) == (0.5, 0.5, 0.0)
    assert (b["share_strong_modality"], b["share_medium_modality"], b["share_weak_modality"]) == (0.0, 0.0, 0.0)


def test_seed_profile_is_sane(seed_corpus):
    table = stance.stance_markers(seed_corpus.sentences)
    assert len(table) == len(seed_corpus.sentences)
    result = stance.profile(table, seed_corpus.sentences)
    assert set(result["doc_id"]) == set(seed_corpus.sentences["doc_id"])
    assert (result["hedges_per_100_words"] > 0).all() and (result["boosters_per_100_words"] >= 0).all()
    shares = result[["share_strong_modality", "share_medium_modality", "share_weak_modality"]]
    assert ((shares >= 0) & (shares <= 1)).all().all()
    assert (shares.sum(axis=1) <= 1.001).all()
    # Koda's "must never be crossed" is his modal, not the author's
    koda = table[table["sent_id"] == "akimoto-2019-japantimes.p10.s01"].iloc[0]
    assert koda["modality"] == "none"


@pytest.mark.parametrize("word_list, licence", [
    ("hedges_wooorm_v2.0.1.txt", "wooorm_hedges_LICENSE_MIT.txt"),
    ("weasels_wooorm_v2.0.1.txt", "wooorm_hedges_LICENSE_MIT.txt"),
    ("biberplus/hedges.txt", "biberplus/LICENSE_MIT.txt"),
    ("biberplus/amplifiers.txt", "biberplus/LICENSE_MIT.txt"),
    ("canary_argument_indicators.json", "canary_LICENSE_MIT.txt"),
])
def test_shipped_lexicons_have_their_licences(word_list, licence):
    assert (LEXICONS / word_list).is_file()
    assert (LEXICONS / word_list).read_text(encoding="utf-8").strip()
    text = (LEXICONS / licence).read_text(encoding="utf-8")
    assert "Permission is hereby granted, free of charge" in text


def test_every_licence_file_is_named_in_the_readme():
    licences = sorted(LEXICONS.rglob("*LICENSE*"))
    assert len(licences) >= 3
    readme = (LEXICONS / "README.md").read_text(encoding="utf-8")
    for path in licences:
        assert path.name in readme


# --- look-alikes, quotations and negation (issue 14) ---------------------------------------------------------------

@pytest.mark.parametrize("text, hedges", [
    ("Analysts at a think tank said so.", []),
    ("Two think-tanks and a university took part.", []),
    ("We think the deal will hold.", ["think"]),
    ("They talked about trade for hours.", []),
    ("The dispute is about history.", []),
    ("About 20 experts came.", ["about"]),
    ("It cost about $3 million.", ["about"]),
    ("About half of them agreed.", ["about"]),
    ("A journalist asked about a recent utterance by the prime minister.", []),
    ("It took about a year to agree.", ["about"]),
    ("About a hundred people came.", ["about"]),
    ("In short, Seoul thinks it is time to stop.", []),
    ("Experts believe the deal will hold, and I believe them.", ["believe"]),
])
def test_look_alikes_are_not_hedges(text, hedges):
    assert stance.find(stance.without_look_alikes(text), stance.word_lists()["hedges"]) == hedges
    assert stance.markers(text)["n_hedges"] == len(hedges)


@pytest.mark.parametrize("text, strength, cue", [
    ("Washington may not be able to solve their problems.", "none", ""),
    ("Tokyo should not wait.", "none", ""),
    ("Seoul cannot accept this.", "none", ""),
    ("They don't have to agree.", "none", ""),
    ("Seoul mustn't give in.", "none", ""),
    ("Tokyo should wait, but Seoul may not.", "medium", "should"),
    ("Tokyo must wait.", "strong", "must"),
])
def test_a_negated_modal_is_not_the_authors_modality(text, strength, cue):
    assert stance.modality(text) == (strength, cue)


@pytest.mark.parametrize("text, own, quoted", [
    ("He said “we must perhaps act” and left.", 0, 1),
    ("The deal was, he said, “perhaps the best one could hope for.", 0, 1),  # opened, not closed
    ("perhaps it is over,” he said.", 0, 1),  # closed, opened in an earlier sentence
    ("''Perhaps,'' the scientist said.", 0, 1),  # doubled single quotes
    ("Perhaps he said “yes”.", 1, 0),
])
def test_quoted_words_are_the_speakers_not_the_authors(text, own, quoted):
    found = stance.markers(text)
    assert (found["n_hedges"], found["quoted_markers"]) == (own, quoted)


def test_a_quoted_modal_is_not_the_authors_modality():
    assert stance.markers("He said “we must act now” and left.")["modality"] == "none"


@pytest.mark.parametrize("text, modal, reported", [
    ("South Korea's Supreme Court ruled that Japanese companies must provide compensation.", "", True),
    ("In short, Seoul thinks it is time to stop being the lesser partner.", "", True),
    ("We think Tokyo must act now.", "must", False),
    ("Since the meeting suggests that talks will resume, the administration must act.", "must", True),
])
def test_a_modal_in_a_clause_reported_from_someone_else_is_not_the_authors(text, modal, reported):
    from opedlens.measure import nlp, recommendations

    spans = recommendations.reported_spans(nlp.parse([text], entities=False)[0])
    assert bool(spans) == reported
    assert stance.markers(text, spans)["modal"] == modal
    assert stance.stance_markers(pd.DataFrame({"doc_id": "d", "sent_id": "d.s1", "text": [text]}),
                                 [spans])["modal"].tolist() == [modal]
