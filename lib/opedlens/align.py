"""Cross-article alignment of argument units: which points both sides make, which only one makes, where they clash.

Two sides (two articles, or two groups of articles) each give a list of units (sentences with ids). Every unit
of side A is compared with every unit of side B by one of three similarity methods:

* ``tfidf``: cosine of TF-IDF word vectors (English stop words removed), fitted on both sides' texts. A
  transparent baseline that only sees shared words.
* ``lsa``: the same TF-IDF vectors reduced by truncated SVD (latent semantic analysis, fixed seed), so words
  that co-occur in the compared texts count as related.
* ``minilm``: cosine of all-MiniLM-L6-v2 sentence embeddings (:mod:`opedlens.embed`), which match by meaning.

What the report uses (:func:`report_method`): each unit's :data:`CANDIDATES` nearest units on the other side by
MiniLM cosine are the candidates (so the cost grows with the number of units, not with their product), and the
cross-encoder (:mod:`opedlens.crossencoder`, trained on IBM ArgKP-2021 and CE-EMNLP-2015 pairs and validated with
whole topics held out: ``opedlens validate matching``) scores each candidate pair. Pairs are then matched
one-to-one, greedily: the most probable pair at or above the model's threshold first, then the next pair of two
still-unmatched units, and so on (ties broken by unit order). Without the cross-encoder (or with
``alignment_method`` tfidf / lsa / minilm-cosine) the cosine itself is matched at the threshold chosen on IBM
CE-EMNLP-2015 (``data/alignment-thresholds.json``, :func:`write_thresholds`). Units of fewer than
:data:`MIN_WORDS` words ("No.") are not matched.

Opposite sides: no detector of "these two claims take opposite sides" reached the validation target on topics it
never saw (``opedlens validate disagreement``: the cue-word heuristic, the pair cross-encoder), so the report asserts
no disagreement (:func:`disagreement_asserted`). It lists *possible* disagreements for a reader to judge: pairs of
units left unmatched that are still related (a looser threshold, keeping 80% of true pairs) and where a cue fires
(:func:`polarity_conflict`: a negation or limitation in one only, or opposite VADER sentiment), each labelled
``possible disagreement (unvalidated)`` with the cue's measured precision. A unit is in at most one pair.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError
from .files import write_atomic
from .paths import GOLD_DIR, SEEDS_DIR
from .safe_text import markdown_code

METHODS = ("tfidf", "lsa", "minilm")
DESCRIPTIONS = {
    "tfidf": "TF-IDF cosine (English stop words removed), fitted on the compared texts",
    "lsa": "LSA cosine: TF-IDF reduced by truncated SVD (up to 100 dimensions, seed 0), fitted on the compared texts",
    "minilm": "all-MiniLM-L6-v2 sentence-embedding cosine",
}
LSA_DIMENSIONS = 100
SEED = 0
DATA_DIR = Path(__file__).parent / "data"
THRESHOLDS_PATH = DATA_DIR / "alignment-thresholds.json"
SEED_PAIRS_PATH = DATA_DIR / "alignment-seed-pairs.csv"
IBM_DIR = GOLD_DIR / "arguments" / "ibm_ce_emnlp2015"
SEED_DOCS = ("ha-2019-hill", "akimoto-2019-japantimes")
MIN_WORDS = 4  # shorter units ("No.", "How different?") say too little to match
CANDIDATES = 3  # nearest units on the other side that the cross-encoder scores, per unit
RERANKER = "matching"  # the shipped cross-encoder (models/matching.npz)
SHARED, POSSIBLE = "shared", "possible disagreement (unvalidated)"
# What "opposite sides" needs before the report may assert it (issue 14's target, on held-out topics).
DISAGREEMENT_TARGET = {"roc_auc": 0.70, "precision": 0.70, "recall": 0.30}

POINT_COLUMNS = ["point_id", "status", "side_a", "doc_a", "sent_a", "text_a", "side_b", "doc_b", "sent_b",
                 "text_b", "similarity", "match_score", "method", "pairing", "reason"]

# --- similarity ---------------------------------------------------------------------------------------------


def _check_method(method: str) -> str:
    if method not in METHODS:
        raise InputError(f"unknown alignment method {method!r}; choose from {', '.join(METHODS)}")
    return method


def _clean(texts) -> list[str]:
    from .segment import normalize_space

    return [normalize_space(str(t)) for t in texts]


def _tfidf(fit_texts: list[str]):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    try:
        vectorizer.fit(fit_texts)
    except ValueError as exc:  # empty vocabulary: only stop words, numbers of one digit or punctuation
        raise InputError("TF-IDF found no words to compare in these texts (only stop words or punctuation?); "
                         "use method 'minilm' or give longer units") from exc
    return vectorizer


def vectors(texts, method: str, fit_texts=None) -> np.ndarray:
    """Row-normalised vectors of ``texts`` for ``method``; TF-IDF and LSA are fitted on ``fit_texts``
    (default: ``texts``). A text with no known word gets a zero vector (similarity 0 to everything)."""
    from sklearn.preprocessing import normalize

    _check_method(method)
    texts = _clean(texts)
    if not texts:
        return np.zeros((0, 1), dtype=np.float32)
    if method == "minilm":
        from . import embed

        return embed.sentence_vectors(texts).astype(np.float64)
    fit_texts = texts if fit_texts is None else _clean(fit_texts)
    vectorizer = _tfidf(fit_texts)
    matrix = vectorizer.transform(texts)
    if method == "tfidf":
        return normalize(matrix).toarray()
    from sklearn.decomposition import TruncatedSVD

    fit_matrix = vectorizer.transform(fit_texts)
    k = min(LSA_DIMENSIONS, fit_matrix.shape[0] - 1, fit_matrix.shape[1] - 1)
    if k < 1:
        raise InputError("LSA needs at least two texts and two distinct words to fit; use method 'tfidf' or 'minilm'")
    svd = TruncatedSVD(n_components=k, random_state=SEED).fit(fit_matrix)
    return normalize(svd.transform(matrix))


def similarity(texts_a, texts_b, method: str = "minilm", fit_texts=None) -> np.ndarray:
    """Cosine similarity matrix (len(texts_a), len(texts_b)) of two lists of texts. TF-IDF and LSA are fitted
    on ``fit_texts`` (default: both lists together). Deterministic."""
    texts_a, texts_b = list(texts_a), list(texts_b)
    if not texts_a or not texts_b:
        return np.zeros((len(texts_a), len(texts_b)))
    both = vectors(texts_a + texts_b, method, fit_texts if fit_texts is not None else texts_a + texts_b)
    return np.clip(both[:len(texts_a)] @ both[len(texts_a):].T, -1.0, 1.0)


def pair_scores(texts_a, texts_b, method: str, fit_texts=None) -> np.ndarray:
    """Similarity of each pair (texts_a[i], texts_b[i]); each distinct text is vectorised once, and TF-IDF/LSA
    are fitted on ``fit_texts`` (default: all the distinct texts)."""
    texts_a, texts_b = _clean(texts_a), _clean(texts_b)
    unique = list(dict.fromkeys(texts_a + texts_b))
    index = {t: i for i, t in enumerate(unique)}
    matrix = vectors(unique, method, fit_texts if fit_texts is not None else unique)
    a = matrix[[index[t] for t in texts_a]]
    b = matrix[[index[t] for t in texts_b]]
    return np.clip((a * b).sum(1), -1.0, 1.0)


# --- disagreement -----------------------------------------------------------------------------------------------

# Idioms whose negation word does not negate the sentence ("not only ... but also", "no choice but").
NEGATION_IDIOMS = re.compile(r"\bnot only\b|\bno choice but\b|\bor not\b|\bno doubt\b|\bnothing but\b|\bnot least\b",
                             re.IGNORECASE)
# Negation of a verb or claim: "may not", "is not", "cannot", "don't", "never", "neither/nor", "no way", "unlikely".
# A bare "no"/"not" before a noun or adjective ("no significant mechanism") is not counted.
NEGATION = re.compile(r"\b(?:(?:can|could|may|might|will|would|shall|should|must|do|does|did|is|are|was|were|am|be|"
                      r"been|has|have|had)\s+not|cannot|never|neither|nor|unlikely|nothing|nobody|none|no\s+way)\b"
                      r"|\b\w+n['’]t\b", re.IGNORECASE)
LIMITATION = re.compile(r"\bbut only\b|\bonly for\b|\bno longer\b|\bat best\b|\bshort[- ]lived\b|\bshort period\b",
                        re.IGNORECASE)
SENTIMENT_MIN = 0.3  # each VADER compound must be at least this far from 0, with opposite signs


def _cues(pattern: re.Pattern, text: str) -> list[str]:
    text = NEGATION_IDIOMS.sub(" ", text)
    return list(dict.fromkeys(re.sub(r"\s+", " ", m.group(0).lower()) for m in pattern.finditer(text)))


# The stronger cues used for "related" pairs below the matching threshold: doubt that something can work.
MODAL_NEGATION = re.compile(r"\b(?:can|could|may|might|will|would|shall|should|must)\s+not\b|\bcannot\b"
                            r"|\b(?:can|could|wo|would|should|must)n['’]t\b|\bunlikely\b", re.IGNORECASE)


def polarity_conflict(text_a: str, text_b: str, compound_a: float | None = None,
                      compound_b: float | None = None, strict: bool = False) -> str:
    """Why two sentences about the same point may disagree, or "" when no rule fires. A heuristic, in order:
    a verb negation ("is not", "cannot", "never", "neither ... nor", "n't") in one sentence only; a limiting
    phrase ("but only", "no longer", "at best", ...) in one only; VADER compound scores of opposite sign, each
    at least 0.3 from zero. ``strict`` (for pairs below the matching threshold) keeps only a modal negation
    ("may not", "cannot", "unlikely") or a limiting phrase in one sentence only. It misses disagreement worded
    without these cues, and flags sentences whose negation is about something else."""
    rules = ((("modal negation", MODAL_NEGATION), ("limitation", LIMITATION)) if strict
             else (("negation", NEGATION), ("limitation", LIMITATION)))
    for name, pattern in rules:
        cues_a, cues_b = _cues(pattern, text_a), _cues(pattern, text_b)
        if bool(cues_a) != bool(cues_b):
            side, cues = ("A", cues_a) if cues_a else ("B", cues_b)
            return f"{name} in {side} only ({', '.join(repr(c) for c in cues)})"
    if strict:
        return ""
    if compound_a is None or compound_b is None:
        from .lexicon import vader_compound

        compound_a, compound_b = vader_compound([text_a, text_b])
    if compound_a * compound_b < 0 and min(abs(compound_a), abs(compound_b)) >= SENTIMENT_MIN:
        return f"opposite sentiment (VADER {compound_a:+.2f} vs {compound_b:+.2f})"
    return ""


# --- alignment ----------------------------------------------------------------------------------------------------


def thresholds(path: str | Path = THRESHOLDS_PATH) -> dict:
    """The shipped thresholds file: ``{"methods": {method: {"threshold", "precision", "recall", "f1", ...}}, ...}``."""
    path = Path(path)
    if not path.is_file():
        raise InputError("alignment thresholds not found; regenerate them with "
                         "`python benchmarks/alignment_validation.py --write`", path)
    return json.loads(path.read_text(encoding="utf-8"))


def threshold_for(method: str, key: str = "threshold") -> float:
    """The shipped matching threshold of ``method`` (``key="related_threshold"``: the looser one used to look
    for disagreeing counterparts of unmatched units)."""
    _check_method(method)
    methods = thresholds()["methods"]
    if method not in methods or key not in methods[method]:
        raise InputError(f"no shipped {key} for {method!r}; regenerate the thresholds file", THRESHOLDS_PATH)
    return float(methods[method][key])


def _sides(units: pd.DataFrame, side) -> tuple[pd.DataFrame, list[str]]:
    """Units with a clean ``side`` column, and the two side labels in order of first appearance."""
    if not isinstance(units, pd.DataFrame):
        raise InputError("units must be a table with columns doc_id, sent_id, text")
    missing = [c for c in ("doc_id", "sent_id", "text") if c not in units.columns]
    if missing:
        raise InputError(f"units table lacks column(s) {', '.join(missing)}")
    if isinstance(side, str):
        if side not in units.columns:
            raise InputError(f"side: no column {side!r} in the units table; choose from {', '.join(units.columns)}")
        labels = units[side].to_numpy()
    else:
        labels = np.asarray(side.to_numpy() if isinstance(side, pd.Series) else list(side), dtype=object)
        if len(labels) != len(units):
            raise InputError(f"side gives {len(labels)} labels for {len(units)} units")
    frame = units.copy()
    frame["side"] = [str(v) for v in labels]
    frame["text"] = _clean(frame["text"])
    frame = frame[frame["text"] != ""]
    names = list(dict.fromkeys(frame["side"]))
    if len(names) != 2:
        found = ", ".join(repr(n) for n in names) or "none"
        raise InputError(f"alignment needs units from exactly two sides with text, got {len(names)} ({found})")
    if frame["sent_id"].duplicated().any():
        raise InputError(f"duplicate sent_id {frame.loc[frame['sent_id'].duplicated(), 'sent_id'].iloc[0]!r}")
    return frame, names


def _split(units: pd.DataFrame, side, method: str):
    frame, names = _sides(units, side)
    _check_method(method)
    a = frame[frame["side"] == names[0]].reset_index(drop=True)
    b = frame[frame["side"] == names[1]].reset_index(drop=True)
    scores = similarity(a["text"].tolist(), b["text"].tolist(), method)
    return a, b, names, scores


def greedy_matches(scores: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """One-to-one matching: repeatedly take the most similar pair of two unmatched units while its score is
    >= threshold (ties: lower row, then lower column first). Returns (row, column) pairs in that order."""
    rows, cols = np.nonzero(scores >= threshold)
    order = np.lexsort((cols, rows, -scores[rows, cols]))
    used_a, used_b, pairs = set(), set(), []
    for k in order:
        i, j = int(rows[k]), int(cols[k])
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    return pairs


def reranked(method: str) -> bool:
    """Whether ``method`` matches through the cross-encoder (MiniLM candidates, reranked)."""
    from . import crossencoder

    return method == "minilm" and crossencoder.available(RERANKER)


def report_method(method: str = "minilm") -> str:
    """The name of what decides a match in the report: ``crossencoder`` (reranking MiniLM candidates) or the
    cosine method itself."""
    return "crossencoder" if reranked(method) else method


def disagreement_method() -> str:
    """What proposes possible disagreements: the opposition cross-encoder when one ships, else the cue words."""
    from . import crossencoder

    return "crossencoder" if crossencoder.available("opposition") else "cues"


def disagreement_asserted() -> bool:
    """Whether the report may assert disagreements: only when the shipped opposition detector met the target on
    held-out topics (:data:`DISAGREEMENT_TARGET`); otherwise they are candidates, labelled unvalidated."""
    from . import crossencoder

    if not crossencoder.available("opposition"):
        return False
    held_out = crossencoder.load("opposition").meta.get("cross_validation", {})
    return (held_out.get("roc_auc", 0) >= DISAGREEMENT_TARGET["roc_auc"]
            and held_out.get("cv_precision", 0) >= DISAGREEMENT_TARGET["precision"]
            and held_out.get("cv_recall", 0) >= DISAGREEMENT_TARGET["recall"])


def match_thresholds(method: str, threshold: float | None = None) -> tuple[float, float]:
    """(match threshold, related threshold) of what decides a match: the cross-encoder's own, chosen with whole
    topics held out, or the cosine method's (IBM CE-EMNLP-2015). ``threshold`` overrides the first."""
    if reranked(method):
        from . import crossencoder

        meta = crossencoder.load(RERANKER).meta
        match, related = float(meta["threshold"]), float(meta.get("related_threshold", meta["threshold"] / 2))
    else:
        match, related = threshold_for(method), threshold_for(method, "related_threshold")
    return (float(threshold) if threshold else match), min(related, float(threshold) if threshold else match)


