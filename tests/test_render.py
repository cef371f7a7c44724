"""Tests for opedlens.report.render: offline notebook pages (reader / with code) and the index page."""

from __future__ import annotations

import base64
import html
import io
from html.parser import HTMLParser
from pathlib import Path

import matplotlib
import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from opedlens import files
from opedlens.report import render
from opedlens.report.render import IndexEntry, notebook_summary, notebook_title, render_notebook, write_index

matplotlib.use("Agg")

CODE_MARKER = "distinctive_code_marker_42"
PARAMETER_MARKER = "param_default_marker"
INJECTED_MARKER = "injected_value_marker"
REMOVED_MARKER = "removed_cell_marker"
REMOVED_OUTPUT = "REMOVED OUTPUT TEXT"
HIDDEN_OUTPUT = "HIDDEN OUTPUT TEXT"
KEPT_INPUT = "kept_input_marker"
STDOUT_TEXT = "hello from stdout 7319"
LOADING_ELEMENTS = {"script", "link", "img", "iframe", "source", "embed", "object", "video", "audio"}


# ------------------------------------------------------------------------------------------------ helpers


class _Page(HTMLParser):
    """Collects what the tests look at in an HTML page."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.anchors: dict[str, str] = {}
        self.title = ""
        self.style = ""
        self._open: list[str] = []
        self._href: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        self._open.append(tag)
        if tag == "a":
            self._href = attributes.get("href")
            self.anchors.setdefault(self._href or "", "")

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()
        if tag == "a":
            self._href = None

    def handle_data(self, data: str) -> None:
        current = self._open[-1] if self._open else ""
        if current == "title":
            self.title += data
        elif current == "style":
            self.style += data
        if self._href is not None:
            self.anchors[self._href] += data

    def external_references(self) -> list[str]:
        """src/href/data of loading elements, and CSS url()/@import, that point at http(s) or // URLs."""
        found = [
            f"<{tag} {name}={value}>"
            for tag, attributes in self.tags
            if tag in LOADING_ELEMENTS
            for name, value in attributes.items()
            if name in {"src", "href", "data", "srcset"} and _is_remote(value)
        ]
        style = self.style.replace(" ", "").lower()
        found += [marker for marker in ("url(http", "url(//", "url('http", 'url("http', "@import") if marker in style]
        return found


def _is_remote(url: str) -> bool:
    url = url.strip().lower()
    return url.startswith(("http://", "https://", "//"))


def _png_base64() -> str:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(1, 1), dpi=20)
    ax.plot([0, 1], [1, 0])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


PROSE_NOTE = "scored on held-out topics, each unit matched to its most probable candidate"
LONG_ID = "daily-planet-2019-why-the-alliance-matters-more-than-ever.p01.s01"


def _tagged(cell: nbformat.NotebookNode, tag: str) -> nbformat.NotebookNode:
    cell.metadata["tags"] = [tag]
    return cell


