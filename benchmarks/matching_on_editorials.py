"""The claim matcher on real op-eds: candidate pairs between two editorials on the same event, labelled by the
developers.

Usage::

    .venv/bin/python benchmarks/matching_on_editorials.py draw --out /tmp/editorial-pairs.csv [--top 30]
    .venv/bin/python benchmarks/matching_on_editorials.py labels /tmp/editorial-pairs.csv   # once filled in
    .venv/bin/python benchmarks/matching_on_editorials.py score [--save]

The 38 seed pairs (``data/alignment-seed-pairs.csv``) were chosen by hand, several because they score high; they
say little about what a report lists. This check samples what it lists: for each of :data:`ARTICLE_PAIRS` (two
Webis-Editorials-16 DEV editorials on one event, chosen by their file names before any pair was read), the claims
and recommendations of both are aligned exactly as notebook 04 aligns two articles, and :data:`DRAWN` of all the
candidate pairs the cross-encoder scored (each unit's three nearest on the other side) are drawn at random (seed
:data:`SEED`), for ROC AUC; every pair the report matches is added, for its precision (``drawn`` says which; the
sheet mixes them, after the first :data:`FIRST_LABELLED` random ones, which were labelled before this was added,
so the labeller cannot tell them apart). The label, given without seeing any score: 1 when the two sentences make
the same point (the same claim or proposal about the same subject, in the same direction; either may add detail),
else 0 (a related subject but another claim, opposite claims, or a sentence that states no claim).

A second draw (``--top 30``) adds, in random order and again without scores, every pair among each method's 30
highest-scored that was not labelled yet: what a list sorted by that method shows first. ``score`` gives each
method's count of same-point pairs among its 30 highest; ROC AUC stays on the random draw alone.

The editorials are research-only, so their text never enters the project: ``draw`` writes the pairs to label to a
file outside it, and the committed labels (``benchmarks/data/matching-editorial-labels.csv``) hold only ids, a
SHA-1 of each text and the label. ``score`` rebuilds the pairs from ``../shared/data``, checks every hash and
prints, for each method, ROC AUC over the labelled pairs and the precision and recall of the pairs the report
matches (status ``shared``), with 95% intervals from resampling the article pairs once there are enough same-point
pairs to resample (:data:`FEW`; until then the rank of each). Nothing here chooses a threshold or a weight.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import webis_corpus  # noqa: E402

LABELS = ROOT / "benchmarks" / "data" / "matching-editorial-labels.csv"
LABEL_COLUMNS = ["item", "pair", "sent_a", "sent_b", "drawn", "sha1_a", "sha1_b", "label"]
SEED = 20261204
DRAWN = 300
FIRST_LABELLED = 50
FEW = 10  # same-point pairs below which no interval is printed
METHODS = ("cosine", "crossencoder", "weighed")
TOP = 30  # the highest-scored pairs of each method whose precision ``score`` reports
PROTOCOL = ("candidate pairs of notebook 04 between two Webis DEV editorials on one event, drawn at random and "
            "labelled by a developer without seeing scores; never used to choose a weight or a threshold")
#: Two editorials on one event each (Webis DEV file names, outlet-number-slug), chosen from the names alone.
ARTICLE_PAIRS = {
    "sydney siege": ("aljazeera-115-hostagesydneysiege", "foxnews-251-sydneyhostagecrisisaustraliaha"),
    "paris attack": ("foxnews-197-paristerrorattackjournalismisu", "guardian-183-observereditorialparisattackst"),
    "charlie hebdo": ("aljazeera-045-charliehebdousthem", "guardian-138-jenesuispascharlienuancegroupt"),
    "paris lessons": ("foxnews-195-parislessonsusmustrevokecitize", "guardian-192-parisattackswemustovercomefear"),
    "police and race": ("foxnews-079-expertblackstrustpolicemoretha", "guardian-070-diversityamongpoliceofficersis"),
    "climate": ("aljazeera-012-anotherclimatechangesummitd", "guardian-143-lastgenerationtackleclimatecha"),
    "cia torture": ("aljazeera-253-therenodebateabouttorture", "aljazeera-255-torturecrimetimeendimpunit"),
    "peshawar": ("aljazeera-047-childreneducationpeshawarma", "aljazeera-295-witnessedpeshawarmassacre"),
}


def text_sha1(text: str) -> str:
    return hashlib.sha1(" ".join(str(text).split()).encode("utf-8")).hexdigest()


def candidates(workdir: Path) -> pd.DataFrame:
    """Every candidate pair notebook 04 scores for each article pair: ids, texts, cosine, the cross-encoder's
    probability, the weighed probability and whether the report matches the pair."""
    from opedlens.compare import align, argument_views, match_score, neighbours
    from opedlens.measure import crossencoder
    from opedlens.measure.dataset import measure_corpus
    from opedlens.measure.measured import measured_corpus

    every, corpus_dir = workdir / "every", workdir / "corpus"
    webis_corpus.convert(webis_corpus.SOURCE, every)
    wanted = {doc for pair in ARTICLE_PAIRS.values() for doc in pair}
    manifest = pd.read_csv(every / "manifest.csv")
    missing = wanted - set(manifest["doc_id"])
    if missing:
        raise SystemExit(f"not in the Webis DEV editorials: {sorted(missing)}")
    corpus_dir.mkdir()
    for doc in sorted(wanted):
        shutil.copy(every / f"{doc}.txt", corpus_dir / f"{doc}.txt")
    manifest[manifest["doc_id"].isin(wanted)].to_csv(corpus_dir / "manifest.csv", index=False)
    measure_corpus(corpus_dir, workdir / "measured")
    corpus = measured_corpus(str(corpus_dir), str(workdir / "measured"))
    units = corpus.table("argument-units")
    corpus.remember_vectors(units)
    claims = units[units["role"].isin(argument_views.CLAIM_ROLES)]
    model, weighing = crossencoder.load(align.RERANKER), match_score.load()
    rows = []
    for name, docs in ARTICLE_PAIRS.items():
        part = claims[claims["doc_id"].isin(docs)].copy()
        part["order"] = part["doc_id"].map({docs[0]: 0, docs[1]: 1})
        part = part.sort_values(["order", "sent_id"]).reset_index(drop=True)
        points = align.align(part, "doc_id")
        matched = {(a, b) for a, b in zip(points.loc[points["status"] == align.SHARED, "sent_a"],
                                          points.loc[points["status"] == align.SHARED, "sent_b"])}
        side_a = part[part["order"] == 0].reset_index(drop=True)
        side_b = part[part["order"] == 1].reset_index(drop=True)
        long_a = side_a["text"].str.split().str.len().to_numpy() >= align.MIN_WORDS
        long_b = side_b["text"].str.split().str.len().to_numpy() >= align.MIN_WORDS
        vectors_a, vectors_b = align.vectors(side_a["text"], "minilm"), align.vectors(side_b["text"], "minilm")
        near = neighbours.nearest(vectors_a, vectors_b, align.CANDIDATES, long_a, long_b)
        pairs = sorted(near.pairs)
        texts_a, texts_b = [side_a["text"][i] for i, _ in pairs], [side_b["text"][j] for _, j in pairs]
        probability = model.score(align.actors_by_label(texts_a), align.actors_by_label(texts_b))
        cosine = np.array([near.pairs[p] for p in pairs])
        for (i, j), text_a, text_b, p, c, w in zip(pairs, texts_a, texts_b, probability, cosine,
                                                   weighing.probability(probability, cosine)):
            key = (side_a["sent_id"][i], side_b["sent_id"][j])
            rows.append({"pair": name, "sent_a": key[0], "sent_b": key[1], "text_a": text_a, "text_b": text_b,
                         "cosine": float(c), "crossencoder": float(p), "weighed": float(w),
                         "matched": key in matched})
    return pd.DataFrame(rows)


def draw(out: Path) -> None:
    if out.resolve().is_relative_to(ROOT.resolve()):
        raise SystemExit(f"refusing to write research-only texts inside the project: {out}")
    with tempfile.TemporaryDirectory() as tmp:
        pool = candidates(Path(tmp))
    rng = np.random.default_rng(SEED)
    chosen = pool.iloc[np.sort(rng.choice(len(pool), min(DRAWN, len(pool)), replace=False))].assign(drawn="random")
    chosen = chosen.iloc[rng.permutation(len(chosen))].reset_index(drop=True)  # labelled in random order
    added = pool[pool["matched"] & ~pool.index.isin(chosen_index(pool, chosen))].assign(drawn="matched")
    later = pd.concat([chosen.iloc[FIRST_LABELLED:], added], ignore_index=True)
    later = later.iloc[rng.permutation(len(later))]
    sheet = pd.concat([chosen.iloc[:FIRST_LABELLED], later], ignore_index=True)
    sheet = sheet[["pair", "sent_a", "sent_b", "drawn", "text_a", "text_b"]].assign(label="")
    sheet.insert(0, "item", range(1, len(sheet) + 1))
    sheet.to_csv(out, index=False)
    print(f"{len(pool)} candidate pairs in {len(ARTICLE_PAIRS)} article pairs ({int(pool['matched'].sum())} matched); "
          f"{len(chosen)} drawn at random, {len(added)} matched ones added -> {out}")


def top(pool: pd.DataFrame, method: str, n: int) -> pd.DataFrame:
    """The ``n`` candidate pairs ``method`` scores highest (ties: pool order), what a list sorted by it shows first."""
    return pool.iloc[np.argsort(-pool[method].to_numpy(), kind="stable")[:n]]


def draw_top(out: Path, n: int) -> None:
    """Every pair among each method's ``n`` highest that is not labelled yet, in random order (the sheet does not
    say which method put a pair there): for the precision of what a list sorted by each method shows first."""
    if out.resolve().is_relative_to(ROOT.resolve()):
        raise SystemExit(f"refusing to write research-only texts inside the project: {out}")
    with tempfile.TemporaryDirectory() as tmp:
        pool = candidates(Path(tmp))
    tops = pd.concat([top(pool, method, n) for method in METHODS]).drop_duplicates(["pair", "sent_a", "sent_b"])
    labelled = pd.read_csv(LABELS, dtype=str, keep_default_na=False)
    fresh = tops[~tops.index.isin(chosen_index(tops, labelled))]
    fresh = fresh.iloc[np.random.default_rng(SEED + 1).permutation(len(fresh))].assign(drawn=f"top {n}")
    sheet = fresh[["pair", "sent_a", "sent_b", "drawn", "text_a", "text_b"]].assign(label="")
    sheet.insert(0, "item", range(len(labelled) + 1, len(labelled) + len(sheet) + 1))
    sheet.to_csv(out, index=False)
    print(f"{len(tops)} pairs among the {n} highest of {', '.join(METHODS)}; {len(sheet)} not labelled yet -> {out}")


def chosen_index(pool: pd.DataFrame, chosen: pd.DataFrame) -> pd.Index:
    """Rows of ``pool`` that are among ``chosen`` (by their ids)."""
    keys = set(zip(chosen["pair"], chosen["sent_a"], chosen["sent_b"]))
    return pool.index[[key in keys for key in zip(pool["pair"], pool["sent_a"], pool["sent_b"])]]


def commit_labels(sheet: Path) -> None:
    """Labels from a filled-in sheet into the committed file (ids, hashes, label; no text), after those it holds."""
    labelled = pd.read_csv(sheet, dtype=str, keep_default_na=False)
    if (~labelled["label"].isin(["0", "1"])).any():
        raise SystemExit(f"{sheet}: every label must be 0 or 1")
    labelled["sha1_a"], labelled["sha1_b"] = labelled["text_a"].map(text_sha1), labelled["text_b"].map(text_sha1)
    kept = pd.read_csv(LABELS, dtype=str, keep_default_na=False) if LABELS.exists() else None
    if kept is not None and set(kept["item"]) & set(labelled["item"]):
        kept = kept[~kept["item"].isin(labelled["item"])]  # the sheet relabels these
    labelled = pd.concat([kept, labelled[LABEL_COLUMNS]], ignore_index=True) if kept is not None else labelled
    labelled = labelled.sort_values("item", key=lambda items: items.astype(int), kind="stable")
    labelled[LABEL_COLUMNS].to_csv(LABELS, index=False)
    print(f"{len(labelled)} labels ({int((labelled['label'] == '1').sum())} same point) -> {LABELS}")


def _auc(labels: np.ndarray, scores: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(labels, scores)) if 0 < labels.sum() < len(labels) else np.nan


SAVED = ROOT / "validation" / "matching-editorials.json"


def save(figures: dict) -> Path:
    """validation/matching-editorials.json, which the report's trust note quotes beside the seed pairs."""
    from opedlens.compare import align
    from opedlens.validate import results

    saved = results.new_result("matching-editorials", LABELS, figures["n"], report_method=align.report_method(),
                               text="Webis-Editorials-16 DEV, read from ../shared/data by id",
                               same_point=figures["same_point"], article_pairs=len(ARTICLE_PAIRS))
    saved["scorers"] = figures["methods"]
    return results.save(saved, SAVED)


