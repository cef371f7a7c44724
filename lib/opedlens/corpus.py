"""Load a corpus: a folder of ``.txt`` op-eds plus an optional ``manifest.csv``.

``load_corpus`` reads every file strictly (UTF-8, with or without BOM, LF or CRLF), cleans it, segments it and
returns four tidy tables keyed by stable ids:

- ``articles``: one row per article, metadata from the manifest, or from the text where the manifest is silent;
- ``paragraphs``: kept paragraphs (``kind`` is ``body`` or ``heading``);
- ``sentences``: body sentences;
- ``removed``: every piece of the file that is not body text, with the rule that removed it.

Offsets are character offsets into the decoded file (a BOM, if present, is character 0), so
``raw[start:end] == text`` for every paragraph, sentence and removal. Any bad input raises
:class:`~opedlens.errors.InputError` naming the file.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from opedlens import clean, segment
from opedlens.errors import InputError
from opedlens.paths import portable, resolve

MANIFEST_NAME = "manifest.csv"
REQUIRED_COLUMNS = ("doc_id", "file")
METADATA_COLUMNS = ("title", "author", "affiliation", "outlet", "date", "date_inferred", "language", "source_note")
DOC_ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")  # short, lowercase, safe in file names, URLs and HTML ids
DATE_PATTERN = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")  # YYYY, YYYY-MM or YYYY-MM-DD
TRUE_WORDS, FALSE_WORDS = {"true", "yes", "1", "y"}, {"false", "no", "0", "n", ""}


@dataclass(frozen=True)
class Corpus:
    """The loaded corpus: its tidy tables and the raw text each offset points into."""

    articles: pd.DataFrame
    paragraphs: pd.DataFrame
    sentences: pd.DataFrame
    removed: pd.DataFrame
    raw: dict[str, str]
    folder: Path

    @property
    def doc_ids(self) -> list[str]:
        return self.articles["doc_id"].tolist()


# --- reading files ---------------------------------------------------------------------------------------------


def read_text(path: Path) -> str:
    """Decode one file as strict UTF-8, keeping a BOM as character 0; refuse empty, binary or undecodable files."""
    data = path.read_bytes()
    if not data:
        raise InputError("file is empty", path)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"binary file, not text (NUL byte at byte offset {nul})", path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        bad = data[err.start : err.end].hex(" ")
        raise InputError(
            f"not valid UTF-8 at byte offset {err.start} (byte {bad}); re-save the file as UTF-8", path
        ) from None
    if not text.lstrip("\ufeff").strip():
        raise InputError("file contains only whitespace", path)
    return text


def newline_style(raw: str) -> str:
    """``LF``, ``CRLF``, ``CR``, ``mixed`` or ``none``: how the file ends its lines."""
    crlf = raw.count("\r\n")
    lf, cr = raw.count("\n") - crlf, raw.count("\r") - crlf
    styles = [name for name, n in (("CRLF", crlf), ("LF", lf), ("CR", cr)) if n]
    return styles[0] if len(styles) == 1 else ("mixed" if styles else "none")


# --- the manifest ----------------------------------------------------------------------------------------------


def read_manifest(path: Path, folder: Path) -> list[dict[str, str]]:
    """Read and check a manifest: required columns, valid unique doc_ids, files that exist, dates, flags."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = [c.strip() for c in (reader.fieldnames or [])]
            rows = [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in reader]
    except UnicodeDecodeError as err:
        raise InputError(f"manifest is not valid UTF-8 (byte offset {err.start})", path) from None
    except csv.Error as err:
        raise InputError(f"manifest is not a readable CSV file ({err})", path) from None
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise InputError(
            f"manifest is missing required column(s): {', '.join(missing)} (it has: {', '.join(columns) or 'none'})",
            path,
        )
    seen: dict[str, int] = {}
    seen_files: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        where = f"row {number}"
        doc_id, file = row["doc_id"], row["file"]
        if not DOC_ID_PATTERN.fullmatch(doc_id):
            raise InputError(
                f"{where}: doc_id {doc_id!r} must be lowercase letters, digits, '-' or '_' (e.g. ha-2019-hill)", path
            )
        if doc_id in seen:
            raise InputError(f"duplicate doc_id {doc_id!r} (rows {seen[doc_id]} and {number})", path)
        if file in seen_files:
            raise InputError(f"file {file!r} is listed twice (rows {seen_files[file]} and {number})", path)
        seen[doc_id], seen_files[file] = number, number
        if not file or not (folder / file).is_file():
            raise InputError(f"{where}: file {file!r} not found in {folder}", path)
        if row.get("date") and not DATE_PATTERN.fullmatch(row["date"]):
            raise InputError(f"{where}: date {row['date']!r} is not YYYY, YYYY-MM or YYYY-MM-DD", path)
        flag = row.get("date_inferred", "").lower()
        if flag not in TRUE_WORDS | FALSE_WORDS:
            raise InputError(f"{where}: date_inferred {row['date_inferred']!r} is not true or false", path)
    return rows


