"""Cross-article alignment of argument units: which points both sides make, which only one makes, where they clash.

Two sides (two articles, or two groups of articles) each give a list of units (sentences with ids). Every unit
of side A is compared with every unit of side B by one of three similarity methods:

* ``tfidf``: cosine of TF-IDF word vectors (English stop words removed), fitted on both sides' texts. A
  transparent baseline that only sees shared words.
* ``lsa``: the same TF-IDF vectors reduced by truncated SVD (latent semantic analysis, fixed seed), so words
  that co-occur in the compared texts count as related.
* ``minilm``: cosine of all-MiniLM-L6-v2 sentence embeddings (:mod:`opedlens.measure.embed`), which match by meaning.

What the report uses (:func:`report_method`): each unit's :data:`CANDIDATES` nearest units on the other side by
MiniLM cosine are the candidates (so the cost grows with the number of units, not with their product), and the
cross-encoder (:mod:`opedlens.measure.crossencoder`, trained on IBM ArgKP-2021 pairs and validated with whole topics
held out: ``opedlens validate matching``) scores each candidate pair; its probability is weighed with the pair's
cosine (:mod:`opedlens.compare.match_score`), because alone it takes pairs on different subjects for the same
point. A pair may be matched only if it is the most probable candidate of at least one of its units
(:func:`best_candidates`: a unit is matched to its best candidate or to none, the rule
``crossencoder_cosine_best`` validates). Pairs are then matched one-to-one, greedily:
the most probable pair at or above the model's threshold first, then the next pair of two still-unmatched units,
and so on (ties broken by unit order). Without the cross-encoder's file (or with ``alignment_method`` tfidf or
lsa) the cosine itself is matched at the threshold chosen on IBM CE-EMNLP-2015 (``data/alignment-thresholds.json``,
:func:`write_thresholds`). Units of fewer than :data:`MIN_WORDS` words ("No.") are not matched.

Opposite sides: no detector of "these two claims take opposite sides" reached the validation target on topics it
never saw (``opedlens validate disagreement``: the cue-word heuristic, the pair cross-encoder), so the report asserts
no disagreement (:func:`disagreement_asserted`). It lists *possible* disagreements for a reader to judge: pairs of
units left unmatched that are still related (a looser threshold, keeping 80% of true pairs) and where a cue fires
(:func:`polarity_conflict`: a negation or limitation in one only, or opposite VADER sentiment), each labelled
``possible disagreement (unvalidated)`` with the cue's measured precision. A unit is in at most one pair.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import uuid
from pathlib import Path

import numpy as np
import pandas as pd

from opedlens.compare import match_score, neighbours
from opedlens.errors import InputError
from opedlens.paths import DATA_DIR
from opedlens.safe_text import markdown_code

METHODS = ("tfidf", "lsa", "minilm")
DESCRIPTIONS = {
    "tfidf": "TF-IDF cosine (English stop words removed), fitted on the compared texts",
    "lsa": "LSA cosine: TF-IDF reduced by truncated SVD (up to 100 dimensions, seed 0), fitted on the compared texts",
    "minilm": "all-MiniLM-L6-v2 sentence-embedding cosine",
}
LSA_DIMENSIONS = 100
SEED = 0
THRESHOLDS_PATH = DATA_DIR / "alignment-thresholds.json"
SEED_DOCS = ("ha-2019-hill", "akimoto-2019-japantimes")
MIN_WORDS = 4  # shorter units ("No.", "How different?") say too little to match
CANDIDATES = 3  # nearest units on the other side that the cross-encoder scores, per unit
RERANKER = "matching"  # the shipped cross-encoder (models/matching.npz)
SHARED, POSSIBLE = "shared", "possible disagreement (unvalidated)"
#: How a reader sees a matched pair while the matcher is not validated on op-ed sentences (the tables keep "shared").
CANDIDATE = "matched (unvalidated)"
# What "opposite sides" needs before the report may assert it (issue 14's target, on held-out topics).
DISAGREEMENT_TARGET = {"roc_auc": 0.70, "precision": 0.70, "recall": 0.30}

POINT_COLUMNS = ["point_id", "status", "side_a", "doc_a", "sent_a", "text_a", "side_b", "doc_b", "sent_b",
                 "text_b", "similarity", "match_score", "method", "pairing", "reason"]

# --- similarity ---------------------------------------------------------------------------------------------


def check_method(method: str) -> str:
    """The method name, if it is one of :data:`METHODS`; else an error naming them."""
    if method not in METHODS:
        raise InputError(f"unknown alignment method {method!r}; choose from {', '.join(METHODS)}")
    return method


def clean_texts(texts) -> list[str]:
    from opedlens.corpus.segment import normalize_space

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

    check_method(method)
    texts = clean_texts(texts)
    if not texts:
        return np.zeros((0, 1), dtype=np.float32)
    if method == "minilm":
        from opedlens.measure import embed

        return embed.sentence_vectors(texts).astype(np.float64)
    fit_texts = texts if fit_texts is None else clean_texts(fit_texts)
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
    texts_a, texts_b = clean_texts(texts_a), clean_texts(texts_b)
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
        from opedlens.measure.lexicon import vader_compound

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
    check_method(method)
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
    frame["text"] = clean_texts(frame["text"])
    frame = frame[frame["text"] != ""]
    names = list(dict.fromkeys(frame["side"]))
    if len(names) != 2:
        found = ", ".join(repr(n) for n in names) or "none"
        raise InputError(f"alignment needs units from exactly two sides with text, got {len(names)} ({found})")
    if frame["sent_id"].duplicated().any():
        raise InputError(f"duplicate sent_id {frame.loc[frame['sent_id'].duplicated(), 'sent_id'].iloc[0]!r}")
    return frame, names


def _split(units: pd.DataFrame, side, method: str):
    """(side A's units, side B's units, the two side names, A's vectors, B's vectors)."""
    frame, names = _sides(units, side)
    check_method(method)
    a = frame[frame["side"] == names[0]].reset_index(drop=True)
    b = frame[frame["side"] == names[1]].reset_index(drop=True)
    both = vectors(a["text"].tolist() + b["text"].tolist(), method)
    return a, b, names, both[:len(a)], both[len(a):]


def reranked(method: str) -> bool:
    """Whether ``method`` matches through the cross-encoder (MiniLM candidates, reranked)."""
    from opedlens.measure import crossencoder

    return method == "minilm" and crossencoder.available(RERANKER)


def weighed_with_cosine(method: str) -> bool:
    """Whether the cross-encoder's probability is weighed with the cosine (:mod:`opedlens.compare.match_score`)."""
    return reranked(method) and match_score.available()


