"""The pipeline: parameters, scheduling, staging and swapping, failures that leave the last report intact."""

from __future__ import annotations

import json
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from opedlens import cli
from opedlens.errors import InputError
from opedlens.report import pipeline


def _notebook(path: Path, body: str, needs: list[str] | None = None) -> Path:
    """A tiny notebook with a parameters cell (output_dir, tag) and one body cell."""
    nb = new_notebook(cells=[
        new_markdown_cell(f"# Notebook {path.stem}\n\nA test notebook called {path.stem}."),
        new_code_cell('output_dir: str = "scratch"\ntag: str = "x"', metadata={"tags": ["parameters"]}),
        new_code_cell(body),
    ])
    nb.metadata = {"kernelspec": {"name": "opedlens", "display_name": "Python (opedlens)", "language": "python"},
                   "opedlens": {"needs": needs or []}}
    nbformat.write(nb, path)
    return path


WRITE = """from pathlib import Path
from opedlens.paths import resolve
folder = resolve(output_dir) / "tables"
folder.mkdir(parents=True, exist_ok=True)
(folder / "{n}-done.csv").write_text("tag\\n" + tag + "\\n")"""

READ_BOTH = """from opedlens.paths import resolve
folder = resolve(output_dir) / "tables"
parts = [(folder / name).read_text() for name in ("01-done.csv", "02-done.csv")]
(folder / "03-both.csv").write_text("".join(parts))"""


@pytest.fixture
def notebooks(tmp_path: Path) -> Path:
    folder = tmp_path / "nbs"
    folder.mkdir()
    _notebook(folder / "01-first.ipynb", WRITE.format(n="01"))
    _notebook(folder / "02-second.ipynb", WRITE.format(n="02"))
    _notebook(folder / "03-third.ipynb", READ_BOTH, needs=["01-first", "02-second"])
    return folder


def test_declared_parameters_are_read_as_literals(notebooks):
    spec = pipeline.discover(notebooks)[0]
    assert spec.parameters == {"output_dir": "scratch", "tag": "x"}


def test_only_selects_a_notebook_and_what_it_needs(notebooks):
    assert [s.stem for s in pipeline.discover(notebooks, only=["03"])] == ["01-first", "02-second", "03-third"]
    assert [s.stem for s in pipeline.discover(notebooks, only=["02"])] == ["02-second"]


def test_unknown_parameters_are_refused(notebooks):
    with pytest.raises(InputError, match="unknown parameter.*tga"):
        pipeline.check_parameters(pipeline.discover(notebooks), {"tga": "typo"})


def test_a_notebook_gets_only_the_parameters_it_declares(notebooks):
    spec = pipeline.discover(notebooks)[0]
    assert pipeline.parameters_for(spec, {"tag": "t", "k": 5}) == {"output_dir": "scratch", "tag": "t"}


@pytest.mark.parametrize("jobs", [1, 2])
def test_run_report_respects_needs_and_publishes(notebooks, tmp_path, jobs):
    output = tmp_path / "report"
    lines: list[str] = []
    pipeline.run_report(pipeline.discover(notebooks), {"tag": "hello"}, output, jobs=jobs, log=lines.append)
    assert (output / "tables" / "03-both.csv").read_text() == "tag\nhello\ntag\nhello\n"
    for stem in ("01-first", "02-second", "03-third"):
        assert (output / "notebooks" / f"{stem}.ipynb").is_file()
        assert (output / "html" / f"{stem}.html").is_file()
        assert (output / "html" / f"{stem}-code.html").is_file()
    index = (output / "html" / "index.html").read_text()
    assert "01-first.html" in index and "03-third-code.html" in index and "hello" in index
    record = json.loads((output / "report.json").read_text())
    assert set(record["notebooks"]) == {"01-first", "02-second", "03-third"}
    assert any("03-third: running" in line for line in lines)
    assert not list(tmp_path.glob(".report.*")), "no staging or old folder is left behind"


def test_a_long_notebook_is_said_to_be_still_running(notebooks, tmp_path, monkeypatch):
    """A notebook busy for minutes on a large corpus: the run says so now and then instead of going quiet."""
    monkeypatch.setattr(pipeline, "HEARTBEAT_S", 0.5)
    _notebook(notebooks / "02-second.ipynb", "import time\ntime.sleep(2.5)\n" + WRITE.format(n="02"))
    lines: list[str] = []
    pipeline.run_report(pipeline.discover(notebooks, only=["02"]), {}, tmp_path / "report", log=lines.append)
    beats = [line for line in lines if "still running: 02-second (" in line]
    assert beats and lines.index(beats[0]) < next(k for k, line in enumerate(lines) if "02-second: done" in line)


def test_executed_notebooks_record_the_published_output_dir(notebooks, tmp_path):
    output = tmp_path / "report"
    pipeline.run_report(pipeline.discover(notebooks, only=["01"]), {}, output, log=lambda _: None)
    recorded = nbformat.read(output / "notebooks" / "01-first.ipynb", as_version=4).metadata.papermill.parameters
    assert recorded["output_dir"] == str(output)