def candidate_pairs(scores: np.ndarray, k: int = CANDIDATES) -> list[tuple[int, int]]:
    """Each row's ``k`` highest columns and each column's ``k`` highest rows (positive scores only), in order."""
    if not scores.size:
        return []
    found = set()
    for matrix, flip in ((scores, False), (scores.T, True)):
        top = np.argsort(-matrix, axis=1, kind="stable")[:, :k]
        for i, row in enumerate(top):
            found |= {((j, i) if flip else (i, j)) for j in row if matrix[i, j] > 0}
    return sorted(found)


def _match_scores(a, b, scores: np.ndarray, method: str) -> dict[tuple[int, int], float]:
    """The score that decides a match for each candidate pair: the cross-encoder's probability, or the cosine."""
    pairs = candidate_pairs(scores)
    if not reranked(method):
        return {(i, j): float(scores[i, j]) for i, j in pairs}
    from . import crossencoder

    texts_a, texts_b = actors_by_label([a["text"][i] for i, _ in pairs]), actors_by_label([b["text"][j] for _, j in pairs])
    probabilities = crossencoder.load(RERANKER).score(texts_a, texts_b)
    return {pair: float(p) for pair, p in zip(pairs, probabilities)}


def actors_by_label(texts: list[str]) -> list[str]:
    """Each text with every actor the shipped gazetteer knows written by its label ("Washington has to help Tokyo"
    -> "United States has to help Japan"): the cross-encoder learned from debate arguments, which name few of
    these actors, and reads "Washington" and "the United States" as different words unless told."""
    from . import actors

    gazetteer = actors.load_gazetteer(None)
    out = []
    for text in texts:
        for actor, _, start, end in sorted(gazetteer.find(text), key=lambda m: -m[2]):
            text = text[:start] + gazetteer.labels[actor] + text[end:]
        out.append(text)
    return out


