"""Throughput and peak memory of the argument measures issue 14 added: the matching cross-encoder, the
recommendation rules and the fine-tuned evidence classifier.

Each measurement runs in a fresh process (so peak memory is its own): the model is loaded first (reported
separately), then the items are scored once:

* ``matching``: N (argument, key point) pairs resampled with a fixed seed from ArgKP-2021 DEV in ../shared/data,
  scored by the shipped cross-encoder (``lib/opedlens/models/matching.npz``; both orders, as the report does), then
  weighed with their cosine (``matching-cosine.json``; the cosines, which the report already has, are not timed);
* ``recommendations``: the sentences of the recommendations gold set (shipped in lib/opedlens/data), parsed by
  spaCy and read by the rules; the rules alone are timed too;
* ``evidence``: the labelled op-ed sentences (lib/opedlens/data/evidence-opinion-sentences.csv) classified by the
  fine-tuned evidence model (``evidence-tuned.npz``) alone, and the whole classifier with and without it (the
  MiniLM sentence vectors it also reads computed once, untimed, as the measure stage shares them).

    .venv/bin/python benchmarks/argument_speed.py [--pairs 400]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time


from opedlens.paths import GOLD_DIR

ARGKP = GOLD_DIR / "arguments" / "ibm_argkp2021" / "dev.csv"


def _peak_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def measure_matching(n: int) -> dict:
    import pandas as pd

    from opedlens.compare import align, match_score
    from opedlens.measure import crossencoder

    pairs = pd.read_csv(ARGKP).sample(n=n, replace=True, random_state=0)
    started = time.perf_counter()
    model = crossencoder.load("matching")
    model.score(pairs["argument"][:2], pairs["key_point"][:2])
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    probabilities = model.score(pairs["argument"], pairs["key_point"])
    seconds = time.perf_counter() - started
    weighing = {}
    if match_score.available():  # the report weighs each probability with the pair's cosine, which it already has
        cosines = align.pair_scores(pairs["argument"].tolist(), pairs["key_point"].tolist(), "minilm")
        started = time.perf_counter()
        match_score.load().probability(probabilities, cosines)
        weighing = {"weighing_per_second": round(n / max(time.perf_counter() - started, 1e-9))}
    return {"what": "matching cross-encoder", "n": n, "unit": "pairs", "load_s": round(loaded, 2),
            "seconds": round(seconds, 2), "per_second": round(n / seconds), "peak_rss_mb": _peak_mb(), **weighing}


def measure_recommendations() -> dict:
    from opedlens.measure import nlp, recommendations
    from opedlens.validate import gold, sentence_measures

    texts = gold.read_recommendations(sentence_measures.RECOMMENDATIONS_GOLD)["text"].tolist()
    started = time.perf_counter()
    nlp.load()
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    docs = nlp.parse(texts)
    parsed = time.perf_counter() - started
    for doc in docs:
        recommendations._sentence_rows(doc, [doc], 0)
    seconds = time.perf_counter() - started
    return {"what": "recommendations (parse + rules)", "n": len(texts), "unit": "sentences",
            "load_s": round(loaded, 2), "seconds": round(seconds, 2), "per_second": round(len(texts) / seconds),
            "rules_per_second": round(len(texts) / (seconds - parsed)), "peak_rss_mb": _peak_mb()}


def measure_evidence() -> dict:
    from opedlens.measure import embed, evidence
    from opedlens.validate import training

    texts = training.evidence_opinion_sentences()["text"].tolist()
    started = time.perf_counter()
    tuned = evidence.shipped_tuned()
    tuned.probabilities(texts[:2])
    loaded = time.perf_counter() - started
    vectors = embed.sentence_vectors(texts)
    started = time.perf_counter()
    tuned.probabilities(texts)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    evidence.classify(texts, vectors, model=evidence.shipped_model())
    logistic = time.perf_counter() - started
    started = time.perf_counter()
    evidence.classify(texts, vectors)
    whole = time.perf_counter() - started
    return {"what": "evidence (fine-tuned MiniLM)", "n": len(texts), "unit": "sentences", "load_s": round(loaded, 2),
            "seconds": round(seconds, 2), "per_second": round(len(texts) / seconds),
            "classifier_per_second": round(len(texts) / whole),
            "logistic_per_second": round(len(texts) / logistic), "peak_rss_mb": _peak_mb()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=400, help="pairs scored by the matching cross-encoder")
    parser.add_argument("--one", nargs=2, metavar=("WHAT", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        what, n = args.one
        measures = {"matching": lambda: measure_matching(int(n)), "recommendations": measure_recommendations,
                    "evidence": measure_evidence}
        print(json.dumps(measures[what]()))
        return 0
    from opedlens.measure import crossencoder, evidence

    plan = [("recommendations", 0)] + ([("evidence", 0)] if crossencoder.available(evidence.TUNED) else [])
    if crossencoder.available("matching") and ARGKP.exists():
        plan.insert(0, ("matching", args.pairs))
    else:
        print("matching: skipped (no shipped matching model, or ArgKP not in ../shared/data)")
    print(f"{'measure':32s} {'n':>6s} {'load s':>7s} {'run s':>7s} {'per s':>12s} {'peak MB':>8s}")
    for what, n in plan:
        done = subprocess.run([sys.executable, __file__, "--one", what, str(n)], capture_output=True, text=True)
        if done.returncode != 0:
            print(f"{what:32s} failed: {done.stderr.strip().splitlines()[-1]}")
            continue
        r = json.loads(done.stdout)
        rate = f"{r['per_second']:,d} {r['unit']}"
        print(f"{r['what']:32s} {r['n']:>6d} {r['load_s']:>7.2f} {r['seconds']:>7.2f} {rate:>12s} "
              f"{r['peak_rss_mb']:>8,d}")
        if "weighing_per_second" in r:
            print(f"{'  then weighed with the cosine':32s} {'':>6s} {'':>7s} {'':>7s} "
                  f"{r['weighing_per_second']:>6,d} pairs/s")
        if "classifier_per_second" in r:
            print(f"{'  whole classifier, with it':32s} {'':>6s} {'':>7s} {'':>7s} "
                  f"{r['classifier_per_second']:>6,d} sent/s")
            print(f"{'  whole classifier, logistic':32s} {'':>6s} {'':>7s} {'':>7s} "
                  f"{r['logistic_per_second']:>6,d} sent/s")
        if "rules_per_second" in r:
            print(f"{'  of which the rules alone':32s} {'':>6s} {'':>7s} {'':>7s} "
                  f"{r['rules_per_second']:>6,d} sent/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
