"""The disk cache of the topic-model grid and of claim matching's pair probabilities: a hit gives the same result
without computing it, and anything that could change the result (the data, the grid, the code) misses; off or
unwritable, it simply computes."""

from __future__ import annotations

import os

import numpy as np
import pytest

from opedlens import cache
from opedlens.compare import topics, vocabulary


@pytest.fixture
def cache_on(tmp_path, monkeypatch):
    monkeypatch.setenv("OPEDLENS_CACHE", "on")
    monkeypatch.setenv("OPEDLENS_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def counting_fits(monkeypatch):
    """Counts the model fits the grid really runs (jobs=1 fits in this process)."""
    calls = []
    real = topics._top_terms_of_k

    def counted(dt, model, k, seeds):
        calls.extend((model, k, seed) for seed in seeds)
        return real(dt, model, k, seeds)

    monkeypatch.setattr(topics, "_top_terms_of_k", counted)
    return calls


@pytest.fixture(scope="module")
def terms(seed_corpus):
    units = vocabulary.units(seed_corpus, "paragraph")
    return units, vocabulary.document_terms(units, min_df=2)


def grid(dt, **kwargs):
    return topics.k_curves(dt, ks=[2, 3], models=("nmf", "lda"), seeds=range(3), **kwargs)


def test_a_second_run_reuses_the_fits_and_gives_the_same_curves(cache_on, counting_fits, terms):
    _, dt = terms
    first = grid(dt)
    assert len(counting_fits) == 2 * 2 * 3
    second = grid(dt)
    assert len(counting_fits) == 12, "no model was fitted again"
    assert second.equals(first)
    assert len(list(cache_on.glob("topic-grid/*.json"))) == 1, "the entry is on disk"


def test_the_same_curves_as_without_the_cache(cache_on, terms, monkeypatch):
    _, dt = terms
    cached = grid(dt)
    grid(dt)
    monkeypatch.setenv("OPEDLENS_CACHE", "off")
    assert grid(dt).equals(cached)


def test_other_data_other_grids_and_other_code_miss(cache_on, counting_fits, terms, monkeypatch):
    units, dt = terms
    grid(dt)
    fitted = len(counting_fits)
    grid(vocabulary.document_terms(units, min_df=3))  # other terms
    assert len(counting_fits) == 2 * fitted
    topics.k_curves(dt, ks=[2, 3], models=("nmf", "lda"), seeds=range(1, 4))  # other seeds
    assert len(counting_fits) == 3 * fitted
    monkeypatch.setattr(cache, "code_version", lambda *modules: "changed code")
    grid(dt)
    assert len(counting_fits) == 4 * fitted


def test_using_the_matrix_does_not_change_its_key(terms):
    _, dt = terms
    before = cache.data_key(dt.counts, dt.terms)
    (dt.counts > 0).astype(float).tocsc()
    dt.counts.sort_indices()
    assert cache.data_key(dt.counts, dt.terms) == before


def test_off_writes_nothing_and_computes(cache_on, counting_fits, terms, monkeypatch):
    monkeypatch.setenv("OPEDLENS_CACHE", "off")
    _, dt = terms
    grid(dt)
    grid(dt)
    assert len(counting_fits) == 24
    assert not cache_on.exists() or not any(cache_on.rglob("*.json"))


def _read_only_folder(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    return locked / "cache"


def _a_file(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    return tmp_path / "file"


AS_ROOT = pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")


@pytest.mark.parametrize("cache_path", [pytest.param(_read_only_folder, marks=AS_ROOT), _a_file])
def test_a_cache_path_that_cannot_be_written_turns_the_cache_off(tmp_path, monkeypatch, terms, cache_path):
    monkeypatch.setenv("OPEDLENS_CACHE", "on")
    monkeypatch.setenv("OPEDLENS_CACHE_DIR", str(cache_path(tmp_path)))
    assert not cache.enabled()
    _, dt = terms
    assert len(grid(dt)) == 4


def test_a_damaged_entry_is_computed_again(cache_on, counting_fits, terms):
    _, dt = terms
    first = grid(dt)
    (entry,) = cache_on.glob("topic-grid/*.json")
    entry.write_text('[["half', encoding="utf-8")
    assert grid(dt).equals(first)
    assert len(counting_fits) == 24, "refitted once, after the damaged read"
    assert grid(dt).equals(first) and len(counting_fits) == 24, "and stored again"


def test_measuring_a_corpus_writes_no_cache(cache_on, tmp_path):
    from opedlens.measure import dataset

    dataset.measure_corpus("seeds", tmp_path / "measured", dataset.Settings(scorers=("accurate",), batch_sentences=1_000))
    assert not cache_on.exists() or not any(cache_on.rglob("*.*"))


PAIRS = (["Washington must help Tokyo and Seoul talk.", "The alliance is weaker than it looks."],
         ["The United States should bring Japan and South Korea together.", "Tariffs hurt both economies."])


@pytest.fixture
def counting_scores(monkeypatch):
    """Counts the pairs the matching cross-encoder really reads."""
    from opedlens.compare import align
    from opedlens.measure import crossencoder

    if not crossencoder.available(align.RERANKER):
        pytest.skip("the matching cross-encoder is not installed")
    model, calls = crossencoder.load(align.RERANKER), []
    real = model.score

    def counted(a, b, **options):
        calls.append(len(a))
        return real(a, b, **options)

    monkeypatch.setattr(model, "score", counted)
    return calls


def test_claim_matching_reads_its_pair_probabilities_again_bit_for_bit(cache_on, counting_scores):
    """Rebuilding a report on the same corpus skips the cross-encoder (most of notebook 04 on a grouped corpus), and
    what comes back is what it computed: the same values and precision, so the matched pairs cannot change."""
    from opedlens.compare import align

    first = align.pair_probabilities(*PAIRS)
    again = align.pair_probabilities(*PAIRS)
    assert counting_scores == [2]
    assert again.dtype == first.dtype and np.array_equal(again, first)
    other = align.pair_probabilities(PAIRS[0], PAIRS[1][::-1])  # other pairs: read by the model
    assert counting_scores == [2, 2] and not np.array_equal(other, first)


def test_pair_probabilities_without_the_cache_are_computed_and_leave_nothing(cache_on, counting_scores, monkeypatch):
    from opedlens.compare import align

    monkeypatch.setenv("OPEDLENS_CACHE", "off")
    with_cache_off = [align.pair_probabilities(*PAIRS) for _ in range(2)]
    assert counting_scores == [2, 2] and np.array_equal(*with_cache_off)
    assert not cache_on.exists() or not any(cache_on.rglob("*.*"))


def test_claim_matching_uses_every_core_in_a_kernel_given_one_blas_thread(monkeypatch):
    """`opedlens run --jobs 2` gives each kernel one BLAS thread; notebook 04 runs the cross-encoder long after the
    other notebooks finished, so it takes the cores the process may use (ONNX Runtime one-threaded per call)."""
    from threadpoolctl import threadpool_limits

    from opedlens.compare import align
    from opedlens.measure import crossencoder, embed

    if not crossencoder.available(align.RERANKER):
        pytest.skip("the matching cross-encoder is not installed")
    asked, real = [], embed.in_threads
    monkeypatch.setattr(embed, "in_threads", lambda function, items, workers=None: asked.append(workers) or real(
        function, items, workers))
    monkeypatch.setattr(embed, "cores", lambda: 3)
    with threadpool_limits(1, user_api="blas"):
        assert embed.threads() == 1
        one_blas_thread = align.pair_probabilities(*PAIRS)
    assert asked == [3]
    assert np.array_equal(one_blas_thread, crossencoder.load(align.RERANKER).score(*PAIRS, workers=1))