def greedy_pairs(scored: dict[tuple[int, int], float], threshold: float) -> list[tuple[int, int]]:
    """One-to-one: the highest-scoring pair at or above ``threshold`` first (ties: lower row, then column)."""
    used_a, used_b, pairs = set(), set(), []
    for (i, j), score in sorted(scored.items(), key=lambda item: (-item[1], item[0])):
        if score >= threshold and i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    return pairs


def align(units: pd.DataFrame, side, method: str = "minilm", threshold: float | None = None,
          related_threshold: float | None = None) -> pd.DataFrame:
    """The points table of two sides (see the module docstring).

    ``units`` has columns doc_id, sent_id, text (a ``role`` column is carried as ``role_a``/``role_b``);
    ``side`` is a column name of ``units`` or a Series/list giving each unit's side (exactly two distinct
    values; the first seen is side A). Thresholds default to those of what decides a match (:func:`match_thresholds`).

    Rows, in this order: (1) pairs matched one-to-one, status ``shared``, ``pairing`` "matched"; (2) possible
    disagreements among the related pairs of units left unmatched, status ``possible disagreement (unvalidated)``
    (``disagree`` only where a validated detector ships), ``pairing`` "related", ``reason`` the cue; pair rows
    sorted by side A's then side B's unit order; (3) each unit in no row, status ``only <side>``, with the
    similarity of its nearest counterpart. ``similarity`` is the MiniLM (or TF-IDF/LSA) cosine, ``match_score`` what
    decided (the cross-encoder's probability when it reranks).
    """
    a, b, names, scores = _split(units, side, method)
    match_at, related_at = match_thresholds(method, threshold)
    if related_threshold is not None:
        related_at = float(related_threshold)
    long_a = a["text"].str.split().str.len().to_numpy() >= MIN_WORDS
    long_b = b["text"].str.split().str.len().to_numpy() >= MIN_WORDS
    usable = scores * long_a[:, None] * long_b[None, :] if scores.size else scores
    scored = _match_scores(a, b, usable, method)
    pairs = greedy_pairs(scored, match_at)
    rows = [(i, j, SHARED, "", "matched") for i, j in pairs]
    matched_a, matched_b = {i for i, _ in pairs}, {j for _, j in pairs}
    from .lexicon import vader_compound

    compound_a, compound_b = vader_compound(a["text"].tolist()), vader_compound(b["text"].tolist())
    possible = {(i, j): score for (i, j), score in scored.items()
                if score >= related_at and i not in matched_a and j not in matched_b}
    status = "disagree" if disagreement_asserted() else POSSIBLE
    for i, j in greedy_pairs(possible, related_at):
        reason = polarity_conflict(a["text"][i], b["text"][j], compound_a[i], compound_b[j])
        if reason:
            rows.append((i, j, status, reason, "related"))
    rows.sort(key=lambda r: (r[0], r[1]))
    in_a, in_b = {r[0] for r in rows}, {r[1] for r in rows}
    has_role = "role" in a.columns

    def unit(frame, k, suffix):
        values = {"doc": "", "sent": "", "text": "", "role": ""} if k is None else {
            "doc": frame["doc_id"][k], "sent": frame["sent_id"][k], "text": frame["text"][k],
            "role": frame["role"][k] if has_role else ""}
        return {f"{key}_{suffix}": v for key, v in values.items() if key != "role" or has_role}

    out = [{"status": state, "side_a": names[0], **unit(a, i, "a"), "side_b": names[1], **unit(b, j, "b"),
            "similarity": float(scores[i, j]), "match_score": scored.get((i, j), np.nan), "pairing": pairing,
            "reason": reason} for i, j, state, reason, pairing in rows]
    for i in range(len(a)):
        if i not in in_a:
            out.append({"status": f"only {names[0]}", "side_a": names[0], **unit(a, i, "a"), "side_b": "",
                        **unit(b, None, "b"), "similarity": float(scores[i].max()) if scores.size else np.nan,
                        "match_score": np.nan, "pairing": "",
                        "reason": "" if long_a[i] else f"fewer than {MIN_WORDS} words: not matched"})
    for j in range(len(b)):
        if j not in in_b:
            out.append({"status": f"only {names[1]}", "side_a": "", **unit(a, None, "a"), "side_b": names[1],
                        **unit(b, j, "b"), "similarity": float(scores[:, j].max()) if scores.size else np.nan,
                        "match_score": np.nan, "pairing": "",
                        "reason": "" if long_b[j] else f"fewer than {MIN_WORDS} words: not matched"})
    columns = POINT_COLUMNS + (["role_a", "role_b"] if has_role else [])
    table = pd.DataFrame(out, columns=[c for c in columns if c not in ("point_id", "method")])
    table.insert(0, "point_id", [f"P{k + 1:03d}" for k in range(len(table))])
    table["method"] = report_method(method)
    table["similarity"] = table["similarity"].round(4)
    table["match_score"] = table["match_score"].astype(float).round(4)
    return table[columns].reset_index(drop=True)


