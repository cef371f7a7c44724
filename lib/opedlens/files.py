"""Writing files so that nobody ever sees half of one: a temporary file in the same folder, then a rename."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes | str, parents: bool = True) -> None:
    """Write ``data`` (text is UTF-8 encoded) to ``path``: the old file stays whole until the new one is complete.

    The file gets the usual permissions (0666 less the umask), not the private ones of a temporary file. A write
    error (a full disk: ``write`` does not say which file) is raised naming ``path``, and leaves no temporary file.
    The folder is created if missing; with ``parents=False`` only the folder itself, never the folders above it
    (so a writer never re-creates a report folder that a stopped run has removed).
    """
    path = Path(path)
    path.parent.mkdir(parents=parents, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        if err.filename is None and err.errno is not None:
            raise OSError(err.errno, err.strerror, str(path)) from err
        raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
