"""Reading what the user points at, and nothing else: regular files only, size-checked before they are read.

Every input file (articles, manifests, gazetteers, parameter files) is opened through :func:`read_bytes`, which
refuses anything that is not a regular file (a FIFO would block forever, ``/dev/zero`` never ends) and anything
larger than the stated limit, before reading a byte of it. The limit is :data:`DEFAULT_LIMIT_MB` megabytes per
file; the environment variable ``OPEDLENS_MAX_FILE_MB`` (or ``opedlens run --max-file-mb``) changes it.

:func:`inside` tells whether a path, with every symbolic link followed, stays inside a folder, so that a corpus
folder's files can never lead the run outside what the user named.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from opedlens.errors import InputError

DEFAULT_LIMIT_MB = 1.0
LIMIT_VARIABLE = "OPEDLENS_MAX_FILE_MB"


def limit_bytes() -> int:
    """The largest input file read, in bytes (``OPEDLENS_MAX_FILE_MB``, default :data:`DEFAULT_LIMIT_MB`)."""
    text = os.environ.get(LIMIT_VARIABLE, "").strip()
    if not text:
        return int(DEFAULT_LIMIT_MB * 1_000_000)
    try:
        megabytes = float(text)
    except ValueError:
        raise InputError(f"{LIMIT_VARIABLE}={text!r} is not a number of megabytes") from None
    if not megabytes > 0:
        raise InputError(f"{LIMIT_VARIABLE}={text!r} must be a positive number of megabytes")
    return int(megabytes * 1_000_000)


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words ("a folder", "a FIFO (named pipe)", ...)."""
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISLNK, "a symbolic link")):
        if test(mode):
            return name
    return "not a regular file"


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:.3g} MB"


def read_bytes(path: Path, what: str = "file", limit: int | None = None) -> bytes:
    """The bytes of the regular file ``path``, refused with a one-line :class:`InputError` naming it when it is
    missing, not a regular file, or larger than ``limit`` bytes (default :func:`limit_bytes`).

    The file is opened without blocking and checked through its open descriptor, so what is checked is what is
    read: a FIFO is refused at once instead of waiting for a writer, and a device is never read.
    """
    limit = limit_bytes() if limit is None else limit
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(f"{what} not found", path) from None
    except IsADirectoryError:
        raise InputError(f"{what} is a folder, not a file", path) from None
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise InputError(f"{what} is a symbolic link that loops", path) from None
        raise InputError(f"{what} cannot be opened ({err.strerror})", path) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{what} is {kind_of(info.st_mode)}, not a regular file; only regular files are read",
                             path)
        if info.st_size > limit:
            raise InputError(f"{what} is {_megabytes(info.st_size)}, over the {_megabytes(limit)} limit for one "
                             f"input file; raise it with --max-file-mb (or {LIMIT_VARIABLE}) if the file is right",
                             path)
        chunks, size = [], 0
        while True:  # never more than the limit, even if the file grows while it is read
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise InputError(f"{what} grew past the {_megabytes(limit)} limit while it was read", path)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: Path, what: str = "file", limit: int | None = None) -> str:
    """:func:`read_bytes`, decoded as UTF-8 (a BOM is dropped); undecodable bytes are an error naming the offset."""
    data = read_bytes(path, what, limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"{what} is not valid UTF-8 (byte offset {err.start})", path) from None


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path``, with every symbolic link followed, lies inside ``folder`` (also followed)."""
    try:
        Path(path).resolve(strict=False).relative_to(Path(folder).resolve(strict=False))
    except ValueError:
        return False
    return True