def similarity_table(units: pd.DataFrame, side, method: str = "minilm", limit: int | None = None) -> pd.DataFrame:
    """Long tidy table of cross-side pairs: side_a, sent_a, side_b, sent_b, similarity, in unit order. By default only
    the candidate pairs (each unit's :data:`CANDIDATES` nearest on the other side), never every pair; with ``limit``
    every pair among the ``limit`` units of each side whose best match is strongest (a heatmap)."""
    a, b, names, scores = _split(units, side, method)
    if limit is None:
        pairs = candidate_pairs(np.where(scores > 0, scores, 1e-9) if scores.size else scores)
        rows, cols = (np.array([i for i, _ in pairs], dtype=int), np.array([j for _, j in pairs], dtype=int))
    else:
        keep_a = np.sort(np.argsort(-scores.max(1), kind="stable")[:limit]) if scores.size else np.arange(0)
        keep_b = np.sort(np.argsort(-scores.max(0), kind="stable")[:limit]) if scores.size else np.arange(0)
        rows, cols = (m.ravel() for m in np.meshgrid(keep_a, keep_b, indexing="ij"))
    return pd.DataFrame({"side_a": names[0], "sent_a": a["sent_id"].to_numpy()[rows],
                         "side_b": names[1], "sent_b": b["sent_id"].to_numpy()[cols],
                         "similarity": scores[rows, cols].round(4) if len(rows) else [], "method": method})


