"""Validating the pair measures on IBM's argument data: "same point" (ArgKP-2021) and "opposite sides" (Claim
Stance).

``opedlens validate matching --gold dev.csv`` (the ArgKP format: topic, argument, key_point, stance, label) scores
every matching method on the file's pairs: MiniLM, TF-IDF and LSA cosine at the threshold the report uses, the
cross-encoder (:mod:`opedlens.measure.crossencoder`) at its own, and the cross-encoder weighed with the cosine
(:mod:`opedlens.compare.match_score`, what the report uses), each also with the report's best-candidate rule.
``opedlens validate disagreement --gold train.csv`` (the Claim Stance format) forms every pair of claims within a
topic, labelled 1 when their stances differ, and scores the cue-word heuristic and the opposition cross-encoder.

A trained model is never scored on pairs it learned from: when the gold file holds pairs the model was trained on
(recognised by a hash of the two texts), their scores are the out-of-fold ones stored with the model, made by a
model that never saw their topic, and the protocol says so. Other pairs get the shipped model's score.

Each method reports n, ROC AUC, average precision, and precision / recall / F1 at its threshold, in one JSON object
whose ``report_method`` names the method the report uses (``--json``). Matching also scores every method on the
developer-labelled pairs of seed op-ed sentences (``seed_pairs``): the only check of how the matchers read op-ed
prose rather than debate arguments; the report asserts shared points only where it holds (see
:func:`opedlens.compare.align.matching_validated`).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

from opedlens.compare import align
from opedlens.errors import InputError
from opedlens.validate import gold
from opedlens.validate.pair_models import figures, pair_key

OUT_OF_FOLD = "out-of-fold scores: trained on the other topics of this file ({folds}-fold, grouped by topic)"
SHIPPED = "the shipped model; no pair of this file was in its training data"
CUE_METHOD = "cues"


BEST = "crossencoder_best"  # the report's rule: a unit is matched to its most probable candidate or to none
WEIGHED = "crossencoder_cosine"  # the cross-encoder's probability weighed with the cosine (compare.match_score)
WEIGHED_BEST = "crossencoder_cosine_best"  # the same, with the report's rule
BEST_OF = {BEST: "crossencoder", WEIGHED_BEST: WEIGHED}


def model_scores(name: str, texts_a, texts_b) -> tuple[np.ndarray, str]:
    """The cross-encoder ``name``'s score of each pair: out-of-fold for pairs it was trained on, else its own."""
    from opedlens.measure import crossencoder

    model = crossencoder.load(name)
    stored = model.meta.get("out_of_fold", {})
    keys = [pair_key(a, b) for a, b in zip(texts_a, texts_b)]
    known = np.array([k in stored for k in keys])
    scores = np.zeros(len(keys))
    if known.any():
        scores[known] = [stored[k] for k, seen in zip(keys, known) if seen]
    if (~known).any():
        unseen = np.flatnonzero(~known)
        scores[unseen] = model.score([texts_a[i] for i in unseen], [texts_b[i] for i in unseen])
    if known.all():
        protocol = OUT_OF_FOLD.format(folds=model.meta.get("folds", "?"))
    elif known.any():
        protocol = f"{int(known.sum())} pairs scored out-of-fold (in the training data), {int((~known).sum())} by " \
                   "the shipped model"
    else:
        protocol = SHIPPED
    return scores, protocol


def _threshold(name: str) -> float:
    from opedlens.measure import crossencoder

    return float(crossencoder.load(name).meta["threshold"])


