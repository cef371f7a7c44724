"""Fitting what decides "the same point" (:mod:`opedlens.compare.match_score`): the cross-encoder's probability and
the MiniLM cosine, weighed by a logistic regression (``opedlens train --only matching-cosine``).

* Weights: fitted on the IBM CE-EMNLP-2015 pairs of the train motions (:func:`opedlens.validate.alignment.ibm_pairs`:
  claim / evidence prose, which the cross-encoder never saw), scikit-learn's default C = 1.0, not tuned.
* Threshold: the one maximising F1 on IBM ArgKP-2021 (the file the cross-encoder was cross-validated on), from the
  cross-encoder's out-of-fold scores, as the cross-encoder's own threshold is chosen; ``cross_validation`` gives the
  figures with each fold's threshold chosen on the other folds' topics.
* Held-out check: ROC AUC of the blend, the cross-encoder and the cosine on the pairs of the held-out IBM motions.

The pairs are read as the report reads them (actors written by their labels for the cross-encoder).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from opedlens.compare import align, match_score
from opedlens.errors import InputError
from opedlens.files import write_atomic
from opedlens.measure import crossencoder
from opedlens.validate import alignment, gold
from opedlens.validate.pair_measures import model_scores
from opedlens.validate.pair_models import ARGKP, cross_validated_figures, related_threshold

C = 1.0  # scikit-learn's default regularisation, not tuned


def cross_encoder_probabilities(texts_a, texts_b) -> np.ndarray:
    """The shipped cross-encoder's probability of each pair, read as the report reads it."""
    model = crossencoder.load(align.RERANKER)
    return model.score(align.actors_by_label(list(texts_a)), align.actors_by_label(list(texts_b)))


def argkp_out_of_fold(model_meta: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(cross-encoder out-of-fold probability, cosine, label, fold) of every ArgKP pair the cross-encoder was
    cross-validated on (the scores ``opedlens validate matching`` reads)."""
    frame = gold.read_argkp(gold.training_data(ARGKP))
    a, b = frame["text_a"].tolist(), frame["text_b"].tolist()
    probability, protocol = model_scores(align.RERANKER, a, b)
    if not protocol.startswith("out-of-fold"):
        raise InputError(f"not every ArgKP pair has an out-of-fold score here ({protocol}): retrain the "
                         "cross-encoder first (make models)", crossencoder.path_of(align.RERANKER))
    folds = frame["topic"].map(model_meta["fold_of_topic"]).to_numpy()
    return probability, align.pair_scores(a, b, "minilm"), frame["label"].to_numpy(), folds


def train(path: Path = match_score.PATH, log=print) -> dict:
    """Fit, check and write the model (see the module docstring); returns its metadata."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    pairs = alignment.ibm_pairs()
    pairs["probability"] = cross_encoder_probabilities(pairs["text_a"], pairs["text_b"])
    pairs["cosine"] = align.pair_scores(pairs["text_a"].tolist(), pairs["text_b"].tolist(), "minilm")
    train_part, test_part = pairs[pairs["split"] == "train"], pairs[pairs["split"] == "test"]
    fitted = LogisticRegression(C=C).fit(match_score.features(train_part["probability"], train_part["cosine"]),
                                         train_part["label"])
    model = match_score.MatchScore(tuple(float(w) for w in fitted.coef_[0]), float(fitted.intercept_[0]), {})
    held_out = {name: round(float(roc_auc_score(test_part["label"], scores)), 4) for name, scores in (
        ("blend", model.probability(test_part["probability"], test_part["cosine"])),
        ("cross_encoder", test_part["probability"]), ("cosine", test_part["cosine"]))}
    log(f"matching-cosine: weights {model.weights}, intercept {model.intercept:.4f}; ROC AUC on the held-out "
        f"IBM CE-EMNLP-2015 motions {held_out}")
    reranker = crossencoder.path_of(align.RERANKER)
    probability, cosine, labels, folds = argkp_out_of_fold(crossencoder.load(align.RERANKER).meta)
    blended = model.probability(probability, cosine)
    cv = cross_validated_figures(blended, labels, folds)
    log(f"matching-cosine: IBM ArgKP-2021, cross-encoder out of fold: {cv}")
    meta = {"task": "matching-cosine", "features": ["cross-encoder log-odds", "MiniLM cosine"],
            "weights": list(model.weights), "intercept": model.intercept, "C": C,
            "training_sets": ["arguments/ibm_ce_emnlp2015 (train motions)"],
            "n_train": int(len(train_part)), "cross_encoder": reranker.name,
            "cross_encoder_sha256": hashlib.sha256(reranker.read_bytes()).hexdigest(),
            "threshold": cv["threshold"], "related_threshold": related_threshold(blended, labels),
            "cross_validation": cv, "ibm_held_out_motions": {"n": int(len(test_part)), "roc_auc": held_out},
            "protocol": "weights fitted on IBM CE-EMNLP-2015 pairs of the train motions; threshold maximising F1 "
                        "on IBM ArgKP-2021 with the cross-encoder's out-of-fold scores (topics it never saw)"}
    write_atomic(path, (json.dumps(meta, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    match_score.load.cache_clear()
    return meta

