"""What Dask itself keeps on a worker, without opedlens: a two-worker local cluster (as `opedlens measure --workers 2`
starts it) runs N small tasks, each on a batch of 2,500 strings sent with ``client.scatter`` as ``measure`` sends
its batches, and prints each worker's resident memory, Python's allocated blocks, the tasks and data it holds, the
objects the garbage collector tracks and the length of its two state logs, eight times over the run.

Usage::

    .venv/bin/python benchmarks/dask_bookkeeping_memory.py [--tasks 8000]
"""

from __future__ import annotations

import argparse
import gc
import sys
import time


class Batch:
    """A stand-in for a measure batch (scattered as one object)."""

    def __init__(self, texts: list[str], number: int):
        self.texts, self.number = texts, number


def work(batch: Batch) -> dict:
    return {"characters": sum(len(t) for t in batch.texts)}


def probe(dask_worker) -> tuple:
    import psutil

    gc.collect()
    return (round(psutil.Process().memory_info().rss / 2**20), sys.getallocatedblocks(), len(dask_worker.state.tasks),
            len(dask_worker.data), len(gc.get_objects()), len(dask_worker.state.log), len(dask_worker.state.stimulus_log))


def main() -> None:
    import dask
    from dask.distributed import Client, LocalCluster, as_completed

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=8000)
    n = parser.parse_args().tasks
    with dask.config.set({"distributed.worker.profile.enabled": False}):
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None)
    client, running, started = Client(cluster), as_completed(), time.time()
    print("tasks  seconds  per worker: (resident MiB, Python blocks, tasks, data, gc objects, log, stimulus log)")
    try:
        for i in range(n):
            text = client.scatter(Batch(["word " * 40 + f"{i}-{j}" for j in range(2500)], i), hash=False)
            running.add(client.submit(work, text, key=f"measure-{i}", pure=False))
            while running.count() >= 4:
                next(running).result()
            if i % max(1, n // 8) == 0:
                print(f"{i:5d}  {time.time() - started:7.0f}  {sorted(client.run(probe).values())}", flush=True)
        for future in running:
            future.result()
        print(f"{n:5d}  {time.time() - started:7.0f}  {sorted(client.run(probe).values())}")
    finally:
        client.close()
        cluster.close()


if __name__ == "__main__":
    main()
