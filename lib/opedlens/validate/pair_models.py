"""The pair models, trained and cross-validated by topic (``make models``): "same point" and "opposite sides".

* ``matching``: does sentence A make the point of sentence B? A cross-encoder (:mod:`opedlens.measure.crossencoder`)
  trained on IBM ArgKP-2021 (argument, key point) pairs. (Adding the IBM CE-EMNLP-2015 claim/evidence pairs, a
  claim and the evidence for it, made a worse matcher of "the same point" on held-out ArgKP topics.)
* ``opposition``: do claims A and B, on one topic, take opposite sides? A cross-encoder trained on every pair of
  claims of a topic in IBM Claim Stance (label: their stances differ).

Each is cross-validated with whole topics held out (:data:`FOLDS` folds): every training pair gets an
out-of-fold score from a model that never saw its topic. Those scores ship with the model (keyed by a hash of
the pair), so ``opedlens validate`` scores the training file honestly without PyTorch, and the threshold the
report uses is the one that maximises F1 on them: chosen on held-out topics, never on the pairs reported. The
shipped model is then trained on every topic.
"""

from __future__ import annotations

import hashlib
from typing import Callable

import numpy as np
import pandas as pd

from opedlens.paths import MODELS_DIR

FOLDS = 4
SEED = 0
ARGKP = "arguments/ibm_argkp2021/dev.csv"
CLAIM_STANCE = "arguments/ibm_claim_stance/train.csv"
SETTINGS = {
    "matching": {"epochs": 3, "max_pairs_per_topic": None},
    "opposition": {"epochs": 1, "max_pairs_per_topic": 600},
}
Log = Callable[[str], None]


def pair_key(text_a: str, text_b: str) -> str:
    """A 64-bit hash of an unordered pair of texts (whitespace collapsed), as 16 hex digits."""
    a, b = sorted((" ".join(str(text_a).split()), " ".join(str(text_b).split())))
    return hashlib.sha256(f"{a}\x1f{b}".encode()).hexdigest()[:16]


def matching_pairs() -> pd.DataFrame:
    """ArgKP pairs (text_a, text_b, label, group = topic), to cross-validate and train on."""
    from opedlens.validate import gold

    return gold.read_argkp(gold.training_data(ARGKP))[["text_a", "text_b", "label", "group"]]


def opposition_pairs(max_per_topic: int | None, seed: int = SEED) -> pd.DataFrame:
    """Claim Stance pairs of one topic (label 1: opposite sides), at most ``max_per_topic`` per topic (drawn
    with ``seed``) to train on; all of them are scored."""
    from opedlens.validate import gold

    pairs = gold.opposite_pairs(gold.read_claim_stance(gold.training_data(CLAIM_STANCE)))
    if max_per_topic is None:
        return pairs
    rng = np.random.default_rng(seed)
    keep = [group.iloc[np.sort(rng.choice(len(group), min(len(group), max_per_topic), replace=False))]
            for _, group in pairs.groupby("group", sort=True)]
    return pd.concat(keep, ignore_index=True)


def topic_folds(groups, n_folds: int = FOLDS) -> dict[str, int]:
    """Topic -> fold, topics in sorted order dealt round-robin (deterministic)."""
    return {topic: k % n_folds for k, topic in enumerate(sorted(set(groups)))}


def best_f1_threshold(scores: np.ndarray, labels: np.ndarray) -> float:
    """The threshold maximising F1 of score >= threshold (see :func:`opedlens.validate.alignment.choose_threshold`)."""
    from opedlens.validate.alignment import choose_threshold

    return choose_threshold(scores, labels)


def figures(scores: np.ndarray, labels: np.ndarray, threshold: float) -> dict:
    """n, ROC AUC, average precision, and precision / recall / F1 at ``threshold``."""
    from sklearn.metrics import average_precision_score, roc_auc_score

    from opedlens.validate.alignment import prf

    return {"n": int(len(labels)), "roc_auc": round(float(roc_auc_score(labels, scores)), 4),
            "average_precision": round(float(average_precision_score(labels, scores)), 4),
            **prf(scores, labels, threshold), "threshold": round(float(threshold), 4)}