def heatmap_table(units: pd.DataFrame, plan, method: str = "minilm", limit: int = 45) -> pd.DataFrame:
    """Every pair among the ``limit`` strongest units of each side of the first comparison (see
    :func:`compare_groups`), for the heatmap."""
    comparison = comparisons(plan.names)
    if not comparison or units["side"].nunique() < 2:
        return pd.DataFrame(columns=["side_a", "sent_a", "side_b", "sent_b", "similarity", "method"])
    name_a, name_b = comparison[0]
    part = units[units["side"].isin([name_a, name_b])] if name_b else pd.concat(
        [units[units["side"] == name_a], units[units["side"] != name_a].assign(side="the rest")])
    if part["side"].nunique() < 2:
        return pd.DataFrame(columns=["side_a", "sent_a", "side_b", "sent_b", "similarity", "method"])
    return similarity_table(part.reset_index(drop=True), "side", method, limit)


# --- validation data: IBM Debater claims and evidence ------------------------------------------------------------

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
    from .segment import normalize_space

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

    _check_method(method)
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
    from .corpus import load_corpus

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


def evaluate_seed_pairs(method: str, threshold: float, path: str | Path = SEED_PAIRS_PATH) -> dict:
    """Precision/recall/F1 at ``threshold`` on the developer-labelled seed pairs; TF-IDF/LSA fitted on all
    sentences of the two seed op-eds, as :func:`align` would."""
    pairs = read_seed_pairs(path)
    units = seed_units().set_index("sent_id")
    unknown = sorted(set(pairs["sent_a"]).union(pairs["sent_b"]) - set(units.index))
    if unknown:
        raise InputError(f"sentence id(s) not in the seed corpus: {', '.join(unknown[:3])}", path)
    for column, ids in (("text_a", "sent_a"), ("text_b", "sent_b")):
        if column in pairs.columns:
            changed = pairs[column].to_numpy() != np.array(_clean(units.loc[pairs[ids], "text"]))
            if changed.any():
                raise InputError(f"the seed corpus text of {pairs[ids][changed].iloc[0]} differs from {column} "
                                 "here: the sentence segmentation changed, relabel the pairs", path)
    scores = pair_scores(units.loc[pairs["sent_a"], "text"], units.loc[pairs["sent_b"], "text"], method,
                         fit_texts=units["text"].tolist())
    return {"threshold": threshold, **prf(scores, pairs["label"], threshold), "n": int(len(pairs)),
            "n_same_point": int(pairs["label"].sum()),
            "protocol": "IBM-chosen threshold; 1 developer's labels of seed sentence pairs (small, not independent)"}


