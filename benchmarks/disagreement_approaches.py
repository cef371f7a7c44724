"""Each approach to "opposite sides" tried for issue 14, scored on IBM Claim Stance train with topics held out.

Every pair of claims within one topic is a pair; its label is 1 when their stances differ (46% are). Each learned
approach is cross-validated with whole topics held out (5 folds), so every score is from a model that never saw the
topic. Printed: ROC AUC and, where the approach gives a decision, precision and recall. None reaches the issue's
target (AUC >= 0.70, precision >= 0.70 at recall >= 0.30), which is why the report asserts no disagreement. A
fine-tuned stance cross-encoder, which needs PyTorch, is scored the same way by ``stance_crossencoder.py``.

    .venv/bin/python benchmarks/disagreement_approaches.py
"""

from __future__ import annotations

import re
import sys

import numpy as np
import pandas as pd

from opedlens.paths import GOLD_DIR

CLAIM_STANCE = GOLD_DIR / "arguments" / "ibm_claim_stance" / "train.csv"
FOLDS = 5
TARGET_PRECISION = 0.70


def _threshold_for_precision(scores: np.ndarray, labels: np.ndarray) -> float:
    """The lowest threshold whose precision is at least the target (on the pairs given), else the best-F1 one."""
    from opedlens.validate.pair_models import best_f1_threshold

    order = np.argsort(-scores)
    precision = np.cumsum(labels[order]) / np.arange(1, len(order) + 1)
    ok = np.where(precision >= TARGET_PRECISION)[0]
    return float(scores[order][ok[-1]]) if len(ok) else best_f1_threshold(scores, labels)


def at_held_out_threshold(scores: np.ndarray, labels: np.ndarray, folds: np.ndarray) -> tuple[float, float]:
    """Precision and recall when each fold is called at a threshold chosen on the other folds' topics."""
    from sklearn.metrics import precision_score, recall_score

    called = np.zeros(len(labels), bool)
    for fold in np.unique(folds):
        inside = folds == fold
        called[inside] = scores[inside] >= _threshold_for_precision(scores[~inside], labels[~inside])
    return (float(precision_score(labels, called, zero_division=0)),
            float(recall_score(labels, called, zero_division=0)))


def main() -> int:
    if not CLAIM_STANCE.exists():
        print(f"skipped: {CLAIM_STANCE} not found")
        return 0
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import precision_score, recall_score, roc_auc_score

    from opedlens.compare import align
    from opedlens.measure import embed, lexicon, scorers, targeted
    from opedlens.validate import gold
    from opedlens.validate.pair_models import topic_folds

    claims = gold.read_claim_stance(CLAIM_STANCE)
    pairs = gold.opposite_pairs(claims)
    labels = pairs["label"].to_numpy()
    print(f"{len(pairs):,} pairs of claims within {claims['topic_id'].nunique()} topics; "
          f"{labels.mean():.0%} take opposite sides")
    rows = []

    cue = np.array([bool(align.polarity_conflict(a, b)) for a, b in zip(pairs["text_a"], pairs["text_b"])])
    rows.append(("cue words (shipped)", roc_auc_score(labels, cue), precision_score(labels, cue),
                 recall_score(labels, cue)))

    texts = claims["claim"].tolist()
    vectors, topic_vectors = embed.sentence_vectors(texts), embed.sentence_vectors(claims["topic"].tolist())
    vader, accurate = np.array(lexicon.vader_compound(texts)), scorers.score("accurate", texts)
    position = dict(zip(claims["claim_id"], range(len(claims))))
    a, b = pairs["claim_a"].map(position).to_numpy(), pairs["claim_b"].map(position).to_numpy()
    fold_of = topic_folds(claims["topic_id"], FOLDS)
    claim_folds, pair_folds = claims["topic_id"].map(fold_of).to_numpy(), pairs["topic_id"].map(fold_of).to_numpy()

    for name, sentiment in (("VADER", vader), ("accurate", accurate)):
        opposite = -(sentiment[a] * sentiment[b])
        rows.append((f"opposite sentiment ({name}): -(s_a * s_b)", roc_auc_score(labels, opposite), None, None))

    stance = claims["stance"].to_numpy()
    features = np.c_[vectors * topic_vectors, np.abs(vectors - topic_vectors), vectors, vader, accurate]
    pro = np.zeros(len(claims))
    for fold in range(FOLDS):
        train, test = claim_folds != fold, claim_folds == fold
        model = LogisticRegression(C=0.5, max_iter=3000).fit(features[train], stance[train])
        pro[test] = model.predict_proba(features[test])[:, 1]
    accuracy = ((pro > 0.5) == (stance == 1)).mean()
    majority = max((stance == 1).mean(), (stance == -1).mean())
    from_stance = pro[a] * (1 - pro[b]) + (1 - pro[a]) * pro[b]
    precision, recall = at_held_out_threshold(from_stance, labels, pair_folds)
    rows.append((f"stance toward the topic (accuracy {accuracy:.3f}, majority {majority:.3f}), then pairs",
                 roc_auc_score(labels, from_stance), precision, recall))

    negated = np.array([len(align._cues(align.NEGATION, t)) > 0 for t in texts], dtype=float)
    pair_features = np.c_[np.abs(vectors[a] - vectors[b]), vectors[a] * vectors[b], (vectors[a] * vectors[b]).sum(1),
                          np.abs(vader[a] - vader[b]), vader[a] * vader[b], accurate[a] * accurate[b],
                          np.abs(accurate[a] - accurate[b]), negated[a] != negated[b]]
    scores = np.zeros(len(pairs))
    for fold in range(FOLDS):
        train, test = pair_folds != fold, pair_folds == fold
        model = LogisticRegression(C=0.1, max_iter=3000).fit(pair_features[train], labels[train])
        scores[test] = model.predict_proba(pair_features[test])[:, 1]
    precision, recall = at_held_out_threshold(scores, labels, pair_folds)
    rows.append(("features of the pair (embeddings, sentiment, negation), logistic", roc_auc_score(labels, scores),
                 precision, recall))

    raw = pd.read_csv(CLAIM_STANCE)
    target_sentiment = dict(zip(raw["claim_id"].astype(str), raw["topic_sentiment"]))
    found = [(c.claim_id, c.claim, m.start(), m.end()) for c in claims.itertuples()
             if (m := re.search(re.escape(c.target), c.claim, re.I))]
    toward = targeted.predict_targets([f[1] for f in found], [f[2] for f in found], [f[3] for f in found])["score"]
    signed = {f[0]: s * target_sentiment[str(f[0])] for f, s in zip(found, toward.to_numpy())}
    both = pairs[pairs["claim_a"].isin(signed) & pairs["claim_b"].isin(signed)]
    opposite = [-(signed[x] * signed[y]) for x, y in zip(both["claim_a"], both["claim_b"])]
    rows.append((f"targeted sentiment toward the topic's target (pairs where both name it: "
                 f"{len(both) / len(pairs):.1%})", roc_auc_score(both["label"], opposite), None, None))

    print(f"\n{'approach':92s} {'ROC AUC':>8s} {'precision':>10s} {'recall':>7s}")
    for name, auc, precision, recall in rows:
        shown = (f"{precision:>10.3f} {recall:>7.3f}" if precision is not None else f"{'':>10s} {'':>7s}")
        print(f"{name:92s} {auc:>8.3f} {shown}")
    print("\nprecision and recall of learned scores: at the lowest threshold reaching precision 0.70 on the other "
          "folds' topics (else the best-F1 one)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
