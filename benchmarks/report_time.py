"""How long `make report` takes once installed, against its floor: papermill running only the import cells.

The floor is what no optimisation of our own code can beat: starting papermill, a kernel per notebook, and
importing what the notebooks import. Run from the project root (or `make bench`):

    .venv/bin/python benchmarks/report_time.py [--repeat 3] [--jobs 1 2]

Each --jobs value times the report with that many notebooks at once (``opedlens run --jobs N``) against the
floor run the same way (N import-only notebooks at once). The report is timed twice per repeat: cold, with an
empty disk cache (a fresh clone, or new data), then warm, with the cache that run filled (a rerun on the
same data: the topic-model grid is not refitted; see opedlens.cache). The report is written to a temporary
folder and the cache lives there too, so the committed outputs/ and the project's .cache are left alone.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def import_only(source: Path, target: Path) -> None:
    """A copy of a notebook keeping only the code cells made of nothing but import statements."""
    nb = nbformat.read(source, as_version=4)

    def imports_only(cell) -> bool:
        if cell.cell_type != "code":
            return False
        body = ast.parse(cell.source).body
        return bool(body) and all(isinstance(n, (ast.Import, ast.ImportFrom)) for n in body)

    nb.cells = [cell for cell in nb.cells if imports_only(cell)]
    nbformat.write(nb, target)


def timed(command: list[str], env: dict | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=None if env is None else os.environ | env)
    return time.perf_counter() - started


def floor_time(notebooks: list[Path], tmp: Path, jobs: int) -> float:
    """Wall time of papermill running the import-only copies, ``jobs`` at a time."""
    def one(p: Path) -> None:
        subprocess.run([str(BIN / "papermill"), "-k", "opedlens", "--no-progress-bar", str(tmp / p.name),
                        str(tmp / f"out-{p.name}")], cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(one, notebooks))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for path in notebooks:
            import_only(path, tmp / path.name)
        timed(["make", "-s", "install"])  # make sure set-up is done and not timed
        env = {"OPEDLENS_CACHE": "on", "OPEDLENS_CACHE_DIR": str(tmp / "cache")}
        report = ["make", "-s", "report"]
        for jobs in args.jobs:
            cold, warm, floor = [], [], []
            for _ in range(args.repeat):
                shutil.rmtree(tmp / "cache", ignore_errors=True)
                cold.append(timed(report + [f"ARGS=--output {tmp / 'report'} --jobs {jobs}"], env))
                warm.append(timed(report + [f"ARGS=--output {tmp / 'report'} --jobs {jobs}"], env))
                floor.append(floor_time(notebooks, tmp, jobs))
            rows.append((jobs, statistics.median(cold), statistics.median(warm), statistics.median(floor)))
    print(f"{len(notebooks)} notebook(s), {args.repeat} run(s) each; medians in seconds (cold: empty disk cache, "
          "warm: the same run again)\n")
    print(f"{'--jobs':>6} {'cold report':>12} {'warm report':>12} {'floor':>7} {'cold / floor':>13} "
          f"{'warm / floor':>13}")
    for jobs, cold, warm, floor in rows:
        print(f"{jobs:>6} {cold:12.1f} {warm:12.1f} {floor:7.1f} {cold / floor:12.2f}x {warm / floor:12.2f}x")


if __name__ == "__main__":
    main()
