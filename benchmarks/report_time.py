"""How long `make report` takes once installed, against its floor: papermill running only the import cells.

The floor is what no optimisation of our own code can beat: starting papermill, a kernel per notebook, and
importing what the notebooks import. Run from the project root (or `make bench`):

    .venv/bin/python benchmarks/report_time.py [--repeat 3] [--jobs 1]

The report is written to a temporary folder, so the committed outputs/ is left alone.
"""

from __future__ import annotations

import argparse
import ast
import statistics
import subprocess
import sys
import tempfile
import time
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


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for path in notebooks:
            import_only(path, tmp / path.name)
        timed(["make", "-s", "install"])  # make sure set-up is done and not timed
        report, floor = [], []
        for _ in range(args.repeat):
            report.append(timed(["make", "-s", "report", f"ARGS=--output {tmp / 'report'} --jobs {args.jobs}"]))
            floor.append(sum(
                timed([str(BIN / "papermill"), "-k", "opedlens", "--no-progress-bar", str(tmp / p.name), str(tmp / f"out-{p.name}")])
                for p in notebooks
            ))
    rows = [("make report (installed)", report), ("floor: papermill, import cells only", floor)]
    print(f"{len(notebooks)} notebook(s), {args.repeat} run(s) each, --jobs {args.jobs}\n")
    print(f"{'measure':40} {'median s':>9} {'min s':>7} {'max s':>7}")
    for name, values in rows:
        print(f"{name:40} {statistics.median(values):9.2f} {min(values):7.2f} {max(values):7.2f}")
    print(f"\nreport / floor (medians): {statistics.median(report) / statistics.median(floor):.2f}x")


if __name__ == "__main__":
    main()
