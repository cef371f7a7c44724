"""Draw op-ed sentences to label "looks ahead" or not (``outlook-sentences.csv``, see ``data/README-outlook.md``).

Usage::

    .venv/bin/python benchmarks/draw_outlook_round.py --round 1 --seed 20261221 --out /tmp/outlook1.csv
    .venv/bin/python benchmarks/draw_outlook_round.py --round 4 --seed 20261224 --out /tmp/outlook4.csv
    .venv/bin/python benchmarks/draw_outlook_round.py --round 6 --seed 20261227 --out /tmp/outlook6.csv
    .venv/bin/python benchmarks/draw_outlook_round.py --round 7 --seed 20261228 --out /tmp/outlook7.csv

A simple random sample (no cue steers it, so precision and recall are both estimated without weights), 6 to 60
words, skipping every sentence of an earlier round: rounds 1-3 of the NYT editorial snippets (DEV half) and of
EmoBank's newspaper and essay sentences; round 4 of the Webis-Editorials-16 DEV editorials (research-only: they are
segmented as opedlens segments them, and the shipped ``outlook-editorials.csv`` keeps only each sentence's ids and
the digest of its text). The ``looks_ahead`` column is left empty: it is filled by hand, reading the sentence alone,
without running any rule of opedlens on it. Write the draw outside the project.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from opedlens.paths import DATA_DIR  # noqa: E402
from opedlens.validate import gold  # noqa: E402

import _draw_cli  # noqa: E402  (benchmarks/, beside this script)

LABELLED = DATA_DIR / "outlook-sentences.csv"
LABELLED_EDITORIALS = DATA_DIR / "outlook-editorials.csv"
#: round -> sentences per source; a round not listed draws as the one before it.
PLANS = {1: {"nyt": 160, "emobank": 80}, 2: {"nyt": 200, "emobank": 100}}
#: The rounds drawn from the Webis editorials, and how many sentences each.
EDITORIAL_ROUNDS = {4: 300, 5: 300, 6: 300, 7: 300}
EMOBANK_CATEGORIES = ("newspaper", "essays")


def _pools() -> dict[str, pd.DataFrame]:
    return {"nyt": _draw_cli.nyt_snippets(), "emobank": _draw_cli.emobank_sentences(EMOBANK_CATEGORIES)}


def draw_editorials(round_no: int, seed: int) -> pd.DataFrame:
    """A simple random sample of the Webis editorials' sentences (6 to 60 words), none of an earlier round."""
    rng = np.random.RandomState(seed)
    seen = (set(pd.read_csv(LABELLED_EDITORIALS, dtype=str)["sent_id"]) if LABELLED_EDITORIALS.exists() else set())
    pool = gold.context_articles(gold.WEBIS_CORPUS, gold.WEBIS_DEV)
    words = pool["text"].str.split().str.len()
    pool = pool[(words >= _draw_cli.MIN_WORDS) & (words <= _draw_cli.MAX_WORDS) & ~pool["sent_id"].isin(seen)]
    pool = pool.reset_index(drop=True)
    drawn = pool.iloc[np.sort(rng.permutation(len(pool))[:EDITORIAL_ROUNDS[round_no]])].reset_index(drop=True)
    first = len(seen) + 1
    return pd.DataFrame({"item": [f"E{first + k}" for k in range(len(drawn))], "round": round_no,
                         "doc_id": drawn["doc_id"], "sent_id": drawn["sent_id"],
                         "digest": drawn["text"].map(gold.digest), "looks_ahead": "", "text": drawn["text"]})


def draw(round_no: int, seed: int) -> pd.DataFrame:
    if round_no in EDITORIAL_ROUNDS:
        return draw_editorials(round_no, seed)
    rng = np.random.RandomState(seed)
    seen = (set(pd.read_csv(LABELLED, dtype=str, keep_default_na=False)["text"]) if LABELLED.exists() else set())
    out = []
    for source, pool in _pools().items():
        n = PLANS[max(k for k in PLANS if k <= round_no)][source]
        pool = _draw_cli.eligible(pool, seen)
        out.append(pool.iloc[rng.permutation(len(pool))[:n]].assign(source=source))
    return _draw_cli.labelling_rows(out, "looks_ahead", round_no)


if __name__ == "__main__":
    _draw_cli.main(draw, __doc__.splitlines()[0])
