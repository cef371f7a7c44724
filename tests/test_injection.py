"""Article text never runs as code: a corpus full of HTML, script and Markdown payloads gives a report that shows them
as plain text, with no script but the report's own, no event-handler attribute and no ``javascript:`` link.

The payloads sit in the manifest (title, author, outlet), in a subhead, in body sentences and in a quote, so they
reach tables, quotes, headings, notes and figure labels. The static HTML is parsed; then headless Chromium (see
test_browser.py) opens every page and checks that no payload ran: each would set ``window.__pwned``, change the
title or open a dialog.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import matplotlib
import pytest

from opedlens.paths import PROJECT_ROOT, SEEDS_DIR
from opedlens.report import plots, products, render
from opedlens.safe_text import markdown_code, markdown_text

matplotlib.use("Agg")

SCRIPT = "<script>window.__pwned=1;document.title='PWNED';alert('pwned')</script>"
IMG = "<img src=x onerror=\"window.__pwned=2;document.title='PWNED'\">"
SVG = "<svg onload=window.__pwned=3>"
LINK = "<a href=\"javascript:window.__pwned=4\">click me</a>"
MD_LINK = "[click here](javascript:window.__pwned=5)"
MD_IMAGE = "![x](x\" onerror=\"window.__pwned=6)"
RAW = "<iframe srcdoc=\"<script>parent.__pwned=7</script>\"></iframe><b>bold?</b> **strong?** `code?` $x^2$"
PAYLOADS = [SCRIPT, IMG, SVG, LINK, MD_LINK, MD_IMAGE, RAW]

HOSTILE_PARAGRAPHS = [
    f"Japan {SCRIPT} must talk to South Korea now, and {IMG} the United States should help both allies.",
    f"“We will not give in {SVG},” said {LINK} the minister of {MD_LINK} Japan about the crisis.",
    f"Analysts warn that the dispute {MD_IMAGE} costs $5 billion and $6 billion {RAW} in lost trade with Korea.",
]
HOSTILE_HEADING = "Why <b>this</b> $matters$ <script>window.__pwned=8</script>"


def hostile_corpus(folder: Path) -> Path:
    """The seeds, with payloads in one article's manifest row, a subhead and three body paragraphs."""
    shutil.copytree(SEEDS_DIR, folder)
    rows = list(csv.DictReader((folder / "manifest.csv").open(encoding="utf-8")))
    rows[0].update(title=f"Strife {SCRIPT} {MD_LINK}", author=f"Mathew {IMG} Ha", outlet=f"The {SVG} Hill",
                   affiliation=MD_IMAGE, source_note=RAW)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (folder / "manifest.csv").write_text(out.getvalue(), encoding="utf-8")
    article = folder / rows[0]["file"]
    text = article.read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    middle = len(paragraphs) // 2
    insert = [HOSTILE_HEADING, *HOSTILE_PARAGRAPHS]
    article.write_text("\n\n".join(paragraphs[:middle] + insert + paragraphs[middle:]), encoding="utf-8")
    return folder


