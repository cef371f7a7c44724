"""Training the fine-tuned evidence classifier (``make models``; PyTorch on the CPU, in ``.venv-train``).

The same open training sentences as ``evidence.npz`` (:func:`opedlens.validate.training.evidence_training_set`: IBM
Debater CE-EMNLP-2015 claims and evidence, and the op-ed sentences labelled by the developers at weight 4), but
read by MiniLM itself rather than by a logistic regression on its frozen sentence vector: LoRA adapters in the top
:data:`TRAINED_LAYERS` layers, BERT's pooler and a four-way output, :data:`EPOCHS` epochs, classes balanced on their
summed weights. What ships (``models/evidence-tuned.npz``) is plain arrays that
:class:`opedlens.measure.crossencoder.SentenceClassifier` runs without PyTorch. Its choice over the logistic
regression was made on the labelled op-ed sentences alone (``benchmarks/evidence_tuned_cv.py``); no Webis text is
read.
"""

from __future__ import annotations

from typing import Callable

from opedlens.paths import MODELS_DIR

NAME = "evidence-tuned"
TRAINED_LAYERS = 2
EPOCHS = 3


def train(out_dir=MODELS_DIR, log: Callable[[str], None] = print) -> dict:
    """Fit and save ``evidence-tuned.npz``; returns its metadata."""
    from opedlens.measure import evidence
    from opedlens.validate import crossencoder_train, training

    data = training.evidence_training_set()
    classes = sorted(int(c) for c in data["gold"].unique())
    index = {c: k for k, c in enumerate(classes)}
    log(f"{NAME}: {len(data):,} sentences, {EPOCHS} epochs, adapters in the top {TRAINED_LAYERS} layers")
    network = crossencoder_train.fit_classifier(data["text"].tolist(), data["gold"].map(index).to_numpy(),
                                                data["weight"].to_numpy(), len(classes), EPOCHS, training.SEED,
                                                TRAINED_LAYERS, log)
    meta = {"task": "evidence", "classes": classes, "labels": [evidence.LABELS[c] for c in classes],
            "n_train": len(data), "epochs": EPOCHS, "seed": training.SEED,
            "opinion_weight": training.EVIDENCE_OPINION_WEIGHT,
            "training_sets": [training.EVIDENCE_SET, "data/evidence-opinion-sentences.csv"],
            "n_per_source": {k: int(v) for k, v in sorted(data["source"].value_counts().items())}}
    crossencoder_train.save_classifier(network, out_dir / f"{NAME}.npz", meta)
    return meta
