"""The package is laid out by stage, and the layout is kept: no module reaches down the flow, the short public
API works as the package docstring shows, and ``import opedlens`` stays light."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import opedlens

PACKAGE = Path(opedlens.__file__).parent
#: The flow, in order: a module may import from its own stage and the ones before it, never from a later one.
STAGES = ("corpus", "measure", "compare", "validate", "report")
ENTRY_POINTS = {"cli.py", "__init__.py"}  # the command line and the public API sit above the stages


def _modules():
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _stage_of(path: Path) -> str | None:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else None


def _imported_stages(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            found.append((node.lineno, "relative import"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "opedlens":
            parts = node.module.split(".")
            names = [parts[1]] if len(parts) > 1 else [alias.name for alias in node.names]
            found += [(node.lineno, name) for name in names if name in STAGES]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[1]) for alias in node.names
                      if alias.name.startswith("opedlens.") and alias.name.split(".")[1] in STAGES]
    return found


def test_every_module_belongs_to_a_stage_or_is_a_shared_helper():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "cache.py", "cli.py", "cluster.py", "errors.py", "files.py", "inputs.py", "interrupt.py",
                   "paths.py", "safe_text.py"]
    assert sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()) == sorted(STAGES)


def test_no_module_reaches_down_the_flow():
    wrong = []
    for path in _modules():
        if path.relative_to(PACKAGE).as_posix() in ENTRY_POINTS:
            continue
        own = _stage_of(path)
        for line, stage in _imported_stages(path):
            if stage == "relative import" or own is None or STAGES.index(stage) > STAGES.index(own):
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} ({own or 'shared helper'}) imports {stage}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_says_what_its_modules_do(stage):
    doc = (PACKAGE / stage / "__init__.py").read_text(encoding="utf-8")
    missing = [p.stem for p in (PACKAGE / stage).glob("*.py") if p.stem != "__init__" and f"``{p.stem}``" not in doc]
    assert not missing, f"opedlens.{stage}'s docstring does not mention {missing}"


def test_importing_opedlens_loads_no_stage_and_no_heavy_library():
    code = ("import sys, opedlens; print(sorted(m for m in sys.modules if m.startswith('opedlens.') "
            "or m in ('pandas', 'numpy', 'spacy', 'sklearn')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_the_public_api_runs_as_documented(tmp_path):
    corpus = opedlens.load_corpus("seeds")
    assert {"doc_id", "para_id", "sent_id", "text"} <= set(corpus.sentences.columns)
    from opedlens.measure.dataset import Settings

    opedlens.measure_corpus("seeds", tmp_path / "measured", Settings(scorers=("vader",), embeddings=False),
                            log=lambda line: None)
    scores = opedlens.read_table(tmp_path / "measured", "sentence-scores")
    assert sorted(scores["sent_id"]) == sorted(corpus.sentences["sent_id"])
    plan = opedlens.plan_groups(opedlens.read_table(tmp_path / "measured", "articles"))
    omnibus, pairs = opedlens.compare_groups(scores, "vader", plan, permutations=199, draws=199, seed=0)
    assert omnibus == {}  # two articles: one pair, no omnibus test
    assert pairs[["group_a", "group_b"]].values.tolist() == [list(corpus.articles["doc_id"])]
    with pytest.raises(AttributeError):
        opedlens.not_in_the_api  # noqa: B018