def slugify(stem: str) -> str:
    """A doc_id for a file without a manifest row: its name, lowercased, with runs of other characters as '-'."""
    slug = re.sub(r"[^a-z0-9_]+", "-", stem.lower()).strip("-_")
    return slug or "doc"


# --- building the tables ---------------------------------------------------------------------------------------


def _article_row(doc_id: str, path: Path, raw: str, row: dict[str, str], found: clean.TextMetadata) -> dict:
    """One ``articles`` row: manifest values first, then what the text says, recording which came from the text."""
    record: dict[str, object] = {"doc_id": doc_id, "file": path.name, "source": portable(path)}
    from_text = []
    for column in ("title", "author", "affiliation", "outlet", "date"):
        value = row.get(column, "")
        if not value and getattr(found, column):
            value = getattr(found, column)
            from_text.append(column)
        record[column] = value or None
    record["date_inferred"] = row.get("date_inferred", "").lower() in TRUE_WORDS
    record["language"] = row.get("language") or "und"
    record["source_note"] = row.get("source_note") or None
    record["bio"] = found.bio
    record["metadata_from_text"] = ";".join(from_text)
    record["has_bom"] = raw.startswith("\ufeff")
    record["newlines"] = newline_style(raw)
    record["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    extra = {k: v for k, v in row.items() if k not in (*REQUIRED_COLUMNS, *METADATA_COLUMNS)}
    return record | extra


def _segment_article(doc_id: str, raw: str, blocks: list[clean.Block]) -> tuple[list[dict], list[dict]]:
    """Paragraph and sentence rows for one article, with ids like ``ha-2019-hill.p03.s02``."""
    paragraphs, sentences = [], []
    for p_index, block in enumerate(blocks, start=1):
        para_id = f"{doc_id}.p{p_index:02d}"
        spans = segment.split_sentences(raw, block.start, block.end) if block.kind == "body" else []
        for s_index, (start, end) in enumerate(spans, start=1):
            text = raw[start:end]
            sentences.append(
                {
                    "doc_id": doc_id,
                    "para_id": para_id,
                    "sent_id": f"{para_id}.s{s_index:02d}",
                    "sent_index": len(sentences) + 1,
                    "start": start,
                    "end": end,
                    "line": clean.line_number(raw, start),
                    "n_words": segment.count_words(text),
                    "text": text,
                }
            )
        paragraphs.append(
            {
                "doc_id": doc_id,
                "para_id": para_id,
                "para_index": p_index,
                "kind": block.kind,
                "start": block.start,
                "end": block.end,
                "line": clean.line_number(raw, block.start),
                "n_sentences": len(spans),
                "n_words": segment.count_words(block.text),
                "text": block.text,
            }
        )
    return paragraphs, sentences


def _removed_rows(doc_id: str, removals: list[clean.Removal]) -> list[dict]:
    return [
        {
            "doc_id": doc_id,
            "line": r.line,
            "start": r.start,
            "end": r.end,
            "rule": r.rule,
            "destination": r.destination,
            "text": r.text,
        }
        for r in removals
    ]


# --- the entry point -------------------------------------------------------------------------------------------


def _corpus_files(folder: Path, manifest_path: Path | None) -> list[tuple[str, Path, dict[str, str]]]:
    """(doc_id, path, manifest row) for every article: manifest rows in order, then unlisted files by name."""
    if not folder.exists():
        raise InputError("corpus folder does not exist", folder)
    if not folder.is_dir():
        raise InputError("corpus path is not a folder", folder)
    texts = sorted(p for p in folder.glob("*.txt") if p.is_file())
    if not texts:
        raise InputError("no .txt files in the corpus folder (a corpus is a folder of UTF-8 .txt files)", folder)
    rows = read_manifest(manifest_path, folder) if manifest_path else []
    listed = {row["file"]: row for row in rows}
    entries = [(row["doc_id"], folder / row["file"], row) for row in rows]
    owner = {doc_id: path for doc_id, path, _ in entries}
    for path in texts:
        if path.name in listed:
            continue
        doc_id = slugify(path.stem)
        if doc_id in owner:
            raise InputError(f"duplicate doc_id {doc_id!r}: also the id of {owner[doc_id].name}", path)
        owner[doc_id] = path
        entries.append((doc_id, path, {}))
    return entries


def _select(entries: list, doc_ids: list[str] | None, folder: Path) -> list:
    if not doc_ids:
        return entries
    by_id = {entry[0]: entry for entry in entries}
    unknown = [d for d in doc_ids if d not in by_id]
    if unknown:
        raise InputError(f"unknown doc_id(s) {', '.join(unknown)}; the corpus has: {', '.join(by_id)}", folder)
    return [by_id[d] for d in dict.fromkeys(doc_ids)]


def find_manifest(folder: Path, manifest: str | Path | None) -> Path | None:
    """The manifest to use: the one given (which must exist), else ``manifest.csv`` in the folder if present."""
    if manifest:
        path = resolve(manifest)
        if not path.is_file():
            raise InputError("manifest file does not exist", path)
        return path
    default = folder / MANIFEST_NAME
    return default if default.is_file() else None


def iter_articles(corpus_dir: str | Path, manifest: str | Path | None = None, doc_ids: list[str] | None = None):
    """Yield one cleaned, segmented article at a time: (articles row, paragraph rows, sentence rows, removed rows).

    Memory stays flat however large the corpus: :func:`load_corpus` collects these into tables, and
    :mod:`opedlens.stream` processes them batch by batch."""
    folder = resolve(corpus_dir)
    for doc_id, path, row in _select(_corpus_files(folder, find_manifest(folder, manifest)), doc_ids, folder):
        raw = read_text(path)
        cleaned = clean.clean(raw)
        if not any(block.kind == "body" for block in cleaned.blocks):
            raise InputError("no article text left after removing scraping boilerplate", path)
        paras, sents = _segment_article(doc_id, raw, cleaned.blocks)
        record = _article_row(doc_id, path, raw, row, cleaned.metadata)
        record |= {
            "n_paragraphs": sum(p["kind"] == "body" for p in paras),
            "n_headings": sum(p["kind"] == "heading" for p in paras),
            "n_sentences": len(sents),
            "n_words": sum(s["n_words"] for s in sents),
        }
        yield record, paras, sents, _removed_rows(doc_id, cleaned.removed), raw


def load_corpus(
    corpus_dir: str | Path, manifest: str | Path | None = None, doc_ids: list[str] | None = None
) -> Corpus:
    """Load, clean and segment every article of a corpus folder (relative paths: see ``opedlens.paths.resolve``)."""
    folder = resolve(corpus_dir)
    articles, paragraphs, sentences, removed, raws = [], [], [], [], {}
    for record, paras, sents, removals, raw in iter_articles(folder, manifest, doc_ids):
        articles.append(record)
        paragraphs += paras
        sentences += sents
        removed += removals
        raws[record["doc_id"]] = raw
    return Corpus(
        articles=pd.DataFrame(articles),
        paragraphs=pd.DataFrame(paragraphs),
        sentences=pd.DataFrame(sentences),
        removed=pd.DataFrame(removed, columns=["doc_id", "line", "start", "end", "rule", "destination", "text"]),
        raw=raws,
        folder=folder,
    )
