"""Shared fixtures: the seed corpus, and small corpora built in a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from opedlens.paths import SEEDS_DIR

HILL = SEEDS_DIR / "000_421a8de7e923a454.txt"
JAPAN_TIMES = SEEDS_DIR / "004_82dceb41ffbd2d64.txt"


@pytest.fixture(scope="session")
def seed_corpus():
    """The seed corpus, loaded once."""
    from opedlens.corpus import load_corpus

    return load_corpus(SEEDS_DIR)


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the seed corpus (both files and the manifest)."""
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS_DIR, folder)
    return folder
