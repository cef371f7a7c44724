"""Choose the weight of the labelled op-ed sentences in the evidence classifier's training data.

Usage::

    .venv/bin/python benchmarks/evidence_opinion_weight.py [--weights 0 1 2 4 8 16]

5-fold cross-validation grouped by article on the labelled op-ed sentences alone (``evidence-opinion-sentences.csv``,
rows with one of the model's four labels): each fold is predicted by the full classifier (prior and rules
included) fitted on IBM Debater's sentences plus the other folds' op-ed sentences at the given weight, and scored by
macro-F1 over the four labels. No Webis text is read.
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

from opedlens.measure import evidence  # noqa: E402
from opedlens.validate import training  # noqa: E402

FOLDS = 5
MODEL_LABELS = list(training.EVIDENCE_PRIOR)


def cross_validated_f1(weight: float, data, X) -> float:
    opinion = np.flatnonzero(data["source"].to_numpy() == "opinion")
    ibm = np.flatnonzero(data["source"].to_numpy() != "opinion")
    truth, predicted = [], []
    for train_part, test_part in GroupKFold(FOLDS).split(opinion, groups=data["group"].to_numpy()[opinion]):
        train_rows = np.concatenate([ibm, opinion[train_part]]) if weight else ibm
        test_rows = opinion[test_part]
        weights = np.where(data["source"].to_numpy()[train_rows] == "opinion", weight, 1.0)
        model = training.fit_evidence(X[train_rows], data["gold"].to_numpy()[train_rows],
                                      data["text"].to_numpy()[train_rows], sample_weight=weights)
        texts = data["text"].to_numpy()[test_rows].tolist()
        p = evidence.probabilities(model, X[test_rows], texts)
        predicted += [evidence.LABELS[k] for k in p.argmax(1)]
        truth += data["label"].to_numpy()[test_rows].tolist()
    return f1_score(truth, predicted, labels=MODEL_LABELS, average="macro")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", type=float, nargs="+", default=[0, 1, 2, 4, 8, 16])
    args = parser.parse_args()
    data = training.evidence_training_set(opinion_weight=1.0)
    X = training.evidence_features(data["text"])
    n = int((data["source"] == "opinion").sum())
    print(f"{n} labelled op-ed sentences with a model label, {len(data) - n} IBM sentences; "
          f"{FOLDS}-fold CV grouped by article, macro-F1 over {', '.join(MODEL_LABELS)}")
    for weight in args.weights:
        print(f"  weight {weight:g}: {cross_validated_f1(weight, data, X):.3f}")


if __name__ == "__main__":
    main()
