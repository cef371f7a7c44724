"""Loading a corpus: the seeds' tables, metadata from manifest or text, encodings, and every bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import HILL, JAPAN_TIMES

from opedlens.corpus.load import load_corpus
from opedlens.corpus.segment import normalize_space
from opedlens.errors import InputError

BOILERPLATE = [
    "Print PRINT", "Getty Images", "September 12, 2019", "The Japan Times", "English Press", "Tags ",
    "More International News", "See All", "See all Hill.TV", "Follow", "@MatJunsuk", "@FDD",
    "is a research associate", "is president of the Sasakawa", "Ukraine",
]


def test_seeds_load_with_manifest_ids_and_metadata(seed_corpus):
    articles = seed_corpus.articles.set_index("doc_id")
    assert seed_corpus.doc_ids == ["ha-2019-hill", "akimoto-2019-japantimes"]
    assert articles.loc["ha-2019-hill", "date"] == "2019-07"
    assert articles.loc["ha-2019-hill", "date_inferred"]
    assert articles.loc["akimoto-2019-japantimes", "date"] == "2019-09-12"
    assert not articles.loc["akimoto-2019-japantimes", "date_inferred"]
    assert articles.loc["ha-2019-hill", "outlet"] == "The Hill"
    assert articles.loc["akimoto-2019-japantimes", "affiliation"] == "Sasakawa Peace Foundation USA"
    assert articles.loc["ha-2019-hill", "source"] == "seeds/000_421a8de7e923a454.txt"  # the same on every machine


def test_both_bios_are_metadata_not_body(seed_corpus):
    bios = seed_corpus.articles.set_index("doc_id")["bio"]
    assert bios["ha-2019-hill"].startswith("Mathew Ha is a research associate")
    assert "FDD is a Washington-based" in bios["ha-2019-hill"]
    assert "Follow" not in bios["ha-2019-hill"]
    assert bios["akimoto-2019-japantimes"].startswith("Satohiro Akimoto is president of the Sasakawa Peace Foundation")


@pytest.mark.parametrize("fragment", BOILERPLATE)
def test_cleaned_body_has_no_boilerplate(seed_corpus, fragment):
    body = "\n".join(seed_corpus.paragraphs["text"].map(normalize_space))
    assert fragment not in body


def test_subheads_are_flagged_headings_without_sentences(seed_corpus):
    paragraphs = seed_corpus.paragraphs
    headings = paragraphs[paragraphs["kind"] == "heading"]
    assert headings["text"].tolist() == ["Times have changed", "Generational gap", "What Washington could do"]
    assert (headings["n_sentences"] == 0).all()
    assert not seed_corpus.sentences["para_id"].isin(headings["para_id"]).any()


def test_every_row_points_back_to_its_raw_text(seed_corpus):
    for name in ("paragraphs", "sentences", "removed"):
        table = getattr(seed_corpus, name)
        for row in table.itertuples():
            assert seed_corpus.raw[row.doc_id][row.start : row.end] == row.text, (name, row)


def test_ids_are_unique_and_nested(seed_corpus):
    sentences = seed_corpus.sentences
    assert sentences["sent_id"].is_unique
    assert seed_corpus.paragraphs["para_id"].is_unique
    assert all(s.startswith(p + ".s") for s, p in zip(sentences["sent_id"], sentences["para_id"]))
    assert sentences.iloc[0]["sent_id"] == "ha-2019-hill.p01.s01"


def test_article_counts_match_the_tables(seed_corpus):
    for row in seed_corpus.articles.itertuples():
        sentences = seed_corpus.sentences[seed_corpus.sentences["doc_id"] == row.doc_id]
        assert row.n_sentences == len(sentences)
        assert row.n_words == sentences["n_words"].sum()
    assert seed_corpus.articles.set_index("doc_id").loc["akimoto-2019-japantimes", "n_headings"] == 3


def test_every_removal_names_its_rule(seed_corpus):
    removed = seed_corpus.removed
    assert removed["rule"].notna().all() and (removed["rule"] != "").all()
    assert {"print-button", "photo-credit", "bullet-metadata", "tag-list", "related-links", "social-follow",
            "author-bio", "title"} <= set(removed["rule"])


def test_files_without_a_manifest_take_metadata_from_the_text(tmp_path):
    shutil.copy(JAPAN_TIMES, tmp_path / "japan.txt")
    shutil.copy(HILL, tmp_path / "hill.txt")
    corpus = load_corpus(tmp_path)
    articles = corpus.articles.set_index("doc_id")
    assert corpus.doc_ids == ["hill", "japan"]
    assert articles.loc["japan", "title"].startswith("This time it’s for real")
    assert articles.loc["japan", "author"] == "Satohiro Akimoto"
    assert articles.loc["japan", "date"] == "2019-09-12"
    assert articles.loc["japan", "outlet"] == "The Japan Times"
    assert articles.loc["hill", "author"] == "Mathew Ha"
    assert "title" in articles.loc["hill", "metadata_from_text"].split(";")


def test_crlf_and_bom_give_the_same_sentences_with_exact_offsets(tmp_path):
    text = JAPAN_TIMES.read_text(encoding="utf-8")
    (tmp_path / "lf.txt").write_text(text, encoding="utf-8", newline="\n")
    (tmp_path / "crlf.txt").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    corpus = load_corpus(tmp_path)
    sentences = corpus.sentences
    lf = sentences[sentences["doc_id"] == "lf"]["text"].map(normalize_space).tolist()
    crlf = sentences[sentences["doc_id"] == "crlf"]["text"].map(normalize_space).tolist()
    assert lf == crlf
    for row in sentences.itertuples():
        assert corpus.raw[row.doc_id][row.start : row.end] == row.text
    articles = corpus.articles.set_index("doc_id")
    assert articles.loc["crlf", "has_bom"] and articles.loc["crlf", "newlines"] == "CRLF"
    assert articles.loc["lf", "newlines"] == "LF"


def test_doc_ids_select_and_order_articles():
    from opedlens.paths import SEEDS_DIR

    corpus = load_corpus(SEEDS_DIR, doc_ids=["akimoto-2019-japantimes"])
    assert corpus.doc_ids == ["akimoto-2019-japantimes"]
    assert set(corpus.sentences["doc_id"]) == {"akimoto-2019-japantimes"}


def test_relative_corpus_path_resolves_from_the_project_root(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert load_corpus("seeds").doc_ids == ["ha-2019-hill", "akimoto-2019-japantimes"]


# --- bad input: one clear error naming the file -------------------------------------------------------------


def _manifest(folder: Path, text: str) -> None:
    (folder / "manifest.csv").write_text(text, encoding="utf-8")


def _file(data: bytes):
    """A maker of a corpus folder holding one file ``a.txt`` with ``data``."""

    def make(folder: Path) -> Path:
        (folder / "a.txt").write_bytes(data)
        return folder

    return make


BAD_INPUTS = {
    "missing folder": (lambda d: d / "nope", "nope", "does not exist"),
    "empty folder": (lambda d: d, "", "no article files"),
    "empty file": (_file(b""), "a.txt", "file is empty"),
    "whitespace only": (_file(b" \n\t\n  \n"), "a.txt", "only whitespace"),
    "bom and whitespace": (_file(b"\xef\xbb\xbf \r\n"), "a.txt", "only whitespace"),
    "binary": (_file(b"PK\x03\x04\x00\x00data"), "a.txt", "NUL byte at byte offset 4"),
    "undecodable": (_file("Seoul and Tokyo".encode() + b"\xff\xfe rest"), "a.txt", "not valid UTF-8 at byte offset 15"),
    "latin-1 text": (_file("Caf\u00e9 society.".encode("latin-1")), "a.txt", "not valid UTF-8 at byte offset 3"),
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_files_raise_one_line_errors_naming_the_file(tmp_path, case):
    make, name, problem = BAD_INPUTS[case]
    folder = make(tmp_path)
    with pytest.raises(InputError) as caught:
        load_corpus(folder)
    message = str(caught.value)
    assert problem in message and "\n" not in message
    assert str(tmp_path / name).rstrip("/") in message


def test_duplicate_doc_ids_in_the_manifest(corpus_copy):
    _manifest(corpus_copy, "doc_id,file\nsame,000_421a8de7e923a454.txt\nsame,004_82dceb41ffbd2d64.txt\n")
    with pytest.raises(InputError, match=r"manifest.csv: duplicate doc_id 'same' \(lines 2 and 3\)"):
        load_corpus(corpus_copy)


def test_unlisted_file_whose_id_collides_with_the_manifest(corpus_copy):
    _manifest(corpus_copy, "doc_id,file\nextra,000_421a8de7e923a454.txt\n")
    shutil.copy(HILL, corpus_copy / "extra.txt")
    with pytest.raises(InputError, match=r"extra.txt: duplicate doc_id 'extra'"):
        load_corpus(corpus_copy)


def test_manifest_row_pointing_at_a_missing_file(corpus_copy):
    _manifest(corpus_copy, "doc_id,file\nha,000_421a8de7e923a454.txt\ngone,missing.txt\n")
    with pytest.raises(InputError, match=r"manifest.csv: line 3: file 'missing.txt' not found"):
        load_corpus(corpus_copy)


def test_manifest_missing_required_columns(corpus_copy):
    _manifest(corpus_copy, "id,path\nha,000_421a8de7e923a454.txt\n")
    with pytest.raises(InputError, match=r"manifest.csv: manifest is missing required column\(s\): doc_id, file"):
        load_corpus(corpus_copy)


@pytest.mark.parametrize(
    "row, problem",
    [("Bad ID,000_421a8de7e923a454.txt,2019", "doc_id 'Bad ID' must be lowercase"),
     ("ha,000_421a8de7e923a454.txt,12/07/2019", "date '12/07/2019' is not a real date as YYYY")],
)
def test_manifest_values_are_checked(corpus_copy, row, problem):
    _manifest(corpus_copy, f"doc_id,file,date\n{row}\n")
    with pytest.raises(InputError, match=problem):
        load_corpus(corpus_copy)


def test_unknown_doc_id_lists_the_known_ones():
    from opedlens.paths import SEEDS_DIR

    with pytest.raises(InputError, match="unknown doc_id.*nobody.*ha-2019-hill"):
        load_corpus(SEEDS_DIR, doc_ids=["nobody"])


def test_a_file_of_only_boilerplate_is_refused(tmp_path):
    (tmp_path / "chrome.txt").write_text("Print PRINT\n\nGetty Images\n\nSee All\n", encoding="utf-8")
    with pytest.raises(InputError, match="chrome.txt: no article text left"):
        load_corpus(tmp_path)


def test_line_numbers_agree_across_tables_for_cr_only_files(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"A headline here\r\rFirst paragraph here. Second one.\r\r"
                                     b"Jane Doe is a fellow at the Example Institute.\r")
    corpus = load_corpus(tmp_path)
    assert corpus.sentences["line"].tolist() == [3, 3]
    assert corpus.paragraphs["line"].tolist() == [3]
    assert corpus.removed.set_index("rule").loc["author-bio", "line"] == 5
