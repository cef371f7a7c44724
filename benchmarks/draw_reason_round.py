"""Draw sentences of real editorials to label as a reason for the author's recommendation or not
(``reason-editorials.csv``, see ``data/README-reasons.md``).

Usage::

    .venv/bin/python benchmarks/draw_reason_round.py --round 1 --seed 20261226 --out /tmp/reasons1.csv

The Webis-Editorials-16 DEV editorials are measured as ``opedlens measure`` measures any corpus; of those where the
rules find a recommendation of the author's own (none drawn in an earlier round), a simple random sample of
:data:`EDITORIALS` editorials is drawn, and every sentence within reach of such a recommendation
(:func:`opedlens.validate.reasons.within_reach`) is written out with the recommendation(s) it is near. Which of them
the rules take as reasons is not written: the ``reason`` column is filled by hand, reading each sentence in its
article. The texts are research-only, so write the draw outside the project; the shipped file keeps only ids and
digests.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from opedlens.compare import contrast  # noqa: E402
from opedlens.validate import gold, reasons  # noqa: E402

import _draw_cli  # noqa: E402  (benchmarks/, beside this script)

EDITORIALS = 30  # editorials per round


def draw(round_no: int, seed: int) -> pd.DataFrame:
    rng = np.random.RandomState(seed)
    before = _draw_cli.rows_before(reasons.REASON_GOLD, round_no)
    measured = reasons.measured_editorials(gold.WEBIS_DEV)
    recs = contrast.own_recommendations(measured["recommendations"])
    eligible = sorted(set(recs["doc_id"]) - {row["doc_id"] for row in before})
    chosen = {eligible[k] for k in rng.permutation(len(eligible))[:EDITORIALS]}
    units = measured["units"][measured["units"]["doc_id"].isin(chosen)]
    reach = reasons.within_reach(units, recs[recs["doc_id"].isin(chosen)])
    text_of = dict(zip(measured["sentences"]["sent_id"], measured["sentences"]["text"]))
    first = len(before) + 1
    return pd.DataFrame({"item": [f"R{first + k}" for k in range(len(reach))], "round": round_no,
                         "doc_id": reach["doc_id"], "sent_id": reach["sent_id"],
                         "digest": reach["text"].map(gold.digest), "reason": "", "text": reach["text"],
                         "near": reach["near"],
                         "recommendation": reach["near"].map(
                             lambda ids: " | ".join(text_of[i] for i in ids.split("; ")))})


if __name__ == "__main__":
    _draw_cli.main(draw, __doc__.splitlines()[0])