def report_method(method: str = "minilm") -> str:
    """The name of what decides a match in the report: ``crossencoder_cosine_best`` (the cross-encoder's probability
    of MiniLM candidates weighed with their cosine, each unit matched to its best candidate or to none),
    ``crossencoder_best`` (the cross-encoder alone) or the cosine method itself."""
    if not reranked(method):
        return method
    return "crossencoder_cosine_best" if weighed_with_cosine(method) else "crossencoder_best"


def _decider_meta() -> dict:
    """Threshold and held-out figures of what decides a reranked match: the weighing with the cosine, when shipped,
    else the cross-encoder's own."""
    from opedlens.measure import crossencoder

    return match_score.load().meta if match_score.available() else crossencoder.load(RERANKER).meta


def disagreement_method() -> str:
    """What proposes possible disagreements: the opposition cross-encoder when one ships, else the cue words."""
    from opedlens.measure import crossencoder

    return "crossencoder" if crossencoder.available("opposition") else "cues"


def disagreement_asserted() -> bool:
    """Whether the report may assert disagreements: only when the shipped opposition detector met the target on
    held-out topics (:data:`DISAGREEMENT_TARGET`); otherwise they are candidates, labelled unvalidated."""
    from opedlens.measure import crossencoder

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
        meta = _decider_meta()
        match, related = float(meta["threshold"]), float(meta.get("related_threshold", meta["threshold"] / 2))
    else:
        match, related = threshold_for(method), threshold_for(method, "related_threshold")
    return (float(threshold) if threshold else match), min(related, float(threshold) if threshold else match)