def cross_validated_figures(scores: np.ndarray, labels: np.ndarray, folds: np.ndarray) -> dict:
    """Figures of out-of-fold ``scores`` where each fold's threshold is chosen on the other folds' scores (so no
    pair is judged by a threshold fitted on its own topic); plus the threshold chosen on all of them."""
    called = np.zeros(len(scores), dtype=bool)
    for fold in np.unique(folds):
        inside = folds == fold
        called[inside] = scores[inside] >= best_f1_threshold(scores[~inside], labels[~inside])
    from opedlens.validate.alignment import prf

    result = figures(scores, labels, best_f1_threshold(scores, labels))
    nested = prf(called.astype(float), labels, 0.5)
    return result | {f"cv_{k}": v for k, v in nested.items()}


RELATED_RECALL = 0.8  # the looser "related" threshold keeps this share of the true pairs


def related_threshold(scores: np.ndarray, labels: np.ndarray) -> float:
    """The highest score threshold that keeps :data:`RELATED_RECALL` of the true pairs (out-of-fold): the report
    looks for possible disagreements among pairs this related, since opposing claims are less alike."""
    from opedlens.validate.alignment import threshold_at_recall

    return threshold_at_recall(scores, labels, RELATED_RECALL)


def train(task: str, out_dir=MODELS_DIR, log: Log = print, folds: int = FOLDS, seed: int = SEED) -> dict:
    """Cross-validate and train one pair model (``matching`` or ``opposition``); writes ``models/<task>.npz``
    and returns its metadata."""
    from opedlens.validate import crossencoder_train as T

    settings = SETTINGS[task]
    extra = None  # pairs trained on in every fold but never scored (none at present)
    if task == "matching":
        scored, sources = matching_pairs(), [ARGKP]
    else:
        scored, sources = opposition_pairs(None, seed), [CLAIM_STANCE]
    train_pool = opposition_pairs(settings["max_pairs_per_topic"], seed) if task == "opposition" else scored
    fold_of = topic_folds(scored["group"], folds)
    oof = np.full(len(scored), np.nan)
    for fold in range(folds):
        held = scored["group"].map(fold_of).to_numpy() == fold
        training = train_pool[train_pool["group"].map(fold_of) != fold]
        if extra is not None:
            training = pd.concat([training, extra], ignore_index=True)
        log(f"{task}: fold {fold + 1}/{folds}: training on {len(training):,} pairs, scoring {int(held.sum()):,} "
            f"pairs of {len({g for g, f in fold_of.items() if f == fold})} held-out topic(s)")
        network = T.fit(training, settings["epochs"], seed + fold, log)
        oof[held] = T.probabilities(network, scored["text_a"][held], scored["text_b"][held])
    labels = scored["label"].to_numpy()
    result = cross_validated_figures(oof, labels, scored["group"].map(fold_of).to_numpy())
    log(f"{task}: out-of-fold {result}")
    everything = pd.concat([train_pool, extra], ignore_index=True) if extra is not None else train_pool
    log(f"{task}: training the shipped model on {len(everything):,} pairs")
    network = T.fit(everything, settings["epochs"], seed + folds, log)
    keys = [pair_key(a, b) for a, b in zip(scored["text_a"], scored["text_b"])]
    meta = {"task": task, "training_sets": sources, "n_train": int(len(everything)), "seed": seed,
            "epochs": settings["epochs"], "folds": folds, "fold_of_topic": fold_of,
            "threshold": result["threshold"], "related_threshold": related_threshold(oof, labels),
            "cross_validation": result,
            "out_of_fold": dict(zip(keys, [round(float(s), 5) for s in oof])),
            "protocol": f"{folds}-fold cross-validation with whole topics held out; threshold maximising F1 on "
                        "the out-of-fold scores"}
    T.save(network, out_dir / f"{task}.npz", meta)
    return meta
