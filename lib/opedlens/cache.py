"""A disk cache for slow computations whose result depends only on their inputs.

Rerunning a notebook on unchanged data (to change a figure, or to rebuild the report) then skips the
slow parts: the topic-model grid, and the cross-encoder's probabilities of the candidate pairs of claims. (The
per-sentence measures are kept by ``opedlens measure`` instead, in ``measured/`` here when no folder is named:
:mod:`opedlens.measure.measured`.) Entries are JSON files in
``<project>/.cache`` (or ``$OPEDLENS_CACHE_DIR``), named by a hash
of everything the result depends on: the data (:func:`data_key`), the settings, the code
(:func:`code_version`) and the numerical libraries' versions, so a stale result cannot come back. JSON,
not pickle: reading the cache never runs code. ``OPEDLENS_CACHE=off`` turns the cache off; a folder that
cannot be written to turns it off too (the computation then simply runs). Deleting the folder is always
safe, and an unreadable entry is computed again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, TypeVar

import numpy as np

from opedlens.paths import PROJECT_ROOT

OFF_VALUES = ("0", "off", "false", "no")
T = TypeVar("T")


def folder() -> Path:
    """Where cache entries are kept."""
    return Path(os.environ.get("OPEDLENS_CACHE_DIR") or PROJECT_ROOT / ".cache")


_suspended = 0


@contextmanager
def suspended() -> Iterator[None]:
    """No cache inside this block (for work whose inputs never come back, such as a streamed corpus)."""
    global _suspended
    _suspended += 1
    try:
        yield
    finally:
        _suspended -= 1


def enabled() -> bool:
    """False when ``OPEDLENS_CACHE`` says off, inside :func:`suspended`, or when the cache folder cannot be
    created or written to."""
    if _suspended or os.environ.get("OPEDLENS_CACHE", "").strip().lower() in OFF_VALUES:
        return False
    try:
        folder().mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder()):
            pass
    except OSError:
        return False
    return True


def remembered(kind: str, key: str, compute: Callable[[], T]) -> T:
    """``compute()``, or the result an earlier call stored under ``kind``/``key`` (a JSON-able value)."""
    return _remembered(folder() / kind / f"{key}.json", compute,
                       lambda path: json.loads(path.read_text(encoding="utf-8")),
                       lambda handle, value: handle.write(json.dumps(value).encode("utf-8")))


def _remembered(path: Path, compute, read, write):
    if not enabled():
        return compute()
    try:
        return read(path)
    except (OSError, ValueError):
        pass
    result = compute()
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:  # written whole, then renamed: a reader never sees half an entry, two writers never mix
        path.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("wb") as handle:
            write(handle, result)
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
    return result


def key(*parts) -> str:
    """A hash of JSON-able parts (tuples count as lists)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:32]


def data_key(matrix, *arrays) -> str:
    """A hash of a sparse matrix (its values and layout, in canonical order) and of arrays of numbers or str."""
    canonical = matrix.tocsr(copy=True)
    canonical.sum_duplicates()
    canonical.sort_indices()
    digest = hashlib.sha256(repr((canonical.shape, str(canonical.dtype))).encode())
    for part in (canonical.data, canonical.indices, canonical.indptr):
        digest.update(np.ascontiguousarray(part).tobytes())
    for array in arrays:
        digest.update("\x1f".join(map(str, np.asarray(array).ravel())).encode())
        digest.update(b"\x1e")
    return digest.hexdigest()[:32]


@functools.lru_cache(maxsize=None)
def code_version(*modules: str) -> str:
    """A fingerprint of the given modules' source files and of the numerical libraries' versions."""
    import importlib
    from importlib.metadata import version

    libraries = " ".join(f"{name} {version(name)}" for name in ("numpy", "scipy", "scikit-learn"))
    digest = hashlib.sha256(libraries.encode())
    for name in modules:
        digest.update(Path(importlib.import_module(name).__file__).read_bytes())
    return digest.hexdigest()[:16]
