"""scikit-learn's batch LDA, fitted for many random seeds at once.

The topic grid of :mod:`opedlens.compare.topics` fits ``LatentDirichletAllocation(learning_method="batch")`` ten
times per k, once per seed. scikit-learn updates one document at a time in a Python loop, which on
op-ed-sized data is almost all of the cost. :func:`topic_word` runs the very same algorithm — the same
random draws from ``numpy.random.RandomState(seed)``, the same priors (1/k), per-document E-step with the
same stopping rule (mean change < 1e-3, at most 100 updates), the same M-step — for every seed and every
document together as array operations. It returns scikit-learn's ``components_``; tests/test_lda.py checks
them against scikit-learn's own to within rounding. The final, displayed model is still fitted by
scikit-learn (:func:`opedlens.compare.topics.fit`).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.special import psi

INIT_GAMMA = 100.0  # scikit-learn's gamma(100, 1/100) initialisation of both variational parameters
MAX_DOC_UPDATE_ITER = 100  # LatentDirichletAllocation defaults
MEAN_CHANGE_TOL = 1e-3
EPS = np.finfo(np.float64).eps


def _exp_dirichlet_expectation(params: np.ndarray, axis: int = -1) -> np.ndarray:
    """exp(E[log p]) for p ~ Dirichlet(params), along ``axis``."""
    return np.exp(psi(params) - psi(params.sum(axis, keepdims=True)))


class _Entries:
    """The non-zero counts of a document-term matrix. Documents without any term are left out: they do not
    change the topics."""

    def __init__(self, counts):
        X = sp.csr_matrix(counts, dtype=np.float64, copy=True)  # sum_duplicates sorts in place
        X.sum_duplicates()
        self.n_docs, self.n_terms = X.shape
        self.lengths = np.diff(X.indptr)
        self.kept = np.flatnonzero(self.lengths)  # documents with at least one term
        self.doc = np.repeat(np.arange(len(self.kept)), self.lengths[self.kept])  # entry -> kept document
        self.term = X.indices.astype(np.intp)
        self.count = X.data
        self.per_term = sp.csr_matrix((np.ones(X.nnz), (self.term, np.arange(X.nnz))), shape=(self.n_terms, X.nnz))


class _Pairs:
    """The (seed, document) pairs an E-step is still updating, and their entries, in flat arrays.

    A pair stops when its mean change falls below the tolerance; :meth:`keep` then drops it, so the
    later updates, which only the slowest documents need, cost little.
    """

    def __init__(self, entries: _Entries, word_topic: np.ndarray):
        seeds, n_docs = word_topic.shape[1], len(entries.kept)
        self.ids = np.arange(seeds * n_docs)  # pair = seed * n_docs + document
        self.owner = (np.arange(seeds)[:, None] * n_docs + entries.doc).ravel()  # entry -> position in ids
        self.word_topic = word_topic.transpose(1, 0, 2).reshape(-1, word_topic.shape[2])
        self.count = np.tile(entries.count, seeds)
        self.starts = np.searchsorted(self.owner, np.arange(len(self.ids)))

    def ratio(self, exp_doc_topic: np.ndarray) -> np.ndarray:
        """count / phi normaliser per entry, as a column."""
        norm = np.einsum("ek,ek->e", exp_doc_topic[self.owner], self.word_topic)
        return (self.count / (norm + EPS))[:, None]

    def update(self, exp_doc_topic: np.ndarray, prior: float) -> np.ndarray:
        """scikit-learn's update of the variational Dirichlet parameters of each pair."""
        summed = np.add.reduceat(self.ratio(exp_doc_topic) * self.word_topic, self.starts, axis=0)
        return exp_doc_topic * summed + prior

    def keep(self, mask: np.ndarray) -> None:
        on = mask[self.owner]
        self.ids = self.ids[mask]
        self.owner = (np.cumsum(mask) - 1)[self.owner[on]]
        self.word_topic, self.count = self.word_topic[on], self.count[on]
        self.starts = np.searchsorted(self.owner, np.arange(len(self.ids)))


def _e_step(entries: _Entries, doc_topic: np.ndarray, word_topic: np.ndarray, prior: float) -> np.ndarray:
    """scikit-learn's per-document E-step for all seeds and documents at once.

    ``doc_topic`` (seeds, documents, k) is the random start, ``word_topic`` (entries, seeds, k) is
    exp(E[log beta]) at each entry's term; returns exp(E[log theta]) as (documents, seeds, k).
    """
    seeds, n_docs, k = doc_topic.shape
    pairs = _Pairs(entries, word_topic)
    gamma = doc_topic.reshape(-1, k)
    exp_gamma = _exp_dirichlet_expectation(gamma)
    result = np.empty_like(exp_gamma)
    for _ in range(MAX_DOC_UPDATE_ITER):
        updated = pairs.update(exp_gamma, prior)
        going = np.abs(gamma - updated).mean(-1) >= MEAN_CHANGE_TOL
        gamma, exp_gamma = updated, _exp_dirichlet_expectation(updated)
        if not going.all():
            result[pairs.ids[~going]] = exp_gamma[~going]
            if not going.any():
                break
            pairs.keep(going)
            gamma, exp_gamma = gamma[going], exp_gamma[going]
    else:
        result[pairs.ids] = exp_gamma
    return result.reshape(seeds, n_docs, k).transpose(1, 0, 2)


def topic_word(counts, k: int, seeds, max_iter: int = 40) -> np.ndarray:
    """Topic x term weights (scikit-learn's ``components_``) of one batch LDA per seed: (seeds, k, terms)."""
    entries = _Entries(counts)
    prior = 1.0 / k
    states = [np.random.RandomState(seed) for seed in seeds]
    components = np.stack([s.gamma(INIT_GAMMA, 1.0 / INIT_GAMMA, (k, entries.n_terms)).T for s in states],
                          axis=1)  # (terms, seeds, k)
    for _ in range(max_iter):
        exp_components = _exp_dirichlet_expectation(components, axis=0)
        doc_topic = np.stack([s.gamma(INIT_GAMMA, 1.0 / INIT_GAMMA, (entries.n_docs, k)) for s in states])
        if not len(entries.kept):
            return np.full((len(states), k, entries.n_terms), prior)
        word_topic = exp_components[entries.term]  # (entries, seeds, k)
        exp_doc_topic = _e_step(entries, doc_topic[:, entries.kept], word_topic, prior)[entries.doc]
        norm = np.einsum("nsk,nsk->ns", exp_doc_topic, word_topic)
        weighted = exp_doc_topic * (entries.count[:, None] / (norm + EPS))[..., None]
        stats = (entries.per_term @ weighted.reshape(len(weighted), -1)).reshape(components.shape)
        components = prior + stats * exp_components
    return components.transpose(1, 2, 0)