def test_a_failing_notebook_leaves_the_previous_report_untouched(notebooks, tmp_path):
    output = tmp_path / "report"
    pipeline.run_report(pipeline.discover(notebooks, only=["01"]), {}, output, log=lambda _: None)
    before = sorted(p.relative_to(output) for p in output.rglob("*"))
    _notebook(notebooks / "02-second.ipynb", "raise ValueError('broken on purpose')")
    with pytest.raises(InputError, match=r"02-second.ipynb: failed in cell \d+: ValueError: broken on purpose"):
        pipeline.run_report(pipeline.discover(notebooks), {}, output, log=lambda _: None)
    assert sorted(p.relative_to(output) for p in output.rglob("*")) == before
    assert not list(tmp_path.glob(".report.*"))


def test_a_folder_that_is_not_a_report_is_never_replaced(notebooks, tmp_path):
    precious = tmp_path / "thesis"
    precious.mkdir()
    (precious / "chapter1.docx").write_text("years of work")
    with pytest.raises(InputError, match="not an opedlens report"):
        pipeline.run_report(pipeline.discover(notebooks), {}, precious, log=lambda _: None)
    assert (precious / "chapter1.docx").read_text() == "years of work"


def test_parameters_precedence_file_then_flags(tmp_path, monkeypatch):
    params_file = tmp_path / "p.yaml"
    params_file.write_text("corpus_dir: seeds\ndoc_ids: [a]\nseed: 1\n")
    other = tmp_path / "corpus"
    other.mkdir()
    monkeypatch.chdir(tmp_path)
    args = cli.build_parser().parse_args(
        ["run", "--params", str(params_file), "--corpus", "corpus", "-p", "seed=7", "-p", "doc_ids=[b, c]"]
    )
    params = cli.gather_params(args)
    assert params == {"corpus_dir": str(other), "manifest": None, "doc_ids": ["b", "c"], "seed": 7}


def test_output_dir_cannot_be_a_parameter():
    args = cli.build_parser().parse_args(["run", "-p", "output_dir=/tmp/x"])
    with pytest.raises(InputError, match="--output"):
        cli.gather_params(args)


MEASURED = """from opedlens.paths import resolve
folder = resolve(output_dir) / "tables"
(folder / "02-measured.csv").write_text("measured_dir\\n" + measured_dir + "\\n")"""


@pytest.fixture
def measured_notebooks(tmp_path: Path) -> Path:
    """Notebook 01 reads no measured table; 02 declares measured_dir, so it waits for the measuring."""
    folder = tmp_path / "nbs"
    folder.mkdir()
    _notebook(folder / "01-first.ipynb", WRITE.format(n="01"))
    path = _notebook(folder / "02-second.ipynb", MEASURED, needs=["01-first"])
    nb = nbformat.read(path, as_version=4)
    nb.cells[1].source += '\nmeasured_dir: str = ""'
    nbformat.write(nb, path)
    return folder


def test_notebook_01_runs_while_the_corpus_is_measured(measured_notebooks, tmp_path, monkeypatch):
    seen = []

    def measure_first(specs, params, log):  # finishes only once notebook 01 has written its table
        for _ in range(600):
            found = list(tmp_path.glob(".report.staging-*/tables/01-done.csv"))
            if found:
                seen.append(found[0])
                return params | {"measured_dir": "the-measured-folder"}
            time.sleep(0.1)
        raise AssertionError("notebook 01 did not run while measuring")

    monkeypatch.setattr(pipeline, "measure_first", measure_first)
    output = tmp_path / "report"
    pipeline.run_report(pipeline.discover(measured_notebooks), {}, output, log=lambda _: None)
    assert seen and (output / "tables" / "02-measured.csv").read_text() == "measured_dir\nthe-measured-folder\n"
    assert json.loads((output / "report.json").read_text())["parameters"]["measured_dir"] == "the-measured-folder"


def test_a_failed_measurement_leaves_the_previous_report_untouched(measured_notebooks, tmp_path, monkeypatch):
    output = tmp_path / "report"
    pipeline.run_report(pipeline.discover(measured_notebooks, only=["01"]), {}, output, log=lambda _: None)
    before = sorted(p.relative_to(output) for p in output.rglob("*"))

    def measure_first(specs, params, log):
        raise InputError("not UTF-8 text (byte 3)", Path("corpus/bad.txt"))

    monkeypatch.setattr(pipeline, "measure_first", measure_first)
    with pytest.raises(InputError, match="bad.txt: not UTF-8"):
        pipeline.run_report(pipeline.discover(measured_notebooks), {}, output, log=lambda _: None)
    assert sorted(p.relative_to(output) for p in output.rglob("*")) == before
    assert not list(tmp_path.glob(".report.*"))
