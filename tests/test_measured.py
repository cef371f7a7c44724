"""The notebooks read what `opedlens measure` wrote: `measured_corpus` opens a measured folder for the articles a
notebook compares (or measures the corpus once, when no folder is given), `opedlens run` measures first or reads
`--measured DIR`, and no notebook computes a per-sentence measure itself."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from opedlens.errors import InputError
from opedlens.measure import dataset, embed, measured

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
ROOT = Path(__file__).resolve().parents[1]
HA = "ha-2019-hill"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("measured") / "seeds"
    dataset.measure_corpus("seeds", out, dataset.Settings(scorers=("vader", "textblob")))
    return out


def test_the_tables_are_the_corpus_articles_in_the_order_asked(folder, seed_corpus):
    ids = seed_corpus.doc_ids[::-1]
    corpus = measured.open_measured(folder, ids)
    assert corpus.articles["doc_id"].tolist() == ids
    assert corpus.sentences["doc_id"].drop_duplicates().tolist() == ids
    expected = seed_corpus.sentences.set_index("sent_id").loc[corpus.sentences["sent_id"]]
    assert corpus.sentences["text"].tolist() == expected["text"].tolist()
    assert corpus.sentences["start"].tolist() == expected["start"].tolist()
    one = measured.open_measured(folder, ids[:1])
    assert set(one.table("argument-units")["doc_id"]) == {ids[0]}


def test_an_article_not_measured_is_named(folder):
    with pytest.raises(InputError, match="no-such-article"):
        measured.open_measured(folder, ["no-such-article"])


def test_scores_come_in_the_order_the_notebook_ranks_them(folder):
    corpus = measured.open_measured(folder)
    scores = corpus.scores(["textblob", "vader"])
    names = [c for c in scores.columns if c in ("textblob", "vader")]
    assert names == ["textblob", "vader"]
    assert scores.columns[-4:].tolist() == ["textblob_subjectivity", "vader_pos", "vader_neu", "vader_neg"]
    with pytest.raises(InputError, match="accurate"):
        corpus.scores(["accurate"])


def test_a_folder_measured_otherwise_is_refused_with_what_differs(folder):
    with pytest.raises(InputError, match="scorers"):
        measured.ensure("seeds", folder, dataset.Settings(scorers=("accurate",)))
    with pytest.raises(InputError, match="actors_from_corpus"):
        measured.ensure("seeds", folder, dataset.Settings(scorers=("vader",), actors_from_corpus=True))
    assert measured.ensure("seeds", folder, dataset.Settings(scorers=("accurate",)), check_scorers=False) == folder


@pytest.fixture(scope="module")
def with_corpus_actors(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("measured") / "with-corpus-actors"
    dataset.measure_corpus("seeds", out, dataset.Settings(scorers=("vader",), embeddings=False,
                                                          actors_from_corpus=True))
    return out


def test_a_notebook_that_reads_no_actor_opens_a_folder_measured_with_the_corpus_actors(with_corpus_actors):
    """`opedlens run -p actors_from_corpus=true` measures once and hands the folder to every notebook: notebook 03
    (topics, no actor, recommendation or role) opens it; 02 and 04 pass the parameter on, and a mismatch is refused."""
    out = with_corpus_actors
    assert measured.measured_corpus("seeds", out, doc_ids=[HA]).doc_ids == [HA]  # notebook 03's call
    asked = dict(scorers=["vader"], actors_file="")
    assert measured.measured_corpus("seeds", out, actors_from_corpus=True, **asked).folder == out
    with pytest.raises(InputError, match="actors_from_corpus"):
        measured.measured_corpus("seeds", out, actors_from_corpus=False, **asked)


def test_an_unfinished_folder_is_refused(tmp_path):
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / dataset.SETTINGS_FILE).write_text(json.dumps({"finished": False}))
    with pytest.raises(InputError, match="did not finish"):
        measured.ensure("seeds", tmp_path / "half")


def test_without_a_folder_the_corpus_is_measured_once(monkeypatch, tmp_path):
    monkeypatch.setenv("OPEDLENS_CACHE", "on")
    monkeypatch.setenv("OPEDLENS_CACHE_DIR", str(tmp_path / "cache"))
    settings = dict(scorers=["vader"], doc_ids=[HA])
    first = measured.measured_corpus("seeds", **settings)
    assert first.folder.parent == tmp_path / "cache" / "measured"
    assert first.doc_ids == [HA] and set(first.sentences["doc_id"]) == {HA}
    monkeypatch.setattr(dataset, "measure_batch", lambda *a, **k: pytest.fail("measured again"))
    again = measured.measured_corpus("seeds", **settings)
    assert again.folder == first.folder
    pd.testing.assert_frame_equal(again.table("recommendations"), first.table("recommendations"))


def test_measured_vectors_are_read_not_encoded(folder, monkeypatch):
    corpus = measured.open_measured(folder)
    units = corpus.sentences.head(3)
    corpus.remember_vectors(units)
    monkeypatch.setattr(embed.MiniLM, "_forward", lambda *a: pytest.fail("the encoder ran"))
    stored = np.stack(corpus.table("embeddings").head(3)["vector"].to_numpy())
    spaced = [text.replace(" ", "  ") for text in units["text"]]  # claim matching collapses white space again
    assert np.array_equal(embed.sentence_vectors(units["text"]), stored)
    assert np.array_equal(embed.sentence_vectors([" ".join(t.split()) for t in spaced]), stored)


def test_the_argument_comparison_reads_every_vector_it_needs(folder, monkeypatch):
    """Notebook 04 hands the measured vectors of its units over once; matching claims and finding the reasons for
    recommendations then never load the sentence encoder (seconds in a report, for vectors already measured)."""
    from collections import OrderedDict

    from opedlens.compare import align, argument_views, contrast, groups

    corpus = measured.open_measured(folder)
    units, recs = corpus.table("argument-units"), corpus.table("recommendations")
    plan = groups.plan(corpus.articles, "")
    monkeypatch.setattr(embed, "_memo", OrderedDict())  # what measuring the folder in this process left behind
    corpus.remember_vectors(units)
    monkeypatch.setattr(embed, "load", lambda: pytest.fail("the sentence encoder was loaded"))
    points = align.compare_groups(argument_views.claims_by_group(units, plan), plan, "minilm")[1]
    reasons = contrast.reasons(units, recs, plan.group_of)
    assert len(points) and len(reasons)
    shown = reasons.groupby("side")["sent_id"].transform("size")
    assert (reasons["side_articles"] == 1).all() and (reasons["side_reasons"] >= shown).all()  # one article a side


def test_actors_from_the_corpus_are_found_once_and_kept_with_the_tables(with_corpus_actors, seed_corpus):
    from opedlens.measure import actors

    corpus = measured.open_measured(with_corpus_actors)
    expected = actors.gazetteer_for(seed_corpus.sentences, None, from_corpus=True)
    assert corpus.gazetteer.from_corpus == expected.from_corpus and corpus.gazetteer.from_corpus
    assert corpus.gazetteer.labels == expected.labels
    labels = set(corpus.table("actor-mentions")["actor_label"])
    assert {expected.labels[a] for a in expected.from_corpus} & labels


# --- the notebooks read, they do not measure -----------------------------------------------------------------------

PER_SENTENCE = {("sentiment", "score_sentences"), ("nlp", "parse"), ("recommendations", "extract"),
                ("sources", "extract"), ("stance", "stance_markers"), ("evidence", "classify"),
                ("arguments", "argument_units"), ("targeted", "actor_sentiment"), ("actors", "find_mentions"),
                ("actors", "gazetteer_for"), ("embed", "sentence_vectors"), (None, "load_corpus")}


@pytest.mark.parametrize("name", ["02-score-sentiment", "03-model-topics", "04-compare-arguments"])
def test_no_notebook_after_the_first_computes_a_per_sentence_measure(name):
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    calls = set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    isinstance(node.func.value, ast.Name):
                calls.add((node.func.value.id, node.func.attr))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                calls.add((None, node.func.id))
    assert not calls & PER_SENTENCE, f"{name} computes {calls & PER_SENTENCE}"
    assert (None, "measured_corpus") in calls
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])][0].source
    assert "measured_dir: str = \"\"" in params


def test_the_run_measures_first_or_reads_the_folder_given(folder, monkeypatch):
    from opedlens.report import pipeline

    specs = pipeline.discover(only=["02"])
    params = {"corpus_dir": "seeds", "scorers": ["vader"]}
    given = pipeline.measure_first(specs, params | {"measured_dir": str(folder)}, log=lambda line: None)
    assert Path(given["measured_dir"]).resolve() == folder.resolve()
    with pytest.raises(InputError, match="scorers"):
        pipeline.measure_first(specs, {"corpus_dir": "seeds", "measured_dir": str(folder)}, log=lambda line: None)
    assert pipeline.measure_first(pipeline.discover(only=["01"]), params, log=lambda line: None) == params
    calls = []
    monkeypatch.setattr(dataset, "measure_corpus", lambda *a, **k: calls.append(a))
    monkeypatch.setattr(dataset, "read_index", lambda folder: None)
    measured_now = pipeline.measure_first(specs, params, log=lambda line: None)
    assert calls and calls[0][0] == (ROOT / "seeds") and measured_now["measured_dir"]


def test_a_changed_manifest_row_is_measured_again_and_a_stale_folder_refused(tmp_path):
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "seeds", corpus)
    out = tmp_path / "measured"
    settings = dataset.Settings(scorers=("vader",), embeddings=False)
    dataset.measure_corpus(corpus, out, settings)
    assert dataset.unmeasured(corpus, out) == []
    manifest = (corpus / "manifest.csv").read_text(encoding="utf-8")
    (corpus / "manifest.csv").write_text(manifest.replace("The Hill", "The Hill (print)"), encoding="utf-8")
    assert dataset.unmeasured(corpus, out) == [HA]
    with pytest.raises(InputError, match=f"1 article.*{HA}.*opedlens measure"):
        measured.ensure(corpus, out, settings, check_articles=True)
    again = dataset.measure_corpus(corpus, out, settings)
    assert again.articles == 1 and again.skipped_articles == 1
    outlets = measured.open_measured(out).articles.set_index("doc_id")["outlet"]
    assert outlets[HA] == "The Hill (print)"


_HOLD_A_TEMPORARY_FOLDER = """
import os, signal, sys
from opedlens.measure import measured
print(measured._temporary_root(), flush=True)
if sys.argv[1] == "killed":
    os.kill(os.getpid(), signal.SIGKILL)  # as a kernel stopped at once: no finalizer runs
