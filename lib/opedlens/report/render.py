"""Publish executed notebooks as offline, self-contained HTML pages, plus an index page linking them.

Every notebook is published twice: a reader version (prose, tables and figures, no code) and a with-code
version. Nothing on the pages is loaded from the network: figures are embedded as data URIs and the
template drops the CDN scripts (require.js, MathJax, mermaid, widgets) that nbconvert's ``lab`` template loads.

nbconvert and jinja2 are imported inside the functions that need them, so importing this module is cheap.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opedlens.files import write_atomic
from opedlens.paths import TEMPLATES_DIR

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from jinja2 import Environment
    from nbconvert import HTMLExporter


#: nbconvert template (``templates/opedlens``) for notebook pages, extending nbconvert's ``lab`` template.
NOTEBOOK_TEMPLATE = "opedlens"
INDEX_TEMPLATE = "index_page.html.j2"
CSS_PATH = TEMPLATES_DIR / NOTEBOOK_TEMPLATE / "static" / "opedlens.css"
#: The one script on a notebook page: search boxes and sortable headers for its tables (inlined, no CDN).
TABLES_JS_PATH = TEMPLATES_DIR / NOTEBOOK_TEMPLATE / "static" / "opedlens-tables.js"
#: ``id`` of that script's element, so a check can tell the report's own script from anything else.
TABLES_SCRIPT_ID = "opedlens-tables"

#: Cell tags understood when rendering (same names as Jupyter Book uses).
REMOVE_CELL_TAG = "remove-cell"
REMOVE_INPUT_TAG = "remove-input"
REMOVE_OUTPUT_TAG = "remove-output"
#: papermill's tags for the parameter defaults and the values it injected; hidden in the reader version.
PARAMETER_TAGS = frozenset({"parameters", "injected-parameters"})

SUMMARY_MAX_CHARS = 200

FINDINGS_STEM = "summarize-findings"  # the notebook readers should open first, linked at the top of the index


@dataclass
class IndexEntry:
    """One notebook as listed on the index page; the hrefs are relative to the index page."""

    stem: str
    title: str
    summary: str
    run_date: str
    parameters: dict[str, Any]
    reader_href: str
    code_href: str
    notebook_href: str
    duration_s: float | None = None
    products: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------- notebook pages


def render_notebook(
    executed: Path,
    out_html: Path,
    *,
    with_code: bool,
    index_href: str = "index.html",
    other_version_href: str | None = None,
) -> None:
    """Convert the executed notebook ``executed`` to one self-contained HTML page at ``out_html``.

    ``with_code=False`` gives the reader version (outputs and prose only), ``True`` shows everything.
    The page links back to ``index_href`` and, when given, to the other version at ``other_version_href``.
    """
    import nbformat

    executed = Path(executed)
    nb = nbformat.read(executed, as_version=4)
    nb.metadata["title"] = notebook_title(nb) or executed.stem  # the lab template's <title>
    _prepare_tables(nb)
    resources = {
        "metadata": {"name": executed.stem, "path": str(executed.parent)},
        "opedlens_nav": {
            "index_href": index_href,
            "other_version_href": other_version_href,
            "other_version_label": "Hide code" if with_code else "Show code",
        },
        "opedlens_tables_js": tables_script(),
    }
    html, _ = html_exporter(with_code=with_code).from_notebook_node(nb, resources=resources)
    write_atomic(Path(out_html), html)


#: A table cell as pandas writes it (its text escaped, no markup inside).
_CELL = re.compile(r"<td>([^<]*)</td>")
#: pandas' HTML for a missing value ("NaN", "None", "<NA>", "NaT"), shown to readers as an empty-looking dash.
MISSING_VALUES = frozenset({"NaN", "None", "&lt;NA&gt;", "NaT"})
MISSING = "–"
#: A cell of prose: at least this many characters, with spaces. Left to the browser, a wide table squeezed such
#: cells to a few words a line (a validation table's "protocol" column ran to 30 lines a row).
PROSE_CHARACTERS = 40
PROSE_CLASS = "opedlens-prose"  # opedlens.css gives it a reading width
LONG_CHARACTERS = 160  # a paragraph, not a phrase: a wider one (PROSE_CLASS + " " + LONG_CLASS)
LONG_CLASS = "opedlens-long"


def _prepare_tables(nb) -> None:
    """Table cells pandas writes as NaN/None/<NA>/NaT read as "–" on the page (the CSV files keep them empty), and
    cells of prose are marked to keep a reading width (:data:`PROSE_CLASS`)."""

    def cell(match: re.Match) -> str:
        text = match.group(1)
        if text in MISSING_VALUES:
            return f'<td title="no value">{MISSING}</td>'
        if len(text) >= PROSE_CHARACTERS and text.count(" ") >= 3:
            long = f" {LONG_CLASS}" if len(text) >= LONG_CHARACTERS else ""
            return f'<td class="{PROSE_CLASS}{long}">{text}</td>'
        return match.group(0)

    for nb_cell in nb.cells:
        for output in nb_cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                html = data["text/html"]
                html = "".join(html) if isinstance(html, list) else html
                data["text/html"] = _CELL.sub(cell, html)


def tables_script() -> str:
    """The JavaScript inlined into every notebook page (it must never contain ``</script``)."""
    from markupsafe import Markup

    code = TABLES_JS_PATH.read_text(encoding="utf-8")
    if "</script" in code.lower():
        raise ValueError(f"{TABLES_JS_PATH.name} may not contain '</script'")
    return Markup(code)  # noqa: S704 - our own script


@lru_cache(maxsize=2)
def html_exporter(*, with_code: bool) -> HTMLExporter:
    """The one nbconvert HTMLExporter configuration, for the reader (``with_code=False``) or code version.

    Built once per process and reused: building one (template loading) costs far more than a conversion.
    """
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    hidden_cells = {REMOVE_CELL_TAG} if with_code else {REMOVE_CELL_TAG, *PARAMETER_TAGS}
    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = hidden_cells
    config.TagRemovePreprocessor.remove_input_tags = {REMOVE_INPUT_TAG}
    config.TagRemovePreprocessor.remove_all_outputs_tags = {REMOVE_OUTPUT_TAG}
    config.TemplateExporter.exclude_input = not with_code
    config.TemplateExporter.exclude_input_prompt = not with_code
    config.TemplateExporter.exclude_output_prompt = not with_code
    return HTMLExporter(
        config=config,
        template_name=NOTEBOOK_TEMPLATE,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        embed_images=True,  # local images and attachments in markdown cells become data URIs
        language_code="en",
    )


# ------------------------------------------------------------------------------------------- title and summary


def notebook_title(nb: Mapping[str, Any]) -> str:
    """The plain text of the notebook's first level-1 heading in its markdown cells ("" if there is none)."""
    return next((_plain(t) for t in _markdown_blocks(nb) if _is_title(t)), "")