def _demo_notebook(png: str) -> nbformat.NotebookNode:
    table = pd.DataFrame({"outlet": ["Daily Planet", "Gotham Gazette"], "score": [0.42, -0.17],
                          "note": [PROSE_NOTE, None], "sent_id": [LONG_ID, "gg.p01.s01"]})
    return new_notebook(
        cells=[
            new_markdown_cell(
                "# Demo: *sentiment* of op-eds\n\n"
                "Scores every article with a [lexicon](https://example.org/lexicon) and compares **outlets**.\n\n"
                "- a list item, not the summary"
            ),
            _tagged(new_code_cell(f'{PARAMETER_MARKER} = "seeds/manifest.csv"'), "parameters"),
            _tagged(new_code_cell(f'{PARAMETER_MARKER} = "{INJECTED_MARKER}"'), "injected-parameters"),
            new_code_cell(
                f'{CODE_MARKER} = "hi"\nprint("{STDOUT_TEXT}")',
                outputs=[new_output("stream", name="stdout", text=STDOUT_TEXT + "\n")],
                execution_count=1,
            ),
            new_code_cell(
                "plot()",
                outputs=[new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"})],
                execution_count=2,
            ),
            new_code_cell(
                "table",
                outputs=[
                    new_output(
                        "execute_result",
                        data={"text/html": table.to_html(), "text/plain": table.to_string()},
                        execution_count=3,
                    )
                ],
                execution_count=3,
            ),
            new_code_cell(
                "show_finding()",
                outputs=[new_output("display_data", data={"text/markdown": "**Bold finding**", "text/plain": "x"})],
                execution_count=4,
            ),
            _tagged(
                new_code_cell(
                    f"{REMOVED_MARKER} = 1", outputs=[new_output("stream", name="stdout", text=REMOVED_OUTPUT)]
                ),
                "remove-cell",
            ),
            _tagged(
                new_code_cell(f"{KEPT_INPUT} = 1", outputs=[new_output("stream", name="stdout", text=HIDDEN_OUTPUT)]),
                "remove-output",
            ),
            new_markdown_cell("## Results\n\nThe outlets differ."),
        ]
    )


@pytest.fixture(scope="module")
def png() -> str:
    return _png_base64()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, png: str) -> dict[str, str]:
    """The demo notebook rendered in both versions; keys "reader", "code" and the folder as "dir"."""
    folder = tmp_path_factory.mktemp("pages")
    executed = folder / "01-demo.ipynb"
    nbformat.write(_demo_notebook(png), executed)
    render_notebook(executed, folder / "01-demo.html", with_code=False, other_version_href="01-demo-code.html")
    render_notebook(executed, folder / "01-demo-code.html", with_code=True, other_version_href="01-demo.html")
    return {
        "reader": (folder / "01-demo.html").read_text(encoding="utf-8"),
        "code": (folder / "01-demo-code.html").read_text(encoding="utf-8"),
        "dir": str(folder),
    }


def _entry(stem: str, title: str, **overrides: object) -> IndexEntry:
    fields: dict[str, object] = {
        "stem": stem,
        "title": title,
        "summary": f"Summary of {stem}.",
        "run_date": "2026-05-09 07:35",
        "parameters": {"corpus": "seeds/manifest.csv", "n_topics": 8, "outlets": ["a", "b"]},
        "reader_href": f"{stem}.html",
        "code_href": f"{stem}-code.html",
        "notebook_href": f"notebooks/{stem}.ipynb",
        "duration_s": 12.34,
        "products": [f"tables/{stem}.csv", f"figures/{stem}.png"],
    }
    fields.update(overrides)
    return IndexEntry(**fields)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------ notebook pages


def test_reader_page_hides_code_but_keeps_outputs(pages: dict[str, str], png: str) -> None:
    reader = pages["reader"]
    for hidden in (CODE_MARKER, PARAMETER_MARKER, INJECTED_MARKER, KEPT_INPUT, "In\u00a0[1]:", "Out[3]:"):
        assert hidden not in reader
    assert STDOUT_TEXT in reader
    assert "Daily Planet" in reader and '<table border="1" class="dataframe">' in reader
    assert "<strong>Bold finding</strong>" in reader
    assert f"data:image/png;base64,{png}" in reader
    assert "The outlets differ." in reader


def test_code_page_shows_code_and_parameters(pages: dict[str, str], png: str) -> None:
    code = pages["code"]
    for shown in (CODE_MARKER, PARAMETER_MARKER, INJECTED_MARKER, KEPT_INPUT, STDOUT_TEXT, "Daily Planet"):
        assert shown in code
    assert f"data:image/png;base64,{png}" in code
    assert "In\u00a0[1]:" in code and "Out[3]:" in code


def test_table_cells_of_prose_keep_a_reading_width_and_missing_values_read_as_a_dash(pages: dict[str, str]) -> None:
    reader = pages["reader"]
    assert f'<td class="{render.PROSE_CLASS}">{PROSE_NOTE}</td>' in reader
    assert f"<td>{LONG_ID}</td>" in reader and "<td>0.42</td>" in reader  # an id or a number is no prose
    assert f'<td title="no value">{render.MISSING}</td>' in reader
    assert f"td.{render.PROSE_CLASS}" in reader and f"td.{render.LONG_CLASS}" in reader  # the stylesheet widens them


