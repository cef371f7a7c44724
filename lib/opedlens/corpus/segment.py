"""Sentence spans and word tokens for cleaned op-ed paragraphs.

The paragraph and sentence tables keep ``text == raw[start:end]`` exactly: offsets always point into the raw
file text, and nothing is rewritten. Analyses see a text only through :func:`normalize_space`, which turns
every run of Unicode whitespace (NBSP and newlines included) into one space and strips the ends; no other
normalization (quotes, dashes, case) is applied.

Sentence boundaries come from pysbd (the Pragmatic Segmenter rules, no model download). Its reported
character spans are not trusted; offsets are recomputed here by searching each segment from a cursor.

pysbd's time grows faster than the length of its input (a 160,000-character line takes 12 s), so a paragraph
longer than :data:`WINDOW` characters is split in windows: each window's sentences but the last are kept, and the
next window starts where that last sentence starts, so every boundary is decided with a sentence of context on
both sides. A run of :data:`WINDOW` characters with no sentence boundary is cut at a space. Time is then linear in
the length of the text.
"""

from __future__ import annotations

import functools
import re

import pysbd

from opedlens import interrupt

#: Paragraphs longer than this many characters are segmented in windows of this size (see the module docstring).
WINDOW = 10_000

# A run of whitespace, any Unicode kind (NBSP, newline, tab, ...).
_SPACE_RUN = re.compile(r"\s+")
# A word: a number with decimal/thousands separators ("3,000", "2.5"), or an initialism with dots ("U.S.")
# or a run of letters/digits, either joined to more runs by internal apostrophes or hyphens ("Kim’s",
# "Self-Defense", "U.S.-led").
_WORD = re.compile(r"\d+(?:[.,]\d+)+|(?:(?:[^\W_]\.){2,}|[^\W_]+)(?:['’-][^\W_]+)*")
# Closing quotes and brackets: they belong to the sentence (or line) before them.
CLOSERS = "”’\"')]»"


@functools.cache
def _segmenter() -> pysbd.Segmenter:
    """The shared English segmenter, built on first use."""
    return _Segmenter(language="en", clean=False)


class _Segmenter(pysbd.Segmenter):
    """pysbd's segmenter, with the same result found faster. After splitting, pysbd looks each sentence up in the
    text with a regular expression made from it (the sentence, escaped, then ``\\s*``): one new pattern to compile
    per sentence, more than Python's cache of compiled patterns holds (7% of `opedlens measure`'s time in a
    profile on real-length articles). A plain string search finds the same spans."""

    def sentences_with_char_spans(self, sentences):
        from pysbd.utils import TextSpan

        text, spans, prior_end = self.original_text, [], 0
        for sentence in sentences:
            span = _first_ending_after(text, sentence, prior_end)
            if span is not None:
                spans.append(TextSpan(text[span[0]:span[1]], *span))
                prior_end = span[1]
        return spans


def _first_ending_after(text: str, sentence: str, prior_end: int) -> tuple[int, int] | None:
    """What pysbd's ``re.finditer(re.escape(sentence) + r"\\s*", text)`` takes: the first of the non-overlapping
    occurrences, each with the whitespace after it, that ends after ``prior_end``."""
    if not sentence:
        return next((m.span() for m in re.finditer(r"\s*", text) if m.end() > prior_end), None)
    position = 0
    while (found := text.find(sentence, position)) >= 0:
        end = found + len(sentence)
        while end < len(text) and text[end].isspace():
            end += 1
        if end > prior_end:
            return found, end
        position = end
    return None


def normalize_space(text: str) -> str:
    """Collapse every run of Unicode whitespace to one space and strip the ends."""
    return _SPACE_RUN.sub(" ", text).strip()


def words(text: str) -> list[str]:
    """Word tokens of ``text`` (``Kim’s``, ``Self-Defense`` and ``U.S.`` are one word each)."""
    return _WORD.findall(text)


def count_words(text: str) -> int:
    """Number of word tokens in ``text``."""
    return len(_WORD.findall(text))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` past whitespace at both ends."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _locate(text: str, segment: str, cursor: int, end: int) -> tuple[int, int] | None:
    """Span of the first occurrence of ``segment`` in ``text[cursor:end]``, any whitespace matching any."""
    found = text.find(segment, cursor, end)
    if found >= 0:
        return found, found + len(segment)
    match = re.compile(r"\s+".join(map(re.escape, segment.split()))).search(text, cursor, end)
    return match.span() if match else None


def _after_closers(text: str, boundary: int, end: int) -> int:
    """Move a boundary past closing quotes/brackets that end the previous sentence (``crossed.” Next``)."""
    stop = boundary
    while stop < end and text[stop] in CLOSERS:
        stop += 1
    if stop > boundary and (stop == end or text[stop].isspace()):
        return stop
    return boundary


def _starts(raw: str, start: int, end: int) -> list[int]:
    """Where pysbd starts each sentence of ``raw[start:end]`` (absolute offsets, the first is ``start``)."""
    boundaries = [start]
    cursor = start
    for segment in _segmenter().segment(normalize_space(raw[start:end])):
        span = _locate(raw, segment.strip(), cursor, end) if segment.strip() else None
        if span is None:
            continue
        if span[0] > boundaries[-1]:
            boundaries.append(_after_closers(raw, span[0], end))
        cursor = span[1]
    return boundaries


def _window_starts(raw: str, start: int, end: int) -> list[int]:
    """:func:`_starts` over a long span, one window of :data:`WINDOW` characters at a time."""
    boundaries = [start]
    cursor = start
    while end - cursor > WINDOW:
        interrupt.check()
        cut = raw.rfind(" ", cursor + WINDOW // 2, cursor + WINDOW)
        cut = cut if cut > cursor else cursor + WINDOW
        starts = _starts(raw, cursor, cut)
        if len(starts) > 1:
            following = starts[-1]  # the window's last sentence may go on past it: decide it in the next window
            boundaries += starts[1:-1] + [following]
        else:
            following = _trim(raw, cut, end)[0]  # no boundary in a whole window: cut at a space
            boundaries.append(following)
        cursor = following
    boundaries += _starts(raw, cursor, end)[1:]
    return boundaries


def split_sentences(raw: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans (absolute offsets into ``raw``) of the paragraph ``raw[start:end]``.

    Spans are trimmed of whitespace and together cover every non-whitespace character of the paragraph, in
    order and without overlap. pysbd sees the paragraph through :func:`normalize_space`, so line breaks and
    runs of spaces inside it do not end sentences. A segment that cannot be located in ``raw`` is merged into
    the sentence before it. Paragraphs longer than :data:`WINDOW` are read in windows (linear time).
    """
    start, end = _trim(raw, start, end)
    if start == end:
        return []
    boundaries = _starts(raw, start, end) if end - start <= WINDOW else _window_starts(raw, start, end)
    boundaries.append(end)
    spans = (_trim(raw, a, b) for a, b in zip(boundaries, boundaries[1:]))
    return [(a, b) for a, b in spans if a < b]
