"""Draw op-ed sentences to label "looks ahead" or not (``outlook-sentences.csv``, see ``data/README-outlook.md``).

Usage::

    .venv/bin/python benchmarks/draw_outlook_round.py --round 1 --seed 20261221 --out /tmp/outlook1.csv

A simple random sample (no cue steers it, so precision and recall are both estimated without weights) of the NYT
editorial snippets (DEV half) and of EmoBank's newspaper and essay sentences, 6 to 60 words, skipping every text
already in the labelled file. The ``looks_ahead`` column is left empty: it is filled by hand, reading the sentence
alone, without running any rule of opedlens on it.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from opedlens.paths import GOLD_DIR  # noqa: E402

import _draw_cli  # noqa: E402  (benchmarks/, beside this script)

LABELLED = ROOT / "lib/opedlens/data/outlook-sentences.csv"
#: round -> sentences per source; a round not listed draws as the one before it.
PLANS = {1: {"nyt": 160, "emobank": 80}, 2: {"nyt": 200, "emobank": 100}}
EMOBANK_CATEGORIES = ("newspaper", "essays")


def _pools() -> dict[str, pd.DataFrame]:
    nyt = pd.read_csv(GOLD_DIR / "sentiment/nyt_editorials/ground_truth_dev.tsv", sep="\t", header=None,
                      names=["source_id", "mean", "text"], quoting=csv.QUOTE_NONE, dtype=str)
    folder = GOLD_DIR / "sentiment/emobank"
    emobank = pd.read_csv(folder / "emobank.csv", dtype=str).merge(pd.read_csv(folder / "meta.tsv", sep="\t", dtype=str),
                                                                   on="id")
    emobank = emobank[emobank["category"].isin(EMOBANK_CATEGORIES)].rename(columns={"id": "source_id"})
    return {"nyt": nyt[["source_id", "text"]], "emobank": emobank[["source_id", "text"]]}


def draw(round_no: int, seed: int) -> pd.DataFrame:
    rng = np.random.RandomState(seed)
    seen = (set(pd.read_csv(LABELLED, dtype=str, keep_default_na=False)["text"]) if LABELLED.exists() else set())
    out = []
    for source, pool in _pools().items():
        n = PLANS[max(k for k in PLANS if k <= round_no)][source]
        pool = pool.dropna(subset=["text"]).copy()
        pool["text"] = pool["text"].map(lambda t: " ".join(str(t).split()))
        words = pool["text"].str.split().str.len()
        pool = pool[(words >= 6) & (words <= 60) & ~pool["text"].isin(seen)].drop_duplicates("text")
        pool = pool.sort_values("source_id").reset_index(drop=True)
        out.append(pool.iloc[rng.permutation(len(pool))[:n]].assign(source=source))
    frame = pd.concat(out, ignore_index=True)
    return pd.DataFrame({"source": frame["source"], "source_id": frame["source_id"], "text": frame["text"],
                         "looks_ahead": "", "round": round_no})


if __name__ == "__main__":
    _draw_cli.main(draw, __doc__.splitlines()[0])
