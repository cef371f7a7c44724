"""Shared fixtures: the seed corpus, and small corpora built in a temporary folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from opedlens.paths import PROJECT_ROOT, SEEDS_DIR

# Tests compute everything afresh: the disk cache (opedlens.cache) stays off, in notebooks' kernels too,
# unless a test turns it on for itself.
os.environ["OPEDLENS_CACHE"] = "off"

HILL = SEEDS_DIR / "000_421a8de7e923a454.txt"
JAPAN_TIMES = SEEDS_DIR / "004_82dceb41ffbd2d64.txt"


@pytest.fixture(scope="session")
def seed_corpus():
    """The seed corpus, loaded once."""
    from opedlens.corpus.load import load_corpus

    return load_corpus(SEEDS_DIR)


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the seed corpus (both files and the manifest)."""
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS_DIR, folder)
    return folder


@pytest.fixture(scope="session")
def seed_report(tmp_path_factory) -> Path:
    """The report of the seeds exactly as `make report` makes it (`opedlens run` from the project root with the
    default params.yaml), but into a temporary folder; run once per session. Read it, never change it: copy it
    first (shutil.copytree) to use it as the previous report of a run."""
    output = tmp_path_factory.mktemp("seed-report") / "report"
    result = subprocess.run([str(Path(sys.executable).parent / "opedlens"), "run", "--output", str(output)],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    return output


@pytest.fixture(scope="session")
def seed_report_elsewhere(tmp_path_factory) -> Path:
    """`opedlens run --jobs 2 --corpus seeds --output nested/another-name` typed in a directory outside the project:
    everything that must not matter differs from ``seed_report`` (working directory, output folder and its name,
    notebooks in parallel), and ``seeds`` is the project's (nothing of that name is there). Run once per session;
    read it, never change it."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    result = subprocess.run([str(Path(sys.executable).parent / "opedlens"), "run", "--jobs", "2", "--corpus", "seeds",
                             "--output", str(Path("nested") / "another-name")], cwd=elsewhere, capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    assert "01-load-corpus: done" in result.stderr
    return elsewhere / "nested" / "another-name"
