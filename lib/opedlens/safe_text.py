"""Article text shown as text, never as markup: the one place where the report escapes it.

Articles, manifests and gazetteers are input from outside: a headline, sentence, quote or outlet name may hold
``<script>``, ``<img onerror=…>``, a ``javascript:`` link, raw HTML, Markdown syntax or ``$…$``. Wherever such
text is put into something that is *interpreted* it goes through one of these helpers:

* :func:`markdown_text` — into Markdown (notes and headings shown with ``IPython.display.Markdown``);
* :func:`markdown_code` — into a Markdown code span (ids, labels shown in ``monospace``);
* :func:`html_text` — into HTML (attribute values or element text);
* :data:`FIGURE_RC` — matplotlib settings under which figure labels are drawn as written (no mathtext for
  ``$…$``, no LaTeX), applied by :func:`opedlens.report.plots.set_theme`.

Tables need nothing: pandas escapes cell text when it renders a DataFrame as HTML, and the index page is a
Jinja2 template with autoescaping on.
"""

from __future__ import annotations

import html
import re

#: matplotlib rcParams under which text is drawn literally: ``$`` never starts mathtext, no TeX.
FIGURE_RC = {"text.parse_math": False, "text.usetex": False}

# Every ASCII punctuation character can be backslash-escaped in CommonMark (and in mistune, which renders the
# report); escaping all of them leaves no HTML tag, entity, link, emphasis, list or math delimiter to find.
_MARKDOWN_SPECIAL = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")


def markdown_text(text: object) -> str:
    """``text`` as Markdown that renders exactly as written, on one line (runs of whitespace become one space):
    every ASCII punctuation character gets a backslash, e.g. ``<b>`` becomes ``\\<b\\>``."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def markdown_code(text: object) -> str:
    """``text`` as a Markdown code span (shown in monospace, never interpreted), on one line.

    The fence is one backtick longer than the longest run of backticks inside, so the text cannot close it.
    """
    text = " ".join(str(text).split())
    if not text:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def html_text(text: object) -> str:
    """``text`` escaped for HTML element content or a quoted attribute value."""
    return html.escape(str(text), quote=True)
