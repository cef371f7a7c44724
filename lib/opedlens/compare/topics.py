"""Topic models that say how far to trust them: NPMI coherence and stability across seeds.

LDA and NMF (scikit-learn) are fitted for every k in a range and every seed in a list; ``k`` and the
model are chosen by a stated rule (:data:`SELECTION_RULE`) from two curves: mean NPMI coherence of
each topic's top words (co-occurrence in the same units), and stability (top words of topics from
different seeds, matched one-to-one, mean Jaccard overlap). NMF starts from random factors so that a
change of seed can show; LDA uses batch variational Bayes (40 passes: on op-ed-sized data coherence is the same as after 100),
the grid's ten seeds per k fitted together by :mod:`opedlens.compare.lda`.
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning

from opedlens.compare import lda, stats
from opedlens.compare.vocabulary import DocumentTerms
from opedlens.errors import InputError
from opedlens.safe_text import markdown_code, markdown_text

MODELS = ("nmf", "lda")
TOP_WORDS = 10
MIN_STABILITY = 0.6
DENSE_NMF_CELLS = 1_000_000  # NMF reads a dense TF-IDF matrix up to this size (8 MB); same fits, 40% faster
LDA_PASSES = 40  # batch variational Bayes passes: on op-ed-sized data coherence is the same as after 100
SELECTION_RULE = ("among the models and k whose topics mostly come back with another seed (stability >= {min}), "
                  "the most coherent (highest mean NPMI); if none is that stable, the most stable")


@dataclass(frozen=True)
class Fitted:
    """A fitted model: unit x topic shares (rows sum to 1) and topic x term weights."""

    model: str
    k: int
    seed: int
    doc_topic: np.ndarray
    topic_word: np.ndarray


def check_k(k: int, n_units: int) -> None:
    if k < 2:
        raise InputError(f"k={k}: a topic model needs at least 2 topics")
    if k > n_units:
        raise InputError(f"k={k} is larger than the number of units ({n_units}); choose k <= {n_units} "
                         "or smaller units (unit='window')")


def fit(dt: DocumentTerms, model: str, k: int, seed: int) -> Fitted:
    """Fit one model; NMF reads TF-IDF weights, LDA raw counts."""
    check_k(k, dt.counts.shape[0])
    with warnings.catch_warnings():  # NMF from random starts may stop at max_iter; the curves show the effect
        warnings.simplefilter("ignore", ConvergenceWarning)
        return _fit(dt, model, k, seed)


def _fit(dt: DocumentTerms, model: str, k: int, seed: int) -> Fitted:
    from sklearn.decomposition import NMF, LatentDirichletAllocation
    from sklearn.feature_extraction.text import TfidfTransformer

    if model == "nmf":
        X = TfidfTransformer(sublinear_tf=True).fit_transform(dt.counts)
        if X.shape[0] * X.shape[1] <= DENSE_NMF_CELLS:  # small: dense arrays cost scikit-learn less per pass
            X = X.toarray()
        estimator = NMF(n_components=k, init="random", random_state=seed, max_iter=1000, tol=1e-5)
        W = estimator.fit_transform(X)
    elif model == "lda":
        estimator = LatentDirichletAllocation(n_components=k, learning_method="batch", max_iter=LDA_PASSES,
                                              random_state=seed)
        W = estimator.fit_transform(dt.counts)
    else:
        raise InputError(f"unknown topic model {model!r}; choose from {', '.join(MODELS)}")
    totals = W.sum(1, keepdims=True)
    shares = np.divide(W, totals, out=np.full_like(W, 1.0 / k), where=totals > 0)
    return Fitted(model, k, seed, shares, estimator.components_)


def top_terms(fitted: Fitted, terms: np.ndarray, n: int = TOP_WORDS) -> list[list[str]]:
    """The n highest-weighted terms of each topic (ties broken by term order, so results are stable)."""
    return _top_terms(fitted.topic_word, terms, n)


def _top_terms(topic_word: np.ndarray, terms: np.ndarray, n: int = TOP_WORDS) -> list[list[str]]:
    order = np.argsort(-topic_word, axis=1, kind="stable")[:, :n]
    return [list(terms[row]) for row in order]


def npmi(topic_terms: list[list[str]], dt: DocumentTerms) -> np.ndarray:
    """Mean normalized PMI of each topic's term pairs, from co-occurrence in the same unit (-1..1)."""
    index = {t: i for i, t in enumerate(dt.terms)}
    present = (dt.counts > 0).astype(np.float64).tocsc()
    n = present.shape[0]
    scores = []
    for words in topic_terms:
        cols = [index[w] for w in words if w in index]
        block = present[:, cols]
        df = np.asarray(block.sum(0)).ravel() / n
        co = (block.T @ block).toarray() / n
        values = []
        for i, j in itertools.combinations(range(len(cols)), 2):
            p_ij = co[i, j]
            if p_ij == 0:
                values.append(-1.0)
            elif p_ij >= 1:
                values.append(1.0)
            else:
                values.append(np.log(p_ij / (df[i] * df[j])) / -np.log(p_ij))
        scores.append(float(np.mean(values)) if values else np.nan)
    return np.array(scores)


