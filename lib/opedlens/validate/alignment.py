"""Choosing and checking the report's claim-matching thresholds: IBM Debater claim / evidence pairs
(CE-EMNLP-2015) split by motion, scored by every matching method, and the developer-labelled seed pairs.

``opedlens validate matching --gold <IBM CE folder> --save`` runs :func:`validate_matching` and writes the
thresholds the report reads (:data:`opedlens.compare.align.THRESHOLDS_PATH`).
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd

from opedlens.compare.align import (DESCRIPTIONS, METHODS, SEED, SEED_DOCS, THRESHOLDS_PATH, check_method, clean_texts,
                                    pair_scores)
from opedlens.errors import InputError
from opedlens.files import write_atomic
from opedlens.paths import DATA_DIR, GOLD_DIR, SEEDS_DIR

SEED_PAIRS_PATH = DATA_DIR / "alignment-seed-pairs.csv"
IBM_DIR = GOLD_DIR / "arguments" / "ibm_ce_emnlp2015"

# --- IBM Debater claims and evidence ------------------------------------------------------------

_REF = re.compile(r"\[(?:REF|CITATION NEEDED)\]?|\[REF\b", re.IGNORECASE)
MAX_WORDS = 60  # evidence longer than this is a passage, not a sentence-sized unit: left out
N_CLAIMS = 120  # claims drawn per split, spread evenly over its motions
EVIDENCE_PER_CLAIM = 3  # evidence texts kept per drawn claim
PER_CLAIM = 3  # at most this many matched pairs per claim, so claims with many evidence texts don't dominate
HARD_PER_POSITIVE = 3  # same-motion unmatched pairs per matched pair: in alignment most candidates are on-topic
RELATED_RECALL = 0.8  # the related threshold keeps this share of the train matched pairs
SPLITS = {"train and test": "train", "held-out": "test"}


def _read_tsv(path: Path, columns: list[str]) -> pd.DataFrame:
    """A tab-separated IBM file (no quoting; the header row is dropped; extra fields ignored)."""
    if not path.is_file():
        raise InputError("IBM Debater CE-EMNLP-2015 file not found", path)
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    rows = [line.split("\t")[:len(columns)] for line in lines if line.strip()]
    bad = [k for k, r in enumerate(rows) if len(r) < len(columns)]
    if bad:
        raise InputError(f"line {bad[0] + 2} has fewer than {len(columns)} tab-separated fields", path)
    return pd.DataFrame(rows, columns=columns)


def _ibm_text(text: str) -> str:
    from opedlens.corpus.segment import normalize_space

    return normalize_space(_REF.sub(" ", text)).strip(" .") + "."


def ibm_units(folder: str | Path = IBM_DIR) -> pd.DataFrame:
    """One row per IBM claim or evidence text: split (train/test), motion, claim (id), kind, text. A claim's
    text is its corrected version; an evidence text is kept once per claim it supports, [REF] marks removed,
    and texts over 60 words are left out."""
    folder = Path(folder)
    motions = _read_tsv(folder / "motions.txt", ["motion_id", "topic", "dataset"])
    claims = _read_tsv(folder / "claims.txt", ["topic", "original", "corrected"])
    evidence = _read_tsv(folder / "evidence.txt", ["topic", "original", "evidence", "type"])
    split = {t: SPLITS.get(d.strip()) for t, d in zip(motions["topic"], motions["dataset"])}
    unknown = sorted({d for d in motions["dataset"] if d.strip() not in SPLITS})
    if unknown:
        raise InputError(f"unknown Data-set value(s) {unknown}; expected {list(SPLITS)}", folder / "motions.txt")
    claims = claims.drop_duplicates(["topic", "original"]).reset_index(drop=True)
    claims["claim"] = [f"c{k:04d}" for k in range(len(claims))]
    claim_id = {(t, o): c for t, o, c in zip(claims["topic"], claims["original"], claims["claim"])}
    rows = [{"split": split.get(t), "motion": t, "claim": c, "kind": "claim",
             "text": _ibm_text(corr or orig)}
            for t, orig, corr, c in zip(claims["topic"], claims["original"], claims["corrected"], claims["claim"])]
    for t, orig, text in zip(evidence["topic"], evidence["original"], evidence["evidence"]):
        c = claim_id.get((t, orig))
        if c is not None:
            rows.append({"split": split.get(t), "motion": t, "claim": c, "kind": "evidence", "text": _ibm_text(text)})
    units = pd.DataFrame(rows, columns=["split", "motion", "claim", "kind", "text"])
    units = units[units["split"].notna() & (units["text"].str.split().str.len() <= MAX_WORDS)]
    return units.drop_duplicates(["claim", "text"]).reset_index(drop=True)


def _contains(a: str, b: str) -> bool:
    a, b = a.lower().strip(" ."), b.lower().strip(" .")
    return a in b or b in a


def _sample(rng: np.random.Generator, candidates: list, n: int) -> list:
    if len(candidates) <= n:
        return list(candidates)
    return [candidates[k] for k in sorted(rng.choice(len(candidates), size=n, replace=False))]


def _split_pairs(units: pd.DataFrame, rng: np.random.Generator, n_claims: int) -> list[dict]:
    """Positive, hard-negative and easy-negative pairs of one split (see :func:`ibm_pairs`)."""
    with_evidence = units.loc[units["kind"] == "evidence", "claim"].unique()
    units = units[units["claim"].isin(with_evidence)].reset_index(drop=True)
    per_motion = -(-n_claims // max(units["motion"].nunique(), 1))
    chosen = []
    for _, group in units.groupby("motion", sort=True):
        claims = sorted(group["claim"].unique())
        chosen += _sample(rng, claims, per_motion)
    kept = []
    for c in chosen:
        group = units[units["claim"] == c]
        evidence = group[group["kind"] == "evidence"]
        picked = _sample(rng, list(range(len(evidence))), EVIDENCE_PER_CLAIM)
        kept += [group[group["kind"] == "claim"], evidence.iloc[picked]]
    units = pd.concat(kept, ignore_index=True)
    claims_of = units.groupby("text")["claim"].agg(frozenset).to_dict()  # an evidence text may support several
    positive, hard = [], []
    for c, group in units.groupby("claim", sort=True):
        claim_texts = group.loc[group["kind"] == "claim", "text"].tolist()
        ev = group.loc[group["kind"] == "evidence", "text"].tolist()
        candidates = [(x, y, "claim-evidence") for x in claim_texts for y in ev]
        candidates += [(ev[i], ev[j], "evidence-evidence") for i in range(len(ev)) for j in range(i + 1, len(ev))]
        positive += _sample(rng, [p for p in candidates if not _contains(p[0], p[1])], PER_CLAIM)
        others = units[(units["motion"] == group["motion"].iloc[0]) & (units["claim"] != c)]["text"]
        candidates = [(x, y, "same motion, other claim") for x in claim_texts + ev for y in others
                      if not (claims_of[x] & claims_of[y]) and not _contains(x, y)]
        hard += _sample(rng, candidates, HARD_PER_POSITIVE * PER_CLAIM)
    hard = _sample(rng, hard, HARD_PER_POSITIVE * len(positive))
    easy, texts, motions = [], units["text"].to_numpy(), units["motion"].to_numpy()
    while len(easy) < len(positive) // 2 and units["motion"].nunique() > 1:
        i, j = rng.integers(len(units), size=2)
        if motions[i] != motions[j]:
            easy.append((texts[i], texts[j], "other motion"))
    return ([{"text_a": x, "text_b": y, "label": 1, "kind": k} for x, y, k in positive]
            + [{"text_a": x, "text_b": y, "label": 0, "kind": k} for x, y, k in hard]
            + [{"text_a": x, "text_b": y, "label": 0, "kind": k} for x, y, k in easy])


def ibm_pairs(folder: str | Path = IBM_DIR, seed: int = SEED, n_claims: int = N_CLAIMS) -> pd.DataFrame:
    """Matched and unmatched sentence pairs from IBM Debater CE-EMNLP-2015, per split (train = the
    "train and test" motions, test = the held-out motions).

    Per split, ``n_claims`` claims that have evidence are drawn evenly over the motions, each with its claim
    text and up to 3 of its evidence texts; all pairs are built among these texts.
    label 1 (same point): a claim and an evidence text for it, or two evidence texts for the same claim
    (at most 3 per claim). label 0, hard: a text of one claim and a text of a *different* claim of the same
    motion (3 per matched pair). label 0, easy: two texts of different motions (1 per 2 matched pairs).
    Pairs where one text contains the other are left out (they would test string overlap, not meaning).
    Everything is drawn with ``seed``. Columns: split, kind, label, text_a, text_b.
    """
    units = ibm_units(folder)
    if units.empty:
        raise InputError("no usable claims or evidence found", folder)
    rng = np.random.default_rng(seed)
    frames = []
    for split in ("train", "test"):
        part = units[units["split"] == split]
        if part.empty:
            raise InputError(f"no motions in the {split!r} split", Path(folder) / "motions.txt")
        frame = pd.DataFrame(_split_pairs(part, rng, n_claims), columns=["text_a", "text_b", "label", "kind"])
        frame.insert(0, "split", split)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)[["split", "kind", "label", "text_a", "text_b"]]


# --- thresholds and validation -----------------------------------------------------------------------------------


def prf(scores, labels, threshold: float) -> dict:
    """Precision, recall and F1 of "same point" = score >= threshold."""
    predicted = np.asarray(scores) >= threshold
    labels = np.asarray(labels).astype(bool)
    tp = int((predicted & labels).sum())
    precision = tp / predicted.sum() if predicted.sum() else 0.0
    recall = tp / labels.sum() if labels.sum() else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(float(precision), 4), "recall": round(float(recall), 4), "f1": round(float(f1), 4)}


def choose_threshold(scores, labels) -> float:
    """The threshold maximising F1 of score >= threshold: halfway between the lowest score called a match and
    the next lower score (ties in F1 go to the higher threshold), rounded to 4 decimals."""
    scores, labels = np.asarray(scores, dtype=float), np.asarray(labels).astype(bool)
    if not labels.any() or labels.all():
        raise InputError("choosing a threshold needs both matched and unmatched pairs")
    order = np.argsort(-scores, kind="stable")
    s, y = scores[order], labels[order]
    last = np.r_[s[1:] != s[:-1], True]  # only cut after the last of tied scores
    tp = np.cumsum(y)[last]
    called = (np.arange(len(s)) + 1)[last]
    f1 = 2 * tp / (called + labels.sum())
    k = int(np.argmax(f1))
    cut = s[last][k]
    below = s[last][k + 1] if k + 1 < last.sum() else cut - 0.01
    return round(float((cut + below) / 2), 4)


def threshold_at_recall(scores, labels, recall: float) -> float:
    """The highest threshold (rounded down to 4 decimals) at which at least ``recall`` of the matched pairs
    score >= it."""
    positive = np.sort(np.asarray(scores, dtype=float)[np.asarray(labels).astype(bool)])[::-1]
    if not len(positive):
        raise InputError("choosing a threshold needs matched pairs")
    return float(np.floor(positive[int(np.ceil(recall * len(positive))) - 1] * 1e4) / 1e4)


def evaluate(pairs: pd.DataFrame, method: str) -> dict:
    """Threshold chosen on the train pairs (max F1), precision/recall/F1 at it on the test pairs, and the
    threshold-free ROC AUC on the test pairs. TF-IDF and LSA are fitted on each split's own texts."""
    from sklearn.metrics import roc_auc_score

    check_method(method)
    started = time.perf_counter()
    scores = {}
    for split in ("train", "test"):
        part = pairs[pairs["split"] == split]
        if part.empty:
            raise InputError(f"no {split!r} pairs to evaluate")
        scores[split] = pair_scores(part["text_a"], part["text_b"], method)
    train, test = pairs[pairs["split"] == "train"], pairs[pairs["split"] == "test"]
    threshold = choose_threshold(scores["train"], train["label"])
    related = threshold_at_recall(scores["train"], train["label"], RELATED_RECALL)
    return {"threshold": threshold, "related_threshold": related,
            "related_recall": prf(scores["test"], test["label"], related)["recall"],
            **prf(scores["test"], test["label"], threshold),
            "train_f1": prf(scores["train"], train["label"], threshold)["f1"],
            "roc_auc": round(float(roc_auc_score(test["label"], scores["test"])), 4),
            "n_train_pairs": int(len(train)), "n_test_pairs": int(len(test)),
            "protocol": "threshold maximising F1 on the train&test motions; scored on the held-out motions",
            "description": DESCRIPTIONS[method], "seconds": round(time.perf_counter() - started, 1)}


