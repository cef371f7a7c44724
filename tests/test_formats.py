"""Corpora in every format a user brings: folders of .txt, .md or .html files, or one .csv, .jsonl or .parquet table;
headlines found however they end; relative paths taken from where the user is."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from opedlens import cli, paths
from opedlens.corpus import clean, formats
from opedlens.corpus.load import load_corpus
from opedlens.errors import InputError
from opedlens.paths import PROJECT_ROOT, SEEDS_DIR

BIN = Path(sys.executable).parent
ARTICLES = {name: (SEEDS_DIR / file).read_text(encoding="utf-8") for name, file in
            (("hill", "000_421a8de7e923a454.txt"), ("times", "004_82dceb41ffbd2d64.txt"))}


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if len(p.strip()) > 60]


def write_corpus(kind: str, folder: Path) -> Path:
    """The two seed op-eds as a corpus of ``kind``: md, html, csv, jsonl or parquet."""
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "md":
        for name, text in ARTICLES.items():
            body = "\n\n".join(_paragraphs(text))
            (folder / f"{name}.md").write_text(f"# A headline for {name}\n\n*By* **A. Writer**\n\n{body}\n"
                                               "\n[Read more](https://example.invalid/more)\n", encoding="utf-8")
        return folder
    if kind == "html":
        for name, text in ARTICLES.items():
            body = "".join(f"<p>{p}</p>\n" for p in _paragraphs(text))
            (folder / f"{name}.html").write_text(
                f"<html><head><title>A headline for {name}</title></head><body><nav><a href='/'>Home</a></nav>"
                f"<article><h1>A headline for {name}</h1>{body}<script>window.bad=1</script></article>"
                "<footer>Share this article</footer></body></html>", encoding="utf-8")
        return folder
    rows = [{"id": name, "body": "\n\n".join(_paragraphs(text)), "outlet": outlet, "title": f"A headline for {name}"}
            for (name, text), outlet in zip(ARTICLES.items(), ["The Hill", "The Japan Times"])]
    frame = pd.DataFrame(rows)
    path = folder / f"corpus.{kind}"
    if kind == "csv":
        frame.to_csv(path, index=False)
    elif kind == "jsonl":
        path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    else:
        frame.to_parquet(path)
    return path


@pytest.mark.parametrize("kind", ["md", "html", "csv", "jsonl", "parquet"])
def test_every_format_loads_the_articles_text_without_markup(kind, tmp_path):
    corpus = write_corpus(kind, tmp_path / kind)
    table = kind in ("csv", "jsonl", "parquet")
    loaded = load_corpus(corpus, text_column="body", id_column="id") if table else load_corpus(corpus)
    assert loaded.doc_ids == ["hill", "times"]
    text = " ".join(loaded.sentences["text"])
    assert "Kim Jong Un" in text and "window.bad" not in text and "<p>" not in text and "**" not in text
    assert "](https" not in text and "Share this article" not in text
    for doc_id, raw in loaded.raw.items():
        part = loaded.sentences[loaded.sentences["doc_id"] == doc_id]
        assert all(raw[a:b] == t for a, b, t in zip(part["start"], part["end"], part["text"]))
    if table:
        assert loaded.articles.set_index("doc_id").loc["times", "outlet"] == "The Japan Times"


@pytest.mark.parametrize("kind", ["folder", "csv"])
def test_a_folder_and_a_table_run_the_report(kind, tmp_path):
    """The whole report from a folder holding one article in Markdown and one in HTML, and from a table (CSV: JSON
    Lines and Parquet go through the same table reader to the same tables, as the test above shows)."""
    if kind == "folder":
        corpus = tmp_path / "in"
        corpus.mkdir()
        (corpus / "hill.md").write_bytes((write_corpus("md", tmp_path / "md") / "hill.md").read_bytes())
        (corpus / "times.html").write_bytes((write_corpus("html", tmp_path / "html") / "times.html").read_bytes())
    else:
        corpus = write_corpus(kind, tmp_path / "in")
    extra = ["--text-column", "body", "--id-column", "id"] if kind == "csv" else []
    result = subprocess.run([str(BIN / "opedlens"), "run", "--jobs", "2", "--corpus", str(corpus), *extra,
                             "--output", str(tmp_path / "report")], cwd=tmp_path, capture_output=True, text=True,
                            timeout=900)
    assert result.returncode == 0, result.stderr
    articles = pd.read_csv(tmp_path / "report" / "tables" / "01-articles.csv")
    assert articles["doc_id"].tolist() == ["hill", "times"]
    assert (tmp_path / "report" / "html" / "05-summarize-findings.html").is_file()


def test_a_txt_file_holding_html_is_read_as_html(tmp_path):
    page = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in _paragraphs(ARTICLES["hill"])) + \
        "</article></body></html>"
    (tmp_path / "page.txt").write_text(page, encoding="utf-8")
    loaded = load_corpus(tmp_path)
    assert loaded.articles["format"].tolist() == ["html"]
    assert not loaded.sentences["text"].str.contains("<p>").any()


def test_a_table_needs_its_text_column_and_unique_ids(tmp_path):
    path = tmp_path / "c.csv"
    pd.DataFrame({"id": ["a", "a"], "body": ["One sentence here.", "Another one."]}).to_csv(path, index=False)
    with pytest.raises(InputError, match="no text column 'text'"):
        load_corpus(path)
    with pytest.raises(InputError, match="row 3: id 'a' repeats row 2's"):
        load_corpus(path, text_column="body", id_column="id")


def test_markdown_markup_is_dropped_and_paragraphs_kept():
    text = formats.markdown_text("# Title here\n\nSome *emphasis* and **strong** and `code` and a [link](http://x).\n\n"
                                 "> a quote\n\n![img](a.png)\n")
    assert text.splitlines()[0] == "# Title here"  # the cleaner takes the marks off and keeps a heading
    assert "Some emphasis and strong and code and a link." in text and "a quote" in text and "png" not in text


def test_a_markdown_heading_never_swallows_the_paragraph_after_it():
    text = formats.markdown_text("# A Headline\n\nA paragraph.\n\n### Controlling the machinery ###\n\nThere are about 152,000 "
                                 "systems.\n\n---\n\nAfter the rule.\n")
    assert text == "# A Headline\n\nA paragraph.\n\n### Controlling the machinery\n\nThere are about 152,000 systems.\n\n\n\nAfter the rule.\n"
    found = clean.clean(text)
    assert found.metadata.title == "A Headline"
    assert [(b.kind, b.text) for b in found.blocks] == [
        ("body", "A paragraph."), ("heading", "Controlling the machinery"),
        ("body", "There are about 152,000 systems."), ("body", "After the rule.")]


def test_front_matter_is_metadata_not_text(tmp_path):
    (tmp_path / "a.md").write_text("---\ntitle: How hackers attack water systems\ndate: '2026-08-10'\nauthor: Jane Doe"
                                   "\ntags: [a, b]\n---\n\n" + BODY, encoding="utf-8")
    loaded = load_corpus(tmp_path)
    row = loaded.articles.iloc[0]
    assert (row["title"], row["date"], row["author"]) == ("How hackers attack water systems", "2026-08-10", "Jane Doe")
    assert not loaded.sentences["text"].str.contains("title:|---|tags", regex=True).any()
    assert formats.front_matter("---\n- a list\n---\nText")[1] == {}  # not a mapping: left as text


# --- headlines ---------------------------------------------------------------------------------------------------

BODY = ("The first paragraph of the body says something long enough to be a paragraph.\n\n"
        "The second paragraph goes on with its argument and ends with a period.\n\n"
        "The third paragraph closes the piece.\n")


@pytest.mark.parametrize("headline", ["Obama's legacy is secure.", "Why Seoul must act now!", "A plain headline"])
def test_the_first_line_standing_alone_is_the_headline_however_it_ends(headline):
    found = clean.clean(f"{headline}\n\n{BODY}")
    assert found.metadata.title == headline
    assert [r.rule for r in found.removed] == ["title"]
    assert all(headline not in b.text for b in found.blocks)


def test_the_manifest_title_finds_the_headline_below_other_header_lines():
    raw = f"Opinion\n\nThe allies drifted apart.\n\n{BODY}"
    found = clean.clean(raw, title="The allies drifted apart")
    assert found.metadata.title == "The allies drifted apart."
    assert not any("drifted apart" in b.text or b.text == "Opinion" for b in found.blocks)
    assert [r.rule for r in found.removed] == ["kicker", "title"]


def test_a_first_line_that_is_part_of_a_paragraph_is_not_a_headline():
    raw = "This first line ends with a period.\nAnd the same paragraph goes on.\n\n" + BODY
    assert clean.clean(raw).metadata.title is None


# --- paths are taken from where the user is -------------------------------------------------------------------------

def test_a_relative_path_is_taken_from_the_current_directory_first(tmp_path, monkeypatch):
    (tmp_path / "seeds").mkdir()
    monkeypatch.chdir(tmp_path)
    assert paths.resolve("seeds") == tmp_path / "seeds"
    assert paths.resolve("validation") == PROJECT_ROOT / "validation"  # not here: the project's
    assert paths.resolve("nowhere") == tmp_path / "nowhere"


def test_an_output_folder_is_never_put_into_the_project_unless_asked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert paths.resolve_output("my-output") == tmp_path / "my-output"
    assert paths.resolve_output("scratch") == paths.SCRATCH_DIR


def test_command_line_paths_are_relative_to_where_you_are(tmp_path, monkeypatch):
    (tmp_path / "mine").mkdir()
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "params.yaml").write_text("corpus_dir: corpus-next-to-params\n")
    monkeypatch.chdir(tmp_path)
    args = cli.build_parser().parse_args(["run", "-p", "actors_file=mine/actors.yaml"])
    assert cli.gather_params(args)["actors_file"] == str(tmp_path / "mine" / "actors.yaml")
    args = cli.build_parser().parse_args(["run", "--params", "p/params.yaml"])
    assert cli.gather_params(args)["corpus_dir"] == str(tmp_path / "p" / "corpus-next-to-params")


def test_papermill_with_a_seeds_folder_here_reads_this_one(tmp_path):
    """The issue's reproduction: a seeds/ folder in the current directory is the one read."""
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "mine.txt").write_text(f"My headline\n\n{BODY}", encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", "from opedlens.corpus.load import load_corpus; "
                             "print(load_corpus('seeds').doc_ids)"], cwd=tmp_path, capture_output=True, text=True)
    assert result.stdout.strip() == "['mine']", result.stderr
