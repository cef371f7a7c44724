"""Boilerplate removal for scraped op-eds, with an audit of everything removed.

:func:`clean` never rewrites the text; it only classifies spans of ``raw``. Kept paragraphs become
:class:`Block` s (``body`` or ``heading``); everything else becomes a :class:`Removal` that names the rule
(a key of :data:`RULES`) and where its information went (``dropped`` or a :class:`TextMetadata` field).
Every non-whitespace character of ``raw`` (a leading BOM counts as whitespace) lies in exactly one Block or
Removal, and ``raw[x.start:x.end] == x.text`` for each of them.

The article is read as a header (title, byline, date, credits, page chrome) up to the first line that is none
of those, then the body, then a trailer (tags, navigation) scanned back from the end; the last kept paragraph
before the trailer is the author bio when it introduces someone. Page-chrome rules (print buttons, photo
credits, navigation links, "Follow … on Twitter") apply anywhere.
"""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass

from opedlens.corpus.segment import CLOSERS, count_words, normalize_space, split_sentences

RULES: dict[str, str] = {
    "print-button": "page chrome made only of UI words (print, share, email, tweet, save, comments, social network "
                    "names, 'Link copied', 'Skip to content')",
    "photo-credit": "a short line that is only an image credit (Getty Images, AP Photo/…, Photo: Reuters)",
    "photo-caption": "an image caption: a two-line paragraph of a sentence above an image credit, or above a short "
                     "credit in title case without punctuation ('… Pickett.' / 'Encyclopedia Virginia')",
    "bare-url": "a line that is only a web address or a DOI",
    "markup": "Markdown marks scraped with the page: a line of only '#', '-', '*' or '>' marks, and the '## ' that "
              "opens a heading (the heading's words stay)",
    "bullet-metadata": "a short bullet line before the body: date, byline/outlet or source label",
    "dateline": "a line before the body that is only a publication date",
    "byline": "a line before the body reading 'By <Name>[, <Outlet>]'",
    "title": "the headline: the manifest's title where the text has it, else the first headline-like line before the "
             "body (short, and either without a final period or standing alone as the page's first line)",
    "kicker": "a short label above the headline (a section name such as 'Opinion')",
    "tag-list": "a 'Tags …'/'Topics …' keyword line, or short keyword bullets after the article",
    "related-links": "a short navigation line (More … News, See all, Read more, Related, Advertisement)",
    "social-follow": "a 'Follow … on Twitter/X/Facebook … @handle' line or sentence, or a bare '@handle' line",
    "call-to-action": "a line that only asks the reader to click, join, follow, sign up or subscribe ('CLICK HERE TO "
                      "JOIN …', 'Click here.')",
    "author-bio": "the closing paragraph that introduces the author ('<Name> is a …')",
    "author-credit": "a line after the article naming its author and affiliation ('Roger J. Kreuz, University of "
                     "Memphis')",
    "disclosure": "a closing funding or conflict-of-interest statement ('… does not work for, consult, own shares in "
                  "…', '… receives funding from …', 'Disclosure: …')",
    "end-matter": "a heading after the article that opens the page's end matter (Author, About the author, "
                  "Disclosure statement, Partners, DOI, Events, Comments, Newsletter), and everything after it",
}

