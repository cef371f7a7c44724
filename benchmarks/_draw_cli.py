"""The command line both labelling-round scripts share: draw a round, write it as CSV for labelling by hand."""

from __future__ import annotations

import argparse
from collections.abc import Callable

import pandas as pd


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
