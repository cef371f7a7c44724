"""Where a Dask worker's memory goes during `opedlens measure`: every minute, each worker's resident memory, the
number of memory blocks Python has allocated, and (with ``--trim``) the resident memory left after glibc's
``malloc_trim(0)`` hands freed memory back to the system.

Usage::

    .venv/bin/python benchmarks/worker_memory.py [--articles 2500] [--trim] [--work /tmp/opedlens-worker-memory]
    .venv/bin/python benchmarks/worker_memory.py --local [--thread] [--articles 1200]

Starts ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1 (one thread each, no memory limit), then
``opedlens measure --engine dask`` on real-length articles built as ``bench_scale.py`` builds them. If memory that
survives trimming grows with Python's block count, the growth is live Python objects, not freed memory the
allocator keeps. ``--local`` runs the same per-batch function in this process instead (the local engine) and prints,
after every batch, its resident memory, Python's allocated blocks, the objects the garbage collector tracks and the
bytes Arrow holds: whether the batch function itself keeps anything, without Dask around it; ``--thread`` runs it in
one executor thread, as a Dask worker does, to tell the thread from the rest of Dask.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_scale  # noqa: E402


def probe(trim: bool) -> tuple[float, float, int]:
    """Run on a worker: (resident MB, resident MB after malloc_trim or the same, Python's allocated blocks)."""
    import ctypes

    import psutil

    process = psutil.Process(os.getpid())
    before, blocks = process.memory_info().rss / 1e6, sys.getallocatedblocks()
    if trim:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    return before, process.memory_info().rss / 1e6 if trim else before, blocks


def local(corpus: Path, out: Path, in_thread: bool = False) -> None:
    """The local engine in this process, one line per batch (``measure_corpus`` logs after each batch); with
    ``in_thread``, in a thread of its own, as a Dask worker runs a task."""
    import gc

    import psutil
    import pyarrow as pa

    from opedlens.measure.dataset import measure_corpus

    process, started = psutil.Process(os.getpid()), time.time()
    print("batch  seconds  resident MB  Python blocks (millions)  gc objects  Arrow MB")
    batches = [0]

    def after_batch(line: str) -> None:
        if "sentences measured" not in line:
            return
        batches[0] += 1
        gc.collect()
        print(f"{batches[0]:5d}  {time.time() - started:7.0f}  {process.memory_info().rss / 1e6:11.0f}  "
              f"{sys.getallocatedblocks() / 1e6:24.2f}  {len(gc.get_objects()):10d}  {pa.total_allocated_bytes() / 1e6:8.1f}",
              flush=True)

    if not in_thread:
        measure_corpus(corpus, out, log=after_batch)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:  # as a Dask worker runs its tasks: in one executor thread, not the main one
        pool.submit(measure_corpus, corpus, out, log=after_batch).result()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2500)
    parser.add_argument("--trim", action="store_true")
    parser.add_argument("--local", action="store_true", help="the local engine in this process, a line per batch")
    parser.add_argument("--thread", action="store_true", help="with --local: measure in an executor thread")
    parser.add_argument("--work", type=Path, default=Path("/tmp/opedlens-worker-memory"))
    args = parser.parse_args()
    corpus, out = args.work / f"corpus-{args.articles}", args.work / "measured"
    if not corpus.exists():
        print(f"{bench_scale.build(corpus, args.articles):,} sentences in {args.articles:,} articles", flush=True)
    shutil.rmtree(out, ignore_errors=True)
    if args.local:
        local(corpus, out, args.thread)
        return
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address, dask = f"tcp://127.0.0.1:{port}", str(Path(sys.executable).parent / "dask")
    env = dict(os.environ, DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED="False")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env}
    processes = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                                  **quiet)]
    processes += [subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard",
                                    "--memory-limit", "0"], **quiet) for _ in range(2)]
    from dask.distributed import Client

    client = Client(address, timeout=60)
    try:
        client.wait_for_workers(2, timeout=120)
        measure = subprocess.Popen([str(Path(sys.executable).parent / "opedlens"), "measure", "--corpus", str(corpus),
                                    "--output", str(out), "--engine", "dask", "--scheduler", address],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print("minute  worker  resident MB  after trim MB  Python blocks (millions)")
        started, minute = time.time(), 0
        while measure.poll() is None:
            time.sleep(2)
            if time.time() - started > 60 * (minute + 1):
                minute += 1
                for n, (_, (rss, trimmed, blocks)) in enumerate(sorted(client.run(probe, args.trim).items())):
                    print(f"{minute:6d}  {n + 1:6d}  {rss:11.0f}  {trimmed:13.0f}  {blocks / 1e6:24.2f}", flush=True)
        print(f"measure exited {measure.returncode} after {(time.time() - started) / 60:.1f} min")
    finally:
        client.close()
        for process in processes:
            process.terminate()


if __name__ == "__main__":
    main()
