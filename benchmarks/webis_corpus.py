"""Turn the Webis-Editorials-16 DEV editorials into an opedlens corpus folder, outside the project.

The editorials (Al Jazeera, Fox News, The Guardian) are research-only: they are read from
../shared/data and written to a folder you name, which must not be inside the project, so they are
never committed. Each editorial becomes a .txt file (title, blank line, one paragraph per block) and a
row of manifest.csv with doc_id, file, title and outlet, so notebooks can compare outlets with
`-p group_by=outlet`.

    .venv/bin/python benchmarks/webis_corpus.py --out /tmp/webis-corpus
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from opedlens.errors import InputError
from opedlens.validate.gold import WEBIS_DEV as SOURCE
from opedlens.validate.gold import write_webis_corpus as convert  # noqa: F401 (the benchmarks call it by this name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="folder to create (outside the project)")
    parser.add_argument("--source", type=Path, default=SOURCE, help=f"Webis DEV folder (default: {SOURCE})")
    args = parser.parse_args()
    if not args.source.is_dir():
        print(f"skipped: {args.source} not found")
        return 0
    try:
        print(f"{convert(args.source, args.out)} editorials written to {args.out}")
    except InputError as exc:
        raise SystemExit(str(exc)) from None
    return 0


if __name__ == "__main__":
    sys.exit(main())
