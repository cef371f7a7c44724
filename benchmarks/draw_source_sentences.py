"""Draw a round of sentences for `lib/opedlens/data/source-sentences.csv`, the gold set of `opedlens validate
sources`. Each round is drawn with its own seed, from distinct sentences no earlier round holds, half or more with a
reporting cue (a reporting verb, "according to" or a quotation mark) and the rest without one:

* round 1 (seed 20261205): NewsMTSC, 100 with a cue and 40 without;
* round 2 (seed 20261206): NewsMTSC, 40 with a cue and 20 without; NYT op-ed snippets, 30 with a cue and 10 without;
* round 3 (seed 20261207): NewsMTSC, 35 with a cue and 15 without; NYT op-ed snippets, 40 with a cue and 10 without;
* round 4 (seed 20261208): NewsMTSC, 30 with a cue and 10 without; NYT op-ed snippets, 45 with a cue and 15 without;
* rounds 5 (seed 20261209) and 6 (seed 20261210): the same as round 4;
* round 7 (seed 20261211): NewsMTSC, 40 with a cue and 15 without; NYT op-ed snippets, the last 29 with a cue and 16
  without.

Prints item, source, source id, pool and text as CSV; the speakers were labelled by hand from this list before the
rules read the sentences (see lib/opedlens/data/README-sources.md).

    .venv/bin/python benchmarks/draw_source_sentences.py --round 2 > drawn.csv
"""

from __future__ import annotations

import csv
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from opedlens.paths import DATA_DIR, GOLD_DIR  # noqa: E402

import _draw_cli  # noqa: E402  (benchmarks/, beside this script)

CUE = re.compile(r"\b(said|says|say|told|tells|according to|added|adds|noted|argued|claimed|wrote|writes|stated|warned|"
                 r"insisted|announced|declared|explained|reported|found|showed|suggested|urged|testified|denied|"
                 r"admitted|confirmed|revealed|accused|blamed|called)\b|[\"“”]", re.I)
#: Per round: its seed, and per source how many sentences with a cue and without one, in drawing order.
ROUNDS = {1: (20261205, [("newsmtsc", 100, 40)]),
          2: (20261206, [("newsmtsc", 40, 20), ("nyt_editorials", 30, 10)]),
          3: (20261207, [("newsmtsc", 35, 15), ("nyt_editorials", 40, 10)]),
          4: (20261208, [("newsmtsc", 30, 10), ("nyt_editorials", 45, 15)]),
          5: (20261209, [("newsmtsc", 30, 10), ("nyt_editorials", 45, 15)]),
          6: (20261210, [("newsmtsc", 30, 10), ("nyt_editorials", 45, 15)]),
          7: (20261211, [("newsmtsc", 40, 15), ("nyt_editorials", 29, 16)])}


def newsmtsc() -> list[tuple[str, str]]:
    """(NewsMTSC primary_gid, sentence) of every distinct sentence, in file order."""
    rows = []
    for line in (GOLD_DIR / "sentiment/newsmtsc/train.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        rows.append((record["primary_gid"], record["sentence_normalized"].strip()))
    return rows


def nyt_editorials() -> list[tuple[str, str]]:
    """(id, sentence) of the NYT op-ed snippets (DEV)."""
    lines = (GOLD_DIR / "sentiment/nyt_editorials/ground_truth_dev.tsv").read_text(encoding="utf-8").splitlines()
    return [(parts[0], parts[2].strip()) for parts in (line.split("\t") for line in lines) if len(parts) >= 3]


def draw(number: int, earlier: set[str]) -> list[tuple[str, str, str, str]]:
    """(source, id, pool, text) of round ``number``, shuffled."""
    seed, plan = ROUNDS[number]
    rng, drawn = random.Random(seed), []
    for source, with_cue, without in plan:
        seen, sentences = set(earlier), []
        for key, text in {"newsmtsc": newsmtsc, "nyt_editorials": nyt_editorials}[source]():
            if text not in seen:
                seen.add(text)
                sentences.append((key, text))
        cue = [s for s in sentences if CUE.search(s[1])]
        rest = [s for s in sentences if not CUE.search(s[1])]
        drawn += [(source, key, "cue", text) for key, text in rng.sample(cue, with_cue)]
        drawn += [(source, key, "no-cue", text) for key, text in rng.sample(rest, without)]
    rng.shuffle(drawn)
    return drawn


def main() -> int:
    number = _draw_cli.round_to_draw(__doc__.split("\n\n")[0], ROUNDS)
    if not (GOLD_DIR / "sentiment").exists():
        print(f"{GOLD_DIR} not found: drawing needs ../shared/data", file=sys.stderr)
        return 0
    before = _draw_cli.rows_before(DATA_DIR / "source-sentences.csv", number)
    earlier, first = {r["text"] for r in before}, 1 + len(before)
    out = csv.writer(sys.stdout)
    out.writerow(["item", "source", "source_id", "drawn", "text"])
    for n, (source, key, pool, text) in enumerate(draw(number, earlier), first):
        out.writerow([f"S{n:03d}", source, key, pool, text])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
