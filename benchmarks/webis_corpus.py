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
import csv
import json
import re
import sys
from pathlib import Path

from opedlens.paths import GOLD_DIR, PROJECT_ROOT

SOURCE = GOLD_DIR / "arguments" / "webis_editorials16" / "dev"
OUTLETS = {"aljazeera": "Al Jazeera", "foxnews": "Fox News", "guardian": "The Guardian"}
SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,;:!?)\]’”])")


def paragraph_text(units: list[dict]) -> str:
    """The units of one paragraph joined back into text (the corpus splits units at punctuation)."""
    text = " ".join(u["text"].strip() for u in units if u["text"].strip())
    return SPACE_BEFORE_PUNCT.sub(r"\1", text)


def convert(source: Path, out: Path) -> int:
    if out.resolve().is_relative_to(PROJECT_ROOT.resolve()):
        raise SystemExit(f"refusing to write research-only texts inside the project: {out}")
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for path in sorted(source.glob("*/*.json")):
        outlet = path.parent.name
        paragraphs = json.loads(path.read_text(encoding="utf-8"))["paragraphs"]
        title = next((paragraph_text(p) for p in paragraphs if p and p[0].get("label") == "title"), path.stem)
        body = [paragraph_text(p) for p in paragraphs if p and p[0].get("label") != "title"]
        doc_id = f"{outlet}-{path.stem}"
        (out / f"{doc_id}.txt").write_text(title + "\n\n" + "\n\n".join(b for b in body if b) + "\n", encoding="utf-8")
        rows.append({"doc_id": doc_id, "file": f"{doc_id}.txt", "title": title, "outlet": OUTLETS.get(outlet, outlet)})
    with (out / "manifest.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["doc_id", "file", "title", "outlet"])
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="folder to create (outside the project)")
    parser.add_argument("--source", type=Path, default=SOURCE, help=f"Webis DEV folder (default: {SOURCE})")
    args = parser.parse_args()
    if not args.source.is_dir():
        print(f"skipped: {args.source} not found")
        return 0
    print(f"{convert(args.source, args.out)} editorials written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
