"""Precision, recall and F1 of each alignment method at its threshold chosen on open data.

The threshold of each method (TF-IDF, LSA, MiniLM) is the one maximising F1 on IBM Debater CE-EMNLP-2015
pairs from the train&test motions; precision/recall/F1 are then measured on pairs from the held-out motions
and on the developer-labelled seed pairs (lib/opedlens/data/alignment-seed-pairs.csv). How the pairs are
built: lib/opedlens/data/README-alignment.md. Run from the project root:

    .venv/bin/python benchmarks/alignment_validation.py [--gold DIR] [--json] [--write]

``--write`` regenerates lib/opedlens/data/alignment-thresholds.json from this run. Exits 0 with a message when
the IBM folder is missing.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from opedlens.compare import align
from opedlens.paths import portable
from opedlens.validate import alignment


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=alignment.IBM_DIR, help="IBM CE-EMNLP-2015 folder")
    parser.add_argument("--method", action="append", choices=align.METHODS, help="method (repeatable; default all)")
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON")
    parser.add_argument("--write", action="store_true", help="rewrite the shipped thresholds file")
    args = parser.parse_args(argv)
    if not (args.gold / "evidence.txt").is_file():
        print(f"{args.gold}: IBM CE-EMNLP-2015 not found; nothing to validate")
        return 0
    if args.write and args.method and set(args.method) != set(align.METHODS):
        parser.error("--write needs every method (leave out --method)")
    started = time.perf_counter()
    result = alignment.validate_matching(args.gold, args.method or align.METHODS)
    print(json.dumps(result, indent=2, sort_keys=True) if args.json else alignment.format_table(result))
    print(f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    if args.write:
        print(f"wrote {portable(alignment.write_thresholds(args.gold, result=result))}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