def matched_overlap(a: list[list[str]], b: list[list[str]]) -> float:
    """Topics of two runs matched one-to-one (Hungarian algorithm) by Jaccard overlap of top terms; the mean."""
    from scipy.optimize import linear_sum_assignment

    jaccard = np.array([[len(set(x) & set(y)) / len(set(x) | set(y)) for y in b] for x in a])
    rows, cols = linear_sum_assignment(-jaccard)
    return float(jaccard[rows, cols].mean())


def _top_terms_of_k(dt: DocumentTerms, model: str, k: int, seeds: list[int]) -> list[list[list[str]]]:
    """Top terms of one model and k for every seed. LDA fits all seeds at once (:mod:`opedlens.compare.lda`: the
    same fits as scikit-learn's, without its per-document Python loop)."""
    if model == "lda":
        check_k(k, dt.counts.shape[0])
        return [_top_terms(w, dt.terms) for w in lda.topic_word(dt.counts, k, seeds, max_iter=LDA_PASSES)]
    return [top_terms(fit(dt, model, k, seed), dt.terms) for seed in seeds]


def _grid_top_terms(dt: DocumentTerms, plan: list[tuple[str, int]], seeds: list[int],
                    jobs: int) -> list[list[list[str]]]:
    """Top terms of every fit of the grid, in ``plan`` x ``seeds`` order."""
    from joblib import Parallel, delayed

    per_k = Parallel(n_jobs=jobs)(delayed(_top_terms_of_k)(dt, m, k, seeds) for m, k in plan)
    return [terms for runs in per_k for terms in runs]


def k_curves(dt: DocumentTerms, ks, models=MODELS, seeds=range(10), min_stability: float = MIN_STABILITY,
             jobs: int = 1, sample_units: int = 0) -> pd.DataFrame:
    """Per model and k: mean NPMI over seeds (with its spread) and stability over all seed pairs.

    ``jobs`` > 1 fits in parallel processes (joblib; -1: one per CPU core); results are the same as with one.
    ``sample_units`` > 0: with more units than that, the grid is fitted on a random sample of that many (drawn
    with the first seed; :func:`sample`), so choosing k stays fast on a large corpus; the chosen model is then
    fitted on every unit. The fits are kept in the disk cache (:mod:`opedlens.cache`): the same units, terms,
    grid, code and library versions give the same top terms, so a rerun skips them.
    """
    from opedlens import cache

    seeds = list(seeds)
    n_all = dt.counts.shape[0]
    if sample_units and n_all > sample_units and seeds:
        dt = sample(dt, sample_units, seeds[0])
    n_units = dt.counts.shape[0]
    ks = [k for k in ks if 2 <= k <= n_units]
    if not ks:
        raise InputError(f"no k in the range fits {n_units} units; choose k between 2 and {n_units}")
    if len(seeds) < 2:
        raise InputError("stability needs at least 2 seeds")
    plan = [(model, k) for model in models for k in ks]
    key = cache.key(cache.data_key(dt.counts, dt.terms), plan, seeds, cache.code_version(__name__, lda.__name__))
    fitted = cache.remembered("topic-grid", key, lambda: _grid_top_terms(dt, plan, seeds, jobs))
    rows = []
    for i, (model, k) in enumerate(plan):
        runs = fitted[i * len(seeds):(i + 1) * len(seeds)]
        coherence = [float(np.nanmean(npmi(r, dt))) for r in runs]
        overlaps = [matched_overlap(a, b) for a, b in itertools.combinations(runs, 2)]
        rows.append({"model": model, "k": k, "npmi": np.mean(coherence), "npmi_sd": np.std(coherence),
                     "stability": np.mean(overlaps), "stability_sd": np.std(overlaps), "seeds": len(seeds)})
    curves = pd.DataFrame(rows).round(4)
    curves["stable_enough"] = curves["stability"] >= min_stability
    candidates = curves[curves["stable_enough"]]
    best = candidates["npmi"].idxmax() if not candidates.empty else curves["stability"].idxmax()
    curves["chosen"] = curves.index == best
    curves.attrs["min_stability"] = min_stability
    curves.attrs["units"] = (n_units, n_all)
    return curves


def sample(dt: DocumentTerms, n: int, seed: int) -> DocumentTerms:
    """``n`` units drawn at random without replacement (kept in corpus order), with the terms they use."""
    rows = np.sort(np.random.default_rng(seed).choice(dt.counts.shape[0], size=n, replace=False))
    counts = dt.counts[rows]
    used = np.flatnonzero(np.asarray(counts.sum(0)).ravel() > 0)
    return DocumentTerms(counts[:, used].tocsr(), dt.terms[used], [dt.unit_ids[i] for i in rows],
                         [dt.lemmas[i] for i in rows])


def chosen(curves: pd.DataFrame) -> tuple[str, int]:
    row = curves[curves["chosen"]].iloc[0]
    return str(row["model"]), int(row["k"])