def validate_matching(folder: str | Path = IBM_DIR, methods=METHODS, seed: int = SEED) -> dict:
    """Each method's IBM-chosen threshold and held-out precision/recall/F1, plus the seed-pair check, in the
    shape of :mod:`opedlens.validate` results (``task``, ``gold``, ``n``, ``scorers``)."""
    methods = [methods] if isinstance(methods, str) else list(methods)
    for method in methods:
        _check_method(method)
    folder = Path(folder)
    pairs = ibm_pairs(folder, seed)
    from .validate import new_result

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


def chosen_threshold(method: str, override: float = 0.0) -> float:
    """The matching threshold a report uses: ``override`` when it is above 0, else the validated one."""
    return match_thresholds(method, override if override and override > 0 else None)[0]


def trust_figures(method: str = "minilm", validation: pd.DataFrame | None = None) -> dict:
    """The validated figures of what decides a match (ROC AUC, precision, recall, F1) and where they come from."""
    if reranked(method):
        from . import crossencoder

        held_out = crossencoder.load(RERANKER).meta["cross_validation"]
        return {"precision": held_out["cv_precision"], "recall": held_out["cv_recall"], "f1": held_out["cv_f1"],
                "roc_auc": held_out["roc_auc"], "where": "IBM ArgKP-2021 pairs, whole topics held out"}
    figures = thresholds()["methods"].get(method, {})
    return {**{k: figures[k] for k in ("precision", "recall", "f1", "roc_auc") if k in figures},
            "where": "IBM CE-EMNLP-2015 held-out motions"} if figures else {}


