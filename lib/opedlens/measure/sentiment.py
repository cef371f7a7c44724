"""Sentence sentiment measured: each sentence flagged (scored or why not) and scored by the chosen scorers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from opedlens.corpus.language import language_of
from opedlens.measure import embed, lexicon, scorers

ID_COLUMNS = ["doc_id", "para_id", "sent_id"]


def flag_sentences(sentences: pd.DataFrame) -> pd.DataFrame:
    """ids, normalised position in the article, language, and why a sentence is not scored.

    Unscored: sentences without a letter (empty, punctuation, numbers) and sentences not in
    English. Very long sentences are scored, with a note that the embedding model read only their
    first 256 tokens.
    """
    out = sentences[ID_COLUMNS].copy()
    order = sentences.groupby("doc_id", sort=False).cumcount()
    size = sentences.groupby("doc_id", sort=False)["sent_id"].transform("size")
    out["position"] = ((order + 0.5) / size).round(4)
    out["n_chars"] = sentences["text"].str.len()
    has_letters = sentences["text"].str.contains(r"[^\W\d_]", regex=True)
    out["language"] = [language_of(t) if ok else "" for t, ok in zip(sentences["text"], has_letters)]
    out["scored"] = has_letters & (out["language"] == "en")
    out["flag"] = np.select(
        [~has_letters, out["language"] != "en"],
        ["no words to score", "not English (" + out["language"] + "): left unscored"],
        "",
    )
    return out


def score_sentences(sentences: pd.DataFrame, names) -> pd.DataFrame:
    """One row per sentence: flags, then one score column per scorer (NaN where unscored),
    plus VADER's proportions and TextBlob's subjectivity when those scorers are chosen."""
    names = scorers.check_names(names)
    table = flag_sentences(sentences)
    ok = table["scored"].to_numpy()
    texts = sentences.loc[ok, "text"].tolist()
    if "accurate" in names and texts:
        long = embed.load().tokenizer.encode_batch(texts)
        truncated = np.array([len(e.overflowing) > 0 for e in long])
        note = np.where(truncated, "long: the embedding model read its first 256 tokens", "")
        table.loc[ok, "flag"] = note
    for name in names:
        table[name] = np.nan
        table.loc[ok, name] = np.round(scorers.score(name, texts), 4)
    if "vader" in names:
        parts = lexicon.vader(texts)
        for column in ("vader_pos", "vader_neu", "vader_neg"):
            table[column] = np.nan
            table.loc[ok, column] = parts[column].to_numpy()
    if "textblob" in names:
        table["textblob_subjectivity"] = np.nan
        subjectivity = lexicon.textblob(texts)["textblob_subjectivity"].to_numpy()
        table.loc[ok, "textblob_subjectivity"] = np.round(subjectivity, 4)
    return table


def warm_up() -> None:
    """Load what scoring sentences needs: the lexicons, the MiniLM encoder and the language identifier (see
    opedlens.report.kernels)."""
    from opedlens.corpus import language

    lexicon.warm_up()
    embed.warm_up()
    language.warm_up()