# One line of raw text with its terminator (CRLF, CR or LF), or a last line without one.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|[\r\n])|[^\r\n]+\Z")
# A line terminator.
_NEWLINE = re.compile(r"\r\n|[\r\n]")
# A line of UI words only: "Print PRINT", "Share Tweet Email", "12 Comments".
_PRINT_BUTTON = re.compile(
    r"(?:\d*\s*(?:(?:print|share|e-?mail|tweet|save|comments?|facebook|twitter|x\s*\(twitter\)|linkedin|whatsapp"
    r"|reddit|bluesky|messenger|telegram|threads|mastodon|pinterest|flipboard|copy\s+link|link\s+copied"
    r"|skip\s+to\s+(?:main\s+)?content|skip\s+navigation)(?:\s+(?:this\s+)?(?:article|story|page|link))?)"
    r"(?!\w)[\s|/·•,]*)+",
    re.I,
)
# A news or photo agency named in image credits.
_AGENCY = (
    r"(?:AP(?:\s+Photo)?|AFP|Reuters|Getty(?:\s+Images)?|EPA(?:-EFE)?|Shutterstock|iStock(?:photo)?"
    r"|Bloomberg|Kyodo|Xinhua|Yonhap|Alamy|Corbis|NurPhoto)"
)
# An image credit, optionally in parentheses: "Getty Images/iStockphoto", "AP Photo/Ahn Young-joon",
# "Bloomberg via Getty Images", "REUTERS/Kim Kyung-Hoon", "Photo: Reuters", "Image credit: Shutterstock".
_PHOTO_CREDIT = re.compile(
    rf"""\(?(?:
        (?:[\w.’'/-]+(?:\s+[\w.’'/-]+){{0,3}}\s+(?:via|for)\s+)?{_AGENCY}(?:\s*/\s*[\w.’' -]+)*
      | (?:(?:photo(?:graph)?|image|picture|illustration)(?:\s+credit)?|credit)\s*(?::|\bby\b)\s*\S.*
    )\)?\.?""",
    re.I | re.X,
)
# A navigation line: "More International News", "More from The Hill", "See All", "Read more", "Related:".
_RELATED = re.compile(
    r"""(?:
        (?:see|view)\s+all\b.* | more\s+(?:from|on|in|about)\s+.+
      | more\s+(?:\S+\s+){0,3}(?:news|stories|articles|coverage|videos?|opinion|headlines)
      | read\s+(?:more|next|also)\b.* | related(?:\s+(?:articles?|stories|content|coverage|links|reading))?
      | recommended(?:\s+for\s+you)? | most\s+(?:popular|read|viewed|shared) | trending(?:\s+now)?
      | advertisement | sponsored(?:\s+content)? | you\s+may\s+also\s+like
    )\s*:?(?<![.!?])""",
    re.I | re.X,
)
# A social network a "Follow" line points to.
_PLATFORM = r"(?:Twitter|X|Facebook|Instagram|LinkedIn|Threads|Bluesky|Mastodon)"
# A follow sentence: "Follow him on Twitter @MatJunsuk.", "Follow FDD on Twitter @FDD and @FDD_CMPP.",
# "Follow @jdoe on X", "Follow Jane Doe on Twitter and Facebook: @jdoe".
_FOLLOW = re.compile(
    rf"""[Ff]ollow\s+(?:him|her|them|us|me|@\w+|[A-Z][\w.&’'-]*(?:\s+[A-Z][\w.&’'-]*){{0,3}})
        \s+on\s+{_PLATFORM}(?:\s*(?:,|and|or)\s*{_PLATFORM})*
        (?:\s*(?:at\s+|:\s*)?@\w+(?:\s*(?:,|and|or)\s*@\w+)*)?\s*[.!]?""",
    re.X,
)
# A line that only asks the reader to act on the page: "CLICK HERE TO JOIN TODD'S CLUB", "Click here.", "Sign up for
# our newsletter", "Subscribe now", "Download our app".
_CALL_TO_ACTION = re.compile(
    r"""(?:(?:click|tap)\s+here\b.*|(?:sign\s+up|subscribe|register)\b(?:\s+(?:now|today|for|to)\b.*)?
      |(?:download|get)\s+(?:our|the)\s+app\b.*|join\s+(?:us|the\s+conversation)\s+on\b.*)[.!]?""",
    re.I | re.X,
)
# A bare handle on its own line: "@toddstarnes".
_HANDLE = re.compile(r"@\w{2,30}[.!]?")
# A keyword line: "Tags Donald Trump …", "Topics: Japan, Korea", "Filed under Asia", "Related topics: …".
_TAG_LINE = re.compile(r"(?:tags?|tagged(?:\s+with)?|topics|filed\s+under|related\s+topics)\b\s*:?(?:\s+\S.*)?", re.I)
# A bulleted line, the item in group "item": "• September 12, 2019", "· English Press", "- Ukraine".
_BULLET = re.compile(r"(?:[•·▪‣◦●]\s*|[-*]\s+|o\s+(?=[A-Z]))(?P<item>.*)")
# A month name or abbreviation ("Sept.", "September").
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# A line that is only a date, optionally labelled, with weekday or time: "September 12, 2019",
# "Published Sept. 12, 2019 5:00 AM ET", "Thursday 12 September 2019".
_DATE_LINE = re.compile(
    rf"""(?:(?:published|updated|posted)(?:\s+on)?\s*:?\s*)?(?:[A-Z][a-z]+day,?\s+)?
        (?:(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?|(?P<day2>\d{{1,2}})\s+(?P<month2>{_MONTH}),?)
        \s+(?P<year>\d{{4}})(?:\s*(?:,|at|\||-|–)?\s*\d{{1,2}}[:.]\d{{2}}[^.!?]{{0,30}})?""",
    re.X | re.I,
)
# A dateline opening a paragraph: "September 12, 2019 — Tokyo and Seoul ...": only the date goes.
_DATE_PREFIX = re.compile(rf"(?P<date>{_DATE_LINE.pattern})\s*(?:—|–|-|:|\|)\s+(?=\S)", re.X | re.I)
# "By" opening a byline.
_BY = re.compile(r"[Bb][Yy]:?\s+")
# What separates an author from an outlet in a byline: a comma, a bar or a dash.
_BYLINE_SEP = re.compile(r"\s*(?:[,|]|\s[—–-])\s*")
# A list of personal names: "Jane Doe", "Jane Doe and John Roe", "JANE DOE".
_NAMES = re.compile(r"[A-ZÀ-Þ][\w.’'-]*(?:\s+(?:and\s+|&\s+)?[A-ZÀ-Þ][\w.’'-]*)*")
# A byline piece that is a role, not an outlet: "Opinion Contributor", "Staff Writer".
_ROLE = re.compile(r"contributor|columnist|correspondent|editor|writer|reporter|staff|\d", re.I)
# The opening of an author bio: "Mathew Ha is a …", "Satohiro Akimoto is president of …", "The author is …".
_BIO = re.compile(
    r"""(?!The\s)(?P<name>[A-ZÀ-Þ][\w.’'-]*(?:\s+[A-ZÀ-Þ][\w.’'-]*){1,3}),?\s+(?:is|was|serves\s+as|has\s+been)
        \s+(?=(?:a|an|the|(?:[\w-]+\s+){1,3}(?:of|at|for|with))\s)
      | The\s+(?:author|writer)s?\s+(?:is|was|are)\s""",
    re.X,
)
# An organisation after at/of/with/for (the): capitalized words, joined by "of", "for the", "and", ...
# ("at the Foundation for the Defense of Democracies", "of the Sasakawa Peace Foundation USA").
_ORG = re.compile(
    r"""\b(?:at|of|with|for)\s+(?:the\s+)?
        (?P<org>[A-Z](?:[\w&’'-]|\.\w)*(?:\s+(?:(?:of|for|on|and|the|de|&)\s+)*[A-Z](?:[\w&’'-]|\.\w)*)*)""",
    re.X,
)
# A word that marks a name as an organisation.
_ORG_WORD = re.compile(
    r"\b(?:University|College|Institute|Institution|Foundation|Center|Centre|Council|School|Society|Association"
    r"|Academy|Endowment|Fund|Program|Forum|Initiative|Project|Studies|Agency|Ministry|Department|Bank|Group"
    r"|Company|Corporation|Commission|Committee|Alliance|Trust|Network|Times|Post|Journal)\b"
)
# A line that is only a web address or a DOI.
_URL_LINE = re.compile(r"(?:https?://|www\.)\S+|doi:\s*\S+", re.I)
# A line of only Markdown marks: "#", "#####", "-", "* * *", ">".
_MARKS_LINE = re.compile(r"[#>*•·_=~|-][#>*•·_=~|\s-]*")
# The marks that open a Markdown heading in scraped text: "## ", and the level ("#" is the headline).
_HEADING_MARKS = re.compile(r"(?P<marks>#{1,6})[ \t]+(?=\S)")
# A heading that opens the page's end matter.
_END_MATTER = re.compile(
    r"""(?:about\s+the\s+authors?|authors?|disclosure(?:\s+statement)?|partners|doi|events|comments?
      |newsletters?|republish(?:\s+this\s+article)?|more\s+events|share\s+this\s+article)\s*:?""",
    re.I | re.X)