def disagreement_precision() -> float | None:
    """The cue heuristic's measured precision on IBM Claim Stance pairs (saved by ``opedlens validate
    disagreement --save``), for the label of each possible disagreement; None when not measured."""
    from .paths import VALIDATION_DIR

    path = VALIDATION_DIR / "disagreement-ibm_claim_stance-train.json"
    if not path.is_file():
        return None
    methods = json.loads(path.read_text(encoding="utf-8")).get("methods", {})
    chosen = methods.get(disagreement_method()) or methods.get("cues")
    return chosen.get("precision") if chosen else None


def summary_note(points: pd.DataFrame) -> str:
    """One paragraph counting, per comparison, shared points and the points only one side makes, with the
    matcher's validated figures and the standing of the possible disagreements."""
    counts = points["status"].value_counts()
    sides = {str(s) for s in pd.concat([points["side_a"], points["side_b"]]).dropna() if str(s)}
    if len(sides) < 2:
        return (f"Only one side has claims or recommendations here ({len(points)} of them), so there is "
                f"nothing to match: the table lists them.")
    per = points if "comparison" in points else points.assign(comparison="")
    lines = []
    for comparison, part in list(per.groupby("comparison", sort=False))[:MAX_PAIRWISE * 3]:
        a, b = comparison.split(" vs ", 1) if " vs " in comparison else (part["side_a"].iloc[0], part["side_b"].iloc[0])
        states = part["status"].value_counts()
        lines.append(f"{markdown_code(a)} and {markdown_code(b)}: **{states.get(SHARED, 0)}** shared, "
                     f"**{states.get(f'only {a}', 0)}** only {markdown_code(a)}, **{states.get(f'only {b}', 0)}** only "
                     f"{markdown_code(b)}, **{states.get(POSSIBLE, 0)}** possible disagreements")
    counted = "; ".join(lines) + "."
    method = "minilm" if (points["method"] == "crossencoder").any() else (points["method"].iloc[0] if len(points)
                                                                         else "minilm")
    figures = trust_figures(method)
    trust = (f" On validation pairs ({figures['where']}) this matcher finds {figures['recall']:.0%} of the true "
             f"matches, and {figures['precision']:.0%} of the pairs it matches are true matches, so read each pair "
             "before relying on it." if figures else "")
    precision = disagreement_precision()
    caution = (f" The **{counts.get(POSSIBLE, 0)}** possible disagreements are *unvalidated*: the cue that flags them "
               f"is right {precision:.0%} of the time on pairs of claims whose sides are known (IBM Claim Stance), about "
               "as often as a coin would be, so they are listed for you to judge, not counted as findings."
               if precision is not None else f" The **{counts.get(POSSIBLE, 0)}** possible disagreements are "
               "*unvalidated* and listed for you to judge.")
    return f"{counted}{trust}{caution}"