def seed_units() -> pd.DataFrame:
    """The sentences of the two seed op-eds (doc_id, sent_id, text)."""
    from opedlens.corpus.load import load_corpus

    sentences = load_corpus(SEEDS_DIR).sentences
    return sentences[sentences["doc_id"].isin(SEED_DOCS)][["doc_id", "sent_id", "text"]].reset_index(drop=True)


def read_seed_pairs(path: str | Path = SEED_PAIRS_PATH) -> pd.DataFrame:
    """The developer-labelled seed pairs (sent_a, sent_b, label, note, text_a, text_b)."""
    path = Path(path)
    if not path.is_file():
        raise InputError("seed pairs file not found", path)
    frame = pd.read_csv(path, dtype={"sent_a": str, "sent_b": str, "note": str}, keep_default_na=False)
    missing = [c for c in ("sent_a", "sent_b", "label") if c not in frame.columns]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}", path)
    return frame


def seed_pair_scores(method: str, path: str | Path = SEED_PAIRS_PATH, score=None) -> tuple[pd.DataFrame, np.ndarray]:
    """The developer-labelled seed pairs and each pair's score by ``method`` (TF-IDF/LSA fitted on all sentences of
    the two seed op-eds, as :func:`align` would), or by ``score(texts_a, texts_b)`` when given (the cross-encoder).
    Fails when the seed corpus no longer has the labelled texts."""
    pairs = read_seed_pairs(path)
    units = seed_units().set_index("sent_id")
    unknown = sorted(set(pairs["sent_a"]).union(pairs["sent_b"]) - set(units.index))
    if unknown:
        raise InputError(f"sentence id(s) not in the seed corpus: {', '.join(unknown[:3])}", path)
    for column, ids in (("text_a", "sent_a"), ("text_b", "sent_b")):
        if column in pairs.columns:
            changed = pairs[column].to_numpy() != np.array(clean_texts(units.loc[pairs[ids], "text"]))
            if changed.any():
                raise InputError(f"the seed corpus text of {pairs[ids][changed].iloc[0]} differs from {column} "
                                 "here: the sentence segmentation changed, relabel the pairs", path)
    texts_a, texts_b = units.loc[pairs["sent_a"], "text"].tolist(), units.loc[pairs["sent_b"], "text"].tolist()
    scores = score(texts_a, texts_b) if score is not None else \
        pair_scores(texts_a, texts_b, method, fit_texts=units["text"].tolist())
    return pairs, np.asarray(scores, dtype=float)


