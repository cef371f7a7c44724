"""opedlens.compare.lda: the topic grid's LDA fits are scikit-learn's, for every seed, only computed together.

The grid's stability and coherence curves choose the model a reader sees, and that model is fitted by
scikit-learn; so the grid's fits must be the same fits: the same topic-term weights (up to rounding) and
the same top words.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
from sklearn.decomposition import LatentDirichletAllocation

from opedlens.compare import lda, topics, vocabulary


def _sklearn(counts, k: int, seed: int) -> np.ndarray:
    return LatentDirichletAllocation(n_components=k, learning_method="batch", max_iter=topics.LDA_PASSES,
                                     random_state=seed).fit(counts).components_


@pytest.fixture(scope="module")
def counts():
    """A small corpus with clustered vocabularies, two empty documents and unsorted indices in its rows."""
    rng = np.random.default_rng(7)
    blocks = [rng.poisson(lam, size=(12, 45)) for lam in (np.r_[np.full(15, 1.2), np.full(30, 0.05)],
                                                          np.r_[np.full(15, 0.05), np.full(15, 1.2), np.full(15, 0.1)],
                                                          np.r_[np.full(30, 0.1), np.full(15, 1.0)])]
    dense = np.vstack(blocks + [np.zeros((2, 45), dtype=int)])
    matrix = sparse.csr_matrix(dense)
    for row in range(matrix.shape[0]):  # reverse each row's entries: valid CSR, not canonical
        lo, hi = matrix.indptr[row], matrix.indptr[row + 1]
        matrix.indices[lo:hi] = matrix.indices[lo:hi][::-1].copy()
        matrix.data[lo:hi] = matrix.data[lo:hi][::-1].copy()
    matrix.has_sorted_indices = False
    return matrix


@pytest.mark.parametrize("k", [2, 3, 5])
def test_every_seed_gives_scikit_learns_topics(counts, k):
    seeds = [0, 1, 2, 20190912]
    batched = lda.topic_word(counts, k, seeds, max_iter=topics.LDA_PASSES)
    assert batched.shape == (len(seeds), k, counts.shape[1])
    for weights, seed in zip(batched, seeds):
        reference = _sklearn(counts, k, seed)
        np.testing.assert_allclose(weights, reference, rtol=1e-6, atol=1e-6 * reference.max())
        top = [np.argsort(-w, 1, kind="stable")[:, :10] for w in (weights, reference)]
        assert (top[0] == top[1]).all()


def test_the_input_matrix_is_left_as_it_was(counts):
    before = (counts.indices.copy(), counts.data.copy(), counts.toarray())
    lda.topic_word(counts, 2, [0])
    assert np.array_equal(counts.indices, before[0]) and np.array_equal(counts.data, before[1])
    assert np.array_equal(counts.toarray(), before[2])


def test_a_seed_does_not_depend_on_the_others_in_its_batch(counts):
    alone = lda.topic_word(counts, 3, [5])[0]
    together = lda.topic_word(counts, 3, [4, 5, 6])[1]
    np.testing.assert_allclose(alone, together, rtol=1e-9)


def test_the_same_call_gives_the_same_numbers(counts):
    assert np.array_equal(lda.topic_word(counts, 4, [0, 1]), lda.topic_word(counts, 4, [0, 1]))


def test_documents_without_terms_leave_the_prior():
    weights = lda.topic_word(sparse.csr_matrix((3, 5)), 2, [0, 1])
    assert weights.shape == (2, 2, 5) and np.allclose(weights, 0.5)


def test_the_grid_reads_the_topics_of_the_model_shown(seed_corpus):
    """The seed corpus: the grid's top words per seed are those of topics.fit, which fits the shown model."""
    dt = vocabulary.document_terms(vocabulary.units(seed_corpus))
    seeds = [20190912, 20190913, 20190914]
    for k in (2, 4):
        grid = topics._top_terms_of_k(dt, "lda", k, seeds)
        assert grid == [topics.top_terms(topics.fit(dt, "lda", k, seed), dt.terms) for seed in seeds]