# A funding or conflict-of-interest statement: "Jane Doe does not work for, consult, own shares in …",
# "John Roe receives funding from …", "Disclosure: …".
_DISCLOSURE = re.compile(
    r"""(?:[Dd]isclosure(?:\s+statement)?\s*:\s*\S.*
      |(?:[A-ZÀ-Þ][\w.’'-]*\s+){1,4}(?:does\s+not\s+work\s+for|receives?\s+funding\s+from|has\s+received\s+funding
         |has\s+no\s+(?:financial|competing|conflicts?)|declares?\s+no\s+(?:competing|conflicts?)).*)""",
    re.X | re.S)
# A credit line "Name, Affiliation" after the article: "Roger J. Kreuz, University of Memphis".
_CREDIT_LINE = re.compile(r"(?P<name>[A-ZÀ-Þ][\w.’'-]*(?:\s+[A-ZÀ-Þ][\w.’'-]*){1,3}),\s+(?P<org>[A-Z].{2,80})")
# Line rules that apply anywhere: rule -> (pattern matching the whole line, most words the line may have).
_ANYWHERE: dict[str, tuple[re.Pattern[str], int]] = {
    "print-button": (_PRINT_BUTTON, 8),
    "photo-credit": (_PHOTO_CREDIT, 12),
    "related-links": (_RELATED, 8),
    "social-follow": (_FOLLOW, 30),
    "call-to-action": (_CALL_TO_ACTION, 15),
    "social-handle": (_HANDLE, 1),
    "bare-url": (_URL_LINE, 40),
    "markup": (_MARKS_LINE, 0),
}
_RULE_OF = {"social-handle": "social-follow"}  # several patterns, one rule in the audit


