"""Stopping on Ctrl-C or SIGTERM without races: the signal only sets a flag, and the run stops where it checks it.

A signal handler that raises can land anywhere: between starting a kernel and recording it, between queueing a
notebook and noting which kernel runs it. Then that kernel is never stopped and its notebook goes on writing.
So under :func:`handled` the handler only records the request; the code that runs the report calls
:func:`check` at the points where everything it started is accounted for, and :func:`wait` / :func:`sleep`
instead of blocking calls, so a request is seen within :data:`POLL_S` seconds. :func:`check` raises
:class:`Interrupted` (a ``KeyboardInterrupt``), which unwinds through the usual clean-up.

Outside :func:`handled` (in a notebook, in a test) nothing is installed, :func:`check` never raises and Ctrl-C
behaves as Python's default.
"""

from __future__ import annotations

import logging
import signal
import threading
from concurrent.futures import FIRST_COMPLETED, Future
from concurrent.futures import wait as wait_futures
from contextlib import contextmanager
from typing import Iterable, Iterator

POLL_S = 0.1  # how often a waiting run looks at the flag
_requested = threading.Event()


class Interrupted(KeyboardInterrupt):
    """The run was asked to stop (Ctrl-C, SIGTERM)."""


def request(signum: int = signal.SIGINT, frame=None) -> None:
    """Ask the run to stop (the signal handler; callable from any thread). Libraries then log errors from kernels
    being stopped mid-cell, which are not news, so logging is silenced."""
    _requested.set()
    logging.disable(logging.CRITICAL)


def requested() -> bool:
    return _requested.is_set()


def check() -> None:
    """Raise :class:`Interrupted` if a stop was requested."""
    if _requested.is_set():
        raise Interrupted


def sleep(seconds: float) -> None:
    """Sleep, or stop at once when a stop is requested."""
    _requested.wait(seconds)
    check()


def join(thread: threading.Thread) -> None:
    """Wait for ``thread`` to end, checking for a stop request meanwhile."""
    while thread.is_alive():
        thread.join(POLL_S)
        check()


def wait(futures: Iterable[Future], return_when: str = FIRST_COMPLETED, timeout: float | None = None) -> set[Future]:
    """:func:`concurrent.futures.wait` that checks for a stop request while it waits; returns the done futures (an
    empty set once ``timeout`` seconds have passed with none done)."""
    futures = list(futures)
    waited = 0.0
    while True:
        check()
        done, _ = wait_futures(futures, timeout=POLL_S, return_when=return_when)
        if done and (return_when == FIRST_COMPLETED or len(done) == len(futures)):
            return done
        waited += POLL_S
        if timeout is not None and waited >= timeout:
            return set()


@contextmanager
def handled(signals: tuple[int, ...] = (signal.SIGINT, signal.SIGTERM)) -> Iterator[None]:
    """Within this block, ``signals`` set the stop flag instead of raising; on leaving, the previous handlers and
    a clear flag are restored. Only the main thread may install signal handlers."""
    previous = {signum: signal.signal(signum, request) for signum in signals}
    _requested.clear()
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _requested.clear()
        logging.disable(logging.NOTSET)
