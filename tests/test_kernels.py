"""Warm kernels: the next notebook's kernel starts ahead with its modules imported, and that changes nothing
a reader sees in the executed notebook; a kernel never used is shut down."""

from __future__ import annotations

import nbformat
import pytest

from opedlens.paths import NOTEBOOKS_DIR, PROJECT_ROOT
from opedlens.report import kernels, pipeline


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nb.cells[0].metadata["tags"] = ["parameters"]
    nbformat.write(nb, path)
    return path


def test_imported_modules_reads_every_import_of_the_notebook(tmp_path):
    path = _notebook(tmp_path / "01-x.ipynb", "x = 1", "import json, os.path\nfrom opedlens.compare import topics",
                     "from . import nothing\nprint(1)", "def broken(:\n")
    assert kernels.imported_modules(path) == ["json", "os.path", "opedlens.compare", "opedlens.compare.topics"]


def test_the_seed_notebooks_import_the_library():
    assert "opedlens.compare.topics" in kernels.imported_modules(NOTEBOOKS_DIR / "03-model-topics.ipynb")


def test_warm_up_code_imports_and_leaves_no_names():
    namespace: dict = {}
    exec(kernels.warm_up_code(["json", "opedlens.cache", "opedlens.not_a_module", "no_such_package"]), namespace)
    assert set(namespace) == {"__builtins__"}
    import sys

    assert "opedlens.cache" in sys.modules


def test_a_warm_kernel_runs_the_notebook_as_a_fresh_one_would(tmp_path):
    """Modules imported ahead, yet no name defined before the notebook defines it, and counts start at 1."""
    source = _notebook(tmp_path / "01-probe.ipynb", "import sys",
                       "from opedlens import cache\nimport json",
                       "assert 'cache' in dir() and 'importlib' not in dir() and '_opedlens_warm' not in dir()",
                       "print(sorted(m for m in ('json', 'opedlens.cache') if m in sys.modules))")
    warm = kernels.WarmKernel(source, kernels.ensure_kernel(), PROJECT_ROOT)
    km = warm.take()
    assert km.has_kernel
    target = tmp_path / "out.ipynb"
    pipeline.execute(str(source), str(target), {}, kernels.KERNEL_NAME, km)
    executed = nbformat.read(target, as_version=4)
    counts = [c.execution_count for c in executed.cells if c.cell_type == "code"]
    assert counts[0] == 1 and counts == sorted(counts)
    assert executed.cells[-1].outputs[0]["text"] == "['json', 'opedlens.cache']\n"
    assert not km.has_kernel, "execute shut the kernel down"


def test_a_warm_kernel_never_taken_is_shut_down(tmp_path):
    source = _notebook(tmp_path / "01-idle.ipynb", "import json")
    warm = kernels.WarmKernel(source, kernels.ensure_kernel(), PROJECT_ROOT)
    km = warm.km
    warm.close()
    assert not km.has_kernel
    warm.close()  # twice is harmless


@pytest.mark.parametrize("warm", [True, False])
def test_one_at_a_time_with_or_without_warm_kernels_gives_the_same_tables(tmp_path, warm):
    specs = pipeline.discover(only=["01"])
    staging = tmp_path / "staging"
    (staging / "notebooks").mkdir(parents=True)
    done = []
    durations = pipeline.run_notebooks(specs, {"corpus_dir": "seeds"}, staging, warm_kernels=warm,
                                       log=lambda _: None, on_done=lambda spec: done.append(spec.stem))
    assert done == ["01-load-corpus"] and set(durations) == {"01-load-corpus"}
    sentences = (staging / "tables" / "01-sentences.csv").read_bytes()
    assert sentences == (PROJECT_ROOT / "outputs" / "tables" / "01-sentences.csv").read_bytes()


def test_warm_up_code_calls_the_modules_warm_up_hooks(tmp_path, monkeypatch):
    (tmp_path / "warm_probe.py").write_text("loaded = []\ndef warm_up():\n    loaded.append('model')\n")
    (tmp_path / "broken_probe.py").write_text("def warm_up():\n    raise RuntimeError('no model')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    namespace: dict = {}
    exec(kernels.warm_up_code(["broken_probe", "warm_probe"]), namespace)
    import warm_probe

    assert warm_probe.loaded == ["model"] and set(namespace) == {"__builtins__"}


def test_the_library_hooks_load_the_models():
    from opedlens.measure import embed, evidence, nlp, sentiment, targeted

    for module in (sentiment, targeted, evidence, nlp):
        module.warm_up()
    assert embed.load.cache_info().currsize == 1 and nlp.load.cache_info().currsize == 1
    assert evidence.shipped_model.cache_info().currsize == 1 and targeted.shipped_model.cache_info().currsize == 1


def test_kernels_side_by_side_share_out_the_cores(monkeypatch):
    monkeypatch.setattr(kernels.os, "cpu_count", lambda: 4)
    assert kernels.threads_per_kernel(1) is None, "one kernel at a time keeps the libraries' default"
    assert kernels.threads_per_kernel(2) == 2 and kernels.threads_per_kernel(8) == 1
    for name in kernels.THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    assert {kernels.kernel_env(2)[name] for name in kernels.THREAD_VARIABLES} == {"2"}
    assert not set(kernels.THREAD_VARIABLES) & set(kernels.kernel_env(None))
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "3")
    assert kernels.kernel_env(1)["OPENBLAS_NUM_THREADS"] == "3", "what the user set wins"


def test_a_kernel_started_with_one_thread_has_it_in_its_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    source = _notebook(tmp_path / "01-env.ipynb", "import os", "print(os.environ.get('OPENBLAS_NUM_THREADS'))")
    km = kernels.WarmKernel(source, kernels.ensure_kernel(), PROJECT_ROOT, threads=1).take()
    target = tmp_path / "out.ipynb"
    pipeline.execute(str(source), str(target), {}, kernels.KERNEL_NAME, km)
    assert nbformat.read(target, as_version=4).cells[-1].outputs[0]["text"] == "1\n"


def test_joblib_in_a_kernel_side_by_side_counts_the_kernel_s_share_of_the_cores(monkeypatch):
    """Notebook 03 fits its topic grid with ``n_jobs=-1``: beside another kernel, on that kernel's share."""
    import subprocess
    import sys

    monkeypatch.setattr(kernels.os, "cpu_count", lambda: 4)
    monkeypatch.delenv("LOKY_MAX_CPU_COUNT", raising=False)
    count = "import joblib; print(joblib.effective_n_jobs(-1))"
    shared = subprocess.run([sys.executable, "-c", count], env=kernels.kernel_env(kernels.threads_per_kernel(4)),
                            capture_output=True, text=True, check=True)
    assert shared.stdout.strip() == "1"
    assert "LOKY_MAX_CPU_COUNT" not in kernels.kernel_env(kernels.threads_per_kernel(1))