@dataclass(frozen=True)
class Block:
    """A kept paragraph: ``raw[start:end] == text``; ``kind`` is ``"body"`` or ``"heading"``."""

    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Removal:
    """A span of raw text that is not body, with the rule that removed it and where its content went."""

    line: int
    start: int
    end: int
    text: str
    rule: str
    destination: str


@dataclass(frozen=True)
class TextMetadata:
    """What the text itself says about the article."""

    title: str | None = None
    author: str | None = None
    affiliation: str | None = None
    bio: str | None = None
    date: str | None = None
    outlet: str | None = None


@dataclass(frozen=True)
class Cleaned:
    """The kept blocks, the removed spans (in text order) and the metadata found in the text."""

    blocks: list[Block]
    removed: list[Removal]
    metadata: TextMetadata


@dataclass(frozen=True)
class _Line:
    """A non-blank line: its number, trimmed span and text, and the paragraph it belongs to."""

    number: int
    start: int
    end: int
    text: str
    para: int


_Label = tuple[str, str]  # (rule, destination)


def _lines(raw: str) -> list[_Line]:
    """The non-blank lines of ``raw``, trimmed of whitespace (and of a leading BOM)."""
    lines: list[_Line] = []
    para = 0
    for number, match in enumerate(_LINE.finditer(raw), 1):
        start, end = match.start(), match.end()
        while start < end and (raw[start].isspace() or (start == 0 and raw[0] == "\ufeff")):
            start += 1
        while end > start and raw[end - 1].isspace():
            end -= 1
        if start == end:
            para += 1
        else:
            lines.append(_Line(number, start, end, raw[start:end], para))
    return lines


def _last_char(text: str) -> str:
    """The last character of ``text`` that is not a closing quote or bracket."""
    return text.rstrip(CLOSERS)[-1:]


def _anywhere_label(text: str) -> _Label | None:
    """The page-chrome rule a line matches, if any."""
    n_words = count_words(text)
    for rule, (pattern, max_words) in _ANYWHERE.items():
        if n_words <= max_words and pattern.fullmatch(text):
            return _RULE_OF.get(rule, rule), "dropped"
    return None


def _is_tag_line(text: str) -> bool:
    """A 'Tags …' keyword line without sentence-final punctuation."""
    return bool(_TAG_LINE.fullmatch(text)) and _last_char(text) not in ".!?"


