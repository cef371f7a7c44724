"""Choose between the evidence classifiers on the labelled op-ed sentences: the logistic regression on MiniLM's
frozen sentence vector (``evidence.npz``) or MiniLM fine-tuned (``evidence-tuned.npz``).

Usage (PyTorch is needed, as for ``make models``)::

    .venv-train/bin/python benchmarks/evidence_tuned_cv.py [--folds 0 1 2 3 4]

5-fold cross-validation grouped by article on the labelled op-ed sentences (``evidence-opinion-sentences.csv``,
rows with one of the model's four labels), as ``benchmarks/evidence_opinion_weight.py``: each fold is predicted
by a model fitted on IBM Debater's sentences plus the other folds' op-ed sentences (weight 4), through the same
op-ed prior, quotation boost and rules, and scored by macro-F1 over the four labels. No Webis text is read. About
six minutes a fold on two cores.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from sklearn.metrics import f1_score  # noqa: E402
from sklearn.model_selection import GroupKFold  # noqa: E402

from opedlens.measure import crossencoder, evidence  # noqa: E402
from opedlens.validate import crossencoder_train, evidence_tuned, training  # noqa: E402

FOLDS = 5
MODEL_LABELS = list(training.EVIDENCE_PRIOR)


class _Fitted:
    """A fold's fine-tuned network behind the interface :func:`opedlens.measure.evidence.probabilities` reads."""

    def __init__(self, network, classes):
        self.network, self.meta = network, {"classes": classes}

    def probabilities(self, texts) -> np.ndarray:
        return crossencoder.softmax(crossencoder_train.classifier_logits(self.network, texts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, nargs="+", default=list(range(FOLDS)))
    args = parser.parse_args()
    data = training.evidence_training_set().reset_index(drop=True)
    X = training.evidence_features(data["text"])
    classes = sorted(int(c) for c in data["gold"].unique())
    index = {c: k for k, c in enumerate(classes)}
    opinion = np.flatnonzero(data["source"].to_numpy() == "opinion")
    ibm = np.flatnonzero(data["source"].to_numpy() != "opinion")
    found = {"logistic": ([], []), "fine-tuned": ([], [])}
    splits = GroupKFold(FOLDS).split(opinion, groups=data["group"].to_numpy()[opinion])
    for fold, (train_part, test_part) in enumerate(splits):
        if fold not in args.folds:
            continue
        rows, test = np.concatenate([ibm, opinion[train_part]]), opinion[test_part]
        texts, weights = data["text"].to_numpy()[rows].tolist(), data["weight"].to_numpy()[rows]
        logistic = training.fit_evidence(X[rows], data["gold"].to_numpy()[rows], texts, sample_weight=weights)
        network = crossencoder_train.fit_classifier(
            texts, data["gold"].iloc[rows].map(index).to_numpy(), weights,
            len(classes), evidence_tuned.EPOCHS, training.SEED, evidence_tuned.TRAINED_LAYERS, log=lambda m: None)
        test_texts, truth = data["text"].to_numpy()[test].tolist(), data["label"].to_numpy()[test].tolist()
        for name, tuned in (("logistic", None), ("fine-tuned", _Fitted(network, classes))):
            p = evidence.probabilities(logistic, X[test], test_texts, tuned)
            found[name][0].extend(truth)
            found[name][1].extend(evidence.LABELS[k] for k in p.argmax(1))
        print(f"fold {fold} ({len(test)} sentences): " + ", ".join(
            f"{name} {f1_score(t, p, labels=MODEL_LABELS, average='macro'):.3f}" for name, (t, p) in found.items()),
            flush=True)
    for name, (truth, predicted) in found.items():
        per_label = f1_score(truth, predicted, labels=MODEL_LABELS, average=None)
        print(f"{name}: macro-F1 {f1_score(truth, predicted, labels=MODEL_LABELS, average='macro'):.3f} ("
              + ", ".join(f"{label} {value:.3f}" for label, value in zip(MODEL_LABELS, per_label)) + ")")


if __name__ == "__main__":
    main()