def topic_table(fitted: Fitted, dt: DocumentTerms, units: pd.DataFrame, n_words: int = TOP_WORDS) -> pd.DataFrame:
    """One row per topic: a label from its top terms, the terms, coherence, and its most typical unit."""
    terms = top_terms(fitted, dt.terms, n_words)
    coherence = npmi(terms, dt)
    best = fitted.doc_topic.argmax(0)
    weight = fitted.doc_topic.sum(0) / fitted.doc_topic.sum()
    return pd.DataFrame({
        "topic": [f"T{i + 1}" for i in range(fitted.k)],
        "label": [" / ".join(t[:3]) for t in terms],
        "top_terms": [", ".join(t) for t in terms],
        "npmi": np.round(coherence, 4),
        "corpus_share": np.round(weight, 4),
        "typical_unit": [units["unit_id"].iloc[i] for i in best],
        "typical_share": np.round(fitted.doc_topic[best, range(fitted.k)], 4),
        "typical_text": [units["text"].iloc[i] for i in best],
    })


def term_weights(fitted: Fitted, dt: DocumentTerms, n_words: int = TOP_WORDS) -> pd.DataFrame:
    """Long table topic, rank, term, weight (normalised within the topic) for the top terms."""
    norm = fitted.topic_word / fitted.topic_word.sum(1, keepdims=True)
    rows = []
    for t, row in enumerate(norm):
        for rank, j in enumerate(np.argsort(-row, kind="stable")[:n_words], start=1):
            rows.append((f"T{t + 1}", rank, dt.terms[j], round(float(row[j]), 5)))
    return pd.DataFrame(rows, columns=["topic", "rank", "term", "weight"])


def flow(fitted: Fitted, units: pd.DataFrame) -> pd.DataFrame:
    """Long table: every unit's share of every topic, with its position in the article."""
    shares = pd.DataFrame(fitted.doc_topic.round(4), columns=[f"T{i + 1}" for i in range(fitted.k)])
    frame = pd.concat([units[["unit_id", "doc_id", "position"]].reset_index(drop=True), shares], axis=1)
    return frame.melt(id_vars=["unit_id", "doc_id", "position"], var_name="topic", value_name="share")


def shares(flow_table: pd.DataFrame, draws: int, seed: int, group: pd.Series | None = None) -> pd.DataFrame:
    """Mean topic share per article (or per group of articles) with 95% bootstrap intervals over units."""
    frame = flow_table if group is None else flow_table.assign(doc_id=flow_table["doc_id"].map(group))
    return stats.summarize(frame, ["doc_id", "topic"], "share", draws, seed)


def group_shares(flow_table: pd.DataFrame, plan, draws: int, seed: int) -> pd.DataFrame:
    """Mean topic share per compared group: for a group of articles, the mean of its articles' shares with an
    interval resampling whole articles (paragraphs of one article are not independent); for a single article, its
    units. Columns: group, topic, articles, mean, ci_low, ci_high, unit."""
    from opedlens.compare.groups import cluster_bootstrap

    rows = []
    frame = flow_table.assign(group=flow_table["doc_id"].map(plan.group_of)).dropna(subset=["group"])
    for (group, topic), part in frame.groupby(["group", "topic"], sort=False):
        if plan.single_articles:
            mean, low, high = stats.bootstrap_mean(part["share"], draws, seed)
        else:
            mean, low, high = cluster_bootstrap(part, "share", draws, seed)
        rows.append({"group": group, "topic": topic, "articles": int(part["doc_id"].nunique()), "mean": mean,
                     "ci_low": low, "ci_high": high, "unit": "unit" if plan.single_articles else "article"})
    return pd.DataFrame(rows, columns=["group", "topic", "articles", "mean", "ci_low", "ci_high", "unit"])


def describe_vocabulary(dt: DocumentTerms, units: pd.DataFrame) -> str:
    """Markdown: how many units and terms the models read, and which units have no content word."""
    empty = [u for u, words in zip(dt.unit_ids, dt.lemmas) if not words]
    note = (f" {len(empty)} unit(s) have no content word and take no part: {', '.join(map(markdown_code, empty))}."
            if empty else "")
    return (f"{len(dt.unit_ids)} units from {units['doc_id'].nunique()} article(s); {len(dt.terms)} terms "
            f"in the model vocabulary.{note}")


def selection_note(curves: pd.DataFrame) -> str:
    """Markdown: the choice and the rule that made it."""
    model, k = chosen(curves)
    row = curves[curves["chosen"]].iloc[0]
    rule = SELECTION_RULE.format(min=curves.attrs.get("min_stability", MIN_STABILITY))
    fitted_on, total = curves.attrs.get("units", (0, 0))
    sampled = (f" The grid was fitted on a random sample of {fitted_on:,} of the {total:,} units; the chosen model "
               "is fitted on all of them." if fitted_on < total else "")
    return (f"**Chosen: {markdown_text(model.upper())} with k = {k}** — mean NPMI {row['npmi']:.3f}, stability {row['stability']:.2f} "
            f"over {int(row['seeds'])} seeds. Rule: {rule}.{sampled}")
