"""The one exception type users see: a bad input, named by file, explained in one line."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """A problem with the user's input files or parameters.

    ``str(error)`` is one line: ``<path>: <what is wrong>`` (or just the message when no file is involved).
    """

    def __init__(self, message: str, path: str | Path | None = None):
        self.path = Path(path) if path is not None else None
        self.message = message
        super().__init__(f"{self.path}: {message}" if self.path is not None else message)
