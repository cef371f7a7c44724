"""The whole report on a corpus it was not written for: 133 Webis-Editorials-16 DEV editorials, by outlet.

Converts the editorials into a corpus folder outside the project (they are research-only; see
webis_corpus.py), runs ``opedlens run --jobs 2 -p group_by=outlet -p actors_from_corpus=true`` on it, and
prints the run time, the peak memory of the whole process tree (sampled every 0.2 s) and the checks of
issue 15: every outlet in every comparison, at most 40 findings, no "nan", no joined id list, no figure over
4,000 px, headlines as main claims at most 5% of articles. The run is cold (its own empty disk cache, so nothing
measured, fitted or scored before is reused); then the report is built again into another folder with that cache
(what rebuilding it on the same corpus costs), timed, and its tables compared with the first's.

    .venv/bin/python benchmarks/groups_webis.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
import psutil
from PIL import Image

from opedlens.paths import GOLD_DIR

MAX_FINDINGS = 40
MAX_PIXELS = 4000
MAX_HEADLINE_SHARE = 0.05
#: Tables that compare groups, and the columns that name the groups they compare.
GROUP_TABLES = {
    "02-group-sentiment.csv": ["group"],
    "02-difference.csv": ["group_a", "group_b"],
    "02-group-actor-sentiment.csv": ["group"],
    "03-group-topic-shares.csv": ["group"],
    "03-keyness.csv": ["group"],
    "04-alignment.csv": ["side_a", "side_b"],
}


class PeakMemory:
    """The largest summed resident memory of a process and its children, sampled in a thread."""

    def __init__(self, pid: int, every: float = 0.2):
        self.root, self.every, self.peak = psutil.Process(pid), every, 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._done.wait(self.every):
            total = 0
            try:
                processes = [self.root, *self.root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            for process in processes:
                try:
                    total += process.memory_info().rss
                except psutil.NoSuchProcess:
                    pass
            self.peak = max(self.peak, total)

    def stop(self) -> int:
        self._done.set()
        self._thread.join()
        return self.peak


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", str(text).lower()))


def checks(corpus: Path, output: Path) -> list[tuple[str, bool, str]]:
    """(check, passed, what was seen) for each point of issue 15's "Done when"."""
    tables, results = output / "tables", []
    manifest = pd.read_csv(corpus / "manifest.csv")
    outlets = set(manifest["outlet"])
    for name, columns in GROUP_TABLES.items():
        frame = pd.read_csv(tables / name)
        seen = set().union(*(set(frame[c].dropna()) for c in columns if c in frame))
        results.append((f"every outlet in {name}", outlets <= seen, ", ".join(sorted(map(str, seen))) or "none"))
    findings = pd.read_csv(tables / "05-findings.csv")
    results.append((f"at most {MAX_FINDINGS} findings", len(findings) <= MAX_FINDINGS, f"{len(findings)} findings"))
    pages = {p.name: p.read_text(encoding="utf-8") for p in (output / "html").glob("*.html")}
    texts = {"05-findings.csv": findings.to_csv(index=False), **pages}
    with_nan = [name for name, text in texts.items() if re.search(r"\bnan\b", re.sub(r"<[^>]+>", " ", text))]
    results.append(('no "nan" in findings or pages', not with_nan, ", ".join(with_nan) or "none"))
    ids = r"(?:%s)" % "|".join(map(re.escape, manifest["doc_id"]))
    joiner = r"\s*(?:,|and|&|\+|/)\s*"
    joined = [name for name, text in texts.items() if re.search(f"{ids}{joiner}{ids}{joiner}{ids}", text)]
    results.append(("no joined id list", not joined, ", ".join(joined) or "none"))
    sizes = {p.name: Image.open(p).size for p in (output / "figures").glob("*.png")}
    largest = max(sizes.items(), key=lambda item: max(item[1]))
    results.append((f"no figure over {MAX_PIXELS} px", max(largest[1]) <= MAX_PIXELS,
                    f"largest {largest[0]} {largest[1][0]}x{largest[1][1]} px"))
    units = pd.read_csv(tables / "04-argument-units.csv")
    main = units[units["role"] == "main claim"].merge(manifest[["doc_id", "title"]], on="doc_id")
    headline = [words(t) == words(h) or words(t) <= words(h) for t, h in zip(main["text"], main["title"])]
    share = sum(headline) / len(manifest)
    results.append((f"headlines as main claims at most {MAX_HEADLINE_SHARE:.0%}", share <= MAX_HEADLINE_SHARE,
                    f"{sum(headline)} of {len(manifest)} articles ({share:.1%})"))
    return results


def run_report(corpus: Path, output: Path, environment: dict[str, str]) -> tuple[float, int, str]:
    """(seconds, peak memory in bytes, the error output if the run failed, else "") of one ``opedlens run``."""
    command = [str(Path(sys.executable).with_name("opedlens")), "run", "--corpus", str(corpus),
               "--output", str(output), "--jobs", "2", "-p", "group_by=outlet", "-p", "actors_from_corpus=true"]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env=environment)
    memory = PeakMemory(process.pid)
    _, errors = process.communicate()
    seconds, peak = time.perf_counter() - started, memory.stop()
    return seconds, peak, errors if process.returncode else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write the corpus and the report here, and keep them")
    args = parser.parse_args(argv)
    source = GOLD_DIR / "arguments" / "webis_editorials16" / "dev"
    if not source.is_dir():
        print(f"skipped: {source} not found")
        return 0
    with tempfile.TemporaryDirectory(prefix="opedlens-groups-") as tmp:
        base = args.keep.resolve() if args.keep else Path(tmp)
        corpus, output = base / "corpus", base / "report"
        subprocess.run([sys.executable, str(Path(__file__).with_name("webis_corpus.py")), "--out", str(corpus)],
                       check=True)
        environment = os.environ | {"OPEDLENS_CACHE": "on", "OPEDLENS_CACHE_DIR": str(Path(tmp) / "cache")}
        seconds, peak, errors = run_report(corpus, output, environment)
        if errors:
            print(errors, file=sys.stderr)
            return 1
        again, _, errors = run_report(corpus, base / "report-again", environment)
        if errors:
            print(errors, file=sys.stderr)
            return 1
        same = all(filecmp.cmp(table, base / "report-again" / "tables" / table.name, shallow=False)
                   for table in sorted((output / "tables").glob("*.csv")))
        n_articles = len(pd.read_csv(corpus / "manifest.csv"))
        print(f"opedlens run on {n_articles} Webis editorials, group_by=outlet, --jobs 2: {seconds:.0f} s, "
              f"peak memory {peak / 2**30:.2f} GiB (process tree); built again with the disk cache: {again:.0f} s, "
              f"{'the same tables' if same else 'OTHER TABLES'}")
        failed = 0 if same else 1
        for check, passed, seen in checks(corpus, output):
            failed += not passed
            print(f"  {'ok  ' if passed else 'FAIL'} {check}: {seen}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
