"""The recommendation rules on real editorials: Webis-Editorials-16 DEV sentences labelled by the developers.

Usage::

    .venv/bin/python benchmarks/recommendations_on_editorials.py draw --seed 20261218 --out /tmp/editorial-draw.csv
    .venv/bin/python benchmarks/recommendations_on_editorials.py score [--save]

The editorials (Al Jazeera, Fox News, The Guardian) are research-only, so their text never enters the project:
``draw`` writes the sentences to label to a file outside it, and the committed labels
(``benchmarks/data/recommendation-editorial-labels.csv``) hold only each sentence's ids, a SHA-1 of its text and
the labels (recommendation, actor, strength, kind; the rules of ``data/README-recommendations.md``). ``score``
rebuilds the sentences from ``../shared/data`` with opedlens's own loader and segmenter, checks every hash, and
scores the rules exactly as ``opedlens validate recommendations`` does, per batch.

Each batch was labelled before the rules ever saw its sentences (:data:`BATCHES` says what happened after). Once a
batch's errors are read to change a rule it is no longer a fair measure, and a new draw (another seed; sentences
already labelled are skipped) takes its place: the report quotes the newest batch no rule was changed for.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import webis_corpus  # noqa: E402
from draw_recommendation_round import CUE  # noqa: E402  (the gold set's directive cue, so the draws compare)

from opedlens.corpus.load import load_corpus  # noqa: E402

LABELS = ROOT / "benchmarks" / "data" / "recommendation-editorial-labels.csv"
LABEL_COLUMNS = ["item", "doc_id", "sent_id", "text_sha1", "drawn", "batch", "recommendation", "actor", "strength",
                 "kind"]
#: What each batch has been used for; a batch whose text says "never used" is a fair measure.
BATCHES = {
    "1": "drawn with seed 20261218 and labelled after the eleventh revision; its errors were read for the twelfth",
    "2": "drawn with seed 20261219 and labelled after the twelfth revision (precision 0.55, recall 0.55 at its first "
         "look); its errors were read for the thirteenth",
    "3": "drawn with seed 20261220 and labelled after the thirteenth revision (precision 0.71, recall 0.67 at its first "
         "look); its errors were read for the fourteenth",
    "4": "drawn with seed 20261221 and labelled after the fourteenth revision (precision 0.67, recall 0.71 at its first "
         "look); its errors were read for the fifteenth",
    "5": "drawn with seed 20261222 and labelled after the fifteenth revision (precision 0.77, recall 0.71 at its first "
         "look); its errors were read for the sixteenth",
    "6": "drawn with seed 20261223 and labelled after the sixteenth revision; never used to change a rule",
}
#: sentences with a cue and at random (without one)
DRAW = (70, 30)


def text_sha1(text: str) -> str:
    return hashlib.sha1(" ".join(str(text).split()).encode("utf-8")).hexdigest()


def editorial_sentences(workdir: Path) -> pd.DataFrame:
    """Every sentence of the Webis DEV editorials, as opedlens loads and segments them (text kept in memory)."""
    corpus_dir = workdir / "corpus"
    webis_corpus.convert(webis_corpus.SOURCE, corpus_dir)
    sentences = load_corpus(corpus_dir).sentences[["doc_id", "sent_id", "text"]].copy()
    words = sentences["text"].str.split().str.len()
    return sentences[(words >= 5) & (words <= 60)].reset_index(drop=True)


def draw(seed: int, out: Path) -> None:
    if out.resolve().is_relative_to(ROOT.resolve()):
        raise SystemExit(f"refusing to write research-only texts inside the project: {out}")
    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as tmp:
        pool = editorial_sentences(Path(tmp))
    labelled = pd.read_csv(LABELS, dtype=str, keep_default_na=False) if LABELS.exists() else None
    first_item, batch = 1, 1
    if labelled is not None and len(labelled):
        known = set(zip(labelled["doc_id"], labelled["sent_id"]))
        pool = pool[[key not in known for key in zip(pool["doc_id"], pool["sent_id"])]].reset_index(drop=True)
        first_item = int(labelled["item"].str[1:].astype(int).max()) + 1
        batch = int(labelled["batch"].astype(int).max()) + 1
    cue = pool["text"].map(lambda t: bool(CUE.search(t)))
    picked = []
    for drawn, subset, n in (("cue", pool[cue], DRAW[0]), ("random", pool[~cue], DRAW[1])):
        if len(subset) < n:  # the pool is running out: take what is left, and say so
            print(f"only {len(subset)} unlabelled sentences left {'with' if drawn == 'cue' else 'without'} a cue")
        n = min(n, len(subset))
        picked.append(subset.iloc[np.sort(rng.choice(len(subset), n, replace=False))].assign(drawn=drawn))
    frame = pd.concat(picked, ignore_index=True)
    frame.insert(0, "item", [f"E{n:03d}" for n in range(first_item, first_item + len(frame))])
    frame["text_sha1"] = frame["text"].map(text_sha1)
    frame["batch"] = batch
    for column in ("recommendation", "actor", "strength", "kind"):
        frame[column] = ""
    frame.to_csv(out, index=False)
    cued = int((frame["drawn"] == "cue").sum())
    print(f"batch {batch}: {len(frame)} sentences ({cued} with a cue, {len(frame) - cued} at random) -> {out}")


SAVED = ROOT / "validation" / "recommendations-editorials.json"


def fresh(batch: str) -> bool:
    """Whether no rule was changed for the batch: its protocol says so, in the words the labelled rounds use."""
    from opedlens.validate.sentence_measures import FAIR_ROUND

    return FAIR_ROUND in BATCHES.get(batch, "")


def save(result: dict) -> Path:
    """validation/recommendations-editorials.json, which the report's trust note quotes: the newest batch no rule
    was changed for, as :data:`sentence_measures.EDITORIAL_SCORER`, and every batch under its own name."""
    from opedlens.validate import results, sentence_measures

    batches = sorted((key for key in result if key.startswith("batch ") and "," not in key), key=lambda k: int(k[6:]))
    saved = results.new_result("recommendations", LABELS, sum(result[b]["n"] for b in batches),
                               text="Webis-Editorials-16 DEV, read from ../shared/data by id")
    newest_fresh = [b for b in batches if fresh(b[6:])]
    if newest_fresh:  # first, so that it leads the table
        key = newest_fresh[-1]
        saved["scorers"][sentence_measures.EDITORIAL_SCORER] = {
            **result[key], "unseen_by_rules": True, "editorials": True,
            "protocol": f"{result[key]['n']} editorial sentences ({key}) {BATCHES[key[6:]]}"}
    for key in batches:  # the record of every batch (the trust note reads only the row above)
        saved["scorers"][f"{sentence_measures.EDITORIAL_SCORER}, {key}"] = {
            **result[key], "editorials": True, "protocol": BATCHES[key[6:]]}
    return results.save(saved, SAVED)


def score() -> dict:
    from opedlens.validate import sentence_measures

    labels = pd.read_csv(LABELS, dtype=str, keep_default_na=False)
    with tempfile.TemporaryDirectory() as tmp:
        sentences = editorial_sentences(Path(tmp))
    frame = labels.merge(sentences, on=["doc_id", "sent_id"], how="left", validate="one_to_one")
    missing = frame["text"].isna() | (frame["text"].fillna("").map(text_sha1) != frame["text_sha1"])
    if missing.any():
        raise SystemExit(f"{int(missing.sum())} labelled sentences no longer match the editorials (segmentation "
                         f"changed?): {', '.join(frame.loc[missing, 'item'].head(5))}")
    frame["recommendation"] = frame["recommendation"].astype(int)
    found = sentence_measures.rule_findings(frame["text"].tolist())
    frame = frame.assign(found=found["found"], found_actor=found["actor"], found_strength=found["strength"])
    result = {}
    for batch, part in frame.groupby("batch", sort=False):
        result[f"batch {batch}"] = sentence_measures.recommendation_metrics(part)
        for drawn, sub in part.groupby("drawn"):
            result[f"batch {batch}, {drawn}"] = sentence_measures.recommendation_metrics(sub)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    drawing = commands.add_parser("draw", help="write sentences to label (outside the project)")
    drawing.add_argument("--seed", type=int, required=True)
    drawing.add_argument("--out", type=Path, required=True)
    scoring = commands.add_parser("score", help="score the rules on the labelled editorial sentences")
    scoring.add_argument("--save", action="store_true", help=f"keep the figures in {SAVED.relative_to(ROOT)}")
    args = parser.parse_args()
    if not webis_corpus.SOURCE.is_dir():
        print(f"skipped: {webis_corpus.SOURCE} not found")
        return 0
    if args.command == "draw":
        draw(args.seed, args.out)
    else:
        result = score()
        print(pd.DataFrame(result).T.to_string())
        if args.save:
            print(f"saved {save(result).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
