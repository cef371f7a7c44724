"""`opedlens measure` at scale: sentences/s with one process, one Dask worker and two, each stage's share, memory.

Builds corpora of real-length articles (1,000 and 10,000 by default) from openly licensed documents in
../shared/data: each article is a run of 25-60 consecutive sentences (as many as the document has, if fewer) of one
of the 66 EmoBank documents with at least 25 sentences (CC BY-SA 4.0; letters, essays, newspaper, blog and travel
texts), drawn with a fixed seed, in paragraphs of four sentences under a title line. No sentence is written twice: one
drawn again opens with a year ("In 1903, ..."), so that no memory inside `measure` (it keeps the token states of the
last 2,048 sentences it encoded, and VADER's and TextBlob's scores) skips work a corpus of distinct articles would
need. (Before the fifteenth session of 4 Dec the corpora repeated sentences: of the 38,765 sentences of 1,000
articles only 4,880 were distinct, and a replay of that memory encodes 43% of them, and 60% of the 4,000 sentences
timed alone.) Each run is a fresh ``opedlens measure`` process:

* ``local``: the batches in that process;
* ``dask-1`` / ``dask-2``: a local Dask cluster of one / two worker processes (one thread each) on 127.0.0.1.

The slowest stage alone (the ``accurate`` scorer: one MiniLM pass + kernel ridge) is timed on the first 4,000
sentences of the corpus, and so is the encoder pass `measure` makes (MiniLM, with the fine-tuned evidence model's top
two layers on its states: more work than the scorer's pass, and a ceiling for the pipeline on the same cores): each
in one fresh process on two threads and in two fresh processes of one thread each (half the sentences each, started
together), and the ratios are to the faster, the stage at its best on these cores. (Until the fifteenth session of
4 Dec only the one process was timed; its threads share the interpreter lock, and on distinct sentences two
processes encoded 278/s against 195/s.) Printed per run: sentences/s, the ratios to the slowest stage and to the
encoder pass alone, each stage's share of the measured time, the peak resident memory of the process tree (the
command and its workers, sampled every 0.5 s) and the largest between batches after the first quarter of the run;
from the one-worker run, the ceiling its stage shares put on the ratio to the encoder pass (:func:`ceiling`); then
the time for 100,000 articles on this machine and on N such machines, from the measured rates and from how fast the
process feeding a cluster reads and cleans the articles (it leaves sentence splitting to the workers).

    .venv/bin/python benchmarks/bench_scale.py [--sizes 1000,10000] [--runs local,dask-1,dask-2]

Targets (issue 16): the pipeline at >= 80% of its slowest stage alone; two local workers >= 1.6x one; memory flat
from 1,000 to 10,000 articles. Exits 0 with a message when ../shared/data is missing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from opedlens.paths import GOLD_DIR  # noqa: E402

EMOBANK = GOLD_DIR / "sentiment/emobank"
OPEDLENS = str(Path(sys.executable).parent / "opedlens")


def documents() -> list[list[str]]:
    """Openly licensed documents as lists of sentences, in their order."""
    text = pd.read_csv(EMOBANK / "emobank.csv")
    meta = pd.read_csv(EMOBANK / "meta.tsv", sep="\t")
    both = text.merge(meta, on="id")
    both = both[both["category"].isin(["letters", "essays", "newspaper", "blog", "travel-guides"])].copy()
    both["start"] = both["id"].str.rsplit("_", n=2).str[-2].astype(int)
    docs = [g.sort_values("start")["text"].astype(str).str.strip().tolist()
            for _, g in both.groupby("document", sort=True)]
    return [d for d in docs if len(d) >= 25]


def build(folder: Path, n_articles: int, seed: int = 0) -> int:
    """Write ``n_articles`` .txt files, no sentence twice (see the module docstring); returns the number of sentences
    written."""
    docs = documents()
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True)
    total = 0
    drawn: dict[str, int] = {}  # how often each sentence was drawn so far
    for n in range(n_articles):
        doc = docs[rng.integers(len(docs))]
        length = min(len(doc), int(rng.integers(25, 61)))
        start = int(rng.integers(0, len(doc) - length + 1))
        sentences = [once(sentence, drawn) for sentence in doc[start:start + length]]
        paragraphs = [" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4)]
        (folder / f"a{n:06d}.txt").write_text(f"Article {n}\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        total += len(sentences)
    return total


def once(sentence: str, drawn: dict[str, int]) -> str:
    """The sentence as written the first time it is drawn, then opening with a year: "In 1901, ...", "In 1902, ..."."""
    times = drawn.get(sentence, 0)
    drawn[sentence] = times + 1
    return f"In {1900 + times}, {sentence}" if times else sentence


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0
    for proc in procs:
        try:
            total += proc.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / 2**20


def measure_run(corpus: Path, out: Path, run: str) -> dict:
    """One fresh `opedlens measure` process; its time, stage seconds and memory."""
    command = [OPEDLENS, "measure", "--corpus", str(corpus), "--output", str(out)]
    if run.startswith("dask-"):
        command += ["--workers", run.split("-")[1]]
    samples: list[tuple[float, float]] = []
    batches: list[float] = []
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample():
        while not done.is_set():
            samples.append((time.perf_counter() - started, tree_rss_mb(process.pid)))
            done.wait(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    for line in process.stderr:
        if " articles" in line and "sentences measured" in line:
            batches.append(tree_rss_mb(process.pid))
    process.wait()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(f"{run}: opedlens measure failed ({process.returncode})")
    state = json.loads((out / "measure.json").read_text())
    settled = batches[len(batches) // 4:] or batches
    return {"seconds": seconds, "sentences": state["sentences_measured_this_run"], "stages": state["stage_seconds"],
            "peak_mb": max(m for _, m in samples), "between_mb": max(settled), "batches": len(batches)}


#: What is timed alone: the `accurate` scorer (the issue's slowest stage), and the encoder pass `measure` makes
#: (MiniLM with the fine-tuned evidence layers on its states, in chunks taken by THREADS threads, one BLAS thread
#: each, as a batch is embedded when nothing else runs beside it). Each defines warm() and run() on ``texts``.
ALONE = {
    "accurate": "def warm():\n"
                "    scorers.score('accurate', ['This sentence warms the models up.'])\n"
                "def run():\n"
                "    with threadpool_limits(THREADS, user_api='blas'):\n"
                "        scorers.score('accurate', texts)\n",
    "encoder pass": "from concurrent.futures import ThreadPoolExecutor\n"
                    "head = evidence.shared_head()\n"
                    "def warm():\n"
                    "    embed.SharedEncoding(['This sentence warms the models up.'], head).work()\n"
                    "def run():\n"
                    "    with threadpool_limits(1, user_api='blas'), ThreadPoolExecutor(THREADS) as pool:\n"
                    "        for k in range(0, len(texts), 1000):\n"
                    "            shared = embed.SharedEncoding(texts[k:k + 1000], head)\n"
                    "            list(pool.map(lambda _: shared.work(), range(THREADS))); shared.result()\n",
}


def alone_rate(corpus: Path, n: int, stage: str, processes: int = 1) -> float:
    """Sentences/s of one :data:`ALONE` stage on the corpus's first ``n`` sentences: in one fresh process on two
    threads, or in ``processes`` fresh processes of one thread each, each timing its share of the sentences from the
    same moment (they start together once all have loaded their models)."""
    threads = 2 if processes == 1 else 1
    codes = [f"""