def evaluate_seed_pairs(method: str, threshold: float, path: str | Path = SEED_PAIRS_PATH) -> dict:
    """Precision/recall/F1 and ROC AUC at ``threshold`` on the developer-labelled seed pairs."""
    from sklearn.metrics import roc_auc_score

    pairs, scores = seed_pair_scores(method, path)
    return {"threshold": threshold, **prf(scores, pairs["label"], threshold),
            "roc_auc": round(float(roc_auc_score(pairs["label"], scores)), 4), "n": int(len(pairs)),
            "n_same_point": int(pairs["label"].sum()),
            "protocol": "IBM-chosen threshold; 1 developer's labels of seed sentence pairs (small, not independent)"}


def validate_matching(folder: str | Path = IBM_DIR, methods=METHODS, seed: int = SEED) -> dict:
    """Each method's IBM-chosen threshold and held-out precision/recall/F1, plus the seed-pair check, in the
    shape of :mod:`opedlens.validate.sentence_measures` results (``task``, ``gold``, ``n``, ``scorers``)."""
    methods = [methods] if isinstance(methods, str) else list(methods)
    for method in methods:
        check_method(method)
    folder = Path(folder)
    pairs = ibm_pairs(folder, seed)
    from opedlens.validate.results import new_result

    result = new_result("matching", folder, len(pairs), seed=seed, seed_pairs={})
    for method in methods:
        result["scorers"][method] = evaluate(pairs, method)
        result["seed_pairs"][method] = evaluate_seed_pairs(method, result["scorers"][method]["threshold"])
    return result


