"""Which sentences look ahead (notebook 05's "How hopeful"): the rules, their validation and where the report reads
them. Every "not ahead" sentence below was taken for looking ahead by the word list the rules replaced, and every
"ahead" one marked (new) was missed by it."""

from __future__ import annotations

import pandas as pd
import pytest

from opedlens.measure import nlp
from opedlens.validate.gold import WEBIS_DEV

needs_spacy = pytest.mark.skipif(not nlp.available(), reason=nlp.INSTALL_HINT)


def ahead(text: str) -> bool:
    from opedlens.measure import outlook

    return outlook.looks_ahead(nlp.parse([text], entities=False)[0])


@needs_spacy
@pytest.mark.parametrize("text", [
    "The talks will resume next month.",
    "Relations are unlikely to improve.",
    "The bill would raise taxes for millions of families.",
    "That could mark the start of a thaw between the two allies.",
    "Before long, Seoul might regret the decision.",
    "Prospects for a deal look dim.",
    "We'll see who blinks first.",  # (new) "'ll"
    "Tokyo wants to settle the dispute before the summit.",  # (new) an intention before "to" + a verb
    "The company is expected to cut 500 jobs.",  # (new)
    "Washington is set to announce new sanctions.",  # (new)
])
def test_a_sentence_about_what_will_or_may_happen_looks_ahead(text):
    assert ahead(text)


@needs_spacy
@pytest.mark.parametrize("text, why", [
    ("Knowledge may be power, but so is the vote.", "'may' weighs the present"),
    ("Dogs can be shrewd beyond expectations.", "'can' says what is so"),
    ("The court ruled that the city may order the building torn down.", "'may' says what is allowed"),
    ("If there were any justice, 6789 would have won.", "a perfect looks back"),
    ("It may have started when she plastered her name on millions of pockets.", "a perfect looks back"),
    ("In 2000 he proposed a team that would provide revenue for the federation.", "under a verb in the past"),
    ("The subway might be possible if the line were not being redone.", "'might be' + complement weighs the now"),
    ("They might be weeping in the heat.", "'might be' + -ing weighs the now"),
    ("Obviously he planned to give the quarter away.", "a plan in the past"),
    ("The offer, which was due to expire yesterday, is conditional.", "'due to' in the past"),
    ("Why target stands next to a token booth?", "'next to' is a place"),
    ("Youths who smoke are six times more likely to die than non-smokers.", "a comparison, not a forecast"),
    ("Meanwhile, Congress continues to starve the agencies.", "what goes on now"),
    ("Volunteers rushed forward to rescue strangers.", "a way forward is not a step forward"),
    ('He said: "We will win this war."', "the future is in someone else's words"),
    ("Perhaps the Olympians are not aware that a can of beer holds as much alcohol.", "'can' the noun"),
])
def test_a_sentence_only_about_the_past_or_present_does_not(text, why):
    assert not ahead(text), why


@needs_spacy
def test_stance_markers_say_whether_each_sentence_looks_ahead_and_the_outlook_reads_them():
    """The measured stance markers carry ``looks_ahead``; notebook 04's outlook picks its sentences by it (and not by
    reading the text again)."""
    from opedlens.compare import contrast
    from opedlens.measure import stance

    sentences = pd.DataFrame({"doc_id": "d", "sent_id": ["d.s1", "d.s2"],
                              "text": ["The crisis will deepen next year.", "The crisis began in July."]})
    markers = stance.stance_markers(sentences)
    assert markers["looks_ahead"].tolist() == [True, False] and markers["looks_ahead"].dtype == bool
    scores = pd.DataFrame({"sent_id": sentences["sent_id"], "accurate": [-0.4, 0.2]})
    _, found = contrast.outlook(sentences, markers, {"d": "a"}, draws=200, scores=scores)
    assert found["sent_id"].tolist() == ["d.s1"]
    flipped = markers.assign(looks_ahead=[False, True])
    _, found = contrast.outlook(sentences, flipped, {"d": "a"}, draws=200, scores=scores)
    assert found["sent_id"].tolist() == ["d.s2"]


@needs_spacy
def test_validate_outlook_quotes_the_round_no_rule_was_changed_for():
    from opedlens.validate import gold, sentence_measures

    result = sentence_measures.validate_outlook()
    labelled = gold.read_outlook(sentence_measures.OUTLOOK_GOLD)
    rounds = {k: v for k, v in result["scorers"].items() if k.startswith("rules, round")}
    assert sum(r["n"] for r in rounds.values()) == result["n"] == len(labelled) >= 800
    fresh = result["scorers"][sentence_measures.OUTLOOK_FRESH]
    assert fresh["unseen_by_rules"] and fresh["n"] == rounds["rules, round 3"]["n"] == 300
    assert rounds["rules, round 3"]["unseen_by_rules"] and not rounds["rules, round 1"]["unseen_by_rules"]
    assert not result["scorers"]["rules"]["unseen_by_rules"], "rounds 1 and 2 were used to write the rules"
    assert fresh["precision"] == round(fresh["hits"] / fresh["flagged"], 4)
    assert fresh["recall"] == round(fresh["hits"] / fresh["looking_ahead"], 4)
    # what the docs claim: on the round no rule saw, the rules beat the word list they replaced
    words = result["scorers"]["word list (before the rules), fresh rounds"]
    assert fresh["f1"] > words["f1"] and fresh["precision"] > words["precision"]


