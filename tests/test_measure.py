"""`opedlens measure`: every per-sentence table once, in Parquet; a rerun finishes only what is missing; the Dask
engine (a real local cluster: `dask scheduler` and two `dask worker` processes on 127.0.0.1) writes the same tables."""

from __future__ import annotations

import os
import platform
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from opedlens import cluster
from opedlens.errors import InputError
from opedlens.measure import dataset

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SETTINGS = dataset.Settings(scorers=("accurate", "vader"), batch_sentences=25)


@pytest.fixture(scope="module")
def six_articles(tmp_path_factory) -> Path:
    """Six articles: each seed op-ed cut into three runs of paragraphs (different bytes, real text)."""
    folder = tmp_path_factory.mktemp("six")
    for path in sorted(SEEDS.glob("*.txt")):
        paragraphs = [p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
        third = len(paragraphs) // 3
        for n, start in enumerate((0, third, 2 * third)):
            end = start + third if n < 2 else len(paragraphs)
            (folder / f"{path.stem}-{n}.txt").write_text("\n\n".join(paragraphs[start:end]) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def measured_locally(six_articles, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local") / "measured"
    dataset.measure_corpus(six_articles, out, SETTINGS)
    return out


def tables(folder: Path) -> dict[str, pd.DataFrame]:
    return {name: dataset.read_table(folder, name) for name in ("articles", *dataset.TABLES)}


def assert_same_tables(a: Path, b: Path) -> None:
    left, right = tables(a), tables(b)
    for name in left:
        frame_a, frame_b = left[name], right[name]
        if name == "articles":  # where the file was read from is not a measure
            frame_a, frame_b = frame_a.drop(columns=["path"], errors="ignore"), frame_b.drop(columns=["path"],
                                                                                            errors="ignore")
        if name == "embeddings":
            if frame_a.empty and frame_b.empty:
                continue
            assert frame_a["sent_id"].tolist() == frame_b["sent_id"].tolist()
            assert all(np.allclose(x, y, atol=1e-6) for x, y in zip(frame_a["vector"], frame_b["vector"]))
            continue
        pd.testing.assert_frame_equal(frame_a, frame_b, check_dtype=True, obj=name)


def test_every_table_holds_every_sentence_with_typed_columns(measured_locally, six_articles):
    got = tables(measured_locally)
    assert len(got["articles"]) == 6
    sentences = got["sentences"]
    assert sentences["sent_id"].is_unique and len(sentences) > 50
    for name in ("sentence-scores", "argument-units", "embeddings"):
        assert got[name]["sent_id"].tolist() == sentences["sent_id"].tolist(), name
    assert pd.api.types.is_float_dtype(got["sentence-scores"]["accurate"])
    assert len(got["embeddings"]["vector"].iloc[0]) == 384
    assert set(got["recommendations"]["sent_id"]) <= set(sentences["sent_id"])
    assert dataset.settings_of(measured_locally)["finished"] is True


def test_the_tables_match_what_the_notebooks_compute(measured_locally, six_articles):
    from opedlens.corpus.load import load_corpus
    from opedlens.measure import sentiment

    corpus = load_corpus(six_articles)
    scores = sentiment.score_sentences(corpus.sentences, ["accurate", "vader"])
    got = dataset.read_table(measured_locally, "sentence-scores")
    pd.testing.assert_frame_equal(got[scores.columns.tolist()], scores.reset_index(drop=True))


@pytest.fixture(scope="module")
def seeds_measured(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seeds") / "measured"
    dataset.measure_corpus("seeds", out, dataset.Settings(scorers=("vader",), embeddings=False, batch_sentences=1))
    return out


def test_seed_ids_roles_and_recommendations_are_the_notebooks(seeds_measured, seed_corpus):
    from opedlens.measure import actors, recommendations

    units = dataset.read_table(seeds_measured, "argument-units")
    assert units["sent_id"].tolist() == seed_corpus.sentences["sent_id"].tolist()
    assert (units["role"] == "main claim").sum() == 2
    expected = recommendations.extract(seed_corpus.sentences, actors.load_gazetteer())
    assert dataset.read_table(seeds_measured, "recommendations")["rec_id"].tolist() == expected["rec_id"].tolist()


def test_batch_size_does_not_change_the_tables(seeds_measured, tmp_path):
    one_batch = tmp_path / "one-batch"
    dataset.measure_corpus("seeds", one_batch,
                           dataset.Settings(scorers=("vader",), embeddings=False, batch_sentences=1_000))
    assert len(list((seeds_measured / "articles").glob("part-*"))) == 2
    assert len(list((one_batch / "articles").glob("part-*"))) == 1
    assert_same_tables(seeds_measured, one_batch)


def test_a_measured_folder_records_every_shipped_model_file():
    """The trained models, the matching weights and the encoder's graph structures: a folder measured with other
    ones is refused (``_check_settings``)."""
    from opedlens.paths import MODELS_DIR

    recorded = dataset.versions()["models"]
    structures = {p.name for p in MODELS_DIR.glob("encoder-graph-*.onnx")}
    assert len(structures) == 3 and structures | {"evidence-tuned.npz", "matching-cosine.json"} <= set(recorded)
    assert "README.md" not in recorded


@pytest.mark.parametrize("changed, measures", [
    ("measure/stance.py", True), ("corpus/segment.py", True), ("data/actors.yaml", True), ("errors.py", True),
    ("report/summary.py", False), ("compare/align.py", False), ("validate/gold.py", False), ("cli.py", False)])
def test_the_code_version_changes_with_the_code_that_measures_only(tmp_path, changed, measures):
    """A folder measured with other code is refused, and the report's default folder is named by this hash: a fix to
    how findings read must not send a researcher back to measuring 100,000 articles, a change to a rule must."""
    from opedlens.paths import PACKAGE_DIR

    copy = shutil.copytree(PACKAGE_DIR, tmp_path / "opedlens", ignore=shutil.ignore_patterns("__pycache__", "*.onnx",
                                                                                            "*.npz"))
    before = dataset.code_version(copy)
    assert before == dataset.code_version()
    with open(copy / changed, "a", encoding="utf-8") as edited:
        edited.write("\n# an edit\n")
    assert (dataset.code_version(copy) != before) is measures


def test_unknown_scorer_is_refused_before_reading(tmp_path):
    with pytest.raises(InputError, match="unknown scorer"):
        dataset.measure_corpus("seeds", tmp_path / "out", dataset.Settings(scorers=("nope",)))
    assert not (tmp_path / "out").exists()


def test_a_rerun_measures_nothing_twice(measured_locally, six_articles):
    before = {p: p.stat().st_mtime_ns for p in measured_locally.rglob("part-*.parquet")}
    stats = dataset.measure_corpus(six_articles, measured_locally, SETTINGS)
    assert (stats.articles, stats.skipped_articles) == (0, 6)
    assert {p: p.stat().st_mtime_ns for p in measured_locally.rglob("part-*.parquet")} == before


def test_an_interrupted_run_finishes_only_what_was_missing(six_articles, measured_locally, tmp_path):
    out = tmp_path / "measured"
    committed = []

    def stop_after_two_batches(line: str) -> None:
        committed.append(line)
        if len(committed) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        dataset.measure_corpus(six_articles, out, SETTINGS, log=stop_after_two_batches)
    assert dataset.settings_of(out)["finished"] is False
    with pytest.raises(InputError, match="did not finish"):
        dataset.read_table(out, "sentences")
    first = dataset.measured(out)
    # what a run killed in the middle of a batch leaves: a table part of a batch never committed, a temporary file
    (out / "sentences" / "part-0123456789abcdef.parquet").write_bytes(b"half a batch")
    (out / "sentences" / ".part-0123456789abcdef.parquet.99.tmp").write_bytes(b"half a file")
    (out / "my-notes.txt").write_text("kept")
    stats = dataset.measure_corpus(six_articles, out, SETTINGS)
    assert stats.skipped_articles == len(first) > 0
    assert stats.articles == 6 - len(first)
    assert not (out / "sentences" / "part-0123456789abcdef.parquet").exists()
    assert not list(out.rglob("*.tmp"))
    assert (out / "my-notes.txt").read_text() == "kept"
    assert_same_tables(out, measured_locally)


def test_a_changed_article_is_measured_again_and_a_removed_one_leaves(six_articles, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(six_articles, corpus)
    out = tmp_path / "measured"
    dataset.measure_corpus(corpus, out, SETTINGS)
    changed = sorted(corpus.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA new closing paragraph says this was changed.\n",
                       encoding="utf-8")
    sorted(corpus.glob("*.txt"))[-1].unlink()
    stats = dataset.measure_corpus(corpus, out, SETTINGS)
    assert (stats.articles, stats.skipped_articles) == (1, 4)
    sentences = dataset.read_table(out, "sentences")
    assert sentences["doc_id"].nunique() == 5
    assert sentences["text"].str.contains("this was changed").sum() == 1


def test_other_settings_are_refused_not_mixed(measured_locally, six_articles):
    with pytest.raises(InputError, match="other settings"):
        dataset.measure_corpus(six_articles, measured_locally, dataset.Settings(scorers=("vader",), batch_sentences=25))


def test_a_folder_that_is_not_a_measured_one_is_refused(six_articles, tmp_path):
    (tmp_path / "precious.txt").write_text("mine")
    with pytest.raises(InputError, match="not an opedlens measure folder"):
        dataset.measure_corpus(six_articles, tmp_path, SETTINGS)
    assert (tmp_path / "precious.txt").read_text() == "mine"


def test_the_command_refuses_an_output_inside_the_corpus(six_articles, tmp_path, capsys):
    from opedlens.cli import main

    corpus = tmp_path / "corpus"
    shutil.copytree(six_articles, corpus)
    assert main(["measure", "--corpus", str(corpus), "--output", str(corpus / "measured")]) == 1
    assert "inside the corpus" in capsys.readouterr().err
    assert not (corpus / "measured").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _cluster(worker_options: tuple[str, ...] = ()) -> Iterator[tuple[str, dict[str, subprocess.Popen]]]:
    """`dask scheduler` and two `dask worker` processes (one thread each) on 127.0.0.1: the scheduler's address and
    each worker's process by the worker's address."""
    pytest.importorskip("distributed")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask = str(Path(sys.executable).parent / "dask")  # the command a lab runs on its machines
    scheduler = subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ports = [_free_port() for _ in range(2)]
    workers = {f"tcp://127.0.0.1:{p}": subprocess.Popen(
        [dask, "worker", address, "--nthreads", "1", "--host", "127.0.0.1", "--worker-port", str(p),
         "--no-dashboard", "--memory-limit", "0", *worker_options],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for p in ports}
    try:
        from dask.distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address, workers
    finally:
        # The workers first, then the scheduler: a worker told to stop after its scheduler has gone waited up to
        # 30 s to say goodbye to it (distributed's connect timeout), in one teardown of three.
        for group in (list(workers.values()), [scheduler]):
            for process in group:
                process.terminate()
            for process in group:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


@pytest.fixture(scope="module")
def dask_cluster():
    """A real cluster: `dask scheduler` and two `dask worker` processes (one thread each) on 127.0.0.1."""
    with _cluster() as (address, _):
        yield address


def test_a_real_dask_cluster_writes_the_same_tables(dask_cluster, six_articles, measured_locally, tmp_path,
                                                    monkeypatch):
    """... and the process feeding the cluster does not split the articles into sentences (most of reading's cost:
    done there, it would cap how many machines a run can keep busy); the workers do."""
    from opedlens.corpus import segment

    monkeypatch.setattr(segment, "split_sentences", lambda *a: pytest.fail("segmented outside the workers"))
    out = tmp_path / "on-dask"
    stats = dataset.measure_corpus(six_articles, out, SETTINGS, engine="dask", scheduler=dask_cluster)
    assert stats.articles == 6
    assert "embed" in stats.seconds and "embed, joined" not in stats.seconds  # no helper thread on a worker
    assert_same_tables(out, measured_locally)


def test_a_batch_takes_a_second_core_only_where_one_is_free(monkeypatch):
    """In one process a helper thread embeds beside the parse when the process may use two cores or more; a Dask
    worker's batch stays on its thread (the worker's threads are the cores it was given)."""
    monkeypatch.setattr(dataset.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert dataset._spare_core()
    monkeypatch.setattr(dataset.os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert not dataset._spare_core()


_FAULTS_OF_FRESH_ARRAYS = """
import resource, sys
import numpy as np
from opedlens.measure import dataset
if sys.argv[1] == "settled":
    dataset._settle_malloc()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(400):
    np.ones(2**17)  # 1 MiB, made and freed
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's allocator and its settings")
def test_a_worker_reuses_freed_memory_despite_dasks_trim_setting():
    """Dask starts workers with MALLOC_TRIM_THRESHOLD_=65536, under which every array over 128 KiB is mapped afresh
    and each of its pages faulted in; a measuring process sets glibc back to reusing what it freed."""
    env = {**os.environ, "MALLOC_TRIM_THRESHOLD_": "65536"}

    def page_faults(mode: str) -> int:
        run = subprocess.run([sys.executable, "-c", _FAULTS_OF_FRESH_ARRAYS, mode], env=env, capture_output=True,
                             text=True, check=True)
        return int(run.stdout.strip())

    as_dask_starts_it, settled = page_faults("as started"), page_faults("settled")
    assert as_dask_starts_it > 400 * 200  # the premise: about 256 faults per array
    assert settled < as_dask_starts_it / 20


def test_claim_matching_scores_its_candidate_pairs_on_a_real_cluster_with_the_same_bits(dask_cluster, seed_corpus,
                                                                                      monkeypatch):
    """Notebook 04 with ``-p scheduler=ADDRESS``: the cross-encoder's chunks run as tasks on the workers, which load
    the model, and the probabilities are those computed here, to the bit (the same chunks, one BLAS thread each)."""
    from dask.distributed import Client

    from opedlens.compare import align
    from opedlens.measure import crossencoder

    if not crossencoder.available(align.RERANKER):
        pytest.skip("the matching cross-encoder is not installed")
    monkeypatch.setattr(align, "PAIR_CHUNK", 7)  # several chunks, one of them short
    texts = seed_corpus.sentences["text"].tolist()
    texts_a, texts_b = texts[:30], texts[30:60]
    here = align.pair_probabilities(texts_a, texts_b)
    there = align.pair_probabilities(texts_a, texts_b, scheduler=dask_cluster)
    assert there.dtype == here.dtype and np.array_equal(there, here)
    with Client(dask_cluster) as client:
        loaded = client.run(lambda: __import__("opedlens.measure.crossencoder", fromlist=["load"]).load.cache_info()
                            .currsize)
    assert sum(loaded.values()) >= 1  # the workers scored them, not this process


#: Run on each worker of a test cluster: the first chunk of candidate pairs any worker starts kills that worker (a
#: marker file says which went first); the other scores every chunk as usual.
_FIRST_CHUNK_KILLS_ITS_WORKER = """
import os
from opedlens.compare import align
real = align.chunk_probabilities
def chunk_probabilities(*args, **kwargs):
    try:
        os.close(os.open(MARKER, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return real(*args, **kwargs)
    os._exit(1)
align.chunk_probabilities = chunk_probabilities
"""


def test_claim_matching_on_a_cluster_survives_a_worker_that_dies_mid_run(seed_corpus, monkeypatch, tmp_path):
    """A worker that dies while scoring (no nanny to restart it) takes its chunks' texts with it: they are sent
    again to the other worker, and the probabilities are the same as here."""
    from dask.distributed import Client

    from opedlens.compare import align
    from opedlens.measure import crossencoder

    if not crossencoder.available(align.RERANKER):
        pytest.skip("the matching cross-encoder is not installed")
    monkeypatch.setattr(align, "PAIR_CHUNK", 3)  # ten chunks: most are still to score when the first one kills
    texts = seed_corpus.sentences["text"].tolist()
    texts_a, texts_b = texts[:30], texts[30:60]
    here = align.pair_probabilities(texts_a, texts_b)
    with _cluster(("--no-nanny",)) as (address, workers):
        with Client(address) as client:
            client.run(exec, _FIRST_CHUNK_KILLS_ITS_WORKER, {"MARKER": str(tmp_path / "killed")})
        there = align.pair_probabilities(texts_a, texts_b, scheduler=address)
        deadline = time.monotonic() + 30  # its sockets close a moment before the process can be reaped
        while not (died := [w for w, process in workers.items() if process.poll() is not None]) \
                and time.monotonic() < deadline:
            time.sleep(0.05)
    assert (tmp_path / "killed").exists() and len(died) == 1, died
    assert there.dtype == here.dtype and np.array_equal(there, here)


def test_the_command_runs_on_a_scheduler(dask_cluster, six_articles, measured_locally, tmp_path, capsys):
    from opedlens.cli import main

    out = tmp_path / "cli"
    assert main(["measure", "--corpus", str(six_articles), "--output", str(out), "--scorers", "accurate", "vader",
                 "--batch-sentences", "25", "--engine", "dask", "--scheduler", dask_cluster]) == 0
    err = capsys.readouterr().err
    assert "dask: 2 worker(s)" in err and "6 of 6 articles" in err
    assert_same_tables(out, measured_locally)


def test_a_notebook_users_open_client_is_used_and_left_open(dask_cluster, six_articles, measured_locally, tmp_path):
    """measure runs on the client the user already has on that scheduler (a second client in the process would run
    a second event loop), and does not close it."""
    from dask.distributed import Client

    def clients(dask_scheduler) -> int:
        return len(dask_scheduler.clients)

    with Client(dask_cluster) as mine:
        said, connected = [], []
        before = mine.run_on_scheduler(clients)

        def log(line: str) -> None:
            said.append(line)
            connected.append(mine.run_on_scheduler(clients))  # the clients the scheduler knows, mid-run

        dataset.measure_corpus(six_articles, tmp_path / "m", SETTINGS, engine="dask",
                               scheduler=dask_cluster.removeprefix("tcp://"), log=log)
        assert connected and set(connected) == {before}
        assert mine.status == "running" and mine.submit(sum, [1, 2]).result() == 3
        assert any("dask: 2 worker(s)" in line for line in said)
    assert_same_tables(tmp_path / "m", measured_locally)


class _LostWorker:
    """A finished Dask future whose worker went away with the batch's text."""

    key = "measure-lost"

    def result(self):
        from distributed.client import FutureCancelledError

        raise FutureCancelledError(self.key, reason="lost dependencies")


class _FailedBatch(_LostWorker):
    def result(self):
        raise InputError("the batch itself failed")


def test_a_batch_whose_worker_left_is_sent_again_a_few_times_and_a_real_error_is_raised():
    from distributed.client import FutureCancelledError

    batch, sent, committed, said = dataset.Batch(articles=[{"doc_id": "a", "measure_key": "k"}]), [], [], []

    def collect(future, attempt):
        cluster._collect(future, {future.key: (batch, attempt)}, lambda *done: committed.append(done),
                         lambda b, n: sent.append((b, n)), said.append, lambda b: "measuring 1 article(s)")

    collect(_LostWorker(), 0)
    assert sent == [(batch, 1)] and not committed and "sending them again" in said[0]
    with pytest.raises(FutureCancelledError):
        collect(_LostWorker(), cluster.RESENDS)
    with pytest.raises(InputError, match="the batch itself failed"):
        collect(_FailedBatch(), 0)
    assert sent == [(batch, 1)] and not committed


def test_batches_of_a_worker_killed_mid_run_are_sent_again_and_the_tables_are_the_same(six_articles,
                                                                                        measured_locally, tmp_path):
    """A worker that dies (no nanny to restart it) takes its batches' text with it: they go to the other worker."""
    from dask.distributed import default_client

    with _cluster(("--no-nanny",)) as (address, workers):
        said, killed = [], []

        def log(line: str) -> None:
            said.append(line)
            if "articles," in line and not killed:  # the first batch is in: kill the worker holding the most now
                client = default_client()  # measure's own: a second client in this process would run its own loop
                busy = max(workers, key=lambda w: len(client.processing().get(w, ())) + len(client.has_what()
                                                                                       .get(w, ())))
                workers[busy].kill()
                workers[busy].wait()
                killed.append(busy)

        stats = dataset.measure_corpus(six_articles, tmp_path / "m", SETTINGS, engine="dask", scheduler=address,
                                       log=log)
    assert killed and stats.articles == 6
    assert any("sending them again" in line for line in said), said
    assert_same_tables(tmp_path / "m", measured_locally)
