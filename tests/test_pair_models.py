"""The pair measures: gold readers for ArgKP-2021 and Claim Stance, the cross-encoder run in NumPy, topic-held-out
validation helpers, and the validate commands' JSON."""

from __future__ import annotations

import json

import numpy as np
import pytest

from opedlens import cli
from opedlens.errors import InputError
from opedlens.measure import crossencoder
from opedlens.paths import GOLD_DIR
from opedlens.validate import gold, pair_models

ARGKP = GOLD_DIR / "arguments" / "ibm_argkp2021" / "dev.csv"
CLAIM_STANCE = GOLD_DIR / "arguments" / "ibm_claim_stance" / "train.csv"
needs_matching_model = pytest.mark.skipif(not crossencoder.available("matching"),
                                          reason="models/matching.npz not trained (make models)")


def test_argkp_and_claim_stance_readers(tmp_path):
    path = tmp_path / "kp.csv"
    path.write_text("topic,argument,key_point,stance,label\nT,an argument,a key point,1,1\nT,another,a key point,-1,0\n")
    frame = gold.read_argkp(path)
    assert frame[["text_a", "text_b", "stance", "label", "group"]].values.tolist() == [
        ["an argument", "a key point", 1, 1, "T"], ["another", "a key point", -1, 0, "T"]]
    assert gold.is_argkp(path)
    bad = tmp_path / "bad.csv"
    bad.write_text("topic,argument,key_point,stance,label\nT,a,b,1,yes\n")
    with pytest.raises(InputError, match=r"bad.csv: line 2: label must be 0 or 1"):
        gold.read_argkp(bad)
    stance = tmp_path / "cs.csv"
    stance.write_text("topic_id,topic,topic_target,topic_sentiment,claim_id,stance,claim\n"
                      "1,T,t,1,10,PRO,a\n1,T,t,1,11,CON,b\n1,T,t,1,12,PRO,c\n2,U,u,1,20,PRO,d\n")
    pairs = gold.opposite_pairs(gold.read_claim_stance(stance))
    assert pairs[["text_a", "text_b", "label"]].values.tolist() == [["a", "b", 1], ["a", "c", 0], ["b", "c", 1]]


def test_pair_keys_ignore_order_and_spacing():
    assert pair_models.pair_key("a  b", "c") == pair_models.pair_key("c", "a b") != pair_models.pair_key("a", "c")


def test_topic_folds_are_deterministic_and_hold_whole_topics():
    folds = pair_models.topic_folds(["b", "a", "c", "a", "d"], 2)
    assert folds == {"a": 0, "b": 1, "c": 0, "d": 1}


def test_thresholds_of_a_fold_are_chosen_on_the_other_folds():
    scores = np.array([0.9, 0.8, 0.2, 0.1, 0.7, 0.6, 0.3, 0.4])
    labels = np.array([1, 1, 0, 0, 1, 0, 0, 1])
    folds = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    figures = pair_models.cross_validated_figures(scores, labels, folds)
    assert {"roc_auc", "average_precision", "precision", "recall", "f1", "threshold", "cv_precision", "cv_recall",
            "cv_f1"} <= set(figures)
    assert 0 <= figures["cv_f1"] <= 1 and figures["n"] == 8


@needs_matching_model
def test_the_numpy_cross_encoder_reproduces_its_trainer():
    model = crossencoder.load("matching")
    a, b = zip(*model.meta["check_pairs"])
    assert np.allclose(model.logits(list(a), list(b)), model.meta["check_logits"], atol=1e-4)


@needs_matching_model
def test_cross_encoder_scores_are_symmetric_probabilities():
    model = crossencoder.load("matching")
    forward = model.score(["Washington must mediate between Tokyo and Seoul."], ["The U.S. should help its allies."])
    backward = model.score(["The U.S. should help its allies."], ["Washington must mediate between Tokyo and Seoul."])
    assert forward.shape == (1,) and 0 <= forward[0] <= 1 and forward[0] == pytest.approx(backward[0])


@needs_matching_model
def test_the_shipped_model_is_small_plain_arrays():
    shipped = crossencoder.read(crossencoder.path_of("matching"))
    assert crossencoder.path_of("matching").stat().st_size < 5_000_000
    assert all(isinstance(v, np.ndarray) and v.dtype == np.float32 for v in shipped.arrays.values())
    assert shipped.meta["folds"] >= 3 and "out_of_fold" in shipped.meta