def _method_scores(method: str, a: list[str], b: list[str], cache: dict) -> tuple[np.ndarray, float, str]:
    """(scores, the report's threshold, protocol) of a matching method on pairs (a[i], b[i]); ``cache`` keeps the
    cross-encoder's and the cosine's scores between methods."""
    from opedlens.compare import match_score

    method = BEST_OF.get(method, method)
    if method in ("crossencoder", WEIGHED) and "crossencoder" not in cache:
        cache["crossencoder"] = model_scores("matching", a, b)
    if method == "crossencoder":
        scores, protocol = cache["crossencoder"]
        return scores, _threshold("matching"), protocol
    if method == WEIGHED:
        if "minilm" not in cache:
            cache["minilm"] = align.pair_scores(a, b, "minilm")
        model, (scores, protocol) = match_score.load(), cache["crossencoder"]
        protocol += "; weighed with the MiniLM cosine by weights fitted on IBM CE-EMNLP-2015 pairs"
        return model.probability(scores, cache["minilm"]), float(model.meta["threshold"]), protocol
    if method not in cache:
        cache[method] = align.pair_scores(a, b, method)
    return cache[method], align.threshold_for(method), "threshold chosen on IBM CE-EMNLP-2015 (the report's)"


def validate_matching_pairs(gold_path: str | Path, methods=None) -> dict:
    """Every matching method on ArgKP-format pairs (see the module docstring)."""
    from opedlens.compare import match_score
    from opedlens.measure import crossencoder
    from opedlens.validate.results import new_result

    frame = gold.read_argkp(gold_path)
    a, b, labels = frame["text_a"].tolist(), frame["text_b"].tolist(), frame["label"].to_numpy()
    available = list(align.METHODS) + (["crossencoder", BEST] if crossencoder.available("matching") else [])
    if crossencoder.available("matching") and match_score.available():
        available += [WEIGHED, WEIGHED_BEST]
    methods = available if not methods else [m for m in methods]
    unknown = [m for m in methods if m not in available]
    if unknown:
        raise InputError(f"unknown or unavailable matching method(s) {', '.join(unknown)}; choose from "
                         f"{', '.join(available)}")
    result = new_result("matching", gold_path, len(frame), gold_format="ArgKP-2021",
                        report_method=align.report_method(), methods={})
    cache: dict = {}
    for method in methods:
        started = time.perf_counter()
        scores, threshold, protocol = _method_scores(method, a, b, cache)
        if method in BEST_OF:
            measured = _best_candidate_figures(frame, scores, labels, threshold)
            protocol += BEST_PROTOCOL
        else:
            measured = figures(scores, labels, threshold)
        result["methods"][method] = {**measured, "protocol": protocol,
                                     "seconds": round(time.perf_counter() - started, 1)}
    result["scorers"] = result["methods"]
    result["seed_pairs"] = {method: seed_pair_figures(method) for method in methods}
    return result


SEED_PAIRS_PROTOCOL = ("developer-labelled pairs of sentences from the two seed op-eds (one labeller; never used to "
                       "train or to choose a threshold): how the matcher reads op-ed prose")


def seed_pair_figures(method: str) -> dict:
    """``method`` on the developer-labelled seed pairs, at the threshold the report uses; the cross-encoder reads
    the pairs as the report does (actors written by their labels). The report's best-candidate rule is scored by its
    plain pair probabilities (these pairs are not grouped as candidates)."""
    from opedlens.validate.alignment import seed_pair_scores

    if method in ("crossencoder", BEST, WEIGHED, WEIGHED_BEST):
        from opedlens.compare import match_score
        from opedlens.measure import crossencoder

        model = crossencoder.load(align.RERANKER)
        pairs, scores = seed_pair_scores(method, score=lambda a, b: model.score(align.actors_by_label(a),
                                                                                align.actors_by_label(b)))
        threshold = _threshold(align.RERANKER)
        if BEST_OF.get(method, method) == WEIGHED:
            weighing = match_score.load()
            scores = weighing.probability(scores, seed_pair_scores("minilm")[1])
            threshold = float(weighing.meta["threshold"])
    else:
        pairs, scores = seed_pair_scores(method)
        threshold = align.threshold_for(method)
    labels = pairs["label"].to_numpy()
    return {**figures(scores, labels, threshold), "n_same_point": int(labels.sum()), "protocol": SEED_PAIRS_PROTOCOL}


BEST_PROTOCOL = ("; the report's rule: each argument is matched to at most one key point, its most probable, at "
                 "the model's threshold (pairs that are not an argument's best rank below those that are)")


