"""Whom a recommendation that names nobody is addressed to: the rules' context actor on real editorials.

Usage::

    .venv/bin/python benchmarks/recommendation_context.py [--measured DIR]

When a sentence says what should be done but names nobody ("The fight must be waged on two levels"), the rules may
take the actor from the article (``actor_source = "context"``). ``benchmarks/data/recommendation-context-labels.csv``
holds the 66 own recommendations of the 133 Webis-Editorials-16 DEV editorials that took an actor that way on
4 Dec 2026 (commit 21ae325, ``opedlens measure --actors-from-corpus``): their ids, a SHA-1 of each sentence, the
actor the rules gave then, which fallback gave it (the last actor named in a recent sentence, or the actor of the
author's last own recommendation that named one) and the actor a reader can tell from the article (labelled by
the developers: a gazetteer label, ``(another actor)`` when a reader can tell someone the rules do not name, or
empty when nobody who should act can be told). The editorials are research-only: their text never enters the
project. This script measures them with the current rules (or reads ``--measured DIR``, a folder made by
``opedlens measure --actors-from-corpus`` from them), checks every hash, and prints how often the actor given
agrees with the label, before and now.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import webis_corpus  # noqa: E402

from opedlens.measure import measured  # noqa: E402

LABELS = ROOT / "benchmarks" / "data" / "recommendation-context-labels.csv"


def text_sha1(text: str) -> str:
    return hashlib.sha1(" ".join(str(text).split()).encode("utf-8")).hexdigest()


def measured_recommendations(folder: Path | None) -> pd.DataFrame:
    """The recommendations table of the editorials measured with the current code (or of ``folder``)."""
    if folder is not None:
        return measured.open_measured(folder).table("recommendations")
    with tempfile.TemporaryDirectory() as tmp:
        corpus, out = Path(tmp) / "corpus", Path(tmp) / "measured"
        webis_corpus.convert(webis_corpus.SOURCE, corpus)
        command = Path(sys.executable).parent / "opedlens"
        subprocess.run([str(command), "measure", "--corpus", str(corpus), "--output", str(out), "--actors-from-corpus"],
                       check=True, stdout=subprocess.DEVNULL)
        return measured.open_measured(out).table("recommendations")


def score(recs: pd.DataFrame) -> pd.DataFrame:
    labels = pd.read_csv(LABELS, dtype=str, keep_default_na=False)
    frame = labels.merge(recs[["rec_id", "text", "actor", "actor_source", "proposer"]].fillna(""), on="rec_id",
                         how="left", validate="one_to_one", suffixes=("", "_now"))
    stale = frame["text"].isna() | (frame["text"].fillna("").map(text_sha1) != frame["text_sha1"])
    if stale.any():
        raise SystemExit(f"{int(stale.sum())} labelled recommendations no longer match the editorials (segmentation "
                         f"or rules changed which rows exist?): {', '.join(frame.loc[stale, 'item'].head(5))}")
    frame["right_before"] = frame["actor_before"] == frame["actor"]
    frame["right_now"] = frame["actor_now"] == frame["actor"]
    return frame


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measured", type=Path, help="a measured folder of the editorials (--actors-from-corpus)")
    args = parser.parse_args()
    if not webis_corpus.SOURCE.is_dir():
        print(f"skipped: {webis_corpus.SOURCE} not found")
        return 0
    frame = score(measured_recommendations(args.measured))
    n = len(frame)
    print(f"{n} own recommendations of the Webis DEV editorials that named no actor and took one from context "
          f"(labels: {LABELS.relative_to(ROOT)})")
    print(f"  before (21ae325): actor agrees with the label in {int(frame['right_before'].sum())} of {n}")
    for fallback, part in frame.groupby("fallback_before"):
        print(f"    by {fallback}: {int(part['right_before'].sum())} of {len(part)}")
    print(f"  now: {int(frame['right_now'].sum())} of {n}")
    for source, part in frame.groupby("actor_source"):
        print(f"    actor_source {source!r}: {int(part['right_now'].sum())} of {len(part)}")
    unclear = frame["actor"] == ""
    other = frame["actor"] == "(another actor)"
    print(f"  labels: nobody can be told {int(unclear.sum())}, another actor {int(other.sum())}, an actor the rules "
          f"name {int((~unclear & ~other).sum())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
