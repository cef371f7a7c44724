"""Draw more op-ed sentences to label with evidence types (``evidence-opinion-sentences.csv``).

Usage::

    .venv/bin/python benchmarks/draw_evidence_round.py --round 2 --seed 20261212 --out /tmp/evidence2.csv

The selection of ``data/README-evidence.md`` (NYT editorial snippets, DEV half; EmoBank's newspaper and letters
sentences; from round 3 NewsMTSC's political news sentences; 6 to 60 words; put in the first matching bucket quote /
number / event / plain), drawn again with a new seed and skipping every text already in the file. The ``label``
column is left empty: it is filled by hand, without looking at any Webis text, label or model output.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from opedlens.paths import GOLD_DIR  # noqa: E402

import _draw_cli  # noqa: E402  (benchmarks/, beside this script)

LABELLED = ROOT / "lib/opedlens/data/evidence-opinion-sentences.csv"
BUCKETS = ("quote", "number", "event", "plain")
QUOTE = re.compile(r"[\"\u201c\u201d]|''|\b(?:said|says|told|according to|argued|argues|wrote|insists?|claims?"
                   r"|announced|testified)\b", re.I)
NUMBER = re.compile(r"\d|%|\b(?:percent|million|billion|thousand|hundred|half|third|majority)\b", re.I)
EVENT = re.compile(r"\b(?:1[89]\d\d|20\d\d|January|February|March|April|June|July|August|September|October"
                   r"|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday"
                   r"|last (?:week|month|year)|ago|was|were|did)\b")
#: round -> sentences per source and bucket (quote, number, event, plain); a round not listed draws as the one
#: before it.
#: Round 3 turned to NewsMTSC's political news (2017-2019), nearer the outlets of today's op-eds than the NYT snippets
#: of the 1980s-90s and EmoBank's letters.
PLANS = {2: {"nyt": 35, "emobank": 25}, 3: {"newsmtsc": 50}, 5: {"newsmtsc": 75}}


def bucket(text: str) -> str:
    for name, pattern in (("quote", QUOTE), ("number", NUMBER), ("event", EVENT)):
        if pattern.search(text):
            return name
    return "plain"


def _pools() -> dict[str, pd.DataFrame]:
    rows = [json.loads(line) for line in (GOLD_DIR / "sentiment/newsmtsc/train.jsonl").read_text().splitlines()
            if line.strip()]
    newsmtsc = pd.DataFrame({"source_id": [r["primary_gid"] for r in rows],
                             "text": [r["sentence_normalized"] for r in rows]})
    return {"nyt": _draw_cli.nyt_snippets(), "emobank": _draw_cli.emobank_sentences(("newspaper", "letters")),
            "newsmtsc": newsmtsc}


def draw(round_no: int, seed: int) -> pd.DataFrame:
    rng = np.random.RandomState(seed)
    seen = set(pd.read_csv(LABELLED, dtype=str, keep_default_na=False)["text"].map(lambda t: " ".join(t.split())))
    out = []
    pools = _pools()
    for source, n in PLANS[max([k for k in PLANS if k <= round_no] or [min(PLANS)])].items():
        pool = _draw_cli.eligible(pools[source], seen)
        pool["bucket"] = pool["text"].map(bucket)
        for name in BUCKETS:
            rows = pool[pool["bucket"] == name]
            out.append(rows.iloc[rng.permutation(len(rows))[:n]].assign(source=source))
    return _draw_cli.labelling_rows(out, "label", round_no)


if __name__ == "__main__":
    _draw_cli.main(draw, __doc__.splitlines()[0])
