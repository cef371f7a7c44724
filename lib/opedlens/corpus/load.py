"""Load a corpus: a folder of op-eds (``.txt``, ``.md``, ``.html``) plus an optional ``manifest.csv``, or one table
of articles (``.csv``, ``.jsonl``, ``.parquet``; see :mod:`opedlens.corpus.formats`).

``load_corpus`` reads every file strictly (UTF-8, with or without BOM, LF or CRLF), cleans it, segments it and
returns tidy tables keyed by stable ids:

- ``articles``: one row per article, metadata from the manifest, or from the text where the manifest is silent;
- ``paragraphs``: kept paragraphs (``kind`` is ``body`` or ``heading``);
- ``sentences``: body sentences;
- ``removed``: every piece of the file that is not body text, with the rule that removed it;
- ``skipped``: every other entry of the folder, with the reason it was not read (hidden, a subfolder, not a
  ``.txt`` file, not a regular file, a second name for a file already read).

Only what lies inside the corpus folder is read: a manifest row or a symbolic link that leads outside it is an
error naming it, and every file is size-checked before it is read (:mod:`opedlens.inputs`).

Offsets are character offsets into the decoded file (a BOM, if present, is character 0), so
``raw[start:end] == text`` for every paragraph, sentence and removal. Any bad input raises
:class:`~opedlens.errors.InputError` naming the file.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import pandas as pd

from opedlens import interrupt
from opedlens.corpus import clean, formats, segment
from opedlens.errors import InputError
from opedlens.inputs import inside, kind_of, read_bytes
from opedlens.paths import portable, resolve

MANIFEST_NAME = "manifest.csv"
REQUIRED_COLUMNS = ("doc_id", "file")
METADATA_COLUMNS = ("title", "author", "affiliation", "outlet", "date", "date_inferred", "language", "source_note")
DOC_ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")  # short, lowercase, safe in file names, URLs and HTML ids
DATE_PATTERN = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")  # YYYY, YYYY-MM or YYYY-MM-DD
TRUE_WORDS, FALSE_WORDS = {"true", "yes", "1", "y"}, {"false", "no", "0", "n", ""}
ARTICLE_SUFFIXES = formats.ARTICLE_SUFFIXES
SKIPPED_COLUMNS = ["file", "reason"]
# Control characters (besides tab and line breaks) have no place in a manifest cell, and would reach the pages.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: ``progress(done, total, sentences, current file)``, called after each article.
Progress = Callable[[int, int, int, str], None]


@dataclass(frozen=True)
class Corpus:
    """The loaded corpus: its tidy tables and the raw text each offset points into."""

    articles: pd.DataFrame
    paragraphs: pd.DataFrame
    sentences: pd.DataFrame
    removed: pd.DataFrame
    raw: dict[str, str]
    folder: Path
    skipped: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SKIPPED_COLUMNS))

    @property
    def doc_ids(self) -> list[str]:
        return self.articles["doc_id"].tolist()


# --- reading files ---------------------------------------------------------------------------------------------


def decode(data: bytes, path: Path) -> str:
    """Decode one file's bytes as strict UTF-8, keeping a BOM as character 0; refuse empty, binary, UTF-16/32 or
    undecodable files, saying which."""
    if not data:
        raise InputError("file is empty", path)
    for bom, name in ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                      (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16")):
        if data.startswith(bom):
            raise InputError(f"file is {name} text (it starts with a {name} byte-order mark); opedlens reads UTF-8: "
                             f"re-save it as UTF-8 (e.g. iconv -f {name} -t UTF-8)", path)
    nul = data.find(b"\x00")
    if nul >= 0:
        sample = data[:4096]
        if len(sample) >= 4 and sample.count(b"\x00") * 3 >= len(sample):
            raise InputError("file looks like UTF-16 or UTF-32 text without a byte-order mark (every other byte is "
                             "NUL); re-save it as UTF-8", path)
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


def read_text(path: Path) -> str:
    """One article file, size-checked (:func:`opedlens.inputs.read_bytes`) and decoded (:func:`decode`)."""
    return decode(read_bytes(path, "article file"), path)


def newline_style(raw: str) -> str:
    """``LF``, ``CRLF``, ``CR``, ``mixed`` or ``none``: how the file ends its lines."""
    crlf = raw.count("\r\n")
    lf, cr = raw.count("\n") - crlf, raw.count("\r") - crlf
    styles = [name for name, n in (("CRLF", crlf), ("LF", lf), ("CR", cr)) if n]
    return styles[0] if len(styles) == 1 else ("mixed" if styles else "none")


# --- the manifest ----------------------------------------------------------------------------------------------


def _real_date(text: str) -> bool:
    """Whether ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` names a day, month or year of the calendar."""
    if not DATE_PATTERN.fullmatch(text):
        return False
    year, month, day = (list(map(int, text.split("-"))) + [1, 1])[:3]
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _manifest_file(folder: Path, file: str, where: str, path: Path) -> Path:
    """The article file a manifest row names: inside the corpus folder, a regular file, or an error naming the row."""
    if not file:
        raise InputError(f"{where}: the file column is empty", path)
    if Path(file).is_absolute() or file.startswith("~"):
        raise InputError(f"{where}: file {file!r} is an absolute path; give the file's name inside the corpus "
                         f"folder {folder}", path)
    target = folder / file
    try:
        escapes = not inside(target, folder)
    except RuntimeError:
        raise InputError(f"{where}: file {file!r} is a symbolic link that loops", path) from None
    if escapes:
        raise InputError(f"{where}: file {file!r} leads outside the corpus folder {folder}; only files inside it "
                         "are read (copy the article into the folder)", path)
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        raise InputError(f"{where}: file {file!r} not found in {folder}", path) from None
    except OSError as err:
        raise InputError(f"{where}: file {file!r} cannot be read ({err.strerror})", path) from None
    if not stat.S_ISREG(mode):
        raise InputError(f"{where}: file {file!r} is {kind_of(mode)}, not a regular file", path)
    return target


def read_manifest(path: Path, folder: Path) -> list[dict[str, str]]:
    """Read and check a manifest: required and unique columns, valid unique doc_ids, files inside the folder
    that exist (each once), real dates, flags, no control characters. Errors name the line."""
    text = read_bytes(path, "manifest")
    try:
        text = text.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"manifest is not valid UTF-8 (byte offset {err.start})", path) from None
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, [])
        columns = [c.strip() for c in header]
        records = [(reader.line_num, cells) for cells in reader]
    except csv.Error as err:
        raise InputError(f"manifest is not a readable CSV file ({err})", path) from None
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise InputError(
            f"manifest is missing required column(s): {', '.join(missing)} (it has: {', '.join(columns) or 'none'})",
            path,
        )
    repeated = sorted({c for c in columns if c and columns.count(c) > 1})
    if repeated:
        raise InputError(f"manifest has the column {repeated[0]!r} more than once (columns "
                         f"{', '.join(str(i + 1) for i, c in enumerate(columns) if c == repeated[0])})", path)
    rows: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    seen_files: dict[tuple[int, int], tuple[int, str]] = {}
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue  # a blank row
        where = f"line {line}"
        if len(cells) > len(columns):
            raise InputError(f"{where}: {len(cells)} fields but the header has {len(columns)} columns", path)
        row = {column: (cell or "").strip() for column, cell in zip(columns, cells) if column}
        row |= {column: "" for column in columns if column and column not in row}
        for column, value in row.items():
            bad = _CONTROL.search(value)
            if bad:
                raise InputError(f"{where}, column {column}: holds the control character "
                                 f"U+{ord(bad.group()):04X}; remove it", path)
        doc_id, file = row["doc_id"], row["file"]
        if not DOC_ID_PATTERN.fullmatch(doc_id):
            raise InputError(
                f"{where}: doc_id {doc_id!r} must be lowercase letters, digits, '-' or '_' (e.g. ha-2019-hill)", path
            )
        if doc_id in seen:
            raise InputError(f"duplicate doc_id {doc_id!r} (lines {seen[doc_id]} and {line})", path)
        seen[doc_id] = line
        target = _manifest_file(folder, file, where, path)
        info = target.stat()
        key = (info.st_dev, info.st_ino)
        if key in seen_files:
            first_line, first_file = seen_files[key]
            same = "listed twice" if first_file == file else f"the same file as {first_file!r} (line {first_line})"
            raise InputError(f"{where}: file {file!r} is {same}; list each article once", path)
        seen_files[key] = (line, file)
        if row.get("date") and not _real_date(row["date"]):
            raise InputError(f"{where}: date {row['date']!r} is not a real date as YYYY, YYYY-MM or YYYY-MM-DD", path)
        flag = row.get("date_inferred", "").lower()
        if flag not in TRUE_WORDS | FALSE_WORDS:
            raise InputError(f"{where}: date_inferred {row['date_inferred']!r} is not true or false", path)
        rows.append(row)
    return rows


def slugify(stem: str) -> str:
    """A doc_id for a file without a manifest row: its name, lowercased, with runs of other characters as '-'."""
    slug = re.sub(r"[^a-z0-9_]+", "-", stem.lower()).strip("-_")
    return slug or "doc"


# --- building the tables ---------------------------------------------------------------------------------------


def _article_row(doc_id: str, path: Path, raw: str, data: bytes, row: dict[str, str], found: clean.TextMetadata,
                 extracted: formats.Extracted | None = None) -> dict:
    """One ``articles`` row: manifest values first, then what the text (or the page's metadata) says, recording
    which came from the text."""
    record: dict[str, object] = {"doc_id": doc_id, "file": row.get("file") or path.name, "source": portable(path)}
    page = extracted.metadata if extracted is not None else {}
    from_text = []
    for column in ("title", "author", "affiliation", "outlet", "date"):
        value = row.get(column, "")
        if not value and (getattr(found, column) or page.get(column)):
            value = getattr(found, column) or page.get(column)
            from_text.append(column)
        record[column] = value or None
    record["date_inferred"] = row.get("date_inferred", "").lower() in TRUE_WORDS
    record["language"] = row.get("language") or "und"
    record["source_note"] = row.get("source_note") or None
    record["bio"] = found.bio
    record["metadata_from_text"] = ";".join(from_text)
    record["has_bom"] = raw.startswith("\ufeff")
    record["newlines"] = newline_style(raw)
    record["sha256"] = hashlib.sha256(data).hexdigest()
    record["format"] = extracted.format if extracted is not None else "text"
    extra = {k: v for k, v in row.items() if k not in (*REQUIRED_COLUMNS, *METADATA_COLUMNS)}
    return record | extra


def _segment_article(doc_id: str, raw: str, blocks: list[clean.Block]) -> tuple[list[dict], list[dict]]:
    """Paragraph and sentence rows for one article, with ids like ``ha-2019-hill.p03.s02``."""
    paragraphs, sentences = [], []
    lines = clean.LineIndex(raw)
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
                    "line": lines.number(start),
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
                "line": lines.number(block.start),
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


def _skip_reason(entry: os.DirEntry, folder: Path) -> str | None:
    """Why a folder entry is not read as an article (None: it is a candidate); a link that leads outside the
    folder is an error, not a skip."""
    name, path = entry.name, folder / entry.name
    if name.startswith("._"):
        return "hidden file (a macOS resource fork)"
    if name.startswith("."):
        return "hidden folder" if entry.is_dir(follow_symlinks=False) else "hidden file"
    if entry.is_symlink():
        try:
            target = path.resolve(strict=True)
        except RuntimeError:
            return "symbolic link that loops"
        except OSError:
            return "symbolic link to a missing file"
        if not inside(target, folder):
            raise InputError(f"symbolic link leading outside the corpus folder (to {target}); only files inside "
                             "the folder are read: copy the article into it", path)
    try:
        mode = path.stat().st_mode
    except OSError as err:
        return f"cannot be read ({err.strerror})"
    if stat.S_ISDIR(mode):
        return "a subfolder: only the corpus folder's own files are read (or those the manifest lists)"
    if not name.lower().endswith(ARTICLE_SUFFIXES):
        suffix = Path(name).suffix or "no extension"
        return f"not an article file ({suffix}): articles are .txt, .md or .html files"
    if not stat.S_ISREG(mode):
        return f"{kind_of(mode)}, not a regular file"
    return None


def _corpus_files(folder: Path, manifest_path: Path | None) -> tuple[list[tuple[str, Path, dict[str, str]]],
                                                                    list[dict]]:
    """(doc_id, path, manifest row) for every article: manifest rows in order, then unlisted files by name; and
    every other entry of the folder with the reason it is skipped."""
    if not str(folder).strip():
        raise InputError("corpus folder is not given (an empty path)")
    if not folder.exists():
        raise InputError("corpus folder does not exist", folder)
    if not folder.is_dir():
        raise InputError("corpus path is not a folder", folder)
    rows = read_manifest(manifest_path, folder) if manifest_path else []
    entries = [(row["doc_id"], folder / row["file"], row) for row in rows]
    owner = {doc_id: path for doc_id, path, _ in entries}
    files = {_identity(path): path for _, path, _ in entries}
    listed = set(files.values())
    skipped: list[dict] = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        path = folder / entry.name
        if entry.name == MANIFEST_NAME or (manifest_path is not None and path.absolute() == manifest_path.absolute()):
            continue
        reason = _skip_reason(entry, folder)
        if reason is None:
            first = files.setdefault(_identity(path), path)
            if first == path and path in listed:
                continue  # listed in the manifest
            if first != path:
                reason = f"the same file as {first.name}"
        if reason is not None:
            skipped.append({"file": entry.name + ("/" if entry.is_dir(follow_symlinks=False) else ""),
                            "reason": reason})
            continue
        doc_id = slugify(path.stem)
        if doc_id in owner:
            raise InputError(f"duplicate doc_id {doc_id!r}: also the id of {owner[doc_id].name}", path)
        owner[doc_id] = path
        entries.append((doc_id, path, {}))
    if not entries:
        raise InputError("no article files in the corpus folder (a corpus is a folder of UTF-8 .txt, .md or .html "
                         "files, or one .csv, .jsonl or .parquet table"
                         + (f"; skipped: {', '.join(s['file'] for s in skipped[:5])}" if skipped else "") + ")", folder)
    return entries, skipped


def _identity(path: Path) -> tuple[int, int]:
    """What makes two names the same file: device and inode (links included)."""
    info = path.stat()
    return info.st_dev, info.st_ino


def _select(entries: list, doc_ids: list[str] | None, folder: Path) -> list:
    if not doc_ids:
        return entries
    if isinstance(doc_ids, str):
        doc_ids = [doc_ids]
    by_id = {entry[0]: entry for entry in entries}
    unknown = [d for d in doc_ids if d not in by_id]
    if unknown:
        raise InputError(f"unknown doc_id(s) {', '.join(map(str, unknown))}; the corpus has: {', '.join(by_id)}",
                         folder)
    return [by_id[d] for d in dict.fromkeys(doc_ids)]


#: Scripts as a message names them (Unicode's name for the others); Japanese mixes three of them, counted as one.
SCRIPTS = {"CJK": "Chinese or Japanese (CJK)", "HANGUL": "Korean (Hangul)", "ARABIC": "Arabic",
           "CYRILLIC": "Cyrillic", "GREEK": "Greek", "HEBREW": "Hebrew", "DEVANAGARI": "Devanagari", "THAI": "Thai"}
_SAME_SCRIPT = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HALFWIDTH": "CJK"}


def _script_of(text: str) -> tuple[str, float]:
    """The commonest script among the letters of ``text`` (LATIN, CJK, CYRILLIC, ...) and its share."""
    counts: dict[str, int] = {}
    for char in text:
        if char.isalpha():
            script = unicodedata.name(char, "UNKNOWN").split(" ")[0]
            script = _SAME_SCRIPT.get(script, script)
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return "none", 0.0
    script = max(counts, key=counts.get)
    return script, counts[script] / sum(counts.values())


def _no_body(raw: str, cleaned: clean.Cleaned, path: Path) -> InputError:
    """Why an article has no body text, in words."""
    script, share = _script_of(raw)
    headings = sum(block.kind == "heading" for block in cleaned.blocks)
    if script not in ("LATIN", "none") and share > 0.5:
        return InputError(f"no English body text: {share:.0%} of its letters are {SCRIPTS.get(script, script.title())} "
                          "script, and opedlens analyses English op-eds (its paragraphs do not end with '.', '!' or "
                          "'?', so they read as headings)", path)
    return InputError(f"no article text left after removing scraping boilerplate: {headings} paragraph(s) read as "
                      "headings (a body paragraph ends with '.', '!', '?' or a closing quote) and "
                      f"{len(cleaned.removed)} line(s) as title, byline or page chrome", path)


def find_manifest(folder: Path, manifest: str | Path | None) -> Path | None:
    """The manifest to use: the one given (which must exist), else ``manifest.csv`` in the folder if it is there
    (it must then be a file inside the folder)."""
    if manifest:
        path = resolve(manifest)
        if not path.exists():
            raise InputError("manifest file does not exist", path)
        return path
    default = folder / MANIFEST_NAME
    if not (default.exists() or default.is_symlink()):
        return None
    if default.is_dir():
        raise InputError(f"{MANIFEST_NAME} is a folder, not a file; rename it or make it the manifest", default)
    try:
        escapes = not inside(default, folder)
    except RuntimeError:
        escapes = True
    if escapes:
        raise InputError(f"{MANIFEST_NAME} leads outside the corpus folder; only files inside it are read", default)
    return default


def _sources(corpus_dir: str | Path, manifest, doc_ids, skipped: list[dict] | None, text_column: str,
             id_column: str):
    """(doc_id, path, bytes, manifest row, name) of every article to read, in order: a folder's files, or a table's
    rows. A file's bytes come as a function that reads them, so listing a large folder holds no text."""
    path = resolve(corpus_dir)
    if formats.is_table(path):
        table = formats.read_table(path, text_column, id_column)
        metadata = [c for c in table.columns if c not in (text_column, id_column)]
        entries = []
        for number, record in enumerate(table.to_dict("records"), start=2):
            doc_id = str(record[id_column]).strip()
            if not DOC_ID_PATTERN.fullmatch(doc_id):
                doc_id = slugify(doc_id) if doc_id else f"row-{number - 1:05d}"
            entries.append((doc_id, number, record))
        seen: dict[str, int] = {}
        for doc_id, number, _ in entries:
            if doc_id in seen:
                raise InputError(f"row {number}: id {doc_id!r} repeats row {seen[doc_id]}'s; ids must be unique", path)
            seen[doc_id] = number
        for doc_id, _, _ in _select([(d, None, None) for d, _, _ in entries], doc_ids, path):
            number, record = next((n, r) for d, n, r in entries if d == doc_id)
            row = {column: str(record[column]) for column in metadata} | {"file": f"{path.name}#row{number}"}
            data = str(record[text_column]).encode("utf-8")
            yield doc_id, path, (lambda data=data: data), row, f"row {number}"
        return
    entries, skips = _corpus_files(path, find_manifest(path, manifest))
    if skipped is not None:
        skipped.extend(skips)
    for doc_id, file, row in _select(entries, doc_ids, path):
        yield doc_id, file, (lambda file=file: read_bytes(file, "article file")), row, file.name


@dataclass
class CleanedArticle:
    """An article read and cleaned but not yet split into sentences (:func:`segment_article` does that): its
    ``articles`` row without the counts segmentation adds, its text, its kept paragraphs and removed rows, and its
    place in the corpus (``number`` of ``total``, read from the entry ``name``)."""

    record: dict
    raw: str
    blocks: list[clean.Block]
    removed: list[dict]
    number: int
    total: int
    name: str


def iter_cleaned(corpus_dir: str | Path, manifest: str | Path | None = None, doc_ids: list[str] | None = None,
                 *, skipped: list[dict] | None = None, text_column: str = "text",
                 id_column: str = "doc_id") -> Iterator[CleanedArticle]:
    """Yield one article at a time, read and cleaned but not segmented (the cheap part of :func:`iter_articles`:
    sentence splitting is most of its time, so :mod:`opedlens.measure.dataset` leaves it to the workers)."""
    sources = list(_sources(corpus_dir, manifest, doc_ids, skipped, text_column, id_column))
    seen: dict[str, str] = {}
    for number, (doc_id, path, read, row, name) in enumerate(sources, start=1):
        interrupt.check()
        data = read()
        where = path if name == path.name else Path(f"{path}#{name.replace(' ', '')}")
        digest = hashlib.sha256(data).hexdigest()
        if digest in seen:
            if row:
                raise InputError(f"same text as {seen[digest]} (the manifest lists both); list each article once",
                                 where)
            if skipped is not None:
                skipped.append({"file": name, "reason": f"the same text as {seen[digest]}"})
            continue
        seen[digest] = name
        extracted = formats.extract(decode(data, where), where)
        raw = extracted.text
        cleaned = clean.clean(raw, title=row.get("title") or extracted.metadata.get("title"))
        if not any(block.kind == "body" for block in cleaned.blocks):
            raise _no_body(raw, cleaned, where)
        record = _article_row(doc_id, path, raw, data, row, cleaned.metadata, extracted)
        yield CleanedArticle(record, raw, list(cleaned.blocks), _removed_rows(doc_id, cleaned.removed), number,
                             len(sources), name)


def segment_article(record: dict, raw: str, blocks: list[clean.Block]) -> tuple[dict, list[dict], list[dict]]:
    """A cleaned article's (see :class:`CleanedArticle`) full ``articles`` row (with its paragraph, heading, sentence
    and word counts), its paragraph rows and its sentence rows."""
    paras, sents = _segment_article(record["doc_id"], raw, blocks)
    record = record | {
        "n_paragraphs": sum(p["kind"] == "body" for p in paras),
        "n_headings": sum(p["kind"] == "heading" for p in paras),
        "n_sentences": len(sents),
        "n_words": sum(s["n_words"] for s in sents),
    }
    return record, paras, sents


def iter_articles(corpus_dir: str | Path, manifest: str | Path | None = None, doc_ids: list[str] | None = None,
                  *, skipped: list[dict] | None = None, progress: Progress | None = None, text_column: str = "text",
                  id_column: str = "doc_id"):
    """Yield one cleaned, segmented article at a time: (articles row, paragraph rows, sentence rows, removed rows,
    raw text).

    Memory stays flat however large the corpus: :func:`load_corpus` collects these into tables, and
    :mod:`opedlens.measure.dataset` measures them batch by batch. Files not read are appended to ``skipped`` (file,
    reason), including an unlisted file whose bytes repeat an earlier article's; ``progress`` is called after
    each article. A table corpus takes its text and ids from ``text_column`` and ``id_column``."""
    n_sentences = 0
    for article in iter_cleaned(corpus_dir, manifest, doc_ids, skipped=skipped, text_column=text_column,
                                id_column=id_column):
        record, paras, sents = segment_article(article.record, article.raw, article.blocks)
        n_sentences += len(sents)
        if progress is not None:
            progress(article.number, article.total, n_sentences, article.name)
        yield record, paras, sents, article.removed, article.raw


def load_corpus(
    corpus_dir: str | Path, manifest: str | Path | None = None, doc_ids: list[str] | None = None,
    progress: Progress | None = None, text_column: str = "text", id_column: str = "doc_id",
) -> Corpus:
    """Load, clean and segment every article of a corpus folder or table (relative paths: see
    ``opedlens.paths.resolve``); ``progress(done, total, sentences, file)`` is called after each article; a table
    takes its text and ids from ``text_column`` and ``id_column``."""
    if corpus_dir is None or not str(corpus_dir).strip():
        raise InputError("corpus folder is not given (corpus_dir is empty); name a folder of .txt op-eds")
    folder = resolve(corpus_dir)
    articles, paragraphs, sentences, removed, raws, skipped = [], [], [], [], {}, []
    for record, paras, sents, removals, raw in iter_articles(folder, manifest, doc_ids, skipped=skipped,
                                                             progress=progress, text_column=text_column,
                                                             id_column=id_column):
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
        skipped=pd.DataFrame(skipped, columns=SKIPPED_COLUMNS),
    )