def _match_scores(a, b, candidates: dict[tuple[int, int], float], method: str, scheduler: str = ""
                  ) -> dict[tuple[int, int], float]:
    """The score that decides a match for each candidate pair (``candidates`` maps it to its cosine): the
    cross-encoder's probability weighed with the cosine, the cross-encoder's alone, or the cosine."""
    pairs = sorted(candidates)
    if not reranked(method):
        return {pair: candidates[pair] for pair in pairs}
    texts_a, texts_b = actors_by_label([a["text"][i] for i, _ in pairs]), actors_by_label([b["text"][j] for _, j in pairs])
    probabilities = pair_probabilities(texts_a, texts_b, scheduler)
    if weighed_with_cosine(method):
        probabilities = match_score.load().probability(probabilities, [candidates[pair] for pair in pairs])
    return {pair: float(p) for pair, p in zip(pairs, probabilities)}


#: Candidate pairs the cross-encoder scores together: what one Dask task gets, and the same here, so that both ways give
#: the same bits (a pair's padding, and so its sums, depend on the pairs batched with it).
PAIR_CHUNK = 4_096


def pair_probabilities(texts_a: list[str], texts_b: list[str], scheduler: str = "") -> np.ndarray:
    """The cross-encoder's probability of each pair (a[i], b[i]), in chunks of :data:`PAIR_CHUNK` pairs on the cores
    this process may use, or on a Dask cluster (``scheduler``: its address; the same probabilities).

    Remembered in the disk cache (:mod:`opedlens.cache`) by the texts, the model file, the code that runs it and the
    libraries: a report rebuilt on the same corpus reads them instead of running the model, which was most of
    notebook 04 on a grouped corpus (on 133 editorials of three outlets: 161 s, and 7.5 s with them read back)."""
    from importlib.metadata import version

    from opedlens import cache
    from opedlens.files import sha256_file
    from opedlens.measure import crossencoder, embed

    texts = hashlib.sha256("\x1e".join(f"{x}\x1f{y}" for x, y in zip(texts_a, texts_b)).encode()).hexdigest()
    key = cache.key(texts, len(texts_a), PAIR_CHUNK, sha256_file(crossencoder.path_of(RERANKER)),
                    version("onnxruntime"),
                    cache.code_version(crossencoder.__name__, embed.__name__, "opedlens.measure.encoder_graph"))

    def compute() -> list[float]:
        chunks = [(list(texts_a[i:i + PAIR_CHUNK]), list(texts_b[i:i + PAIR_CHUNK]))
                  for i in range(0, len(texts_a), PAIR_CHUNK)]
        if scheduler and chunks:
            parts = _on_cluster(chunks, scheduler)
        else:
            # On every core this process may use, not only its BLAS threads: `opedlens run --jobs 2` gives each kernel
            # one, and notebook 04 then ran this on one of two cores for minutes after the other notebooks had
            # finished. The threads call ONNX Runtime one-threaded and do not spin beside another kernel.
            parts = [chunk_probabilities(a, b, embed.cores()) for a, b in chunks]
        return np.concatenate(parts).tolist() if parts else []

    remembered = cache.remembered("pair-probabilities", key, compute)
    return np.asarray(remembered, dtype=np.float32)  # the model's own precision: the same bits as computing them


def chunk_probabilities(texts_a: list[str], texts_b: list[str], threads: int = 1) -> np.ndarray:
    """One chunk of :func:`pair_probabilities`, here or as a task on a Dask worker (which loads the model once): its
    NumPy steps on one BLAS thread everywhere, since OpenBLAS's sums may change in their last bits with the count."""
    from threadpoolctl import threadpool_limits

    from opedlens.measure import crossencoder

    with threadpool_limits(1, user_api="blas"):
        return crossencoder.load(RERANKER).score(texts_a, texts_b, workers=threads)


