"""End to end: the real notebooks on the seed corpus, through the command line and through plain papermill."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from opedlens.paths import NOTEBOOKS_DIR, PROJECT_ROOT, SEEDS_DIR

BIN = Path(sys.executable).parent
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb"))


def opedlens(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "opedlens"), *args], cwd=cwd, capture_output=True, text=True, timeout=600)


class _RemoteRefs(HTMLParser):
    """Collects src/href attributes of elements that load something (scripts, styles, images, frames)."""

    def __init__(self):
        super().__init__()
        self.remote: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "link", "img", "iframe", "source", "video", "audio", "embed"}:
            for key in ("src", "href"):
                value = (attrs.get(key) or "").strip()
                if re.match(r"(https?:)?//", value):
                    self.remote.append(f"<{tag} {key}={value}>")
        if tag == "img":
            self.images.append(attrs.get("src") or "")


@pytest.fixture(scope="module")
def report(seed_report_elsewhere) -> Path:
    """`opedlens run --corpus seeds ...`, typed in a directory outside the project (the session's shared run)."""
    return seed_report_elsewhere


def test_index_links_every_executed_notebook(report):
    index = (report / "html" / "index.html").read_text()
    for path in NOTEBOOKS:
        assert (report / "notebooks" / path.name).is_file()
        for page in (f"{path.stem}.html", f"{path.stem}-code.html", f"../notebooks/{path.name}"):
            assert f'href="{page}"' in index, page
            if page.endswith(".html"):
                assert (report / "html" / page).is_file()


def test_tables_and_figures_are_named_after_their_notebook(report):
    tables = {p.name for p in (report / "tables").iterdir()}
    assert {"01-articles.csv", "01-paragraphs.csv", "01-sentences.csv", "01-removed.csv", "01-stats.csv"} <= tables
    figures = {p.name for p in (report / "figures").iterdir()}
    assert {"01-sentence-lengths.png", "01-sentence-lengths.svg", "01-article-shape.png"} <= figures
    sentences = pd.read_csv(report / "tables" / "01-sentences.csv")
    assert set(sentences["doc_id"]) == {"ha-2019-hill", "akimoto-2019-japantimes"}


def test_pages_are_self_contained_and_readers_see_no_code(report):
    for page in (report / "html").glob("*.html"):
        refs = _RemoteRefs()
        refs.feed(page.read_text())
        assert refs.remote == [], (page.name, refs.remote)
        assert all(src.startswith("data:image/") for src in refs.images), page.name
    reader = (report / "html" / "01-load-corpus.html").read_text()
    with_code = (report / "html" / "01-load-corpus-code.html").read_text()
    assert "load_corpus" not in reader and "load_corpus" in with_code
    assert reader.count("data:image/png") >= 2, "both figures are embedded"


def test_index_shows_title_summary_date_and_parameters(report):
    index = (report / "html" / "index.html").read_text()
    assert "Load the corpus" in index and "cleaning audit" in index
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", index)
    assert "corpus_dir" in index and "doc_ids" in index


def test_papermill_runs_a_notebook_directly_from_another_directory(tmp_path):
    out = tmp_path / "out.ipynb"
    result = subprocess.run(
        [str(BIN / "papermill"), str(NOTEBOOKS_DIR / "01-load-corpus.ipynb"), str(out), "-p", "corpus_dir", "seeds",
         "-p", "output_dir", str(tmp_path / "products")],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    nb = nbformat.read(out, as_version=4)
    assert nb.metadata.papermill.parameters["corpus_dir"] == "seeds"
    assert (tmp_path / "products" / "tables" / "01-sentences.csv").is_file()


def test_the_readme_papermill_command_works_from_the_project_root(tmp_path):
    out = tmp_path / "OUT.ipynb"
    result = subprocess.run([str(BIN / "papermill"), "notebooks/01-load-corpus.ipynb", str(out), "-p", "corpus_dir", "seeds"],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "akimoto-2019-japantimes" in out.read_text()


def test_one_article_corpus_runs_and_says_there_is_nothing_to_compare(tmp_path):
    """... with the corpus's own actors too: every notebook opens the folder measured with them (notebook 03, which
    reads no actor, once refused it)."""
    corpus = tmp_path / "one"
    corpus.mkdir()
    shutil.copy(SEEDS_DIR / "004_82dceb41ffbd2d64.txt", corpus / "akimoto.txt")
    result = opedlens("run", "--corpus", str(corpus), "--output", str(tmp_path / "report"), "-p",
                      "actors_from_corpus=true", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "nothing to compare" in (tmp_path / "report" / "html" / "01-load-corpus.html").read_text()


# --- bad input through the command line: one line, no traceback, previous report untouched --------------------


def _bad_corpora(root: Path) -> dict[str, tuple[Path, str]]:
    def folder(name: str, files: dict[str, bytes], manifest: str | None = None) -> Path:
        path = root / name
        path.mkdir()
        for file, data in files.items():
            (path / file).write_bytes(data)
        if manifest is not None:
            (path / "manifest.csv").write_text(manifest)
        return path

    good = (SEEDS_DIR / "000_421a8de7e923a454.txt").read_bytes()
    return {
        "missing folder": (root / "does-not-exist", "does not exist"),
        "empty folder": (folder("empty", {}), "no article files"),
        "empty file": (folder("emptyfile", {"a.txt": b""}), "a.txt: file is empty"),
        "whitespace file": (folder("blank", {"a.txt": b"  \n\n \t\n"}), "a.txt: file contains only whitespace"),
        "binary file": (folder("binary", {"a.txt": b"\x89PNG\r\n\x1a\n\x00\x00"}), "a.txt: binary file"),
        "undecodable": (folder("latin", {"a.txt": b"Caf\xe9"}), "a.txt: not valid UTF-8 at byte offset 3"),
        "duplicate doc_ids": (folder("dupes", {"a.txt": good, "b.txt": good}, "doc_id,file\nx,a.txt\nx,b.txt\n"),
                              "manifest.csv: duplicate doc_id 'x'"),
        "missing file": (folder("gone", {"a.txt": good}, "doc_id,file\na,a.txt\nb,b.txt\n"),
                         "manifest.csv: line 3: file 'b.txt' not found"),
        "bad columns": (folder("cols", {"a.txt": good}, "name,path\na,a.txt\n"),
                        "manifest.csv: manifest is missing required column(s): doc_id, file"),
    }


def test_each_bad_input_fails_cleanly_and_keeps_the_last_report(report, tmp_path):
    before = {p: p.read_bytes() for p in report.rglob("*") if p.is_file()}
    for case, (corpus, message) in _bad_corpora(tmp_path).items():
        result = opedlens("run", "--corpus", str(corpus), "--output", str(report), cwd=tmp_path)
        assert result.returncode == 1, case
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("opedlens: error: "), (case, result.stderr)
        assert message in lines[0], (case, lines[0])
        assert "Traceback" not in result.stderr
    after = {p: p.read_bytes() for p in report.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in report.parent.iterdir() if p.name.startswith(".report.")]


def test_debug_shows_the_traceback(tmp_path):
    result = opedlens("run", "--corpus", str(tmp_path / "nope"), "--debug", cwd=tmp_path)
    assert result.returncode != 0 and "Traceback" in result.stderr


def test_check_summarizes_a_corpus():
    result = opedlens("check", "--corpus", str(SEEDS_DIR), cwd=PROJECT_ROOT)
    assert result.returncode == 0, result.stderr
    assert "ha-2019-hill" in result.stdout and "2 article(s)" in result.stdout


def test_ctrl_c_stops_quietly_and_keeps_the_last_report(report, tmp_path):
    before = {p: p.read_bytes() for p in report.rglob("*") if p.is_file()}
    process = subprocess.Popen([str(BIN / "opedlens"), "run", "--output", str(report)], cwd=tmp_path,
                               stderr=subprocess.PIPE, text=True)
    for line in process.stderr:  # wait until a notebook is running, then press Ctrl-C
        if ": running" in line:
            break
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    rest = process.stderr.read()
    assert process.wait(timeout=60) == 130
    assert "interrupted; the previous report is untouched" in rest and "Traceback" not in rest
    assert {p: p.read_bytes() for p in report.rglob("*") if p.is_file()} == before
    assert not [p for p in report.parent.iterdir() if p.name.startswith(".report.")]


def test_bad_sentiment_parameters_fail_before_any_notebook_runs(report, tmp_path):
    before = {p: p.read_bytes() for p in report.rglob("*") if p.is_file()}
    (tmp_path / "actors.yaml").write_text("actors:\n  japan:\n    label: Japan\n    aliases: Tokyo\n")
    cases = {
        ("-p", "actors_file=actors.yaml"): f"{tmp_path / 'actors.yaml'}: line 2: actor 'japan' needs",
        ("-p", "actors_file=missing.yaml"): "missing.yaml: actors file not found",
        ("-p", "scorers=[vader, sentiwordnet]"): "parameter scorers = [vader, sentiwordnet]: 'sentiwordnet' is not "
                                                 "one of accurate, fast, vader, textblob",
    }
    for args, message in cases.items():
        result = opedlens("run", "--output", str(report), *args, cwd=tmp_path)
        assert result.returncode == 1, args
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and message in lines[0], (args, result.stderr)
    assert {p: p.read_bytes() for p in report.rglob("*") if p.is_file()} == before


def test_the_findings_page_quotes_its_evidence_sentences_whole(report):
    """The page promises every cited sentence "in full"; pandas cuts a table cell at 50 characters unless the
    notebook sets the report's table style, and notebook 05 did not ("The U.S. therefore needs to take a more
    forwar...")."""
    import html

    page = (report / "html" / "05-summarize-findings.html").read_text()
    sentences = pd.read_csv(report / "tables" / "01-sentences.csv").set_index("sent_id")["text"]
    findings = pd.read_csv(report / "tables" / "05-findings.csv")
    cited = {i for ids in findings["evidence"].dropna() for i in ids.split("; ") if i in sentences.index}
    assert len(cited) >= 10
    for sent_id in cited:
        assert html.escape(sentences[sent_id], quote=False) in page, sent_id
    assert not re.search(r'class="opedlens-prose">[^<]*\.\.\.</td>', page)
