"""The two candidate readings of the modals in `opedlens.measure.outlook` (``MODALS``: would, could, might;
``MODALS_WITH_MAY``: also "may", with "may be possible" and "may not be able to" weighing what lies ahead) on the odd
items of round 4 of the outlook gold set (sentences of the Webis DEV editorials), where ``data/README-outlook.md``
set down before round 4 was scored that they would be chosen between. With the second revision of the rules they
scored F1 0.750 and 0.735, and the rules kept the first; the script prints the rules as they are now (round 4 has
since been used to write the third revision, so these figures are no longer of unseen sentences).

    .venv/bin/python benchmarks/outlook_choice.py [--editorials ../shared/data/arguments/webis_editorials16/dev]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from opedlens.measure import nlp, outlook  # noqa: E402
from opedlens.validate import gold, sentence_measures  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--editorials", default=str(gold.WEBIS_DEV))
    args = parser.parse_args()
    if not Path(args.editorials).is_dir():
        print(f"skipped: {args.editorials} not found")
        return 0
    labelled = sentence_measures.outlook_editorials(args.editorials)
    choosing = labelled[(labelled["round"] == sentence_measures.SPLIT_ROUND)
                        & (labelled["half"] == sentence_measures.CHOOSING_HALF)]
    docs = nlp.parse(choosing["text"].tolist(), entities=False)
    print(f"{len(choosing)} sentences (odd items of round 4), {int(choosing['looks_ahead'].sum())} look ahead")
    for name, reading in (("MODALS", outlook.MODALS), ("MODALS_WITH_MAY", outlook.MODALS_WITH_MAY)):
        found = choosing.assign(found=[outlook.looks_ahead(doc, reading) for doc in docs])
        m = sentence_measures.outlook_metrics(found)
        print(f"{name:16s} precision {m['precision']:.3f} ({m['hits']} of {m['flagged']}), recall {m['recall']:.3f} "
              f"({m['hits']} of {m['looking_ahead']}), F1 {m['f1']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
