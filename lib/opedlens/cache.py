"""A disk cache for slow computations whose result depends only on their inputs (``joblib.Memory``).

Rerunning a notebook on unchanged data (to change a figure, or to rebuild the report) then skips the
slow part. Entries live in ``<project>/.cache`` (or ``$OPEDLENS_CACHE_DIR``); an entry is found only for
the same inputs, the same code (the cached function and the :func:`code_version` its caller passes) and
the same library versions, so a stale result cannot come back. ``OPEDLENS_CACHE=off`` turns the cache
off; a folder that cannot be written to turns it off too (the computation then simply runs). Deleting
the folder is always safe.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from pathlib import Path

from .paths import PROJECT_ROOT

OFF_VALUES = ("0", "off", "false", "no")


def folder() -> Path:
    """Where cache entries are kept."""
    return Path(os.environ.get("OPEDLENS_CACHE_DIR") or PROJECT_ROOT / ".cache")


def enabled() -> bool:
    """False when ``OPEDLENS_CACHE`` says off, or the cache folder cannot be created or written to."""
    if os.environ.get("OPEDLENS_CACHE", "").strip().lower() in OFF_VALUES:
        return False
    try:
        folder().mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder()):
            pass
    except OSError:
        return False
    return True


def memory():
    """A ``joblib.Memory`` on :func:`folder`, or one that caches nothing when :func:`enabled` is False."""
    from joblib import Memory

    return Memory(str(folder()) if enabled() else None, verbose=0)


@functools.lru_cache(maxsize=None)
def code_version(*modules: str) -> str:
    """A fingerprint of the given modules' source files and of the numerical libraries' versions."""
    import importlib

    import numpy
    import scipy
    import sklearn

    digest = hashlib.sha256(f"{numpy.__version__} {scipy.__version__} {sklearn.__version__}".encode())
    for name in modules:
        digest.update(Path(importlib.import_module(name).__file__).read_bytes())
    return digest.hexdigest()[:16]


def data_key(matrix, *arrays) -> str:
    """A fingerprint of a sparse matrix (its stored values and layout, in canonical order) and of arrays."""
    from joblib import hash as joblib_hash

    canonical = matrix.tocsr(copy=True)
    canonical.sum_duplicates()
    canonical.sort_indices()
    return joblib_hash((canonical.shape, canonical.data, canonical.indices, canonical.indptr, *arrays))