@pytest.mark.parametrize("version", ["reader", "code"])
def test_tagged_cells_and_outputs_are_removed(pages: dict[str, str], version: str) -> None:
    page = pages[version]
    for removed in (REMOVED_MARKER, REMOVED_OUTPUT, HIDDEN_OUTPUT):
        assert removed not in page


@pytest.mark.parametrize("version", ["reader", "code"])
def test_pages_reference_no_remote_resources(pages: dict[str, str], version: str) -> None:
    parsed = _Page(pages[version])
    assert parsed.external_references() == []
    assert parsed.tags, "the page did not parse"
    assert not any(tag == "script" and "src" in attributes for tag, attributes in parsed.tags)


def test_remote_check_flags_the_plain_lab_template(tmp_path: Path, png: str) -> None:
    """The offline check is able to fail: nbconvert's own lab template loads require.js and MathJax from a CDN."""
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(template_name="lab").from_notebook_node(_demo_notebook(png))
    remote = _Page(body).external_references()
    assert any("require" in reference for reference in remote)
    assert any("mathjax" in reference.lower() for reference in remote)


@pytest.mark.parametrize(("version", "other_label"), [("reader", "Show code"), ("code", "Hide code")])
def test_pages_have_title_language_and_nav(pages: dict[str, str], version: str, other_label: str) -> None:
    page = pages[version]
    parsed = _Page(page)
    assert parsed.title.strip() == "Demo: sentiment of op-eds"
    assert '<html lang="en">' in page
    assert parsed.anchors["index.html"].strip() == "← All notebooks"
    other = "01-demo-code.html" if version == "reader" else "01-demo.html"
    assert parsed.anchors[other].strip() == other_label


def test_page_styles_are_inline_and_readable(pages: dict[str, str]) -> None:
    parsed = _Page(pages["reader"])
    assert "max-width: 60rem" in parsed.style
    assert "overflow-x: auto" in parsed.style
    assert not any(tag == "link" for tag, _ in parsed.tags)


def test_nav_hrefs_are_escaped_and_optional(tmp_path: Path, png: str) -> None:
    executed = tmp_path / "02-untitled.ipynb"
    nb = _demo_notebook(png)
    nb.cells[0].source = "Just text, no heading."
    nbformat.write(nb, executed)
    tricky = 'all.html?a=1&b="x"><script>alert(1)</script>'
    render_notebook(executed, tmp_path / "reader.html", with_code=False, index_href=tricky)
    page = (tmp_path / "reader.html").read_text(encoding="utf-8")
    parsed = _Page(page)
    assert parsed.anchors[tricky].strip() == "← All notebooks"
    assert "<script>alert(1)</script>" not in page
    assert "Show code" not in parsed.anchors.values()
    assert parsed.title.strip() == "02-untitled"  # no H1: falls back to the file stem


# ------------------------------------------------------------------------------------- title and summary


def test_title_and_summary_from_markdown(png: str) -> None:
    nb = _demo_notebook(png)
    assert notebook_title(nb) == "Demo: sentiment of op-eds"
    assert notebook_summary(nb) == "Scores every article with a lexicon and compares outlets."


def test_title_and_summary_span_cells_and_skip_non_paragraphs() -> None:
    nb = new_notebook(
        cells=[
            new_markdown_cell("Some preamble that is not a heading."),
            new_code_cell("import x"),
            new_markdown_cell("# Topics in `op_eds` ##"),
            new_markdown_cell("> a quote\n\n```python\ncode = 1\n\nmore = 2\n```\n\n- a list"),
            new_markdown_cell("The *first* real_paragraph,\nwritten over `two` lines.\n\nSecond paragraph."),
        ]
    )
    assert notebook_title(nb) == "Topics in op_eds"
    assert notebook_summary(nb) == "The first real_paragraph, written over two lines."


def test_summary_is_cut_at_a_word_boundary() -> None:
    words = " ".join(f"word{i}" for i in range(100))
    nb = new_notebook(cells=[new_markdown_cell(f"# Long\n\n{words}")])
    summary = notebook_summary(nb)
    assert summary.endswith("…")
    assert len(summary) <= render.SUMMARY_MAX_CHARS + 1
    assert summary[:-1].split(" ")[-1] in words.split(" ")  # no word cut in half
    assert len(summary) > render.SUMMARY_MAX_CHARS - 10