def _parse_date(text: str) -> str | None:
    """ISO date of a line that is only a date, or None."""
    match = _DATE_LINE.fullmatch(text)
    if not match:
        return None
    month_name = (match["month"] or match["month2"])[:3].lower()
    month = "jan feb mar apr may jun jul aug sep oct nov dec".split().index(month_name) + 1
    try:
        return datetime.date(int(match["year"]), month, int(match["day"] or match["day2"])).isoformat()
    except ValueError:
        return None


def _parse_byline(text: str, bullet: bool) -> tuple[str | None, str | None] | None:
    """(author, outlet) of 'By Jane Doe, The Outlet'; in bullets 'By' is optional (', The Japan Times')."""
    by = _BY.match(text)
    if not by and not bullet:
        return None
    author, *rest = _BYLINE_SEP.split(text[by.end() if by else 0 :], maxsplit=1)
    outlet = _BYLINE_SEP.split(rest[0])[0] if rest else ""
    if author and not _NAMES.fullmatch(author):
        return None
    if not outlet[:1].isupper() or _ROLE.search(outlet) or count_words(outlet) > 6:
        outlet = ""
    if not (by or outlet) or not (author or outlet):
        return None
    return author or None, outlet or None


def _store(meta: dict[str, str], field: str, value: str) -> str:
    """Record ``value`` unless the field is already set; return the removal's destination."""
    if field in meta:
        return "dropped"
    meta[field] = normalize_space(value)
    return field


def _credit_destination(author: str | None, outlet: str | None, meta: dict[str, str]) -> str:
    """Store a byline's author and outlet; the destination names what was stored."""
    stored = [_store(meta, field, value) for field, value in (("author", author), ("outlet", outlet)) if value]
    if "author" in stored:
        return "byline"
    return "outlet" if "outlet" in stored else "dropped"


def _header_label(text: str, meta: dict[str, str]) -> _Label | None:
    """The rule a header line matches (storing what it says in ``meta``), or None for the first body line."""
    bullet = _BULLET.fullmatch(text)
    if bullet and count_words(text) <= 12:
        item = bullet["item"].strip()
        if date := _parse_date(item):
            return "bullet-metadata", _store(meta, "date", date)
        credit = _parse_byline(item, bullet=True)
        return "bullet-metadata", _credit_destination(*credit, meta) if credit else "dropped"
    if _is_tag_line(text):
        return "tag-list", "dropped"
    if date := _parse_date(text):
        return "dateline", _store(meta, "date", date)
    if count_words(text) <= 15 and (credit := _parse_byline(text, bullet=False)):
        return "byline", _credit_destination(*credit, meta)
    if "title" not in meta and count_words(text) <= 25 and _last_char(text) not in ".,;":
        return "title", _store(meta, "title", text)
    return None


def _trailer_label(lines: list[_Line], labels: list[_Label | None], i: int, meta: dict[str, str]) -> _Label | None:
    """The rule a line after the body matches: a keyword line, a short keyword bullet (also when the bullet's mark
    stands on the line above), a disclosure statement, or an author credit "Name, Affiliation"."""
    text = lines[i].text
    bullet = _BULLET.fullmatch(text)
    lone_mark = i > 0 and labels[i - 1] == ("markup", "dropped") and lines[i - 1].text in ("-", "*", "•", "·")
    short = count_words(text) <= 5 and _last_char(text) not in ".!?;:,"
    if _is_tag_line(text) or ((bullet or lone_mark) and short):
        return "tag-list", "dropped"
    if count_words(text) <= 80 and _DISCLOSURE.fullmatch(text):
        return "disclosure", "dropped"
    credit = _CREDIT_LINE.fullmatch(text)
    if credit and count_words(text) <= 14 and _last_char(text) not in ".!?;:," and _ORG_WORD.search(credit["org"]):
        stored = _store(meta, "author", credit["name"])
        meta.setdefault("affiliation", normalize_space(credit["org"]))
        return "author-credit", "byline" if stored == "author" else "dropped"
    return None


def _same_title(text: str, title: str) -> bool:
    """Whether a line is the known headline: the same words, whatever the case, spacing and final punctuation."""
    def norm(value: str) -> str:
        return " ".join(re.sub(r"[^\w\s]", " ", value.lower().replace("’", "'")).split())

    return bool(title) and norm(text) == norm(title)


