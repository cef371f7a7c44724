"""The disk cache of the topic-model grid: a hit gives the same curves without refitting, and anything that
could change the result (the data, the grid, the code) misses; off or unwritable, it simply computes."""

from __future__ import annotations

import os

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
