"""Throughput and peak memory of each sentence scorer and of targeted sentiment.

Each measurement runs in a fresh process (so peak memory is the scorer's own): the model is loaded
first (reported separately), then N sentences resampled with a fixed seed from the openly licensed
human-rated sets (NYT editorial snippets, EmoBank) in ../shared/data are scored once. Run from the
project root (or `make bench`); the disk cache is off, so every sentence is encoded:

    .venv/bin/python benchmarks/sentiment_speed.py [--n 5000] [--n-accurate 1000]

Prints a table; exits 0 with a message when ../shared/data is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

from opedlens.paths import GOLD_DIR

SOURCES = ("sentiment/nyt_editorials/ground_truth_dev.tsv", "sentiment/emobank/emobank.csv")


def sentences(n: int, seed: int = 0) -> list[str]:
    from opedlens.validate.gold import read_valence

    pool = [t for s in SOURCES for t in read_valence(GOLD_DIR / s)["text"] if t.strip()]
    return list(np.random.default_rng(seed).choice(pool, size=n, replace=True))


def measure(what: str, n: int) -> dict:
    """Load, then score n sentences with one scorer (or targeted sentiment on their first word)."""
    from opedlens.measure import scorers, targeted

    texts = sentences(n)
    started = time.perf_counter()
    if what == "targeted":
        targeted.predict_targets(texts[:2], [0, 0], [1, 1])
    else:
        scorers.score(what, texts[:2])
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    if what == "targeted":
        ends = [max(1, len(t.split()[0])) if t.split() else 1 for t in texts]
        targeted.predict_targets(texts, [0] * n, ends)
    else:
        scorers.score(what, texts)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"what": what, "n": n, "load_s": round(loaded, 2), "seconds": round(seconds, 2),
            "per_second": round(n / seconds), "peak_rss_mb": round(peak_mb)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="sentences for the lexicon and fast scorers")
    parser.add_argument("--n-accurate", type=int, default=1000, help="sentences for accurate and targeted")
    parser.add_argument("--one", nargs=2, metavar=("WHAT", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one[0], int(args.one[1]))))
        return 0
    if not all((GOLD_DIR / s).exists() for s in SOURCES):
        print(f"skipped: the gold sentences are not in {GOLD_DIR}")
        return 0
    plan = [("fast", args.n), ("vader", args.n), ("textblob", args.n),
            ("accurate", args.n_accurate), ("targeted", args.n_accurate)]
    print(f"{'scorer':10s} {'n':>6s} {'load s':>7s} {'score s':>8s} {'per s':>8s} {'peak MB':>8s}")
    for what, n in plan:
        done = subprocess.run([sys.executable, __file__, "--one", what, str(n)], capture_output=True, text=True,
                              env={**os.environ, "OPEDLENS_CACHE": "off"})  # the scorer's speed, not the disk cache's
        if done.returncode != 0:
            print(f"{what:10s} failed: {done.stderr.strip().splitlines()[-1]}")
            continue
        r = json.loads(done.stdout)
        print(f"{what:10s} {r['n']:>6d} {r['load_s']:>7.2f} {r['seconds']:>8.2f} {r['per_second']:>8,d} {r['peak_rss_mb']:>8,d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