def points_view(points: pd.DataFrame) -> pd.DataFrame:
    """The points table for reading: shared points first (most probable first), then possible disagreements, then
    single-side points."""
    order = points["status"].map(lambda s: 0 if s == SHARED else 1 if s in (POSSIBLE, "disagree") else 2)
    key = points["match_score"].fillna(points["similarity"])
    view = points.assign(_order=order, _key=key).sort_values(["_order", "_key"], ascending=[True, False],
                                                             kind="stable")
    columns = ["point_id", "status", "sent_a", "text_a", "sent_b", "text_b", "match_score", "similarity", "reason"]
    return view[columns].set_index("point_id")


MAX_PAIRWISE = 6  # with more compared groups, each is set against all the others ("the rest")


def comparisons(names: list[str]) -> list[tuple[str, str | None]]:
    """Which sides are matched: every pair of up to :data:`MAX_PAIRWISE` groups, else each group against the
    rest (None)."""
    import itertools

    if len(names) <= MAX_PAIRWISE:
        return list(itertools.combinations(names, 2))
    return [(name, None) for name in names]


def compare_groups(units: pd.DataFrame, plan, method: str = "minilm", threshold: float | None = None
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(similarity table of the first comparison, for its heatmap; points of every comparison) for the claims of the
    compared groups (``units`` has a ``side`` column naming each unit's group): each pair of groups, or each group
    against the rest. The points carry ``comparison`` ("A vs B") and ids unique across comparisons."""
    frames, first = [], None
    for name_a, name_b in comparisons(plan.names):
        label_b = name_b or "the rest"
        part = units[units["side"] == name_a] if name_b is None else units[units["side"].isin([name_a, name_b])]
        if name_b is None:
            part = pd.concat([part, units[units["side"] != name_a].assign(side=label_b)], ignore_index=True)
        similarity, points = compare(part.reset_index(drop=True), "side", method, threshold)
        first = similarity if first is None else first
        frames.append(points.assign(comparison=f"{name_a} vs {label_b}"))
    if not frames:
        empty = pd.DataFrame(columns=POINT_COLUMNS + ["comparison"])
        return pd.DataFrame(columns=["side_a", "sent_a", "side_b", "sent_b", "similarity", "method"]), empty
    points = pd.concat(frames, ignore_index=True)
    points["point_id"] = [f"P{k + 1:03d}" for k in range(len(points))]
    return first, points


def compare(units: pd.DataFrame, side, method: str = "minilm", threshold: float | None = None
            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(similarity_table, points) for a report. With fewer than two sides (a one-article corpus, or a side
    with no claims) nothing can be matched: every unit is ``only <side>`` and the similarity table is empty."""
    labels = units[side] if isinstance(side, str) else pd.Series(list(side), index=units.index)
    if labels.nunique() >= 2:
        return similarity_table(units, side, method), align(units, side, method, threshold)
    name = str(labels.iloc[0]) if len(labels) else ""
    points = pd.DataFrame({"status": f"only {name}", "side_a": name, "doc_a": units["doc_id"],
                           "sent_a": units["sent_id"], "text_a": units["text"], "side_b": "", "doc_b": "",
                           "sent_b": "", "text_b": "", "similarity": np.nan, "match_score": np.nan,
                           "method": report_method(method), "pairing": "", "reason": ""}).reset_index(drop=True)
    points.insert(0, "point_id", [f"P{k + 1:03d}" for k in range(len(points))])
    similarity = pd.DataFrame(columns=["side_a", "sent_a", "side_b", "sent_b", "similarity", "method"])
    return similarity, points[POINT_COLUMNS]
