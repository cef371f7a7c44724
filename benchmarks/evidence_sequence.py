"""Would reading sentences in order help the evidence classifier? A tried-and-dropped idea, kept reproducible.

In Webis-Editorials-16 the unit types come in runs (an anecdote is followed by another far more often than the
label's share predicts), and the shipped classifier reads each sentence alone. This script tests a hidden Markov
model over each article's sentence order:

- emissions: the shipped classifier's six probabilities divided by their mean (its label mix);
- transitions: learned without labels, by EM (Baum-Welch, transitions only, a weak Dirichlet pull towards the
  label mix), from the order of the 2,447 NYT editorial sentences (230 editorials; MIT licence) — no Webis text;
- decision: the label with the highest posterior (forward-backward), per article.

It then scores the Webis DEV units (in editorial order) once, with and without the model, and prints both.

    .venv/bin/python benchmarks/evidence_sequence.py

Measured (3 Dec 2026): macro-F1 0.483 alone, 0.467 with the sequence model (anecdote 0.492 -> 0.475, other 0.354
-> 0.260: the runs NYT's order teaches favour the majority label), so it did not ship.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import f1_score

from opedlens.measure import evidence
from opedlens.paths import GOLD_DIR
from opedlens.validate import gold

ITERATIONS = 50
PSEUDO_COUNT = 5.0


def posteriors(emission: np.ndarray, transition: np.ndarray, start: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Forward-backward on one article: (n, k) label posteriors and the (k, k) expected transition counts."""
    n, k = emission.shape
    forward, backward, scale = np.zeros((n, k)), np.ones((n, k)), np.zeros(n)
    forward[0] = start * emission[0]
    for i in range(n):
        if i:
            forward[i] = (forward[i - 1] @ transition) * emission[i]
        scale[i] = forward[i].sum()
        forward[i] /= scale[i]
    for i in range(n - 2, -1, -1):
        backward[i] = transition @ (emission[i + 1] * backward[i + 1]) / scale[i + 1]
    posterior = forward * backward
    posterior /= posterior.sum(1, keepdims=True)
    counts = np.zeros((k, k))
    for i in range(n - 1):
        joint = forward[i][:, None] * transition * (emission[i + 1] * backward[i + 1])[None, :]
        counts += joint / joint.sum()
    return posterior, counts


def learn_transitions(articles: list[np.ndarray], mix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """EM for the transition matrix and the first sentence's label distribution, emissions held fixed."""
    transition, start = np.tile(mix, (len(mix), 1)), mix.copy()
    for _ in range(ITERATIONS):
        counts, first = PSEUDO_COUNT * np.tile(mix, (len(mix), 1)), PSEUDO_COUNT * mix
        for emission in articles:
            posterior, expected = posteriors(emission, transition, start)
            counts += expected
            first += posterior[0]
        transition, start = counts / counts.sum(1, keepdims=True), first / first.sum()
    return transition, start


def classifier_probabilities(texts: list[str]) -> np.ndarray:
    return evidence.probabilities(evidence.shipped_model(), evidence.features(texts), texts)


def main() -> int:
    nyt_path = GOLD_DIR / "sentiment" / "nyt_editorials" / "ground_truth_dev.tsv"
    webis_path = GOLD_DIR / "arguments" / "webis_editorials16" / "dev"
    if not nyt_path.is_file() or not webis_path.is_dir():
        print(f"skipped: {nyt_path} or {webis_path} not found")
        return 0
    nyt = gold.read_valence(nyt_path)
    nyt[["article", "sentence"]] = nyt["id"].str.split("_", expand=True).astype(int)
    nyt = nyt.sort_values(["article", "sentence"]).reset_index(drop=True)
    p_nyt = classifier_probabilities(nyt["text"].tolist())
    mix = p_nyt.mean(0)
    transition, start = learn_transitions([p_nyt[rows] / mix for rows in nyt.groupby("article").indices.values()],
                                          mix)
    labels = list(evidence.LABELS)
    print("transitions learned from the NYT editorials' sentence order (row: this sentence, column: the next)")
    print(pd.DataFrame(transition, index=labels, columns=labels).round(2).to_string())

    webis = gold.read_webis(webis_path).sort_values(["doc_id", "number"]).reset_index(drop=True)
    p_webis = classifier_probabilities(webis["text"].tolist())
    smoothed = np.zeros_like(p_webis)
    for rows in webis.groupby("doc_id").indices.values():
        smoothed[rows] = posteriors(p_webis[rows] / mix, transition, start)[0]
    for name, p in (("sentence alone", p_webis), ("in sentence order", smoothed)):
        predicted = np.array(labels)[p.argmax(1)]
        per_label = f1_score(webis["label"], predicted, labels=labels, average=None)
        print(f"Webis DEV, {name}: macro-F1 {per_label.mean():.3f} ("
              + ", ".join(f"{label} {f1:.3f}" for label, f1 in zip(labels, per_label)) + ")")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
