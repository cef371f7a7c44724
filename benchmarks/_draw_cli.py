"""What the labelling-round scripts share: the command line (draw a round, write it as CSV for labelling by hand),
the openly licensed sentence pools they draw from, and which of a pool's sentences may be drawn."""

from __future__ import annotations

import argparse
import csv
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from opedlens.paths import GOLD_DIR

MIN_WORDS, MAX_WORDS = 6, 60


def main(draw: Callable[[int, int], pd.DataFrame], description: str) -> None:
    """``--round N --seed S --out FILE``: ``draw(N, S)`` written to FILE, label columns empty."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--round", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    frame = draw(args.round, args.seed)
    frame.to_csv(args.out, index=False)
    print(f"{len(frame)} sentences -> {args.out}")


def round_to_draw(description: str, rounds) -> int:
    """``--round N`` (one of ``rounds``; the last by default), for the scripts that print a round to stdout."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--round", type=int, default=max(rounds), choices=sorted(rounds))
    return parser.parse_args().round


def rows_before(shipped: Path, number: int) -> list[dict]:
    """The rows of the shipped labelled file from the rounds before ``number`` (none before the file exists): what a
    draw must not draw again, and how many items come before it."""
    rows = list(csv.DictReader(shipped.open(encoding="utf-8"))) if shipped.exists() else []
    return [row for row in rows if int(row["round"]) < number]


def nyt_snippets() -> pd.DataFrame:
    """The NYT editorial snippets of the DEV half (MIT): source_id, text."""
    nyt = pd.read_csv(GOLD_DIR / "sentiment/nyt_editorials/ground_truth_dev.tsv", sep="\t", header=None,
                      names=["source_id", "mean", "text"], quoting=csv.QUOTE_NONE, dtype=str)
    return nyt[["source_id", "text"]]


def emobank_sentences(categories: tuple[str, ...]) -> pd.DataFrame:
    """EmoBank's sentences of these genres (CC BY-SA 4.0; ``meta.tsv`` gives each one's): source_id, text."""
    folder = GOLD_DIR / "sentiment/emobank"
    meta = pd.read_csv(folder / "meta.tsv", sep="\t", dtype=str)
    emobank = pd.read_csv(folder / "emobank.csv", dtype=str).merge(meta, on="id")
    return emobank[emobank["category"].isin(categories)].rename(columns={"id": "source_id"})[["source_id", "text"]]


def eligible(pool: pd.DataFrame, seen: set[str]) -> pd.DataFrame:
    """The pool's sentences that may be drawn, in a fixed order (by source_id): whitespace collapsed, 6 to 60 words,
    none in ``seen`` (the texts of earlier rounds), each text once."""
    pool = pool.dropna(subset=["text"]).copy()
    pool["text"] = pool["text"].map(lambda t: " ".join(str(t).split()))
    words = pool["text"].str.split().str.len()
    pool = pool[(words >= MIN_WORDS) & (words <= MAX_WORDS) & ~pool["text"].isin(seen)].drop_duplicates("text")
    return pool.sort_values("source_id").reset_index(drop=True)


def labelling_rows(drawn: list[pd.DataFrame], label: str, round_no: int) -> pd.DataFrame:
    """The drawn sentences as the rows a labeller fills in: source, source_id, text, the empty ``label`` column,
    round."""
    frame = pd.concat(drawn, ignore_index=True)
    return pd.DataFrame({"source": frame["source"], "source_id": frame["source_id"], "text": frame["text"],
                         label: "", "round": round_no})
