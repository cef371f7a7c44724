"""Throughput and peak memory of the streamed per-sentence pipeline on corpora of growing size.

Builds corpora of 1,000, 10,000 and 100,000 articles (by default) from sentences resampled with a fixed
seed from the openly licensed human-rated sets in ../shared/data (NYT editorial snippets, MIT; EmoBank,
CC BY-SA 4.0): each article is a title line and one paragraph of ``--per-article`` sentences. Each size
runs :func:`opedlens.stream.run` (load, clean, segment, sentiment, actors, argument units) in a fresh
process, and the slowest scorer alone (``accurate``: one MiniLM pass + kernel ridge) is timed on the
same number of sentences as the smallest corpus, also in a fresh process. Targets: the pipeline at >= 50%
of that scorer's speed, and memory that does not grow with the corpus. Two memory figures: the peak (which
includes the transient arrays of the batch with the longest sentences: MiniLM's attention is bounded by its
256-token limit) and the largest resident memory measured between batches (what the stream keeps), with
that memory a quarter, half, three quarters of the way through the run and at its end.

    .venv/bin/python benchmarks/pipeline_throughput.py [--sizes 1000,10000,100000] [--per-article 3]

Prints a table; exits 0 with a message when ../shared/data is missing.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from opedlens.paths import GOLD_DIR

SOURCES = ("sentiment/nyt_editorials/ground_truth_dev.tsv", "sentiment/emobank/emobank.csv")


def pool() -> list[str]:
    from opedlens.gold import read_valence

    # Sentences opening with a date are left out: at the start of a paragraph they read as a dateline, which
    # the cleaning rules remove with their paragraph (see the note in the README's benchmark section).
    dated = re.compile(r"^(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d)", re.I)
    # Short or unfinished lines would read as subheads; a one-line article of them has no body.
    return [t.strip() for s in SOURCES for t in read_valence(GOLD_DIR / s)["text"]
            if len(t.split()) >= 6 and t.strip()[-1] in ".!?" and not dated.match(t.strip())]


def build(folder: Path, n_articles: int, per_article: int, seed: int = 0) -> int:
    """Write n_articles .txt files; returns the number of sentences written."""
    texts = pool()
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True)
    picks = rng.integers(0, len(texts), size=(n_articles, per_article))
    for n, row in enumerate(picks):
        body = " ".join(texts[i] for i in row)
        (folder / f"a{n:06d}.txt").write_text(f"Article {n}\n\n{body}\n", encoding="utf-8")
    return n_articles * per_article


def resident_mb() -> float:
    """Resident memory now (Linux /proc), in MB."""
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


def child_pipeline(corpus: str, out: str) -> dict:
    from opedlens import stream

    between_batches = []
    started = time.perf_counter()
    stats = stream.run(corpus, out, log=lambda _: between_batches.append(resident_mb()))
    quarters = [between_batches[max(0, round(len(between_batches) * q) - 1)] for q in (0.25, 0.5, 0.75, 1.0)]
    return {"articles": stats.articles, "sentences": stats.sentences, "seconds": time.perf_counter() - started,
            "stages": stats.seconds, "steady_mb": max(between_batches[1:] or between_batches),
            "quarters_mb": quarters}


def child_scorer(n: int) -> dict:
    from opedlens import scorers

    texts = list(np.random.default_rng(1).choice(pool(), size=n, replace=True))
    scorers.score("accurate", texts[:8])  # load the model outside the timing
    started = time.perf_counter()
    scorers.score("accurate", texts)
    return {"sentences": n, "seconds": time.perf_counter() - started}


def in_fresh_process(*args: str) -> dict:
    result = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="article counts, comma-separated")
    parser.add_argument("--per-article", type=int, default=3, help="sentences per article")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        out = child_pipeline(*rest) if kind == "pipeline" else child_scorer(int(rest[0]))
        out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(out))
        return 0
    if not all((GOLD_DIR / s).is_file() for s in SOURCES):
        print(f"skipped: the NYT and EmoBank sets are not in {GOLD_DIR}")
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    scorer = in_fresh_process("scorer", str(sizes[0] * args.per_article))
    scorer_rate = scorer["sentences"] / scorer["seconds"]
    print(f"slowest scorer alone (accurate): {scorer_rate:,.0f} sentences/s, peak {scorer['peak_rss_mb']:,.0f} MB")
    print(f"{'articles':>9} {'sentences':>10} {'seconds':>9} {'sent/s':>8} {'vs scorer':>10} {'peak MB':>8} "
          f"{'between batches MB':>19}  {'at 25/50/75/100% of the run':>28}  slowest stages")
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="opedlens-stream-") as tmp:
            build(Path(tmp) / "corpus", size, args.per_article)
            run = in_fresh_process("pipeline", str(Path(tmp) / "corpus"), str(Path(tmp) / "out"))
        rate = run["sentences"] / run["seconds"]
        stages = sorted(((v, k) for k, v in run["stages"].items() if k != "total"), reverse=True)[:3]
        print(f"{run['articles']:>9,} {run['sentences']:>10,} {run['seconds']:>9.0f} {rate:>8.0f} "
              f"{rate / scorer_rate:>9.0%} {run['peak_rss_mb']:>8,.0f} {run['steady_mb']:>19,.0f}  "
              f"{' / '.join(f'{mb:,.0f}' for mb in run['quarters_mb']):>28}  "
              + ", ".join(f"{k} {v:.0f} s" for v, k in stages), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