@needs_spacy
@pytest.mark.skipif(not WEBIS_DEV.is_dir(), reason="Webis-Editorials-16 DEV not in ../shared/data")
def test_the_editorial_round_adds_only_its_half_no_choice_was_made_on():
    """Round 4's labels point at the Webis editorials' sentences (by id and digest); its odd items chose between two
    readings of the modals, so only its even items join the figure the report quotes."""
    from opedlens.validate import sentence_measures

    editorials = sentence_measures.outlook_editorials(WEBIS_DEV)
    assert len(editorials) == 300 and editorials["half"].value_counts().to_dict() == {
        sentence_measures.CHOOSING_HALF: 150, sentence_measures.REPORTED_HALF: 150}
    result = sentence_measures.validate_outlook(editorials=WEBIS_DEV)
    scorers = result["scorers"]
    fresh, even = scorers[sentence_measures.OUTLOOK_FRESH], scorers["rules, real editorials, round 4, even items"]
    assert fresh["n"] == scorers["rules, round 3"]["n"] + even["n"] == 450
    assert fresh["hits"] == scorers["rules, round 3"]["hits"] + even["hits"]
    assert not scorers["rules, real editorials, round 4, odd items"]["unseen_by_rules"] and even["unseen_by_rules"]
    assert not scorers["rules, round 4"]["unseen_by_rules"]


def test_a_stale_editorial_label_names_its_item(tmp_path):
    from opedlens.errors import InputError
    from opedlens.validate import gold

    sentences = pd.DataFrame({"sent_id": ["a.p01.s01"], "text": ["Talks will resume."]})
    labels = pd.DataFrame({"item": ["E7"], "sent_id": ["a.p01.s01"], "digest": [gold.digest("Talks resumed.")]})
    with pytest.raises(InputError, match="E7: sentence a.p01.s01 reads differently"):
        gold.in_context(labels, sentences, tmp_path)
    path = tmp_path / "outlook-editorials.csv"
    path.write_text("item,round,doc_id,sent_id,digest,looks_ahead\nE1,4,a,a.p01.s01,abc,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2.*digest must be 12 hex digits"):
        gold.read_outlook_editorials(path)


@pytest.mark.parametrize("value, message", [("yes", "looks_ahead must be 0 or 1"), ("", "looks_ahead must be 0")])
def test_a_malformed_outlook_gold_file_names_its_line(tmp_path, value, message):
    from opedlens.errors import InputError
    from opedlens.validate import gold

    path = tmp_path / "outlook.csv"
    path.write_text(f"source,source_id,text,looks_ahead,round\nnyt,1,It will rain.,1,1\nnyt,2,It rained.,{value},1\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match=f"line 3.*{message}"):
        gold.read_outlook(path)


def test_the_outlook_gold_set_never_holds_the_seeds(seed_corpus):
    from opedlens.validate import gold, sentence_measures

    assert not set(gold.read_outlook(sentence_measures.OUTLOOK_GOLD)["text"]) & set(seed_corpus.sentences["text"])


def test_the_report_quotes_the_outlook_figure_of_the_sentences_the_rules_never_saw():
    from opedlens.compare import contrast

    results = pd.DataFrame({"task": "outlook", "gold": "x",
                            "scorer": ["rules", contrast.OUTLOOK_FRESH, "rules, real editorials, round 4, odd items",
                                       "rules, real editorials, round 4, even items"],
                            "n": [1140, 450, 150, 150], "looking_ahead": [156, 73, 27, 26],
                            "flagged": [159, 77, 21, 32], "hits": [117, 52, 18, 19],
                            "precision": [0.7358, 0.6753, 0.8571, 0.5938], "recall": [0.75, 0.7123, 0.6667, 0.7308],
                            "unseen_by_rules": [False, True, False, True]})
    note = contrast.trust_notes(results)["outlook"]
    assert ("on 450 hand-labelled sentences they never saw (73 look ahead), precision 0.68 (52 of 77), recall 0.71 "
            "(52 of 73; 95% CI 0.60 to 0.80); real editorials alone (150): precision 0.59 (19 of 32)") in note
    assert "not validated here" in contrast.trust_notes(results.iloc[:1])["outlook"]
    assert "real editorials" not in contrast.trust_notes(results.iloc[:2])["outlook"]