@pytest.mark.skipif(not CLAIM_STANCE.exists(), reason="needs ../shared/data (IBM Claim Stance)")
def test_validate_disagreement_prints_one_json_object(capsys):
    assert cli.main(["validate", "disagreement", "--gold", str(CLAIM_STANCE), "--json", "--scorer", "cues"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["report_method"] in ("cues", "crossencoder") and result["n"] == 39291
    figures = result["methods"]["cues"]
    assert {"n", "roc_auc", "average_precision", "precision", "recall", "f1", "threshold"} <= set(figures)
    assert result["asserted"] is False or result["report_method"] == "crossencoder"


@pytest.mark.skipif(not ARGKP.exists(), reason="needs ../shared/data (IBM ArgKP-2021)")
def test_validate_matching_reads_the_argkp_format(capsys):
    assert cli.main(["validate", "matching", "--gold", str(ARGKP), "--json", "--scorer", "tfidf"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["gold_format"] == "ArgKP-2021" and result["n"] == 9474
    assert {"n", "roc_auc", "average_precision", "precision", "recall", "f1", "threshold"} <= \
        set(result["methods"]["tfidf"])


@needs_matching_model
@pytest.mark.skipif(not ARGKP.exists(), reason="needs ../shared/data (IBM ArgKP-2021)")
def test_the_reports_matching_rule_is_scored_and_named(capsys):
    """The report matches a unit to its most probable candidate or to none; validation scores that rule (each
    argument's best key point at the threshold), the method the report names, with fold-chosen thresholds too."""
    assert cli.main(["validate", "matching", "--gold", str(ARGKP), "--json", "--scorer", "crossencoder_cosine",
                     "--scorer", "crossencoder_cosine_best", "--scorer", "crossencoder_best"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["report_method"] == "crossencoder_cosine_best"
    best, plain = result["methods"]["crossencoder_cosine_best"], result["methods"]["crossencoder_cosine"]
    assert {"cv_precision", "cv_recall", "cv_f1"} <= set(best) and best["threshold"] == plain["threshold"]
    assert best["precision"] > plain["precision"] and best["recall"] <= plain["recall"]
    assert "out-of-fold" in best["protocol"]  # the cross-encoder never scores a topic it learned from
    # weighing with the cosine is what the report uses because it ranks held-out topics better than the model alone
    assert best["roc_auc"] > result["methods"]["crossencoder_best"]["roc_auc"]


@needs_matching_model
def test_the_weighing_with_the_cosine_belongs_to_the_shipped_cross_encoder():
    """The weights were fitted on this cross-encoder's probabilities: retraining it without refitting them (make
    models does both) would weigh numbers of another scale."""
    import hashlib

    from opedlens.compare import match_score
    from opedlens.measure import crossencoder

    meta = match_score.load().meta
    assert meta["cross_encoder_sha256"] == hashlib.sha256(crossencoder.path_of("matching").read_bytes()).hexdigest()
    assert 0 < meta["related_threshold"] < meta["threshold"] < 1


def test_a_pair_on_another_subject_is_less_likely_the_same_point():
    """The cosine says whether two sentences are about the same thing at all; the cross-encoder alone does not."""
    from opedlens.compare import match_score

    model = match_score.MatchScore((0.3, 3.5), -2.5, {})
    same_subject, other_subject = model.probability([0.9, 0.9], [0.7, 0.2])
    assert same_subject > other_subject
    assert model.probability([0.2], [0.7])[0] < same_subject  # and the cross-encoder still counts
    assert np.isfinite(model.probability([0.0, 1.0], [0.5, 0.5])).all()  # certain probabilities are clipped


def test_a_damaged_weighing_file_is_named(tmp_path):
    from opedlens.compare import match_score
    from opedlens.errors import InputError

    broken = tmp_path / "matching-cosine.json"
    broken.write_text('{"weights": [1.0]}', encoding="utf-8")
    with pytest.raises(InputError, match="matching-cosine.json"):
        match_score.read(broken)


def test_only_a_units_best_candidate_can_be_matched():
    from opedlens.compare import align

    scored = {(0, 0): 0.9, (0, 1): 0.8, (1, 0): 0.85, (1, 1): 0.7}
    assert set(align.best_candidates(scored)) == {(0, 0), (0, 1), (1, 0)}  # (1, 1) is the best of neither unit
    assert align.greedy_pairs(align.best_candidates(scored), 0.5) == [(0, 0)]  # not (1, 1), a second choice
    ranked = align.best_candidate_scores([0.9, 0.8, 0.3, 0.6], ["a", "a", "b", "b"])
    assert ranked.tolist() == pytest.approx([0.9, -0.2, -0.7, 0.6])


@pytest.mark.skipif(not ARGKP.exists(), reason="needs ../shared/data (IBM ArgKP-2021)")
def test_validate_matching_checks_each_method_on_op_ed_pairs(capsys):
    """Debate-argument figures alone do not show a matcher reads op-ed prose: the developer-labelled seed pairs are
    scored too, each at the threshold the report uses."""
    assert cli.main(["validate", "matching", "--gold", str(ARGKP), "--json", "--scorer", "tfidf"]) == 0
    result = json.loads(capsys.readouterr().out)
    seeds = result["seed_pairs"]["tfidf"]
    assert seeds["n"] == 38 and 0 < seeds["n_same_point"] < 38
    assert {"roc_auc", "precision", "recall", "f1", "threshold"} <= set(seeds)
    assert seeds["threshold"] == result["methods"]["tfidf"]["threshold"]


def test_shared_points_are_asserted_only_when_the_op_ed_check_holds(monkeypatch):
    from opedlens.compare import align

    for auc, asserted in ((0.52, False), (0.75, True)):
        monkeypatch.setattr(align, "trust_figures", lambda method="minilm", validation=None, auc=auc: {
            "precision": 0.66, "recall": 0.48, "f1": 0.56, "roc_auc": 0.82, "where": "ArgKP",
            "op_ed": {"n": 38, "n_same_point": 19, "roc_auc": auc}})
        assert align.matching_validated("minilm") is asserted
        assert f"ROC AUC {auc:.2f}" in align.op_ed_check_text("minilm")
    monkeypatch.setattr(align, "trust_figures", lambda method="minilm", validation=None: {})
    assert align.matching_validated("minilm") is False and align.op_ed_check_text("minilm") == ""