def thresholds_payload(result: dict) -> dict:
    """What the thresholds file holds: per method the threshold and its validation figures (no timings)."""
    keep = ("threshold", "related_threshold", "related_recall", "precision", "recall", "f1", "train_f1", "roc_auc",
            "n_train_pairs", "n_test_pairs",
            "protocol", "description")
    return {"gold": result["gold"], "gold_sha256": result["gold_sha256"], "seed": result["seed"],
            "n_pairs": result["n"],
            "source": "IBM Debater(R) Claims and Evidence EMNLP-2015 (CC BY-SA 3.0); see README-alignment.md",
            "methods": {m: {k: v for k, v in s.items() if k in keep} for m, s in result["scorers"].items()},
            "seed_pairs": {m: {k: v for k, v in s.items() if k != "threshold"}
                           for m, s in result.get("seed_pairs", {}).items()}}


def write_thresholds(folder: str | Path = IBM_DIR, path: str | Path = THRESHOLDS_PATH,
                     result: dict | None = None) -> Path:
    """Run :func:`validate_matching` (unless ``result`` is given) and write the thresholds file."""
    result = result or validate_matching(folder)
    path = Path(path)
    write_atomic(path, json.dumps(thresholds_payload(result), indent=2, sort_keys=True) + "\n")
    return path


def format_table(result: dict) -> str:
    """Plain-text table: per method the threshold, held-out IBM P/R/F1 and seed-pair P/R/F1."""
    rows = []
    for method, s in result["scorers"].items():
        seed = result.get("seed_pairs", {}).get(method, {})
        rows.append({"method": method, "threshold": s["threshold"], "related": s.get("related_threshold"),
                     "ibm_P": s["precision"], "ibm_R": s["recall"],
                     "ibm_F1": s["f1"], "ibm_AUC": s["roc_auc"], "seed_P": seed.get("precision"),
                     "seed_R": seed.get("recall"), "seed_F1": seed.get("f1")})
    n_seed = next(iter(result.get("seed_pairs", {}).values()), {}).get("n", 0)
    head = (f"{result['gold']}: {result['n']} IBM pairs (threshold chosen on train&test motions, scored on "
            f"held-out motions); seed pairs: {n_seed} (developer-labelled)")
    return head + "\n" + pd.DataFrame(rows).set_index("method").to_string()