import sys, time, json
sys.path.insert(0, {str(ROOT / 'lib')!r})
from threadpoolctl import threadpool_limits
from opedlens.corpus.load import iter_articles
from opedlens.measure import embed, evidence, scorers
texts = []
for _, _, sents, _, _ in iter_articles({str(corpus)!r}):
    texts += [s["text"] for s in sents]
    if len(texts) >= {n}: break
texts = texts[:{n}][{part * n // processes}:{(part + 1) * n // processes}]
THREADS = {threads}
{ALONE[stage]}
warm()
print("ready", flush=True)
sys.stdin.readline()
started = time.perf_counter()
run()
print(json.dumps(time.perf_counter() - started), flush=True)
""" for part in range(processes)]
    running = [subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
               for code in codes]
    for process in running:
        if process.stdout.readline().strip() != "ready":
            raise SystemExit(f"{stage} alone failed to start")
    for process in running:
        process.stdin.write("go\n")
        process.stdin.flush()
    seconds = [process.stdout.readline() for process in running]
    for process in running:  # a process that failed while timing says so here, not as an unreadable number
        if process.wait():
            raise SystemExit(f"{stage} alone failed ({process.returncode})")
    return n / max(map(float, seconds))


def feeding_rate(corpus: Path, n_sentences: int) -> float:
    """Sentences/s at which `measure`'s own process reads, cleans, keys and sizes the articles into batches (what
    it does for a Dask cluster while the workers measure), over the whole corpus of ``n_sentences`` sentences."""
    from opedlens.corpus.load import iter_cleaned
    from opedlens.measure.dataset import article_key, estimated_sentences

    started = time.perf_counter()
    for article in iter_cleaned(corpus):
        article_key(article.record)
        estimated_sentences(article.blocks)
    return n_sentences / (time.perf_counter() - started)


def ceiling(shares: dict[str, float]) -> str:
    """What one worker's stage shares imply: when every stage runs on the same cores, a sentence costs the pipeline
    its encoder pass plus everything else, so, against the encoder pass alone using those cores fully (as two
    processes nearly do), the pipeline reaches at most the encoder pass's share of that work, on any number of
    cores."""
    encoder, parse = shares.get("embed", 0.0), shares.get("parse", 0.0)
    return (f"ceiling: one worker (one thread, nothing beside it) spends {encoder:.0%} of its time in the encoder "
            f"pass, {parse:.0%} in the parse and {1 - encoder - parse:.0%} in the other stages; on cores every stage "
            f"shares, the pipeline reaches at most about {encoder:.0%} of the encoder pass alone using them fully, "
            f"however many, and {encoder / (encoder + parse):.0%} if nothing but the parse ran beside it")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="article counts, comma-separated")
    parser.add_argument("--runs", default="local,dask-1,dask-2", help="local, dask-1, dask-2 (comma-separated)")
    parser.add_argument("--machines", type=int, default=10, help="N for the cluster estimate")
    args = parser.parse_args()
    if not (EMOBANK / "emobank.csv").is_file():
        print(f"skipped: EmoBank is not in {GOLD_DIR}")
        return 0
    rates: dict[tuple[int, str], float] = {}
    per_article, feeding, stages = {}, {}, {}
    for size in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory(prefix="opedlens-scale-") as tmp:
            corpus = Path(tmp) / "corpus"
            n_sentences = build(corpus, size)
            per_article[size] = n_sentences / size
            timed = min(4000, n_sentences)
            accurate = [alone_rate(corpus, timed, "accurate", k) for k in (1, 2)]
            encoders = [alone_rate(corpus, timed, "encoder pass", k) for k in (1, 2)]
            alone, encoder = max(accurate), max(encoders)  # each stage alone at its best on these cores
            feeding[size] = feeding_rate(corpus, n_sentences)
            print(f"\n{size:,} articles, {n_sentences:,} sentences ({per_article[size]:.1f} per article); "
                  f"slowest stage alone (accurate): {accurate[0]:.0f} sentences/s in one process (two threads), "
                  f"{accurate[1]:.0f} in two (one thread each); measure's encoder pass alone (MiniLM and the "
                  f"evidence model's top layers): {encoders[0]:.0f} / {encoders[1]:.0f} sentences/s; ratios below "
                  f"to the faster of each; the process feeding a cluster reads and cleans {feeding[size]:,.0f} "
                  "sentences/s", flush=True)
            print(f"{'run':>7} {'seconds':>8} {'sent/s':>7} {'vs slowest':>10} {'vs encoder':>10} {'peak MB':>8} "
                  f"{'between MB':>10}  stage shares", flush=True)
            for run in args.runs.split(","):
                result = measure_run(corpus, Path(tmp) / f"out-{run}", run)
                rate = result["sentences"] / result["seconds"]
                rates[(size, run)] = rate
                total = sum(result["stages"].values()) or 1.0
                if run == "dask-1":
                    stages[size] = {k: v / total for k, v in result["stages"].items()}
                shares = ", ".join(f"{k} {v / total:.0%}" for k, v in sorted(result["stages"].items(),
                                                                           key=lambda kv: -kv[1]) if v / total >= 0.01)
                print(f"{run:>7} {result['seconds']:>8.0f} {rate:>7.0f} {rate / alone:>10.0%} {rate / encoder:>10.0%} "
                      f"{result['peak_mb']:>8,.0f} {result['between_mb']:>10,.0f}  {shares}", flush=True)
            if (size, "dask-1") in rates and (size, "dask-2") in rates:
                print(f"two workers / one: {rates[(size, 'dask-2')] / rates[(size, 'dask-1')]:.2f}x", flush=True)
            if size in stages:
                print(ceiling(stages[size]), flush=True)
    size = max(per_article)
    best = max((r for (s, _), r in rates.items() if s == size), default=0)
    if best:
        sentences = 100_000 * per_article[size]
        cluster_rate = min(args.machines * best, feeding[size])
        print(f"\n100,000 articles of {per_article[size]:.0f} sentences: about {sentences / best / 3600:.1f} h on this "
              f"machine at {best:.0f} sentences/s; about {sentences / cluster_rate / 3600:.1f} h on {args.machines} "
              "such machines (two workers each, if the rate scales with machines as it does with workers here; the "
              f"process feeding them keeps up with about {feeding[size] / best:.0f} such machines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
