"""Tasks on a Dask cluster that survive a lost worker: the one way `opedlens measure` (batches of articles) and
notebook 04 (chunks of candidate pairs) reach a scheduler, scatter their data and send a task again when the worker
holding it went away (restarted, killed, its machine reclaimed)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

Log = Callable[[str], None]

#: How often one task is sent again after losing its worker before the run stops with Dask's error.
RESENDS = 3


def run_resending(items: Iterable, submit, finished, key, doing, slots: int = 0, log: Log | None = None) -> None:
    """Run each item as one Dask task, ``submit(item, task_key)`` returning its future, with at most ``slots`` in
    flight (0: all at once), and call ``finished(item, result)`` as each completes. An item whose worker went away
    (restarted, killed, its machine reclaimed) with the item's scattered data or under its task is sent again, at
    most :data:`RESENDS` times (:func:`_collect`); ``doing(item)`` says what was lost ("measuring 3 article(s)")."""
    from dask.distributed import as_completed

    quiet = _ResentBatches()
    logging.getLogger("distributed.scheduler").addFilter(quiet)
    try:
        pending: dict[str, tuple[object, int]] = {}  # task key -> its item, and how often it was sent before
        running = as_completed()

        def send(item, attempt: int = 0) -> None:
            task = key(item) + (f"-again-{attempt}" if attempt else "")
            pending[task] = (item, attempt)
            running.add(submit(item, task))

        for item in items:
            send(item)
            while slots and running.count() >= slots:
                _collect(next(running), pending, finished, send, log, doing)
        for future in running:  # as_completed takes the items sent again meanwhile too
            _collect(future, pending, finished, send, log, doing)
    finally:
        logging.getLogger("distributed.scheduler").removeFilter(quiet)


def scatter(client, data):
    """``client.scatter(data)``, tried again when the worker the scheduler chose for it died meanwhile (the
    scheduler then answers with a closed connection or no longer knows the worker), at most :data:`RESENDS` times."""
    for attempt in range(RESENDS + 1):
        try:
            return client.scatter(data, hash=False)
        except (OSError, KeyError):  # distributed's CommClosedError is an OSError
            if attempt == RESENDS:
                raise
            time.sleep(0.5 * (attempt + 1))  # time for the scheduler to let the worker go


@contextmanager
def connected(scheduler: str) -> Iterator:
    """A Dask client on the scheduler at that address: the process's open one (:func:`_open_client`, left open), else
    a new one, closed afterwards."""
    from dask.distributed import Client

    client = _open_client(scheduler)
    if client is not None:
        yield client
        return
    with Client(scheduler) as client:
        yield client


def _open_client(scheduler: str):
    """The process's open Dask client on that scheduler (a notebook user's ``Client(address)``), or None. Reusing it
    matters: two synchronous clients in one process each run an event loop, and a result Dask had to recompute
    after a worker left could then fail with "bound to a different event loop"."""
    from dask.distributed import default_client

    address = scheduler if "://" in scheduler else f"tcp://{scheduler}"
    try:
        client = default_client()
    except ValueError:  # no client in this process
        return None
    return client if client.status == "running" and client.scheduler.address == address else None


class _ResentBatches(logging.Filter):
    """Drops the scheduler's error that a worker which left took scattered data with it: :func:`_collect` sends
    what needed it again and says so."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "lose scattered data" not in record.getMessage()


def _collect(future, pending: dict[str, tuple[object, int]], finished, send, log: Log | None, doing) -> None:
    """Hand a finished item's result to ``finished``; send the item again when Dask says its worker went away with
    it (the task cancelled because its scattered data was lost, or the worker died under it), at most
    :data:`RESENDS` times. An error the task itself raised is raised here."""
    from distributed import KilledWorker
    from distributed.client import FutureCancelledError

    item, attempt = pending.pop(future.key)
    try:
        result = future.result()
    except (FutureCancelledError, KilledWorker) as lost:
        if attempt >= RESENDS:
            raise
        if log:
            log(f"dask: a worker left while {doing(item)} ({type(lost).__name__}); sending them again")
        send(item, attempt + 1)
        return
    finished(item, result)