def _best_candidate_figures(frame: pd.DataFrame, scores: np.ndarray, labels: np.ndarray, threshold: float) -> dict:
    """Figures of the report's rule on ArgKP pairs grouped by argument (its candidates are the key points of its
    topic and stance); with the out-of-fold scores of the shipped model, also ``cv_`` figures where each fold's
    threshold is chosen (maximising F1 of the plain scores, as in training) on the other folds' topics."""
    from opedlens.measure import crossencoder
    from opedlens.validate.alignment import prf
    from opedlens.validate.pair_models import best_f1_threshold, figures

    ranked = align.best_candidate_scores(scores, frame["topic"] + "\x1f" + frame["text_a"])
    out = figures(ranked, labels, threshold)
    fold_of = crossencoder.load("matching").meta.get("fold_of_topic", {})
    folds = frame["topic"].map(fold_of)
    if folds.notna().all():
        folds = folds.to_numpy()
        called = np.zeros(len(scores), dtype=bool)
        for fold in np.unique(folds):
            inside = folds == fold
            called[inside] = ranked[inside] >= best_f1_threshold(scores[~inside], labels[~inside])
        out |= {f"cv_{k}": v for k, v in prf(called.astype(float), labels, 0.5).items()}
    return out


def cue_scores(texts_a, texts_b) -> np.ndarray:
    """The cue-word heuristic (:func:`opedlens.compare.align.polarity_conflict`) as 1 (flags) or 0."""
    return np.array([1.0 if align.polarity_conflict(x, y) else 0.0 for x, y in zip(texts_a, texts_b)])


def validate_disagreement(gold_path: str | Path, methods=None) -> dict:
    """The opposite-sides detectors on every pair of claims within a topic of a Claim Stance file."""
    from opedlens.measure import crossencoder
    from opedlens.validate.results import new_result

    pairs = gold.opposite_pairs(gold.read_claim_stance(gold_path))
    a, b, labels = pairs["text_a"].tolist(), pairs["text_b"].tolist(), pairs["label"].to_numpy()
    available = [CUE_METHOD] + (["crossencoder"] if crossencoder.available("opposition") else [])
    methods = available if not methods else list(methods)
    unknown = [m for m in methods if m not in available]
    if unknown:
        raise InputError(f"unknown or unavailable disagreement method(s) {', '.join(unknown)}; choose from "
                         f"{', '.join(available)}")
    result = new_result("disagreement", gold_path, len(pairs), gold_format="Claim Stance",
                        opposite_share=round(float(labels.mean()), 4), report_method=align.disagreement_method(),
                        asserted=align.disagreement_asserted(), methods={})
    for method in methods:
        started = time.perf_counter()
        if method == CUE_METHOD:
            scores, threshold, protocol = cue_scores(a, b), 0.5, "rules written while reading the seed op-eds"
        else:
            scores, protocol = model_scores("opposition", a, b)
            threshold = _threshold("opposition")
        result["methods"][method] = {**figures(scores, labels, threshold), "protocol": protocol,
                                     "seconds": round(time.perf_counter() - started, 1)}
    result["scorers"] = result["methods"]
    return result


def format_table(result: dict) -> str:
    """The result as a plain-text table."""
    frame = pd.DataFrame.from_dict(result["methods"], orient="index")
    frame.index.name = "method"
    extra = f", {result['opposite_share']:.0%} of them opposite" if "opposite_share" in result else ""
    head = (f"{result['gold']}: {result['n']:,} pairs ({result['gold_format']}{extra}); the report uses "
            f"{result['report_method']}")
    if result.get("asserted") is False:
        head += " (it lists candidates, labelled unvalidated, and asserts no disagreement)"
    text = head + "\n" + frame.to_string()
    if result.get("seed_pairs"):
        seeds = pd.DataFrame.from_dict(result["seed_pairs"], orient="index")
        seeds.index.name = "method"
        first = next(iter(result["seed_pairs"].values()))
        text += (f"\n\nop-ed check: {first['n']} {SEED_PAIRS_PROTOCOL} ({first['n_same_point']} make the same point)\n"
                 + seeds.drop(columns=["protocol", "n"], errors="ignore").to_string())
    return text