def score(resamples: int = 2000) -> dict:
    labels = pd.read_csv(LABELS, dtype={"label": int, "item": int})
    with tempfile.TemporaryDirectory() as tmp:
        pool = candidates(Path(tmp))
    frame = labels.merge(pool, on=["pair", "sent_a", "sent_b"], how="left", validate="one_to_one")
    if frame["text_a"].isna().any():
        raise SystemExit(f"{int(frame['text_a'].isna().sum())} labelled pairs are no longer candidates: redraw")
    changed = (frame["text_a"].map(text_sha1) != frame["sha1_a"]) | (frame["text_b"].map(text_sha1) != frame["sha1_b"])
    if changed.any():
        raise SystemExit(f"{int(changed.sum())} labelled texts changed (segmentation?): relabel them")
    everything, frame = frame, frame[~frame["drawn"].str.startswith("top")].reset_index(drop=True)
    y = frame["label"].to_numpy()
    groups = frame["pair"].to_numpy()
    names = sorted(set(groups))
    rng = np.random.default_rng(0)
    draws = [np.concatenate([np.flatnonzero(groups == names[k]) for k in rng.integers(0, len(names), len(names))])
             for _ in range(resamples)]

    def interval(statistic) -> str:
        if y.sum() < FEW:  # resamples would hold one or two of them, or none: an interval would mislead
            return f"{statistic(np.arange(len(y))):.3f}"
        values = np.array([statistic(idx) for idx in draws])
        low, high = np.nanpercentile(values, [2.5, 97.5])
        return f"{statistic(np.arange(len(y))):.3f} ({low:.3f} to {high:.3f})"

    print(f"{len(frame)} labelled candidate pairs from {len(names)} pairs of editorials on one event; "
          f"{int(y.sum())} make the same point ({y.mean():.0%})"
          + ("; 95% intervals resample the article pairs" if y.sum() >= FEW else ""))
    methods = {}
    for method, name in (("cosine", "minilm"), ("crossencoder", "crossencoder"), ("weighed", "crossencoder_cosine")):
        scores = frame[method].to_numpy()
        ranks = sorted(int(r) for r in (-scores).argsort(kind="stable").argsort()[y == 1] + 1)
        print(f"  {name:<20} ROC AUC {interval(lambda idx: _auc(y[idx], scores[idx]))}; the same-point pairs rank "
              f"{', '.join(str(r) for r in ranks)} of {len(y)}")
        methods[name] = {"n": int(len(y)), "roc_auc": round(_auc(y, scores), 4), "same_point_ranks": ranks,
                         "protocol": PROTOCOL}
    if y.sum() < FEW:
        print(f"  (with {int(y.sum())} same-point pairs no interval is given: read the ranks)")
    matched = frame["matched"].to_numpy(bool)
    print(f"  the report matches {int(matched.sum())} of them; {int(y[matched].sum())} make the same point "
          f"(recall {int(matched[y == 1].sum())} of {int(y.sum())})")
    methods["report"] = {"n": int(len(y)), "matched": int(matched.sum()),
                         "matched_same_point": int(y[matched].sum()), "protocol": PROTOCOL}
    label_of = {key: label for key, label in zip(zip(everything["pair"], everything["sent_a"], everything["sent_b"]),
                                                 everything["label"])}
    for method, name in (("cosine", "minilm"), ("crossencoder", "crossencoder"), ("weighed", "crossencoder_cosine")):
        highest = top(pool, method, TOP)
        labels_top = [label_of.get(key) for key in zip(highest["pair"], highest["sent_a"], highest["sent_b"])]
        if None in labels_top:
            print(f"  {name:<20} {labels_top.count(None)} of its {TOP} highest pairs are not labelled (draw --top)")
            continue
        print(f"  {name:<20} of the {TOP} pairs it scores highest, {sum(labels_top)} make the same point")
        methods[name][f"top_{TOP}_same_point"] = int(sum(labels_top))
    return {"n": int(len(y)), "same_point": int(y.sum()), "methods": methods}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    drawing = sub.add_parser("draw", help="write the candidate pairs to label (outside the project)")
    drawing.add_argument("--out", type=Path, required=True)
    drawing.add_argument("--top", type=int, metavar="N", help="instead, every pair among each method's N highest "
                                                               "that is not labelled yet")
    keeping = sub.add_parser("labels", help="keep the labels of a filled-in sheet (ids, hashes, labels)")
    keeping.add_argument("sheet", type=Path)
    scoring = sub.add_parser("score", help="score every method on the labelled pairs")
    scoring.add_argument("--save", action="store_true", help=f"keep the figures in {SAVED.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    if args.command == "draw":
        draw_top(args.out, args.top) if args.top else draw(args.out)
    elif args.command == "labels":
        commit_labels(args.sheet)
    else:
        figures = score()
        if args.save:
            print(f"saved {save(figures).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