sys.stdin.read()  # alive until told
"""


def test_the_temporary_folders_of_killed_processes_are_removed_and_live_ones_kept(tmp_path):
    """With the cache off, each process measures into a temporary folder it removes at exit; one that was killed
    leaves it behind, and the next process removes it, but never a live process's folder nor one without an owner."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONPATH": str(ROOT / "lib")}

    def start(how: str) -> tuple[subprocess.Popen, Path]:
        process = subprocess.Popen([sys.executable, "-c", _HOLD_A_TEMPORARY_FOLDER, how], env=env, text=True,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        return process, Path(process.stdout.readline().strip())

    killed, killed_folder = start("killed")
    assert killed.wait(timeout=60) == -9 and (killed_folder / "measured").parent.is_dir()
    alive, alive_folder = start("alive")
    unowned = tmp_path / f"{measured.TEMPORARY_PREFIX}unowned"  # not made by a process that locks it: left alone
    unowned.mkdir()
    other = tmp_path / "someone-elses"
    other.mkdir()
    try:
        assert not killed_folder.exists()  # the live process's start removed it
        assert alive_folder.is_dir() and (alive_folder / measured.OWNER_FILE).is_file()
        third, third_folder = start("alive")
        third.communicate("")
        assert alive_folder.is_dir() and unowned.is_dir() and other.is_dir()
        assert not third_folder.exists()  # a process that ended normally removed its own
    finally:
        alive.communicate("")
    assert not alive_folder.exists() and unowned.is_dir() and other.is_dir()