def test_missing_heading_gives_empty_title_and_summary() -> None:
    nb = new_notebook(cells=[new_markdown_cell("## Only a section\n\nText.")])
    assert notebook_title(nb) == ""
    assert notebook_summary(nb) == ""


# ---------------------------------------------------------------------------------------------- index page


def test_index_lists_every_entry_in_order_with_links(tmp_path: Path) -> None:
    entries = [_entry("01-load-corpus", "Load the corpus"), _entry("02-sentiment", "Sentiment", duration_s=None)]
    out = tmp_path / "index.html"
    write_index(entries, out, subtitle="Two outlets", run_info={"corpus": "seeds/manifest.csv", "python": "3.11.7"})
    page = out.read_text(encoding="utf-8")
    parsed = _Page(page)
    assert page.index("Load the corpus") < page.index("Sentiment")
    for entry in entries:
        assert parsed.anchors[entry.reader_href] == entry.title + "read"  # heading link + "read" link
        assert parsed.anchors[entry.code_href] == "with code"
        assert parsed.anchors[entry.notebook_href] == "notebook (.ipynb)"
        assert entry.summary in page
        for product in entry.products:
            assert parsed.anchors[product] == product
    text = html.unescape(page)
    assert '["a", "b"]' in text and '"seeds/manifest.csv"' in text and ">8<" in text
    assert "Run time 12.3 s" in text and "Run time —" in text
    assert "<details>" in page and "Two outlets" in page and "3.11.7" in page
    assert '<meta name="viewport"' in page and '<html lang="en">' in page
    assert parsed.title == "opedlens report"
    assert parsed.external_references() == []


def test_index_escapes_article_text(tmp_path: Path) -> None:
    evil = "<script>alert(1)</script>"
    entry = _entry("03-evil", evil, summary='<img src=x onerror="alert(2)">', parameters={"q": evil})
    out = tmp_path / "index.html"
    write_index([entry], out, title=evil, run_info={"corpus": evil})
    page = out.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert evil not in page
    assert not any(tag in {"script", "img"} for tag, _ in _Page(page).tags)


def test_index_without_entries(tmp_path: Path) -> None:
    write_index([], tmp_path / "index.html")
    assert "No notebooks have been run yet." in (tmp_path / "index.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------- writing


def test_writes_leave_no_temporary_files(pages: dict[str, str], tmp_path: Path) -> None:
    written = sorted(p.name for p in Path(pages["dir"]).iterdir())
    assert written == ["01-demo-code.html", "01-demo.html", "01-demo.ipynb"]
    write_index([_entry("01-a", "A")], tmp_path / "site" / "index.html")
    write_index([_entry("01-a", "A again")], tmp_path / "site" / "index.html")
    assert [p.name for p in (tmp_path / "site").iterdir()] == ["index.html"]
    assert "A again" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "index.html"
    out.write_text("old page", encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_index([_entry("01-a", "A")], out)
    assert out.read_text(encoding="utf-8") == "old page"
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]


def test_the_index_sends_readers_to_the_findings_first(tmp_path):
    from opedlens.report import render

    def entry(stem):
        return render.IndexEntry(stem=stem, title=f"Title of {stem}", summary="", run_date="", parameters={},
                                 reader_href=f"{stem}.html", code_href=f"{stem}-code.html",
                                 notebook_href=f"../notebooks/{stem}.ipynb")

    render.write_index([entry("01-load-corpus"), entry("05-summarize-findings")], tmp_path / "index.html")
    html = (tmp_path / "index.html").read_text()
    assert html.index("Start with the findings") < html.index('id="01-load-corpus"')
    assert 'href="05-summarize-findings.html"' in html.split('id="01-load-corpus"')[0]
    render.write_index([entry("01-load-corpus")], tmp_path / "plain.html")
    assert "Start with the findings" not in (tmp_path / "plain.html").read_text()