class _Scan(HTMLParser):
    """Scripts, event-handler attributes, javascript: URLs and the visible text of a page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict, str]] = []
        self.handlers: list[str] = []
        self.js_urls: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self._in_script: dict | None = None
        self._script_text = ""
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attributes = {name.lower(): value or "" for name, value in attrs}
        self.handlers += [f"<{tag} {name}>" for name in attributes if name.startswith("on")]
        self.js_urls += [f"<{tag} {name}={value}>" for name, value in attributes.items()
                         if name in {"href", "src", "action", "formaction", "xlink:href", "data"}
                         and "".join(value.split()).lower().startswith(("javascript:", "vbscript:"))]
        if tag == "script":
            self._in_script, self._script_text = attributes, ""

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script is not None:
            self.scripts.append((self._in_script, self._script_text))
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            self._script_text += data
        else:
            self.text.append(data)


# ------------------------------------------------------------------------------------------- the helpers


@pytest.mark.parametrize("payload", [*PAYLOADS, HOSTILE_HEADING, "a\n\n# heading\n- item", "1. x &amp; y"])
def test_markdown_helpers_render_text_as_written(payload):
    from nbconvert.filters import markdown2html_mistune

    for escaped in (markdown_text(payload), "x " + markdown_code(payload)):
        page = _Scan(markdown2html_mistune(escaped))
        assert set(page.tags) <= {"p", "code"}, escaped
        assert not page.handlers and not page.js_urls
        assert " ".join(payload.split()) in "".join(page.text)


def test_figure_labels_are_drawn_as_written():
    import matplotlib.pyplot as plt

    plots.set_theme()
    fig, ax = plt.subplots()
    label = ax.set_title("costs $5 and $6 $x^2$")
    ax.set_xlabel(HOSTILE_HEADING)
    assert label._preprocess_math(label.get_text()) == ("costs $5 and $6 $x^2$", False)  # no mathtext
    fig.canvas.draw()  # an unbalanced "$" would raise here if it were parsed as mathtext
    alt = products.alt_text(fig, "demo")
    assert alt == f"Figure: costs $5 and $6 $x^2$ ({HOSTILE_HEADING})"
    plt.close(fig)


# ------------------------------------------------------------------------------------------- the full report


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    corpus = hostile_corpus(root / "corpus")
    result = subprocess.run([str(Path(sys.executable).parent / "opedlens"), "run", "--corpus", str(corpus), "--output",
                             str(root / "report")], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    return root / "report"


@pytest.mark.slow
def test_static_pages_hold_no_injected_markup(hostile_report):
    own_script = render.tables_script()
    pages = sorted((hostile_report / "html").glob("*.html"))
    assert len(pages) >= 3
    visible = {}
    for page in pages:
        scan = _Scan(page.read_text(encoding="utf-8"))
        assert scan.handlers == [], page.name
        assert scan.js_urls == [], page.name
        assert not {"iframe", "svg", "object", "embed"} & set(scan.tags), page.name
        if page.name == "index.html":
            assert scan.scripts == []
        else:  # exactly the report's own script, byte for byte
            assert [(attrs, text.strip()) for attrs, text in scan.scripts] == \
                   [({"id": render.TABLES_SCRIPT_ID}, own_script.strip())], page.name
        visible[page.name] = " ".join(" ".join(scan.text).split())
    shown = " ".join(visible.values())
    # the payloads are there, as text: in tables (sentences, metadata), quotes, headings and notes
    for payload in [*PAYLOADS, HOSTILE_HEADING]:
        assert " ".join(payload.split()) in shown, payload
    reader = visible["01-load-corpus.html"]
    assert f"Strife {SCRIPT} {MD_LINK}" in reader  # the title, in the articles table
    arguments = visible.get("04-compare-arguments.html", "")
    if arguments:  # the article heading above its argument map (Markdown)
        assert f"Mathew {IMG} Ha: Strife {SCRIPT} {MD_LINK} (The {SVG} Hill, 2019-07)" in arguments


@pytest.mark.slow
def test_figures_of_the_hostile_report_have_escaped_alt_text(hostile_report):
    images: list[dict[str, str]] = []
    parser = HTMLParser()
    parser.handle_starttag = lambda tag, attrs: images.append(dict(attrs)) if tag == "img" else None
    parser.feed((hostile_report / "html" / "01-load-corpus.html").read_text(encoding="utf-8"))
    assert images and all(image["alt"].startswith("Figure: ") for image in images)
    assert all(set(image) <= {"src", "alt", "width", "height"} for image in images)


@pytest.mark.slow
def test_no_injected_script_runs_in_the_browser(hostile_report):
    from test_browser import CHROMIUM_HELP, Chromium, check_page, find_chromium, problems

    executable = find_chromium()
    if executable is None:
        pytest.skip(CHROMIUM_HELP)
    browser = Chromium(executable)
    try:
        pages = sorted((hostile_report / "html").glob("*.html"))
        for page in pages:
            result = check_page(browser, page)
            assert problems(result) == [], page.name
            state = browser.evaluate("""new Promise(done => setTimeout(() => done({
              pwned: window.__pwned === undefined ? null : window.__pwned, title: document.title,
              handlers: Array.from(document.querySelectorAll('*')).flatMap(e => Array.from(e.attributes)
                .filter(a => /^on/i.test(a.name)).map(a => e.tagName + ' ' + a.name)),
              jsLinks: Array.from(document.querySelectorAll('a[href]')).filter(a => /^\\s*javascript:/i.test(a.getAttribute('href'))).length,
              scripts: Array.from(document.scripts).map(s => s.id)}), 300))""")
            assert state["pwned"] is None and "PWNED" not in state["title"], page.name
            assert state["handlers"] == [] and state["jsLinks"] == 0, page.name
            assert state["scripts"] in ([], [render.TABLES_SCRIPT_ID]), page.name
            assert browser.dialogs == [], page.name
        # the payload is findable as text through a table's search box, and typing it runs nothing
        browser.goto((hostile_report / "html" / "01-load-corpus.html").resolve().as_uri())
        boxes = browser.evaluate("document.querySelectorAll('.opedlens-search input').length")
        assert boxes >= 1
        browser.type_into("document.querySelectorAll('.opedlens-search input')[0]", "<script>")
        matched = browser.evaluate("Array.from(document.querySelectorAll('table.opedlens-interactive')[0].tBodies[0].rows)"
                                   ".filter(r => !r.hidden).length")
        assert matched >= 1
        assert browser.evaluate("window.__pwned === undefined") and browser.dialogs == []
    finally:
        browser.close()


def test_the_browser_check_sees_an_injection(tmp_path):
    """The check can fail: Markdown output holding raw HTML (what the helpers prevent) does run in the browser."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
    from test_browser import CHROMIUM_HELP, Chromium, find_chromium

    executable = find_chromium()
    if executable is None:
        pytest.skip(CHROMIUM_HELP)
    nb = new_notebook(cells=[new_markdown_cell("# Unsafe"), new_code_cell("Markdown(note)", outputs=[
        new_output("display_data", data={"text/markdown": f"Note: {IMG}", "text/plain": "x"})])])
    nbformat.write(nb, tmp_path / "unsafe.ipynb")
    render.render_notebook(tmp_path / "unsafe.ipynb", tmp_path / "unsafe.html", with_code=False)
    assert _Scan((tmp_path / "unsafe.html").read_text(encoding="utf-8")).handlers == ["<img onerror>"]
    browser = Chromium(executable)
    try:
        browser.goto((tmp_path / "unsafe.html").resolve().as_uri())
        assert browser.evaluate("new Promise(done => setTimeout(() => done(window.__pwned), 300))") == 2
    finally:
        browser.close()
