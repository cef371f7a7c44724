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
    "The government has pledged to cut emissions by half.",  # (new) a pledge, not said in the past
    "Parliament will vote on it, and the result could reshape the coalition.",
    "A decision is expected later this year.",  # (new) a time to come
    "I hope the delegates can get around the city.",  # "hope" the verb still counts
    "The summit is ahead of us.",  # "ahead" not in the past
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
    ("How could he even think about blaming poverty for it?", "'could' asks what is"),
    ("It scared me so much, I could not even scream.", "'could' in a sentence told in the past"),
    ("Some recognize that this likely terrorist attack is a result of poor decisions.", "'likely' the adjective"),
    ("They foiled plot after plot against would-be terrorists.", "'would-be' is an adjective"),
    ("I mean, you might as well hand everything to the lawyers now.", "'might as well' weighs what is best now"),
    ("It would seem the price is not too high for them.", "'would seem' weighs the present"),
    ("I could hear him breathe next to me.", "'could' with a verb of the senses"),
    ("MPs were preoccupied with the then-upcoming elections.", "upcoming then, past now"),
    ("Churches should declare the hope we have in the Lord.", "'hope' a plain noun"),
    ("Russia issued passports to Crimeans ahead of the annexation.", "'ahead of' in a sentence told in the past"),
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
def test_validate_outlook_scores_every_round_and_marks_the_ones_the_rules_were_written_from():
    from opedlens.validate import gold, sentence_measures

    result = sentence_measures.validate_outlook()
    labelled = gold.read_outlook(sentence_measures.OUTLOOK_GOLD)
    rounds = {k: v for k, v in result["scorers"].items() if k.startswith("rules, round")}
    assert sum(r["n"] for r in rounds.values()) == result["n"] == len(labelled) >= 800
    assert not any(r["unseen_by_rules"] for r in rounds.values()), "rounds 1-3 were used to write the rules"
    assert sentence_measures.OUTLOOK_FRESH not in result["scorers"]  # the fresh round is of the editorials
    every = result["scorers"]["rules"]
    assert every["precision"] == round(every["hits"] / every["flagged"], 4)
    assert every["recall"] == round(every["hits"] / every["looking_ahead"], 4)


@needs_spacy
@pytest.mark.skipif(not WEBIS_DEV.is_dir(), reason="Webis-Editorials-16 DEV not in ../shared/data")
def test_the_report_figure_is_the_editorial_rounds_no_rule_was_written_from():
    """The labels of rounds 4-7 point at the Webis editorials' sentences (by id and digest); rounds 6 and 7 were
    labelled after the fourth revision was written and no rule was changed since, so together they are the figure
    the report quotes."""
    from opedlens.validate import sentence_measures

    editorials = sentence_measures.outlook_editorials(WEBIS_DEV)
    assert editorials["round"].value_counts().to_dict() == {4: 300, 5: 300, 6: 300, 7: 300}
    result = sentence_measures.validate_outlook(editorials=WEBIS_DEV)
    scorers = result["scorers"]
    fresh = scorers[sentence_measures.OUTLOOK_FRESH]
    assert fresh["unseen_by_rules"] and fresh["editorials"] and fresh["n"] == 600
    assert fresh["hits"] == scorers["rules, round 6"]["hits"] + scorers["rules, round 7"]["hits"]
    assert [k for k, v in scorers.items() if k.startswith("rules, round") and v["unseen_by_rules"]
            and not k.endswith("second reading")] == [
        "rules, round 6", "rules, round 7"]
    # what the docs claim: on the rounds no rule was written from, the rules are more precise than the word list
    # they replaced, find fewer of the sentences that look ahead, and are (hardly) better by F1
    words = scorers["word list (before the rules), fresh rounds"]
    assert fresh["precision"] > words["precision"] and fresh["recall"] < words["recall"]
    assert fresh["f1"] > words["f1"]
    # round 6 read again, blind: the docs call the labels consistent (kappa above 0.8) and the figure about the same
    again, first = result["agreement"], scorers["rules, round 6"]
    assert again["labels"] == "round 6" and again["n"] == 300 and again["kappa_low"] > 0.8
    second = scorers["rules, round 6, second reading"]
    assert second["flagged"] == first["flagged"] and abs(second["f1"] - first["f1"]) < 0.05
    assert "second reading of round 6: " in sentence_measures.format_table(result)


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

    results = pd.DataFrame({"task": "outlook", "gold": "x", "scorer": ["rules", contrast.OUTLOOK_FRESH],
                            "n": [1440, 300], "looking_ahead": [198, 42], "flagged": [200, 51], "hits": [149, 33],
                            "precision": [0.745, 0.6471], "recall": [0.7525, 0.7857],
                            "unseen_by_rules": [False, True], "editorials": [None, True]})
    note = contrast.trust_notes(results)["outlook"]
    assert ("on 300 hand-labelled sentences of real editorials they never saw (42 look ahead), precision 0.65 (33 of "
            "51), recall 0.79 (33 of 42; 95% CI 0.64 to 0.88)") in note
    assert "not validated here" in contrast.trust_notes(results.iloc[:1])["outlook"]
    assert "real editorials" not in contrast.trust_notes(results.assign(editorials=False))["outlook"]