def _on_cluster(chunks: list[tuple[list[str], list[str]]], scheduler: str) -> list[np.ndarray]:
    """Each chunk's probabilities, scored as one task on the Dask cluster at ``scheduler`` (a notebook user's open
    client on it is used and left open). A chunk's texts travel with ``client.scatter``, not inside the graph; a
    chunk whose worker went away (with its texts, or under its task) is sent again, as measuring sends a batch."""
    import contextlib

    from opedlens.cluster import connected, run_resending, scatter

    opened = contextlib.ExitStack()
    try:
        client = opened.enter_context(connected(scheduler))
    except OSError as err:  # no scheduler there, or it did not answer in time
        raise InputError(f"could not reach the Dask scheduler at {scheduler} to score candidate pairs on ({err}); "
                         "check the `scheduler` parameter, or leave it empty to score them here") from err
    run = uuid.uuid4().hex[:12]  # task keys of this call, apart from any other client's on the cluster
    parts: dict[int, np.ndarray] = {}

    def submit(k: int, key: str):
        texts_a, texts_b = scatter(client, list(chunks[k]))
        return client.submit(chunk_probabilities, texts_a, texts_b, key=key, pure=False)

    with opened:
        run_resending(range(len(chunks)), submit, parts.__setitem__, key=lambda k: f"pair-probabilities-{run}-{k}",
                      doing=lambda k: f"scoring {len(chunks[k][0]):,} candidate pairs",
                      log=lambda line: print(line, file=sys.stderr))
    return [parts[k] for k in range(len(chunks))]


def actors_by_label(texts: list[str]) -> list[str]:
    """Each text with every actor the shipped gazetteer knows written by its label ("Washington has to help Tokyo"
    -> "United States has to help Japan"): the cross-encoder learned from debate arguments, which name few of
    these actors, and reads "Washington" and "the United States" as different words unless told."""
    from opedlens.measure import actors

    gazetteer = actors.load_gazetteer(None)
    out = []
    for text in texts:
        for actor, _, start, end in sorted(gazetteer.find(text), key=lambda m: -m[2]):
            text = text[:start] + gazetteer.labels[actor] + text[end:]
        out.append(text)
    return out


def best_candidates(scored: dict[tuple[int, int], float]) -> dict[tuple[int, int], float]:
    """The pairs that are the most probable candidate of at least one of their two units: a unit is matched to its
    best candidate or to none (what ``opedlens validate matching`` scores as ``crossencoder_cosine_best``)."""
    best_a: dict[int, float] = {}
    best_b: dict[int, float] = {}
    for (i, j), score in scored.items():
        best_a[i], best_b[j] = max(best_a.get(i, -np.inf), score), max(best_b.get(j, -np.inf), score)
    return {(i, j): score for (i, j), score in scored.items() if score == best_a[i] or score == best_b[j]}


