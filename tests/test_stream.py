"""The streamed per-sentence pipeline: same ids and roles as the notebooks, batch size does not matter."""

from __future__ import annotations

import pandas as pd
import pytest

from opedlens import embed, nlp, stream
from opedlens.errors import InputError

pytestmark = pytest.mark.skipif(not (embed.available() and nlp.available()),
                                reason="needs the MiniLM weights and spaCy's model: run `make install`")


@pytest.fixture(scope="module")
def streamed(tmp_path_factory):
    out = tmp_path_factory.mktemp("stream")
    stats = stream.run("seeds", out, batch_sentences=1)
    return out, stats


def test_every_table_is_written_with_every_sentence(streamed, seed_corpus):
    out, stats = streamed
    assert {f"{name}.csv" for name in stream.TABLES} <= {p.name for p in out.iterdir()}
    assert stats.articles == 2 and stats.sentences == len(seed_corpus.sentences)
    sentences = pd.read_csv(out / "sentences.csv")
    assert sentences["sent_id"].tolist() == seed_corpus.sentences["sent_id"].tolist()
    units = pd.read_csv(out / "argument-units.csv")
    assert units["sent_id"].tolist() == seed_corpus.sentences["sent_id"].tolist()
    assert (units["role"] == "main claim").sum() == 2


def test_batch_size_does_not_change_the_tables(streamed, tmp_path):
    out, _ = streamed
    stream.run("seeds", tmp_path / "one-batch", batch_sentences=1_000)
    for name in ("argument-units", "recommendations", "sources", "actor-mentions", "sentences"):
        assert (out / f"{name}.csv").read_bytes() == (tmp_path / "one-batch" / f"{name}.csv").read_bytes(), name
    a = pd.read_csv(out / "scores.csv")
    b = pd.read_csv(tmp_path / "one-batch" / "scores.csv")
    assert (a["accurate"] - b["accurate"]).abs().max() <= 1e-4


def test_recommendations_match_the_notebook_extraction(streamed, seed_corpus):
    from opedlens import actors, recommendations

    out, _ = streamed
    expected = recommendations.extract(seed_corpus.sentences, actors.load_gazetteer())
    assert pd.read_csv(out / "recommendations.csv")["rec_id"].tolist() == expected["rec_id"].tolist()


def test_a_folder_with_tables_is_not_overwritten(streamed):
    out, _ = streamed
    before = (out / "scores.csv").read_bytes()
    with pytest.raises(InputError, match="already holds pipeline tables"):
        stream.run("seeds", out)
    assert (out / "scores.csv").read_bytes() == before


def test_unknown_scorer_is_refused_before_reading(tmp_path):
    with pytest.raises(InputError, match="unknown scorer"):
        stream.run("seeds", tmp_path, scorer="nope")
    assert not any(tmp_path.iterdir())
