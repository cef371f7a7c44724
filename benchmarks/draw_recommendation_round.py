"""Draw a new round of sentences to label for the recommendations gold set (``recommendation-sentences.csv``).

Usage::

    .venv/bin/python benchmarks/draw_recommendation_round.py --round 6 --seed 20261205 --out /tmp/round6.csv

Draws from the openly licensed sets in ``../shared/data`` (never the seeds), skipping every text already in the
gold set: sentences with a directive cue (the regular expression below; the imperative test of earlier rounds
needed spaCy and found few extra) and some at random, so that the rules are also scored on sentences with no
cue. The label columns are left empty: they are filled by hand, before the rules are next changed.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from opedlens.paths import GOLD_DIR  # noqa: E402
from opedlens.validate.sentence_measures import RECOMMENDATION_GOLD_FILES  # noqa: E402

import _draw_cli  # noqa: E402  (benchmarks/, beside this script)

CUE = re.compile(r"\b(should|must|ought to|needs? to|ha(?:s|ve) to|had better|it is time|let us|let's|urges?|"
                 r"calls? (?:on|for)|shall|we need|(?:is|are) needed|necessary|recommend\w*)\b", re.I)
#: source -> (sentences with a cue, sentences at random). IBM Claim Stance joined in round 14, when the cue
#: sentences of the other sources were used up; IBM CE-EMNLP-2015's evidence sentences in round 15, when Claim
#: Stance's were.
PLAN = {"emobank": (35, 15), "ibm_ce_emnlp2015": (30, 0), "newsmtsc": (40, 0), "nyt_editorials": (0, 20),
        "ibm_claim_stance": (30, 12), "ibm_evidence": (30, 10)}
#: Rounds drawn from other sources than :data:`PLAN`: round 18 from the IBM ArgKP-2021 arguments alone, people's
#: own arguments on a debate topic ("we should ban ... because ..."), a source no rule had seen.
ROUND_PLANS = {18: {"ibm_argkp2021": (70, 30)}}


def _emobank() -> pd.DataFrame:
    folder = GOLD_DIR / "sentiment/emobank"
    text = pd.read_csv(folder / "emobank.csv")
    meta = pd.read_csv(folder / "meta.tsv", sep="\t")
    both = text.merge(meta, on="id")
    both = both[both["category"].isin(["newspaper", "letters", "essays"])]
    return pd.DataFrame({"source": "emobank", "source_id": both["id"], "document": "emobank:" + both["document"],
                         "text": both["text"]})


def _ibm() -> pd.DataFrame:
    claims = pd.read_csv(GOLD_DIR / "arguments/ibm_ce_emnlp2015/claims.txt", sep="\t", quoting=csv.QUOTE_NONE)
    return pd.DataFrame({"source": "ibm_ce_emnlp2015", "source_id": [f"claims.txt:{i + 2}" for i in claims.index],
                         "document": "ibm:" + claims.iloc[:, 0], "text": claims.iloc[:, 2]})


def _claim_stance() -> pd.DataFrame:
    claims = pd.read_csv(GOLD_DIR / "arguments/ibm_claim_stance/train.csv", dtype=str)
    return pd.DataFrame({"source": "ibm_claim_stance", "source_id": "claim_stance:" + claims["claim_id"],
                         "document": "ibm:" + claims["topic"], "text": claims["claim"]})


def _ibm_evidence() -> pd.DataFrame:
    # The header names three columns, every row has four (topic, claim, evidence text, type)
    evidence = pd.read_csv(GOLD_DIR / "arguments/ibm_ce_emnlp2015/evidence.txt", sep="\t", quoting=csv.QUOTE_NONE,
                           header=None, skiprows=1, dtype=str)
    return pd.DataFrame({"source": "ibm_ce_emnlp2015", "source_id": [f"evidence.txt:{i + 2}" for i in evidence.index],
                         "document": "ibm:" + evidence[0],
                         "text": evidence[2].str.replace(r"\s*\[REF\]?", "", regex=True).str.strip()})


def _newsmtsc() -> pd.DataFrame:
    rows = [json.loads(line) for line in (GOLD_DIR / "sentiment/newsmtsc/train.jsonl").read_text().splitlines()
            if line.strip()]
    return pd.DataFrame({"source": "newsmtsc", "source_id": [r["primary_gid"] for r in rows],
                         "document": ["newsmtsc:" + "_".join(r["primary_gid"].split("_")[:2]) for r in rows],
                         "text": [r["sentence_normalized"] for r in rows]})


def _nyt() -> pd.DataFrame:
    rows = pd.read_csv(GOLD_DIR / "sentiment/nyt_editorials/ground_truth_dev.tsv", sep="\t", header=None,
                       names=["id", "valence", "text"], quoting=csv.QUOTE_NONE)
    return pd.DataFrame({"source": "nyt_editorials", "source_id": rows["id"],
                         "document": "nyt:" + rows["id"].str.split("_").str[0], "text": rows["text"]})


def _argkp() -> pd.DataFrame:
    """Each argument of ArgKP-2021 DEV once (it is paired with several key points); its id is the line it first
    appears on."""
    pairs = pd.read_csv(GOLD_DIR / "arguments/ibm_argkp2021/dev.csv", dtype=str)
    first = pairs.drop_duplicates("argument")
    return pd.DataFrame({"source": "ibm_argkp2021", "source_id": [f"dev.csv:{i + 2}" for i in first.index],
                         "document": "argkp:" + first["topic"], "text": first["argument"]})


def draw(round_no: int, seed: int) -> pd.DataFrame:
    """The sentences of a new round, label columns empty."""
    rng = np.random.default_rng(seed)
    gold = pd.concat([pd.read_csv(path) for path in RECOMMENDATION_GOLD_FILES], ignore_index=True)
    seen = {" ".join(str(t).split()).lower() for t in gold["text"]}
    pools = {"emobank": _emobank(), "ibm_ce_emnlp2015": _ibm(), "newsmtsc": _newsmtsc(), "nyt_editorials": _nyt(),
             "ibm_claim_stance": _claim_stance(), "ibm_evidence": _ibm_evidence(), "ibm_argkp2021": _argkp()}
    out = []
    for source, (n_cue, n_random) in ROUND_PLANS.get(round_no, PLAN).items():
        pool = pools[source].dropna(subset=["text"]).copy()
        pool["text"] = pool["text"].astype(str).str.strip()
        words = pool["text"].str.split().str.len()
        key = pool["text"].map(lambda t: " ".join(t.split()).lower())
        pool = pool[(words >= 5) & (words <= 60) & ~key.isin(seen)].drop_duplicates("text")
        has_cue = pool["text"].map(lambda t: bool(CUE.search(t)))
        for drawn, subset, n in (("cue", pool[has_cue], n_cue), ("random", pool[~has_cue], n_random)):
            picked = subset.iloc[np.sort(rng.choice(len(subset), min(n, len(subset)), replace=False))]
            out.append(picked.assign(drawn=drawn))
    frame = pd.concat(out, ignore_index=True)
    frame = frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)
    start = int(gold["item"].str[1:].astype(int).max()) + 1
    frame.insert(0, "item", [f"R{start + i:03d}" for i in range(len(frame))])
    frame.insert(1, "round", round_no)
    for column in ("recommendation", "actor", "strength", "kind"):
        frame[column] = ""
    return frame[["item", "round", "source", "source_id", "document", "drawn", "text", "recommendation", "actor",
                  "strength", "kind"]]


if __name__ == "__main__":
    _draw_cli.main(draw, __doc__.splitlines()[0])
