"""The article text of the files a corpus may hold: plain text, Markdown, HTML, or one table of many articles.

* ``.txt``: the text as it is (a ``.txt`` that holds an HTML page is read as HTML);
* ``.md`` / ``.markdown``: the text without Markdown's markup: heading marks, emphasis, code marks, link targets
  and images go (a heading's opening marks are left to the cleaner, which removes them and keeps the line as a
  heading); a link keeps its words; paragraphs stay paragraphs; YAML front matter goes, and its title, author
  and date are the article's metadata;
* ``.html`` / ``.htm``: the article's text as trafilatura finds it (a maintained extractor that drops navigation,
  scripts, comments, share buttons and footers), one paragraph a line, and the page's title and author as metadata;
* a table, ``.csv``, ``.jsonl`` or ``.parquet``: one article a row, its text in ``text_column`` and its id in
  ``id_column`` (row numbers when there is none), every other column metadata, as a manifest's.

For Markdown and HTML the offsets of paragraphs and sentences point into the extracted text (what the articles table
records as ``format``), not into the file's bytes; for text files and tables into the text itself.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from opedlens.errors import InputError

TEXT = (".txt",)
MARKDOWN = (".md", ".markdown")
HTML = (".html", ".htm")
ARTICLE_SUFFIXES = TEXT + MARKDOWN + HTML
TABLE_SUFFIXES = (".csv", ".jsonl", ".parquet")
TABLE_LIMIT_FACTOR = 1000  # a table may hold this many times the size limit of one article file

_LOOKS_HTML = re.compile(r"\A\s*(?:<!doctype html|<html\b|<head\b|<body\b)|(?:<p\b[^>]*>.*?</p>.*){3}", re.I | re.S)


@dataclass(frozen=True)
class Extracted:
    """An article's text, the format it came from, and metadata the file states (title, author)."""

    text: str
    format: str
    metadata: dict = field(default_factory=dict)


def kind(path: Path) -> str | None:
    """"text", "markdown" or "html" for an article file's suffix (any case), None for anything else."""
    suffix = path.suffix.lower()
    return "text" if suffix in TEXT else "markdown" if suffix in MARKDOWN else "html" if suffix in HTML else None


def extract(text: str, path: Path) -> Extracted:
    """The article text of a decoded file (see the module docstring)."""
    what = kind(path) or "text"
    if what == "html" or (what == "text" and _LOOKS_HTML.search(text[:20000])):
        return html_article(text, path)
    if what == "markdown":
        body, metadata = front_matter(text)
        return Extracted(markdown_text(body), "markdown", metadata)
    return Extracted(text, "text")


def html_article(html: str, path: Path) -> Extracted:
    """The article in an HTML page, by trafilatura: paragraphs separated by a blank line, title and author."""
    import trafilatura

    found = trafilatura.extract(html, output_format="txt", include_comments=False, include_tables=False,
                                include_images=False, include_links=False, deduplicate=False)
    if not found or not found.strip():
        raise InputError("no article text found in this HTML page (trafilatura found none)", path)
    meta = trafilatura.extract_metadata(html)
    metadata = {key: getattr(meta, key) for key in ("title", "author") if meta is not None and getattr(meta, key, None)}
    paragraphs = [line.strip() for line in found.splitlines() if line.strip()]
    return Extracted("\n\n".join(paragraphs) + "\n", "html", metadata)


# Each rule works within a line: ``[ \t]``, never ``\s``, so a heading or rule never swallows the blank line that
# parts it from the next paragraph.
_MD_RULES = [
    (re.compile(r"^```.*?^```[ \t]*$", re.M | re.S), ""),  # fenced code
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their words
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"^[ \t]{0,3}\[[^\]]+\]:[ \t]+\S.*$", re.M), ""),  # link definitions
    # ATX headings keep their opening marks ("## Why it matters"): the cleaner removes them and keeps a heading
    (re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M), r"\1 \2"),
    (re.compile(r"^[ \t]{0,3}>[ \t]?", re.M), ""),  # block quotes
    (re.compile(r"^[ \t]{0,3}(?:[-*_][ \t]*){3,}$", re.M), ""),  # horizontal rules
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])"), r"\2"),  # emphasis
    (re.compile(r"`([^`]+)`"), r"\1"),  # inline code
    (re.compile(r"<[^>\n]+>"), ""),  # inline HTML tags
]
# YAML front matter (Jekyll, Hugo, a CMS export): a first line "---", the fields, a line "---" (or "...").
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?P<yaml>.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def front_matter(text: str) -> tuple[str, dict]:
    """The text without its YAML front matter, and the title, author and date the front matter states (strings;
    a date only when it is an ISO date). Front matter that is not a YAML mapping is left in the text."""
    import yaml

    match = _FRONT_MATTER.match(text)
    if not match:
        return text, {}
    try:
        fields = yaml.safe_load(match["yaml"])
    except yaml.YAMLError:
        return text, {}
    if not isinstance(fields, dict):
        return text, {}
    found = {key: str(fields[key]).strip() for key in ("title", "author", "date")
             if isinstance(fields.get(key), (str, datetime.date)) and str(fields[key]).strip()}
    if "date" in found and not _ISO_DATE.fullmatch(found["date"][:10]):
        del found["date"]
    elif "date" in found:
        found["date"] = found["date"][:10]
    return text[match.end():], found


def markdown_text(text: str) -> str:
    """Markdown without its markup (see the module docstring); line structure and paragraphs are kept."""
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return text


# --- one table of many articles ----------------------------------------------------------------------------------


def is_table(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in TABLE_SUFFIXES


def read_table(path: Path, text_column: str = "text", id_column: str = "doc_id"):
    """The rows of a corpus table as a DataFrame of strings (missing cells empty), checked: the text column
    exists, ids (the ``id_column``, else row numbers) are unique and usable, no text is empty. Errors name the
    row."""
    import pandas as pd

    from opedlens.inputs import limit_bytes, read_bytes

    data = read_bytes(path, "corpus table", limit=limit_bytes() * TABLE_LIMIT_FACTOR)
    import io

    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
        elif suffix == ".jsonl":
            frame = pd.read_json(io.BytesIO(data), lines=True, dtype=False)
        else:
            frame = pd.read_parquet(io.BytesIO(data))
    except (ValueError, UnicodeDecodeError, OSError) as err:
        raise InputError(f"not a readable {suffix[1:].upper()} table ({str(err).splitlines()[0]})", path) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if text_column not in frame.columns:
        raise InputError(f"no text column {text_column!r} (the table has: {', '.join(frame.columns)}); name it with "
                         "--text-column", path)
    frame = frame.astype(object).where(frame.notna(), "").astype(str)
    if id_column not in frame.columns:
        frame.insert(0, id_column, [f"row-{k:05d}" for k in range(1, len(frame) + 1)])
    return frame