def best_candidate_scores(scores, units) -> np.ndarray:
    """Scores of pairs grouped by one of their units (``units``: that unit of each pair), where a pair that is not
    its unit's most probable candidate ranks below every pair that is (its score less 1): the ranking behind the
    report's rule that a unit is matched to its best candidate or to none."""
    scores = np.asarray(scores, dtype=float)
    best = pd.Series(scores).groupby(np.asarray(units, dtype=object)).transform("max").to_numpy()
    return np.where(scores >= best, scores, scores - 1.0)


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
          related_threshold: float | None = None, scheduler: str = "") -> pd.DataFrame:
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
    a, b, names, vectors_a, vectors_b = _split(units, side, method)
    match_at, related_at = match_thresholds(method, threshold)
    if related_threshold is not None:
        related_at = float(related_threshold)
    long_a = a["text"].str.split().str.len().to_numpy() >= MIN_WORDS
    long_b = b["text"].str.split().str.len().to_numpy() >= MIN_WORDS
    near = neighbours.nearest(vectors_a, vectors_b, CANDIDATES, long_a, long_b)
    scored = _match_scores(a, b, near.pairs, method, scheduler)
    pairs = greedy_pairs(best_candidates(scored), match_at)
    rows = [(i, j, SHARED, "", "matched") for i, j in pairs]
    matched_a, matched_b = {i for i, _ in pairs}, {j for _, j in pairs}
    from opedlens.measure.lexicon import vader_compound

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
            "similarity": near.pairs[(i, j)], "match_score": scored.get((i, j), np.nan), "pairing": pairing,
            "reason": reason} for i, j, state, reason, pairing in rows]
    for i in range(len(a)):
        if i not in in_a:
            out.append({"status": f"only {names[0]}", "side_a": names[0], **unit(a, i, "a"), "side_b": "",
                        **unit(b, None, "b"), "similarity": float(near.row_best[i]),
                        "match_score": np.nan, "pairing": "",
                        "reason": "" if long_a[i] else f"fewer than {MIN_WORDS} words: not matched"})
    for j in range(len(b)):
        if j not in in_b:
            out.append({"status": f"only {names[1]}", "side_a": "", **unit(a, None, "a"), "side_b": names[1],
                        **unit(b, j, "b"), "similarity": float(near.column_best[j]),
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
    a, b, names, vectors_a, vectors_b = _split(units, side, method)
    near = neighbours.nearest(vectors_a, vectors_b, CANDIDATES, positive_only=False)
    if limit is None:
        pairs = list(near.pairs)
        rows, cols = (np.array([i for i, _ in pairs], dtype=int), np.array([j for _, j in pairs], dtype=int))
        values = np.array([near.pairs[pair] for pair in pairs])
    else:
        keep_a = np.sort(np.argsort(-near.row_best, kind="stable")[:limit])
        keep_b = np.sort(np.argsort(-near.column_best, kind="stable")[:limit])
        values = neighbours.grid(vectors_a, vectors_b, keep_a, keep_b).ravel()
        rows, cols = (m.ravel() for m in np.meshgrid(keep_a, keep_b, indexing="ij"))
    return pd.DataFrame({"side_a": names[0], "sent_a": a["sent_id"].to_numpy()[rows],
                         "side_b": names[1], "sent_b": b["sent_id"].to_numpy()[cols],
                         "similarity": values.round(4) if len(rows) else [], "method": method})


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


def chosen_threshold(method: str, override: float = 0.0) -> float:
    """The matching threshold a report uses: ``override`` when it is above 0, else the validated one."""
    return match_thresholds(method, override if override and override > 0 else None)[0]


def trust_figures(method: str = "minilm", validation: pd.DataFrame | None = None) -> dict:
    """The validated figures of what decides a match (ROC AUC, precision, recall, F1) and where they come from;
    ``op_ed``: its figures on the developer-labelled seed op-ed pairs, when ``opedlens validate matching --save``
    has scored them."""
    if reranked(method):
        saved = saved_matching()
        rule = saved.get("methods", {}).get(report_method(method), {})
        op_ed = {"op_ed": saved["seed_pairs"][report_method(method)]} \
            if report_method(method) in saved.get("seed_pairs", {}) else {}
        if "cv_f1" in rule:
            return {"precision": rule["cv_precision"], "recall": rule["cv_recall"], "f1": rule["cv_f1"],
                    "roc_auc": rule["roc_auc"], "where": "IBM ArgKP-2021 pairs, whole topics held out, each unit "
                                                         "matched to its most probable candidate or to none", **op_ed}
        held_out = _decider_meta()["cross_validation"]
        return {"precision": held_out["cv_precision"], "recall": held_out["cv_recall"], "f1": held_out["cv_f1"],
                "roc_auc": held_out["roc_auc"], "where": "IBM ArgKP-2021 pairs, whole topics held out", **op_ed}
    figures = thresholds()["methods"].get(method, {})
    seed = thresholds().get("seed_pairs", {}).get(method, {})
    op_ed = {"op_ed": seed} if "roc_auc" in seed else {}
    return {**{k: figures[k] for k in ("precision", "recall", "f1", "roc_auc") if k in figures},
            "where": "IBM CE-EMNLP-2015 held-out motions", **op_ed} if figures else {}


def saved_matching() -> dict:
    """What ``opedlens validate matching --gold <ArgKP dev> --save`` wrote ({} before it has run)."""
    return _saved("matching-ibm_argkp2021-dev.json")


#: What "the same point" needs on op-ed prose before the report may call a matched pair a shared point: the matcher's
#: ROC AUC on the developer-labelled seed op-ed pairs (debate-argument figures alone do not show it reads op-eds).
OP_ED_TARGET_AUC = 0.70


def matcher_of(points: pd.DataFrame) -> str:
    """The matching method (as :func:`trust_figures` names it) behind a points table."""
    if points["method"].astype(str).str.startswith("crossencoder").any():
        return "minilm"
    return str(points["method"].iloc[0]) if len(points) else "minilm"


def matching_validated(method: str = "minilm") -> bool:
    """Whether the report may assert shared points: the matcher's op-ed check reaches :data:`OP_ED_TARGET_AUC`."""
    op_ed = trust_figures(method).get("op_ed", {})
    return op_ed.get("roc_auc", 0.0) >= OP_ED_TARGET_AUC


def op_ed_check_text(method: str = "minilm") -> str:
    """The op-ed checks in words ("" when not measured): the seed pairs, and the editorial candidates when
    ``benchmarks/matching_on_editorials.py score --save`` scored what decides a match here."""
    op_ed = trust_figures(method).get("op_ed", {})
    if "roc_auc" not in op_ed:
        return ""
    text = (f"on {op_ed['n']} developer-labelled pairs of op-ed sentences ({op_ed['n_same_point']} making the same "
            f"point) it ranks same-point pairs at ROC AUC {op_ed['roc_auc']:.2f} (chance: 0.50)")
    editorials = saved_editorial_check()
    report = editorials.get("scorers", {}).get("report")
    if not report or editorials.get("report_method") != report_method(method):
        return text
    return (f"{text}; of {editorials['n']} candidate pairs drawn between {editorials['article_pairs']} pairs of "
            f"editorials on one event, {editorials['same_point']} make the same point, and "
            f"{report['matched_same_point']} of the {report['matched']} it matched do")


def saved_editorial_check() -> dict:
    """What ``benchmarks/matching_on_editorials.py score --save`` wrote ({} before it has run)."""
    return _saved("matching-editorials.json")


def _saved(name: str) -> dict:
    """A saved validation result (``validation/<name>``), or {} before it has been saved."""
    from opedlens.paths import VALIDATION_DIR

    saved = VALIDATION_DIR / name
    return json.loads(saved.read_text(encoding="utf-8")) if saved.is_file() else {}


def disagreement_precision() -> float | None:
    """The cue heuristic's measured precision on IBM Claim Stance pairs (saved by ``opedlens validate
    disagreement --save``), for the label of each possible disagreement; None when not measured."""
    from opedlens.paths import VALIDATION_DIR

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
    method = matcher_of(points)
    validated = matching_validated(method)
    matched = "shared" if validated else CANDIDATE
    lines = []
    for comparison, part in list(per.groupby("comparison", sort=False))[:MAX_PAIRWISE * 3]:
        a, b = comparison.split(" vs ", 1) if " vs " in comparison else (part["side_a"].iloc[0], part["side_b"].iloc[0])
        states = part["status"].value_counts()
        lines.append(f"{markdown_code(a)} and {markdown_code(b)}: **{states.get(SHARED, 0)}** {matched}, "
                     f"**{states.get(f'only {a}', 0)}** only {markdown_code(a)}, **{states.get(f'only {b}', 0)}** only "
                     f"{markdown_code(b)}, **{states.get(POSSIBLE, 0)}** possible disagreements")
    counted = "; ".join(lines) + "."
    figures = trust_figures(method)
    trust = (f" On validation pairs ({figures['where']}) this matcher finds {figures['recall']:.0%} of the true "
             f"matches, and {figures['precision']:.0%} of the pairs it matches are true matches, so read each pair "
             "before relying on it." if figures else "")
    check = op_ed_check_text(method)
    if check:
        trust += f" {check[0].upper()}{check[1:]}" + (
            "." if validated else
            f": the pairs marked {CANDIDATE} are candidates for you to judge, not points the report asserts.")
    precision = disagreement_precision()
    caution = (f" The **{counts.get(POSSIBLE, 0)}** possible disagreements are *unvalidated*: the cue that flags them "
               f"is right {precision:.0%} of the time on pairs of claims whose sides are known (IBM Claim Stance), about "
               "as often as a coin would be, so they are listed for you to judge, not counted as findings."
               if precision is not None else f" The **{counts.get(POSSIBLE, 0)}** possible disagreements are "
               "*unvalidated* and listed for you to judge.")
    return f"{counted}{trust}{caution}"


def points_view(points: pd.DataFrame) -> pd.DataFrame:
    """The points table for reading: shared points first (most probable first), then possible disagreements, then
    single-side points. While the matcher is not validated on op-ed sentences a matched pair reads
    :data:`CANDIDATE`, not "shared"."""
    order = points["status"].map(lambda s: 0 if s == SHARED else 1 if s in (POSSIBLE, "disagree") else 2)
    key = points["match_score"].fillna(points["similarity"])
    view = points.assign(_order=order, _key=key).sort_values(["_order", "_key"], ascending=[True, False],
                                                             kind="stable")
    if "method" in points and not matching_validated(matcher_of(points)):
        view["status"] = view["status"].replace(SHARED, CANDIDATE)
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


def compare_groups(units: pd.DataFrame, plan, method: str = "minilm", threshold: float | None = None,
                   scheduler: str = "") -> tuple[pd.DataFrame, pd.DataFrame]:
    """(similarity table of the first comparison, for its heatmap; points of every comparison) for the claims of the
    compared groups (``units`` has a ``side`` column naming each unit's group): each pair of groups, or each group
    against the rest. The points carry ``comparison`` ("A vs B") and ids unique across comparisons. ``scheduler``:
    a Dask scheduler's address to score candidate pairs on (:func:`pair_probabilities`)."""
    frames, first = [], None
    for name_a, name_b in comparisons(plan.names):
        label_b = name_b or "the rest"
        part = units[units["side"] == name_a] if name_b is None else units[units["side"].isin([name_a, name_b])]
        if name_b is None:
            part = pd.concat([part, units[units["side"] != name_a].assign(side=label_b)], ignore_index=True)
        similarity, points = compare(part.reset_index(drop=True), "side", method, threshold, scheduler)
        first = similarity if first is None else first
        frames.append(points.assign(comparison=f"{name_a} vs {label_b}"))
    if not frames:
        empty = pd.DataFrame(columns=POINT_COLUMNS + ["comparison"])
        return pd.DataFrame(columns=["side_a", "sent_a", "side_b", "sent_b", "similarity", "method"]), empty
    points = pd.concat(frames, ignore_index=True)
    points["point_id"] = [f"P{k + 1:03d}" for k in range(len(points))]
    return first, points


def compare(units: pd.DataFrame, side, method: str = "minilm", threshold: float | None = None, scheduler: str = ""
            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(similarity_table, points) for a report. With fewer than two sides (a one-article corpus, or a side
    with no claims) nothing can be matched: every unit is ``only <side>`` and the similarity table is empty."""
    labels = units[side] if isinstance(side, str) else pd.Series(list(side), index=units.index)
    if labels.nunique() >= 2:
        return similarity_table(units, side, method), align(units, side, method, threshold, scheduler=scheduler)
    name = str(labels.iloc[0]) if len(labels) else ""
    points = pd.DataFrame({"status": f"only {name}", "side_a": name, "doc_a": units["doc_id"],
                           "sent_a": units["sent_id"], "text_a": units["text"], "side_b": "", "doc_b": "",
                           "sent_b": "", "text_b": "", "similarity": np.nan, "match_score": np.nan,
                           "method": report_method(method), "pairing": "", "reason": ""}).reset_index(drop=True)
    points.insert(0, "point_id", [f"P{k + 1:03d}" for k in range(len(points))])
    similarity = pd.DataFrame(columns=["side_a", "sent_a", "side_b", "sent_b", "similarity", "method"])
    return similarity, points[POINT_COLUMNS]


def warm_up() -> None:
    """Load the cross-encoder and VADER now, which matching loads on first use (warm kernels call this while the
    notebook before runs; see opedlens.report.kernels)."""
    from opedlens.measure import crossencoder
    from opedlens.measure.lexicon import vader_compound

    if crossencoder.available(RERANKER):
        crossencoder.load(RERANKER)
    vader_compound(["warm"])