def _whole_paragraph(lines: list[_Line], first: int, last: int) -> bool:
    """Whether ``lines[first..last]`` (in one paragraph) are all the lines of their paragraph."""
    return ((first == 0 or lines[first - 1].para != lines[first].para)
            and (last + 1 == len(lines) or lines[last + 1].para != lines[last].para))


def _standalone_headline(lines: list[_Line], i: int) -> bool:
    """The page's first line as its headline, however it ends: a short line that is a paragraph of its own and is
    followed by at least two more paragraphs."""
    line = lines[i]
    alone = _whole_paragraph(lines, i, i)
    later = {ln.para for ln in lines[i + 1:]}
    return alone and count_words(line.text) <= 20 and len(later) >= 2 and line.text[:1].isupper()


def _scan_header(lines: list[_Line], labels: list[_Label | None], meta: dict[str, str], title: str | None = None
                 ) -> int:
    """Label header lines; return the index of the first body line. A line that is the known ``title`` (from the
    manifest or the page) is the title wherever it stands in the header, and the first line of the page, standing
    alone, is taken as the title however it ends."""
    first = next((i for i, label in enumerate(labels) if label is None), None)
    known = next((i for i, line in enumerate(lines[:12]) if title and _same_title(line.text, title)), None)
    for i, line in enumerate(lines):
        if labels[i] is None:
            if known is not None and i < known and count_words(line.text) <= 6 and _last_char(line.text) not in ".!?":
                labels[i] = _header_label(line.text, {"title": ""}) or ("kicker", "dropped")
                continue
            if "title" not in meta and title and _same_title(line.text, title):
                labels[i] = ("title", _store(meta, "title", line.text))
                continue
            if "title" not in meta and not title and i == first and _standalone_headline(lines, i):
                labels[i] = ("title", _store(meta, "title", line.text))
                continue
            labels[i] = _header_label(line.text, meta)
            if labels[i] is None:
                return i
    return len(lines)


