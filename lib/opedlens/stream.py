"""The per-sentence pipeline over a corpus of any size, streamed: memory does not grow with the corpus.

Articles are read, cleaned and segmented one at a time (:func:`opedlens.corpus.iter_articles`) and
processed in batches of whole articles: sentence sentiment, actor mentions, and argument units
(stance markers, recommendations, sources, evidence type, role). Each batch's rows are appended to
CSV files in the output folder and then dropped, so a 100,000-article corpus needs the memory of one
batch. The tables have the same columns (and ids) as the notebooks' tables.
"""

from __future__ import annotations

import csv
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import actors, arguments, cache, evidence, nlp, recommendations, scorers, sources, stance
from .corpus import iter_articles
from .errors import InputError
from .paths import resolve

# Sentences per batch: enough for MiniLM to group texts of similar length (little padding) and for spaCy's
# batching, while a batch's tables and arrays stay a few tens of MB.
BATCH_SENTENCES = 1_000
TABLES = ("sentences", "scores", "actor-mentions", "argument-units", "recommendations", "sources")


@dataclass
class StreamStats:
    """What a streamed run processed, and how long each stage took (seconds)."""

    articles: int = 0
    sentences: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds


class _Appender:
    """CSV files in a folder, each written with its header once and appended batch by batch."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.columns: dict[str, list[str]] = {}

    def write(self, name: str, frame: pd.DataFrame) -> None:
        path = self.folder / f"{name}.csv"
        first = name not in self.columns
        if first:
            self.columns[name] = list(frame.columns)
        with path.open("w" if first else "a", newline="", encoding="utf-8") as handle:
            frame.reindex(columns=self.columns[name]).to_csv(handle, index=False, header=first,
                                                              lineterminator="\n", quoting=csv.QUOTE_MINIMAL)


def _timed(stats: StreamStats, stage: str, function, *args):
    started = time.perf_counter()
    result = function(*args)
    stats.add(stage, time.perf_counter() - started)
    return result


def process_batch(articles: list[dict], sentences: pd.DataFrame, scorer: str, gazetteer: actors.Gazetteer,
                  stats: StreamStats) -> dict[str, pd.DataFrame]:
    """All per-sentence tables of one batch of whole articles."""
    texts = sentences["text"].tolist()
    scores = sentences[["doc_id", "sent_id"]].copy()
    scores[scorer] = _timed(stats, "sentiment", scorers.score, scorer, texts).round(4)
    mentions = _timed(stats, "actors", actors.find_mentions, sentences, gazetteer)
    with nlp.load().memory_zone():  # spaCy forgets this batch's strings afterwards: its vocabulary stays flat
        parsed = _timed(stats, "parse", nlp.parse, texts)
        recs = _timed(stats, "recommendations", recommendations.extract, sentences, gazetteer, parsed)
        cited = _timed(stats, "sources", sources.extract, sentences, parsed)
        del parsed
    markers = _timed(stats, "stance", stance.stance_markers, sentences)
    kinds = _timed(stats, "evidence", evidence.classify, texts)
    titles = {a["doc_id"]: a.get("title") or "" for a in articles}
    units = _timed(stats, "roles", arguments.argument_units, sentences, kinds, markers, recs, cited, titles)
    return {"sentences": sentences.drop(columns=["text"]), "scores": scores, "actor-mentions": mentions,
            "argument-units": units, "recommendations": recs, "sources": cited}


def run(corpus_dir: str | Path, out_dir: str | Path, scorer: str = "accurate", actors_file: str = "",
        batch_sentences: int = BATCH_SENTENCES, log=None) -> StreamStats:
    """Stream the per-sentence pipeline over ``corpus_dir`` into CSV files in ``out_dir`` (see :data:`TABLES`).

    Articles are processed in batches of whole articles holding at least ``batch_sentences`` sentences (the
    last one may hold fewer); ``log`` receives a progress line after each batch."""
    scorers.check_names([scorer])
    gazetteer = actors.load_gazetteer(actors_file)
    folder = resolve(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    if any((folder / f"{name}.csv").exists() for name in TABLES):
        raise InputError("output folder already holds pipeline tables; choose an empty folder", folder)
    appender, stats = _Appender(folder), StreamStats()
    batch_articles_rows, batch_rows = [], []
    started = time.perf_counter()
    reading = iter_articles(corpus_dir)

    def flush():
        if batch_rows:
            tables = process_batch(batch_articles_rows, pd.DataFrame(batch_rows), scorer, gazetteer, stats)
            for name, frame in tables.items():
                appender.write(name, frame)
        stats.articles += len(batch_articles_rows)
        stats.sentences += len(batch_rows)
        batch_articles_rows.clear()
        batch_rows.clear()
        if log:
            log(f"{stats.articles:,} articles, {stats.sentences:,} sentences, {time.perf_counter() - started:.0f} s")

    with cache.suspended():  # a streamed corpus is read once: nothing to keep for a rerun
        while True:
            read_started = time.perf_counter()
            item = next(reading, None)
            stats.add("load, clean, segment", time.perf_counter() - read_started)
            if item is None:
                break
            record, _, sentences, _, _ = item
            batch_articles_rows.append(record)
            batch_rows.extend(sentences)
            if len(batch_rows) >= batch_sentences:
                flush()
        flush()
    stats.add("total", time.perf_counter() - started)
    return stats
