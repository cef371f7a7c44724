"""One more approach to "opposite sides", tried after issue 14: a cross-encoder fine-tuned to read a claim's stance
toward its topic, then pairs of claims scored from the two stances. Scored on IBM Claim Stance train with whole
topics held out, as ``disagreement_approaches.py`` scores the others.

The network is the matching model's (:mod:`opedlens.validate.crossencoder_train`: all-MiniLM-L6-v2 reading the topic
and the claim together, LoRA adapters in all six layers, one logit: the claim is PRO). Each fold trains on the claims
of the other folds' topics and on the 2,539 arguments of IBM ArgKP-2021 DEV with their stance (11 other debate
topics), and scores the claims of its own topics. A pair of claims on one topic is scored p_a (1 - p_b) + (1 - p_a)
p_b, the chance that exactly one of them is PRO. It needs PyTorch, so it runs in the training environment
(``make .venv-train/.installed`` first); 4 to 5 minutes a fold on 2 cores, about 23 in all:

    .venv-train/bin/python benchmarks/stance_crossencoder.py [--epochs 3]
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import pandas as pd

from opedlens.paths import GOLD_DIR

CLAIM_STANCE = GOLD_DIR / "arguments" / "ibm_claim_stance" / "train.csv"
ARGKP = GOLD_DIR / "arguments" / "ibm_argkp2021" / "dev.csv"
FOLDS = 5  # as disagreement_approaches.py


def _stance_examples(topics, texts, pro) -> pd.DataFrame:
    """Training pairs for the cross-encoder: (topic, claim, 1 when PRO)."""
    return pd.DataFrame({"text_a": list(topics), "text_b": list(texts), "label": np.asarray(pro, dtype=int)})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    if not CLAIM_STANCE.exists() or not ARGKP.exists():
        print(f"skipped: {CLAIM_STANCE} or {ARGKP} not found")
        return 0
    from sklearn.metrics import roc_auc_score

    from opedlens.validate import crossencoder_train, gold
    from opedlens.validate.pair_models import topic_folds

    from disagreement_approaches import at_held_out_threshold  # this script's folder is on the path

    claims = gold.read_claim_stance(CLAIM_STANCE).reset_index(drop=True)
    arguments = pd.read_csv(ARGKP).drop_duplicates(["topic", "argument"])
    extra = _stance_examples(arguments["topic"], arguments["argument"], arguments["stance"] == 1)
    fold_of = topic_folds(claims["topic_id"], FOLDS)
    claim_folds = claims["topic_id"].map(fold_of).to_numpy()
    pro = np.zeros(len(claims))
    print(f"{len(claims):,} claims of {claims['topic_id'].nunique()} topics, {FOLDS} folds by topic; "
          f"{len(extra):,} ArgKP arguments added to every fold's training; {args.epochs} epochs")
    for fold in range(FOLDS):
        started = time.perf_counter()
        train = claims[claim_folds != fold]
        examples = pd.concat([_stance_examples(train["topic"], train["claim"], train["stance"] == 1), extra],
                             ignore_index=True)
        network = crossencoder_train.fit(examples, args.epochs, seed=fold, log=lambda _: None)
        test = claim_folds == fold
        pro[test] = crossencoder_train.probabilities(network, claims.loc[test, "topic"], claims.loc[test, "claim"])
        print(f"  fold {fold}: {int(test.sum())} claims, stance ROC AUC "
              f"{roc_auc_score(claims.loc[test, 'stance'] == 1, pro[test]):.3f} "
              f"({time.perf_counter() - started:.0f} s)", flush=True)
    is_pro = claims["stance"].to_numpy() == 1
    print(f"stance of a claim toward its topic: ROC AUC {roc_auc_score(is_pro, pro):.3f}, accuracy "
          f"{((pro > 0.5) == is_pro).mean():.3f} (majority class {max(is_pro.mean(), 1 - is_pro.mean()):.3f})")
    pairs = gold.opposite_pairs(claims)
    position = dict(zip(claims["claim_id"], range(len(claims))))
    a, b = pairs["claim_a"].map(position).to_numpy(), pairs["claim_b"].map(position).to_numpy()
    labels = pairs["label"].to_numpy()
    opposite = pro[a] * (1 - pro[b]) + (1 - pro[a]) * pro[b]
    precision, recall = at_held_out_threshold(opposite, labels, pairs["topic_id"].map(fold_of).to_numpy())
    print(f"opposite sides, {len(pairs):,} pairs ({labels.mean():.0%} opposite): ROC AUC "
          f"{roc_auc_score(labels, opposite):.3f}, precision {precision:.3f}, recall {recall:.3f} (at the lowest "
          "threshold reaching precision 0.70 on the other folds' topics, else the best-F1 one); the target: "
          "AUC 0.70, precision 0.70 at recall 0.30")
    return 0


if __name__ == "__main__":
    sys.exit(main())