def _end_matter(lines: list[_Line], labels: list[_Label | None], body_start: int) -> int:
    """Label the page's end matter: from the first end-matter heading (a line of its own paragraph in the second
    half of the page) to the end. Return the index where it starts (``len(lines)`` when there is none)."""
    for i in range(max(body_start + 1, len(lines) // 2), len(lines)):
        if labels[i] is None and _whole_paragraph(lines, i, i) and _END_MATTER.fullmatch(lines[i].text):
            for j in range(i, len(lines)):
                labels[j] = labels[j] or ("end-matter", "dropped")
            return i
    return len(lines)


def _scan_trailer(lines: list[_Line], labels: list[_Label | None], body_start: int, meta: dict[str, str]) -> int:
    """Label trailer lines back from the end; return the index just past the last body line."""
    end = _end_matter(lines, labels, body_start)
    while end > body_start:
        if labels[end - 1] is None:
            labels[end - 1] = _trailer_label(lines, labels, end - 1, meta)
            if labels[end - 1] is None:
                break
        end -= 1
    return end


def _runs(lines: list[_Line], labels: list[_Label | None]) -> list[list[_Line]]:
    """Maximal runs of consecutive kept lines within one paragraph."""
    runs: list[list[_Line]] = []
    previous = None
    for i, line in enumerate(lines):
        if labels[i] is not None:
            continue
        if previous == i - 1 and runs[-1][-1].para == line.para:
            runs[-1].append(line)
        else:
            runs.append([line])
        previous = i
    return runs


def _carve_follow(raw: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """Split ``raw[start:end]`` into maximal pieces of follow sentences (True) and other sentences (False)."""
    if not _FOLLOW.search(raw, start, end):
        return [(start, end, False)]
    pieces: list[tuple[int, int, bool]] = []
    for a, b in split_sentences(raw, start, end):
        follow = bool(_FOLLOW.fullmatch(raw, a, b))
        if pieces and pieces[-1][2] == follow:
            pieces[-1] = (pieces[-1][0], b, follow)
        else:
            pieces.append((a, b, follow))
    return pieces


def line_number(raw: str, offset: int) -> int:
    """The 1-based line of ``raw`` that ``offset`` falls on; lines end with CRLF, CR or LF."""
    return len(_NEWLINE.findall(raw, 0, offset)) + 1


class LineIndex:
    """:func:`line_number` for many offsets of one text: a binary search over where its lines start, so numbering
    every sentence of a long article costs n log n, not n squared."""

    def __init__(self, raw: str):
        self.starts = [match.end() for match in _NEWLINE.finditer(raw)]

    def number(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) + 1


def _removal(raw: str, start: int, end: int, rule: str, destination: str) -> Removal:
    """A Removal of ``raw[start:end]``, numbered by the line it starts on."""
    return Removal(line_number(raw, start), start, end, raw[start:end], rule, destination)


def _is_heading(run: list[_Line]) -> bool:
    """A standalone short line without closing punctuation, in title case unless very short: "The Case for Talks",
    "Why it matters"; not a sentence that merely lacks its period ("We must act now and stop waiting")."""
    text = run[0].text
    if len(run) != 1 or not 0 < count_words(text) <= 10 or _last_char(text) in ".!?:;,":
        return False
    words = [w for w in text.split() if w[:1].isalpha()]
    small = {"a", "an", "the", "and", "or", "but", "of", "for", "to", "in", "on", "at", "by", "with", "as", "is"}
    capitalised = sum(w[0].isupper() for w in words if w.lower() not in small)
    content = sum(1 for w in words if w.lower() not in small)
    return len(words) <= 4 or capitalised >= max(1, content) * 0.6


def _affiliation(bio: str, after: int) -> str | None:
    """The first organisation named after ``at/of/with/for (the)``, preferring names that look like one."""
    orgs = [m["org"].rstrip(".’'") for m in _ORG.finditer(bio, after)]
    return next((org for org in orgs if _ORG_WORD.search(org)), orgs[0] if orgs else None)


# What an author bio says about its subject: a role, a title or an affiliation.
_BIO_ROLE = re.compile(
    r"""\b(?:author|writer|columnist|contributor|editor|journalist|correspondent|reporter|professor|lecturer
      |researcher|research|fellow|scholar|director|president|chair(?:man|woman)?|founder|co-founder|executive
      |analyst|associate|adviser|advisor|consultant|lawyer|attorney|economist|historian|ambassador|minister
      |senator|former|host|commentator|blogger|novelist|doctoral|candidate|student|teaches|served)\b""",
    re.I | re.X)
MAX_BIO_WORDS = 70


def _is_bio(raw: str, run: list[_Line]) -> bool:
    """The closing paragraph introduces the author: "<Name> is a <role> at <organisation> ...", short, with a role
    or an organisation in it (so a concluding paragraph about someone else is not taken for a bio). A follow line
    before it in the same paragraph is set aside first."""
    pieces = [raw[a:b] for a, b, follow in _carve_follow(raw, run[0].start, run[-1].end) if not follow]
    text = normalize_space(" ".join(pieces))
    text = _BULLET.fullmatch(text)["item"] if _BULLET.fullmatch(text) else text
    return bool(_BIO.match(text)) and count_words(text) <= MAX_BIO_WORDS and bool(
        _BIO_ROLE.search(text) or _ORG_WORD.search(text))


def _carve_datelines(raw: str, lines: list[_Line], meta: dict[str, str], within: int = 12
                     ) -> tuple[list[_Line], list[Removal]]:
    """Lines near the top that open with a dateline and go on with text lose only the dateline, which is removed
    (rule ``dateline``) and recorded as the date."""
    out, carved = [], []
    for i, line in enumerate(lines):
        match = _DATE_PREFIX.match(line.text) if i < within else None
        rest = line.text[match.end():] if match else ""
        if match and count_words(rest) >= 6 and (date := _parse_date(match["date"].strip())):
            cut = line.start + match.end()
            carved.append(Removal(line.number, line.start, line.start + len(match["date"].rstrip()),
                                  match["date"].rstrip(), "dateline", _store(meta, "date", date)))
            out.append(_Line(line.number, cut, line.end, raw[cut:line.end], line.para))
        else:
            out.append(line)
    return out, carved


def _carve_heading_marks(raw: str, lines: list[_Line]) -> tuple[list[_Line], list[Removal], set[int], str | None]:
    """Scraped Markdown headings ("## Why it matters"): the marks are removed (rule ``markup``) and the line kept as a
    heading. Returns the lines, the removals, the numbers of the marked lines, and the headline: the first level-1
    heading's words, or the line after a bare "#" (a headline broken across lines)."""
    out, carved, marked, headline = [], [], set(), None
    for i, line in enumerate(lines):
        match = _HEADING_MARKS.match(line.text)
        if line.text == "#" and headline is None and i + 1 < len(lines):
            headline = lines[i + 1].text
        if not match:
            out.append(line)
            continue
        cut = line.start + match.end()
        carved.append(Removal(line.number, line.start, line.start + len(match["marks"]), match["marks"], "markup",
                              "dropped"))
        out.append(_Line(line.number, cut, line.end, raw[cut:line.end], line.para))
        marked.add(line.number)
        if match["marks"] == "#" and headline is None:
            headline = raw[cut:line.end]
    return out, carved, marked, headline


def _label_captions(lines: list[_Line], labels: list[_Label | None]) -> None:
    """An image caption goes with its credit: a paragraph of two lines, a sentence (at most 40 words) above either an
    image credit or a short credit in title case without punctuation ("Encyclopedia Virginia")."""
    for i in range(1, len(lines)):
        above, line = lines[i - 1], lines[i]
        two_lines = above.para == line.para and _whole_paragraph(lines, i - 1, i)
        if not two_lines or labels[i - 1] is not None or count_words(above.text) > 40:
            continue
        words = line.text.split()
        short_credit = (labels[i] is None and _last_char(above.text) in ".!?" and 1 <= len(words) <= 4
                        and _last_char(line.text).isalnum() and all(w[:1].isupper() for w in words))
        if labels[i] == ("photo-credit", "dropped") or short_credit:
            labels[i - 1] = ("photo-caption", "dropped")
            labels[i] = labels[i] or ("photo-caption", "dropped")


def _bio_metadata(bio: str, meta: dict[str, str]) -> None:
    """Record the bio, and the author (unless a byline named one) and affiliation it states."""
    bio = _BULLET.fullmatch(bio)["item"] if _BULLET.fullmatch(bio) else bio
    meta["bio"] = bio
    opening = _BIO.match(bio)
    if opening and opening["name"]:
        meta.setdefault("author", opening["name"])
    if opening and (org := _affiliation(bio, opening.end())):
        meta["affiliation"] = org


def clean(raw: str, title: str | None = None) -> Cleaned:
    """Split ``raw`` into kept blocks and audited removals, and collect the metadata the text states; ``title``, the
    headline as the manifest (or the page) gives it, helps find it in the text."""
    lines = _lines(raw)
    meta: dict[str, str] = {}
    lines, carved = _carve_datelines(raw, lines, meta)
    lines, marks, marked, headline = _carve_heading_marks(raw, lines)
    carved += marks
    labels = [_anywhere_label(line.text) for line in lines]
    _label_captions(lines, labels)
    body_end = _scan_trailer(lines, labels, _scan_header(lines, labels, meta, title or headline), meta)
    removed = carved + [Removal(ln.number, ln.start, ln.end, ln.text, *label) for ln, label in zip(lines, labels)
                        if label]
    runs = _runs(lines[:body_end], labels)
    bio_run = runs[-1] if len(runs) > 1 and _is_bio(raw, runs[-1]) else None
    blocks: list[Block] = []
    for run in runs:
        for a, b, follow in _carve_follow(raw, run[0].start, run[-1].end):
            if follow:
                removed.append(_removal(raw, a, b, "social-follow", "dropped"))
            elif run is bio_run:
                removed.append(_removal(raw, a, b, "author-bio", "bio"))
            else:
                heading = _is_heading(run) or (len(run) == 1 and run[0].number in marked)
                blocks.append(Block("heading" if heading else "body", a, b, raw[a:b]))
    if bio_parts := [r.text for r in removed if r.rule == "author-bio"]:
        _bio_metadata(normalize_space(" ".join(bio_parts)), meta)
    return Cleaned(blocks, sorted(removed, key=lambda r: r.start), TextMetadata(**meta))