def notebook_summary(nb: Mapping[str, Any]) -> str:
    """The first paragraph after the title heading, as one line of plain text of at most ~200 characters.

    "" when the notebook has no title heading or no paragraph after it.
    """
    blocks = _markdown_blocks(nb)
    if not any(_is_title(token) for token in blocks):  # consumes the blocks up to and including the title
        return ""
    paragraphs = (_plain(token) for token in blocks if token["type"] == "paragraph")
    return _shorten(next((text for text in paragraphs if text), ""), SUMMARY_MAX_CHARS)


def _markdown_blocks(nb: Mapping[str, Any]) -> Iterator[dict]:
    """The top-level blocks (headings, paragraphs, lists, code, ...) of all markdown cells, parsed by mistune."""
    import mistune

    parse = mistune.create_markdown(renderer=None)
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            source = cell["source"]
            yield from parse("".join(source) if isinstance(source, list) else source)


def _is_title(token: dict) -> bool:
    return token["type"] == "heading" and token["attrs"]["level"] == 1


def _plain(token: dict) -> str:
    """A parsed markdown element as plain text on one line: emphasis, links and code reduced to their text."""
    if token["type"] in ("softbreak", "linebreak"):
        return " "
    text = token.get("raw", "") if "children" not in token else "".join(_plain(t) for t in token["children"])
    return " ".join(text.split()) if token["type"] in ("paragraph", "heading") else text


def _shorten(text: str, limit: int) -> str:
    """``text`` cut at the last word boundary within ``limit`` characters, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    cut = head.rsplit(" ", 1)[0] if " " in head else text[:limit]
    return cut.rstrip(" ,;:-–—") + "…"


# ------------------------------------------------------------------------------------------------- index page


def write_index(
    entries: list[IndexEntry],
    out_html: Path,
    *,
    title: str = "opedlens report",
    subtitle: str = "",
    run_info: dict[str, Any] | None = None,
) -> None:
    """Write the self-contained index page listing ``entries`` in order, with ``run_info`` in the footer."""
    from markupsafe import Markup

    html = (
        _index_environment()
        .get_template(INDEX_TEMPLATE)
        .render(
            title=title,
            subtitle=subtitle,
            entries=entries,
            findings=next((e for e in entries if e.stem.endswith(FINDINGS_STEM)), None),
            run_info=run_info or {},
            css=Markup(CSS_PATH.read_text(encoding="utf-8")),  # noqa: S704 - our own stylesheet
        )
    )
    write_atomic(Path(out_html), html)


def _index_environment() -> Environment:
    """Jinja2 environment for the index page; autoescaping is on, article text is never markup."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["param_value"] = _format_parameter
    env.filters["duration"] = format_duration
    return env


def _format_parameter(value: Any) -> str:
    """A parameter value as JSON text, or its repr when it is not JSON-serialisable."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def format_duration(seconds: float | None) -> str:
    """A run time for people: ``"4.2 s"``, ``"3 min 07 s"``, ``"1 h 02 min"``; ``"—"`` when unknown."""
    if seconds is None:
        return "—"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"
