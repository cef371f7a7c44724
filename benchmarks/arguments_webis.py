"""Notebook 04 on a corpus it was not written for: the 133 Webis-Editorials-16 DEV editorials by outlet.

Converts the editorials into a corpus folder outside the project (they are research-only; see
webis_corpus.py), runs notebook 04-compare-arguments on it with papermill (`-p group_by=outlet`), and
prints the run time and what the tables hold.

    .venv/bin/python benchmarks/arguments_webis.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from opedlens.paths import GOLD_DIR, PROJECT_ROOT


def main() -> int:
    source = GOLD_DIR / "arguments" / "webis_editorials16" / "dev"
    if not source.is_dir():
        print(f"skipped: {source} not found")
        return 0
    with tempfile.TemporaryDirectory(prefix="opedlens-webis-") as tmp:
        folder, output = Path(tmp) / "corpus", Path(tmp) / "out"
        subprocess.run([sys.executable, str(Path(__file__).with_name("webis_corpus.py")), "--out", str(folder)],
                       check=True)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "papermill", "-k", "opedlens", "--no-progress-bar",
                        str(PROJECT_ROOT / "notebooks" / "04-compare-arguments.ipynb"), str(Path(tmp) / "04.ipynb"),
                        "-p", "corpus_dir", str(folder), "-p", "group_by", "outlet", "-p", "output_dir", str(output)],
                       check=True, capture_output=True)
        seconds = time.perf_counter() - started
        tables = output / "tables"
        units = pd.read_csv(tables / "04-argument-units.csv")
        recs = pd.read_csv(tables / "04-recommendations.csv")
        cited = pd.read_csv(tables / "04-sources.csv")
        points = pd.read_csv(tables / "04-alignment.csv")
        print(f"notebook 04 on {units['doc_id'].nunique()} Webis editorials ({len(units):,} sentences), "
              f"group_by=outlet: {seconds:.0f} s")
        print(f"roles: {units['role'].value_counts().to_dict()}")
        print(f"evidence types: {units['evidence'].value_counts().to_dict()}")
        print(f"recommendations: {len(recs)} ({recs['strength'].value_counts().to_dict()}); "
              f"sources: {len(cited)} ({cited['speaker_type'].value_counts().to_dict()})")
        print(f"alignment ({points['side_a'].dropna().iloc[0]} vs {points['side_b'].dropna().iloc[0]}): "
              f"{points['status'].value_counts().to_dict()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
