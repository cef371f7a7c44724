"""Evidence types: the Webis reader, the classifier, its validation command. All gold data here is synthetic."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from opedlens.errors import InputError
from opedlens.measure import embed, evidence
from opedlens.paths import MODELS_DIR, PROJECT_ROOT
from opedlens.validate import gold, results, sentence_measures

needs_model = pytest.mark.skipif(not embed.available(), reason=embed.INSTALL_HINT)

# Written for these tests: two "editorials" per outlet, every label at least once.
EDITORIALS = {
    "east/001-first.json": [
        [("The Budget Debate", "title")],
        [("The council must rethink its spending plans", "assumption"), (".", "no-unit"),
         ("Last spring the mayor closed two libraries in the north", "anecdote"), (".", "no-unit")],
        [("Unemployment rose to 12 percent, and 3 million people lost benefits", "statistics"), (".", "no-unit"),
         ('"We cannot afford it," said the treasurer', "testimony")],
    ],
    "east/002-second.json": [
        [("Schools Again", "title")],
        [("Everyone knows that children need good schools", "common-ground"), (".", "no-unit"),
         ("This plan is a mistake", "assumption"), ("This article was amended on 3 May", "other")],
    ],
    "west/001-third.json": [
        [("Rivers", "title")],
        [("We should protect the river before it is too late", "assumption"),
         ("In 2019 a factory spilled oil into it and the fish died", "anecdote"),
         ("About 40% of the water is now polluted, a 2020 survey found", "statistics")],
    ],
    "west/002-fourth.json": [
        [("Trains", "title")],
        [('"The trains are always late," the minister told reporters', "testimony"),
         ("The government has failed commuters", "assumption"),
         ("Of course, nobody likes waiting in the rain", "common-ground"),
         ("She is a professor of transport at a university", "other")],
    ],
}


def write_webis(folder, editorials=EDITORIALS):
    for name, paragraphs in editorials.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        number = iter(range(1, 1000))
        path.write_text(json.dumps({"paragraphs": [[{"number": next(number), "text": text, "label": label}
                                                    for text, label in paragraph] for paragraph in paragraphs]}))
    return folder


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "opedlens.cli", *args], capture_output=True, text=True,
                          cwd=PROJECT_ROOT)


def test_read_webis_keeps_scored_units_with_their_editorial(tmp_path):
    frame = gold.read_webis(write_webis(tmp_path / "dev"))
    assert list(frame.columns) == ["doc_id", "number", "paragraph", "text", "label", "group"]
    assert len(frame) == 14 and set(frame["label"]) == set(evidence.LABELS)
    assert "title" not in set(frame["label"]) and "." not in set(frame["text"])
    assert sorted(frame["doc_id"].unique()) == sorted(EDITORIALS)
    first = frame[frame["doc_id"] == "east/001-first.json"]
    assert first["number"].tolist() == [2, 4, 6, 8] and first["paragraph"].tolist() == [1, 1, 2, 2]
    assert (frame["group"] == frame["doc_id"]).all()


@pytest.mark.parametrize("content, message", [
    ('{"paragraphs": [[{"number": 1, "text": "x", "label": "opinion"}]]}', "unknown label 'opinion'"),
    ('{"paragraphs": [[{"number": 1, "text": "x"}]]}', "lacks number/text/label"),
    ('{"paragraphs": [[{"number": 1, "text": "x", "label": "assumption"}]', "not JSON"),
    ('{"units": []}', "expected a JSON object"),
    ('{"paragraphs": ["just text"]}', "paragraph 1 is not a list"),
])
def test_malformed_webis_file_is_named(tmp_path, content, message):
    folder = write_webis(tmp_path / "dev")
    bad = folder / "west" / "003-bad.json"
    bad.write_text(content)
    with pytest.raises(InputError, match=message) as caught:
        gold.read_webis(folder)
    assert caught.value.path == bad


def test_empty_or_missing_webis_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no labelled units"):
        gold.read_webis(tmp_path / "empty")
    with pytest.raises(InputError, match="gold folder not found"):
        gold.read_webis(tmp_path / "nowhere")


def test_surface_features_see_numbers_quotes_and_cues():
    row = dict(zip(evidence.FEATURES, evidence.surface('"We will win this fight," said the minister in 2014.')))
    assert row["quote"] and row["quote_edge"] and row["long_quote"] and row["year"] and row["public_verb"] > 0
    row = dict(zip(evidence.FEATURES, evidence.surface("He called it a \"disaster\" and cut 40% of $3 billion.")))
    assert row["percent"] and row["currency"] and row["digit"] and not row["quote_edge"] and not row["long_quote"]
    assert evidence.COMMON_GROUND.search("Of course, we all want safe streets")
    assert evidence.OTHER.search("This article was amended on 20 January")
    assert not evidence.OTHER.search("The minister amended the bill")


@pytest.mark.parametrize("text", [
    "Thank you for reading", "Merry Christmas, Springfield", "Happy holidays to all our readers",
    "May God bless our troops", "Please call us at 0330 333 6846 to renew", "She can be reached at jo@example.org",
    "Jane Doe is a senior fellow at the Brookings Institution", "For more information, visit our website",
    "ALL RIGHTS RESERVED BY THE AUTHOR"])
def test_other_cues_catch_what_is_not_argument(text):
    assert evidence.OTHER.search(evidence.clean(text))


@pytest.mark.parametrize("text", [
    "Thanks to the sanctions, the regime is short of cash", "Barack Obama is the president who ended the war",
    "The government must call a halt to this", "Japan is a close ally of the United States",
    "Senators welcomed the deal", "the analyst is wrong about the figures"])
def test_other_cues_leave_arguments_alone(text):
    assert not evidence.OTHER.search(evidence.clean(text))


def test_missing_model_file_is_an_input_error(tmp_path, monkeypatch):
    monkeypatch.setattr(evidence, "MODEL_FILE", tmp_path / "evidence.npz")
    evidence.shipped_model.cache_clear()
    try:
        with pytest.raises(InputError, match="model file not found") as caught:
            evidence.classify(["Any sentence."])
        assert caught.value.path == tmp_path / "evidence.npz"
    finally:
        evidence.shipped_model.cache_clear()


def test_shipped_model_is_plain_arrays_from_open_data():
    with np.load(MODELS_DIR / "evidence.npz", allow_pickle=False) as data:
        assert {"__meta__", "coef", "train_hashes", "target_prior", "train_prior"} <= set(data.files)
    model = evidence.shipped_model()
    assert model.meta["training_sets"] == ["arguments/ibm_ce_emnlp2015", "data/evidence-opinion-sentences.csv"]
    assert model.arrays["coef"].shape[1] == 384 + len(evidence.FEATURES)
    assert [evidence.LABELS[c] for c in model.arrays["classes"]] == ["anecdote", "assumption", "statistics",
                                                                      "testimony"]


@needs_model
def test_classify_shape_labels_and_obvious_cases():
    texts = ["Unemployment hit 42 percent of young workers, and 3 million families lost their homes.",
             '"We will win," said the minister.',
             "This government must change course before it is too late.",
             "This article was amended on 20 January 2015.",
             "Of course, everyone knows that children need good schools."]
    first = evidence.classify(texts)
    assert list(first.columns) == ["evidence", "evidence_p", "p_anecdote", "p_assumption", "p_common_ground",
                                   "p_statistics", "p_testimony", "p_other"]
    assert len(first) == len(texts) and set(first["evidence"]) <= set(evidence.LABELS)
    p = first.filter(like="p_").to_numpy()
    assert np.allclose(p.sum(1), 1) and (p >= 0).all()
    assert np.allclose(first["evidence_p"], p.max(1))
    assert first["evidence"].tolist() == ["statistics", "testimony", "assumption", "other", "common-ground"]
    again = evidence.classify(texts)
    assert again.equals(first)  # deterministic
    assert evidence.classify([]).shape == (0, 8)


@needs_model
def test_the_fine_tuned_model_ships_as_arrays_and_reproduces_its_training_logits():
    """What PyTorch computed for the check sentences when it saved the model, the NumPy/ONNX forward pass of the
    merged weights computes again."""
    tuned = evidence.shipped_tuned()
    assert tuned is not None
    assert tuned.meta["labels"] == ["anecdote", "assumption", "statistics", "testimony"]
    assert tuned.meta["training_sets"] == ["arguments/ibm_ce_emnlp2015", "data/evidence-opinion-sentences.csv"]
    assert tuned.meta["classes"] == [int(c) for c in evidence.shipped_model().arrays["classes"]]
    assert np.allclose(tuned.logits(tuned.meta["check_sentences"]), tuned.meta["check_logits"], atol=1e-3)
    p = tuned.probabilities(["One.", "Two sentences here."])
    assert p.shape == (2, 4) and np.allclose(p.sum(1), 1)


@needs_model
def test_the_fine_tuned_top_on_the_encoders_states_gives_what_the_whole_model_gives():
    """`opedlens measure` runs only the fine-tuned layers on states the sentence encoder hands over (its first four
    layers are the base encoder's); the evidence types are those of the whole fine-tuned model. A text longer than
    that model reads (128 tokens), or one whose cleaning changes its words, is classified by the whole model."""
    tuned = evidence.shared_head()
    assert tuned is not None and tuned.shares_base
    long = "The committee, which met on Tuesday, " + "said that the budget was too large and " * 20 + "so it failed."
    texts = ["Unemployment rose to 12 percent last year, the ministry said.",
             "We must act  now,\nbefore it is too late.",  # white space only: the tokenizer reads it alike
             "The treaty was signed in 1965.[REF] It held.", long,
             '"We cannot afford it," said the treasurer of the shared-head test.']
    shared = embed.SharedEncoding(texts, above=tuned)
    shared.work()
    above = shared.result().above
    assert above.shape == (5, 4) and np.isnan(above[3]).all() and not np.isnan(np.delete(above, 3, 0)).any()
    whole = tuned.logits([evidence.clean(t) for t in texts])
    assert np.abs(above[[0, 1, 4]] - whole[[0, 1, 4]]).max() < 1e-4
    reused, alone = evidence.classify(texts, tuned_logits=above), evidence.classify(texts)
    assert reused["evidence"].tolist() == alone["evidence"].tolist()
    assert np.abs(reused.drop(columns="evidence").to_numpy() - alone.drop(columns="evidence").to_numpy()).max() < 1e-5
    # the text whose cleaning dropped a reference mark: the whole model's scores, not the row handed over
    other = next(k for k, c in enumerate(tuned.meta["classes"]) if evidence.LABELS[c] != alone["evidence"][2])
    wrong = above.copy()
    wrong[2] = np.where(np.arange(4) == other, 10.0, -10.0)
    assert evidence.classify(texts, tuned_logits=wrong)["evidence"][2] == alone["evidence"][2]


@needs_model
def test_classify_reads_the_fine_tuned_model_unless_given_a_model(monkeypatch):
    class Fake:
        meta = {"classes": [int(c) for c in evidence.shipped_model().arrays["classes"]]}

        def probabilities(self, texts):
            return np.tile([0.0, 0.0, 1.0, 0.0], (len(texts), 1))  # statistics, whatever the text

    monkeypatch.setattr(evidence, "shipped_tuned", lambda: Fake())
    text = ["This government must change course before it is too late."]
    assert evidence.classify(text)["evidence"].tolist() == ["statistics"]
    assert evidence.classify(text, model=evidence.shipped_model())["evidence"].tolist() == ["assumption"]


@needs_model
def test_validate_evidence_on_synthetic_folder(tmp_path):
    folder = write_webis(tmp_path / "webis" / "dev")
    done = run_cli("validate", "evidence", "--gold", str(folder), "--train", str(folder), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["task"] == "evidence" and result["n"] == 14 and result["gold_is_folder"]
    # with the fine-tuned model shipped, the logistic regression it replaced is scored beside it
    assert set(result["scorers"]) == {"shipped", "majority", "tfidf-logistic", "webis-trained", "logistic"}
    shipped = result["scorers"]["shipped"]
    assert shipped["protocol"] == sentence_measures.SHIPPED and set(shipped["f1"]) == set(evidence.LABELS)
    assert shipped["macro_f1"] > result["scorers"]["majority"]["macro_f1"]
    assert result["scorers"]["webis-trained"]["protocol"] == sentence_measures.EVIDENCE_CV
    assert results.result_path(result).name == "evidence-webis-dev.json"
    table = sentence_measures.format_table(result)
    assert "common-ground" in table and "tfidf-logistic" in table and "macro_f1" in table


def test_train_option_only_for_evidence(tmp_path):
    gold_file = tmp_path / "tiny.tsv"
    gold_file.write_text("1_1\t2.0\tA fine day.\n")
    done = run_cli("validate", "sentiment", "--gold", str(gold_file), "--train", str(tmp_path), "--scorer", "vader")
    assert done.returncode == 1 and "--train is only for the evidence task" in done.stderr
    done = run_cli("validate", "evidence", "--gold", str(tmp_path / "missing"))
    assert done.returncode == 1 and "gold folder not found" in done.stderr and "Traceback" not in done.stderr


def test_result_path_for_a_gold_folder():
    result = {"task": "evidence", "gold": "../shared/data/arguments/webis_editorials16/dev", "gold_is_folder": True}
    assert results.result_path(result).name == "evidence-webis_editorials16-dev.json"
    assert results.result_path({"task": "targeted", "gold": "../x/newsmtsc/train.jsonl"}).name == \
        "targeted-newsmtsc-train.json"


def test_labelled_opinion_sentences_are_well_formed():
    import pandas as pd

    from opedlens.validate import training

    frame = pd.read_csv(training.EVIDENCE_OPINION_FILE, dtype=str, keep_default_na=False)
    assert list(frame.columns) == ["source", "source_id", "text", "label", "round"]
    rounds = sorted(set(frame["round"]), key=int)
    assert rounds == [str(n) for n in range(1, len(rounds) + 1)]  # rounds 1, 2, ... in order, none skipped
    assert frame["round"].astype(int).is_monotonic_increasing
    assert set(frame["label"]) == set(evidence.LABELS)  # known labels, every one present
    assert set(frame["source"]) <= {"nyt", "emobank", "newsmtsc"}
    groups = training.evidence_opinion_sentences()["group"]
    assert groups.str.match(r"^(nyt|emobank|newsmtsc):[^:]+$").all()  # every sentence belongs to an article
    assert (frame["text"].str.strip() != "").all() and (frame["source_id"] != "").all()
    assert not frame["text"].duplicated().any()
    assert not frame[["source", "source_id"]].duplicated().any()
    assert len(frame) >= 600
