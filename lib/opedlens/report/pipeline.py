"""Run the numbered notebooks with papermill and publish them as a report.

The report is built in a staging folder beside the output folder and swapped in only when every notebook has
run and every page has rendered, so a failed or interrupted run never touches the last good report; what a run
may replace, the lock and the swap are :mod:`opedlens.report.output_folder`'s.

Interrupts (Ctrl-C, SIGTERM) only set a flag (:mod:`opedlens.interrupt`). Notebooks run in threads, each in a
kernel this process started; the main thread only starts kernels, hands notebooks to threads and waits, and it
looks at the flag where every kernel it started is on record. So a stop kills every kernel, waits for their
threads, and only then removes the staging folder: nothing can write into it afterwards.

Layout of a report folder::

    notebooks/NN-name.ipynb      executed notebooks (with their parameters recorded by papermill)
    html/index.html              the index: every notebook, its summary, run date and parameters
    html/NN-name.html            reader page (no code)      html/NN-name-code.html  with code
    tables/NN-table.csv          every table a notebook wrote
    figures/NN-figure.png|svg    every figure a notebook wrote
    report.json                  what ran, when, with which parameters, and every file the run wrote (its
                                 SHA-256): what marks the folder as a report that a later run may replace
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import time
from concurrent.futures import ALL_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from opedlens import interrupt
from opedlens.errors import InputError
from opedlens.paths import NOTEBOOKS_DIR, PROJECT_ROOT, portable, resolve
from opedlens.report import kernels, render
from opedlens.report.output_folder import (FORMAT, KEPT, MARKER, WRITE_ERRNOS, check_output_dir, clear_leftovers,
                                           file_list, make_staging, output_lock, real_output, swap_in, write_failure)

KERNEL_NAME = kernels.KERNEL_NAME
#: Seconds between the "still running" lines while notebooks run (a large corpus can keep one busy for minutes).
HEARTBEAT_S = 60.0
Log = Callable[[str], None]


@dataclass(frozen=True)
class NotebookSpec:
    """A notebook of the sequence: its file, number, declared parameters (with defaults) and prerequisites."""

    path: Path
    parameters: dict[str, object]
    needs: tuple[str, ...] = ()
    types: dict[str, str] = field(default_factory=dict)  # declared type of each parameter: str, int, float, ...

    @property
    def stem(self) -> str:
        return self.path.stem

    @property
    def number(self) -> str:
        return self.stem.split("-", 1)[0]


@dataclass
class RunResult:
    """What a run produced: where, and how long each notebook took."""

    output_dir: Path
    durations: dict[str, float] = field(default_factory=dict)


# --- notebooks and parameters --------------------------------------------------------------------------------------


def _parameters_cell(path: Path) -> tuple[dict[str, object], dict[str, str]]:
    """The literal default and the declared type (``str``, ``int`` ...) of each parameter of a notebook."""
    import nbformat

    from opedlens.report.parameters import TYPES

    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])]
    if len(cells) != 1:
        raise InputError(f"needs exactly one code cell tagged 'parameters' (found {len(cells)})", path)
    values, types = {}, {}
    for node in ast.parse(cells[0].source).body:
        target = None
        if isinstance(node, ast.AnnAssign):
            target = node.target
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        if not isinstance(target, ast.Name) or node.value is None:
            raise InputError(f"the parameters cell may only assign literal values (line {node.lineno})", path)
        try:
            values[target.id] = ast.literal_eval(node.value)
        except ValueError:
            raise InputError(f"parameter {target.id!r} is not a literal value (line {node.lineno})", path) from None
        annotation = node.annotation if isinstance(node, ast.AnnAssign) else None
        kind = annotation.id if isinstance(annotation, ast.Name) else type(values[target.id]).__name__
        if kind not in TYPES:
            raise InputError(f"parameter {target.id!r} has type {kind}; a parameters cell may declare "
                             f"{', '.join(TYPES)} (line {node.lineno})", path)
        types[target.id] = kind
    return values, types


def declared_parameters(path: Path) -> dict[str, object]:
    """The parameters a notebook's ``parameters`` cell declares, with their literal default values."""
    return _parameters_cell(path)[0]


def discover(directory: Path = NOTEBOOKS_DIR, only: list[str] | None = None) -> list[NotebookSpec]:
    """The numbered notebooks ``NN-name.ipynb`` in order; with ``only`` (numbers or stems), those and what they need."""
    import nbformat

    specs = []
    for path in sorted(directory.glob("[0-9][0-9]-*.ipynb")):
        needs = nbformat.read(path, as_version=4).metadata.get("opedlens", {}).get("needs", [])
        values, types = _parameters_cell(path)
        specs.append(NotebookSpec(path=path, parameters=values, needs=tuple(needs), types=types))
    if not only:
        return specs
    by_stem = {spec.stem: spec for spec in specs}
    wanted = [s.stem for s in specs if s.stem in only or s.number in only]
    if not wanted:
        raise InputError(f"no notebook matches {', '.join(only)}", directory)
    selected: set[str] = set()
    while wanted:
        stem = wanted.pop()
        if stem not in selected:
            selected.add(stem)
            wanted += [need for need in by_stem[stem].needs if need in by_stem]
    return [spec for spec in specs if spec.stem in selected]


def parameters_for(spec: NotebookSpec, params: dict[str, object]) -> dict[str, object]:
    """Every parameter the notebook declares: its default unless ``params`` overrides it."""
    return {name: params.get(name, default) for name, default in spec.parameters.items()}


def check_parameters(specs: list[NotebookSpec], params: dict[str, object]) -> dict[str, object]:
    """``params`` checked against what the notebooks declare (names, types, value rules), with numbers made the
    declared kind; see :func:`opedlens.report.parameters.check`. A typo'd name or a wrong value is one line."""
    from opedlens.report import parameters

    defaults: dict[str, object] = {}
    for spec in specs:
        defaults |= spec.parameters
    return parameters.check(params, parameters.declared_types(specs), defaults)


_ERRNO_TEXT = re.compile(r"\[Errno (\d+)\] ([^:]+)(?:: '(.*)')?")


def _kernel_os_error(evalue: str, default_path: str) -> OSError | None:
    """The OSError a notebook raised (``[Errno 28] No space left on device: '/path'``) if it is a write error."""
    match = _ERRNO_TEXT.match(evalue)
    if not match or int(match.group(1)) not in WRITE_ERRNOS:
        return None
    return OSError(int(match.group(1)), match.group(2), match.group(3) or default_path)


# --- executing ---------------------------------------------------------------------------------------------------


def execute(source: str, target: str, parameters: dict, kernel: str, km=None) -> float:
    """Execute one notebook with papermill (cwd: the project root); return seconds taken.

    ``km``: a started kernel manager to run it in (see :class:`opedlens.report.kernels.WarmKernel`), shut down
    afterwards; without one, papermill starts a fresh kernel. A failing cell raises :class:`InputError`
    naming the notebook, the cell and the error, in one line.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    os.environ.setdefault("PYTHONHASHSEED", "0")
    started = time.perf_counter()
    try:
        papermill.execute_notebook(  # a given kernel already runs in the project root: no chdir, safe in threads
            source, target, parameters=parameters, kernel_name=kernel, cwd=None if km else str(PROJECT_ROOT),
            progress_bar=False, log_output=False, request_save_on_cell_execute=False,
            kernel_manager_class=kernels.ipc_kernel_manager(), **({"km": km} if km is not None else {}),
        )
    except PapermillExecutionError as err:
        written = _kernel_os_error(err.evalue, str(Path(target).parent.parent)) if err.ename.endswith("Error") else None
        if written is not None:  # a full disk or a read-only folder, met by the notebook: not the notebook's fault
            raise written from None
        detail = err.evalue if err.ename == "InputError" else f"{err.ename}: {err.evalue}"
        raise InputError(f"failed in cell {err.exec_count}: {detail}", Path(source)) from None
    finally:
        if km is not None:
            kernels.shutdown(km)
    _name_injected_cell(Path(target))
    return time.perf_counter() - started


def _name_injected_cell(path: Path) -> None:
    """Give the cell papermill injects a fixed id (papermill draws a random one), so that two runs of the same
    inputs write the same notebook apart from its run times."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    injected = [c for c in notebook.cells if "injected-parameters" in c.get("metadata", {}).get("tags", [])]
    if injected and injected[0].get("id") != "injected-parameters":
        injected[0]["id"] = "injected-parameters"
        nbformat.write(notebook, path)


def _upcoming(pending: list[NotebookSpec], started: set[str], count: int) -> list[NotebookSpec]:
    """The next ``count`` notebooks to start once those in ``started`` (finished or running) are done."""
    return [s for s in pending if all(need in started for need in s.needs)][:count]


@contextmanager
def kernels_ahead(specs: list[NotebookSpec], jobs: int = 1, kernel: str = KERNEL_NAME) -> Iterator[dict]:
    """Start the kernels of the first notebooks to run now (so they boot while the inputs are checked); pass
    what this yields to :func:`run_report` as ``ahead``. Kernels not taken by then are shut down on exit."""
    threads = kernels.threads_per_kernel(jobs)
    ahead: dict[str, kernels.WarmKernel] = {}
    try:
        for spec in _upcoming(specs, set(), jobs):
            ahead[spec.stem] = kernels.WarmKernel(spec.path, kernel, PROJECT_ROOT, threads=threads)
        yield ahead
    finally:
        for spare in ahead.values():
            spare.close()


def run_notebooks(specs: list[NotebookSpec], params: dict, staging: Path, *, jobs: int = 1,
                  kernel: str = KERNEL_NAME, log: Log = print, on_done: Callable[[NotebookSpec], None] | None = None,
                  warm_kernels: bool = True, ahead: dict | None = None, measuring: Future | None = None
                  ) -> dict[str, float]:
    """Execute every notebook into ``staging/notebooks`` (products into ``staging``); return seconds per notebook.

    A notebook starts once the notebooks it ``needs`` have finished; up to ``jobs`` run at the same time, each in
    its own kernel, driven from a thread of this process. ``on_done(spec)`` is called as each finishes. With
    ``warm_kernels``, the kernels of the next ``jobs`` notebooks start, and import those notebooks' modules,
    while the current ones run (:class:`kernels.WarmKernel`); ``ahead`` holds kernels started earlier
    (:func:`kernels_ahead`), which are used and removed from it. With ``jobs`` > 1 each kernel gets its share of
    the CPU cores as BLAS threads (:func:`kernels.threads_per_kernel`). ``measuring``: the corpus being measured
    (a future of :func:`measure_first`): a notebook that reads measured tables starts once it is done, with its
    ``measured_dir``; the others (notebook 01) run meanwhile.

    A stop request (:mod:`opedlens.interrupt`) or a failing notebook kills every kernel still running and waits
    for its thread before this returns: a kernel is on record (``warm``, then ``in_use``) from the moment it is
    started until its notebook has finished, and the flag is only looked at between those steps.
    """
    stems = {spec.stem for spec in specs}
    missing = {need for spec in specs for need in spec.needs} - stems
    if missing:
        raise InputError(f"notebook prerequisites not found: {', '.join(sorted(missing))}")
    run_params = params | {"output_dir": portable(staging)}
    durations: dict[str, float] = {}
    pending, running = list(specs), {}
    started: dict[str, float] = {}
    executor = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="notebook")
    warm: dict[str, kernels.WarmKernel] = ahead if ahead is not None else {}
    in_use: dict[str, object] = {}  # stem -> kernel manager of each notebook handed to a thread and not finished
    threads = kernels.threads_per_kernel(jobs)

    def start_ahead() -> None:
        for spec in _upcoming(pending, set(durations) | {s.stem for s in running.values()}, jobs):
            if spec.stem not in warm and warm_kernels:
                warm[spec.stem] = kernels.WarmKernel(spec.path, kernel, PROJECT_ROOT, threads=threads)

    def measured(spec: NotebookSpec) -> bool:
        if measuring is None or "measured_dir" not in spec.parameters:
            return True
        if measuring.done():
            run_params["measured_dir"] = measuring.result()["measured_dir"]  # a failed measure raises here
            return True
        return False

    finished = False
    try:
        start_ahead()
        while pending or running:
            interrupt.check()
            startable = [s for s in pending if all(need in durations for need in s.needs) and measured(s)]
            for spec in startable[: max(jobs - len(running), 0)]:
                log(f"[{len(durations) + len(running) + 1}/{len(specs)}] {spec.stem}: running")
                if spec.stem not in warm:  # threads never let papermill start a kernel (it would chdir)
                    warm[spec.stem] = kernels.WarmKernel(spec.path, kernel, PROJECT_ROOT, import_modules=False,
                                                         threads=threads)
                in_use[spec.stem] = warm[spec.stem].take()  # a stop while it warms up leaves it in `warm`
                del warm[spec.stem]
                pending.remove(spec)
                target = staging / "notebooks" / spec.path.name
                future = executor.submit(execute, str(spec.path), str(target), parameters_for(spec, run_params),
                                         kernel, in_use[spec.stem])
                running[future] = spec
                started[spec.stem] = time.perf_counter()
                start_ahead()  # the next notebooks' kernels start while these run
            waiting = measuring is not None and not measuring.done()
            if not running and not waiting:
                raise InputError(f"notebook prerequisites form a cycle: {', '.join(s.stem for s in pending)}")
            done = interrupt.wait([*running, *([measuring] if waiting else [])], timeout=HEARTBEAT_S)
            if not done and running:
                now = time.perf_counter()
                log("      still running: " + ", ".join(
                    f"{spec.stem} ({render.format_duration(now - started[spec.stem])})" for spec in running.values()))
            for future in done:
                if future is measuring:
                    continue
                spec = running.pop(future)
                del in_use[spec.stem]
                durations[spec.stem] = future.result()
                log(f"      {spec.stem}: done in {durations[spec.stem]:.1f} s")
                if on_done:
                    on_done(spec)
        finished = True
    finally:
        if not finished:  # stop the notebooks still running, so that their threads end now
            for km in in_use.values():
                kernels.kill(km)
        for spare in warm.values():
            spare.close()
        executor.shutdown(wait=True, cancel_futures=True)
    return durations


# --- publishing --------------------------------------------------------------------------------------------------


def run_date() -> str:
    """Now, in UTC (or ``SOURCE_DATE_EPOCH`` when set, for reproducible pages)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _record_final_paths(notebook: Path, staging: Path, output: Path) -> None:
    """Record the published ``output_dir`` (not the staging folder) in an executed notebook's parameters."""
    text = notebook.read_text(encoding="utf-8")
    notebook.write_text(text.replace(portable(staging), portable(output)), encoding="utf-8")


def render_pages(spec: NotebookSpec, staging: Path, output: Path) -> None:
    """The reader and with-code pages of one executed notebook (its recorded output folder made final first)."""
    executed = staging / "notebooks" / spec.path.name
    _record_final_paths(executed, staging, output)
    reader, code = f"{spec.stem}.html", f"{spec.stem}-code.html"
    render.render_notebook(executed, staging / "html" / reader, with_code=False, other_version_href=code)
    render.render_notebook(executed, staging / "html" / code, with_code=True, other_version_href=reader)


def render_after(measuring: Future, spec: NotebookSpec, staging: Path, output: Path) -> None:
    """:func:`render_pages` once the corpus is measured: rendering is Python work, and while the measure (on the
    report's critical path) runs in a thread of this same process, it would slow the measure down."""
    wait([measuring])
    render_pages(spec, staging, output)


def publish(specs: list[NotebookSpec], params: dict, staging: Path, output: Path,
            durations: dict[str, float], info: dict) -> None:
    """The index of the rendered pages (:func:`render_pages`), and ``report.json`` with the list of every file
    the run wrote (what lets a later run replace this report, and nothing else)."""
    import nbformat

    date = run_date()
    entries = []
    for spec in specs:
        nb = nbformat.read(staging / "notebooks" / spec.path.name, as_version=4)
        products = sorted(
            f"../{folder}/{p.name}"
            for folder in ("tables", "figures")
            for p in (staging / folder).glob(f"{spec.number}-*")
        )
        entries.append(
            render.IndexEntry(
                stem=spec.stem, title=render.notebook_title(nb), summary=render.notebook_summary(nb), run_date=date,
                parameters=parameters_for(spec, params | {"output_dir": portable(output)}),
                reader_href=f"{spec.stem}.html", code_href=f"{spec.stem}-code.html",
                notebook_href=f"../notebooks/{spec.path.name}", duration_s=durations.get(spec.stem),
                products=products,
            )
        )
    render.write_index(entries, staging / "html" / "index.html", title="opedlens report",
                       subtitle=f"Op-ed comparison of the corpus in {info['corpus']}", run_info=info | {"run date": date})
    record = {"format": FORMAT, "run_date": date, "parameters": params | {"output_dir": portable(output)},
              "info": info, "notebooks": {stem: round(seconds, 2) for stem, seconds in durations.items()},
              "files": file_list(staging)}
    (staging / MARKER).write_text(json.dumps(record, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")


def input_paths(params: dict) -> list[tuple[str, Path]]:
    """The files and folders a run reads that the user named (corpus folder, manifest, gazetteer, validation
    results), resolved as the notebooks resolve them."""
    named = (("corpus folder", "corpus_dir"), ("manifest", "manifest"), ("actors file", "actors_file"),
             ("validation folder", "validation_dir"), ("measured folder", "measured_dir"))
    return [(what, resolve(params[key])) for what, key in named if isinstance(params.get(key), str) and params[key]]


def measure_first(specs: list[NotebookSpec], params: dict, log: Log = print) -> dict:
    """``params`` with ``measured_dir`` set, for the notebooks that read measured tables: the folder the user gave
    (checked: finished, measured with the notebooks' scorers and actors, holding every article of the corpus as it
    is now), or the corpus measured now into
    :func:`opedlens.measure.measured.default_folder` (only articles not measured before)."""
    from opedlens.measure import measured

    if not any("measured_dir" in spec.parameters for spec in specs):
        return params
    merged: dict[str, object] = {}
    for spec in specs:
        merged |= spec.parameters
    merged |= params
    scorers = merged.get("scorers")
    started = time.perf_counter()
    if not merged.get("measured_dir"):
        log("measuring the corpus (every per-sentence measure, once)")
    folder = measured.ensure(
        str(merged.get("corpus_dir") or "seeds"), str(merged.get("measured_dir") or ""),
        measured.settings_for(scorers, str(merged.get("actors_file") or ""), bool(merged.get("actors_from_corpus"))),
        manifest=merged.get("manifest") or None, doc_ids=merged.get("doc_ids") or None,
        text_column=str(merged.get("text_column") or "text"), id_column=str(merged.get("id_column") or "doc_id"),
        check_scorers=bool(scorers), check_articles=True, log=lambda line: log(f"      {line}"))
    log(f"      measured in {time.perf_counter() - started:.1f} s: {portable(folder)}")
    return params | {"measured_dir": portable(folder)}


def run_report(specs: list[NotebookSpec], params: dict, output: Path, *, jobs: int = 1, log: Log = print,
               keep_staging: bool = False, ahead: dict | None = None, locked: bool = False) -> RunResult:
    """Execute, render and publish: the previous report in ``output`` is replaced only if everything succeeded,
    and only if it is an opedlens report holding nothing a run did not write (:func:`check_output_dir`).

    Holds the output's lock throughout (:func:`output_lock`; ``locked``: the caller already holds it); a write
    error (full disk, read-only folder) is raised as one-line :class:`InputError` naming the path. ``ahead``: kernels from :func:`kernels_ahead`. A symbolic
    link as ``output`` is written through.
    """
    import platform

    from opedlens import __version__

    output = real_output(output)
    inputs = input_paths(params)
    check_output_dir(output, inputs)
    try:
        with nullcontext() if locked else output_lock(output):
            clear_leftovers(output, log)
            check_output_dir(output, inputs)  # again, under the lock: clear_leftovers may have put a report back
            kernel = kernels.ensure_kernel()
            staging = make_staging(output)
            try:
                renderer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="render")  # pages render meanwhile
                measurer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="measure")  # while notebook 01 runs
                pages = []
                try:
                    measuring = measurer.submit(measure_first, specs, params, log)
                    durations = run_notebooks(
                        specs, params, staging, jobs=jobs, kernel=kernel, log=log, ahead=ahead, measuring=measuring,
                        on_done=lambda spec: pages.append(renderer.submit(render_after, measuring, spec, staging,
                                                                          output)))
                    params = measuring.result()
                    log("rendering HTML")
                    if pages:
                        interrupt.wait(pages, return_when=ALL_COMPLETED)
                    for page in pages:
                        page.result()
                finally:
                    measurer.shutdown(wait=True, cancel_futures=True)  # a stop reaches it between articles
                    renderer.shutdown(wait=True, cancel_futures=True)
                info = {"corpus": params.get("corpus_dir", "?"), "opedlens": __version__,
                        "python": platform.python_version()}
                publish(specs, params, staging, output, durations, info)
                interrupt.check()
                check_output_dir(output, inputs)  # nothing was added to the previous report meanwhile
                swap_in(staging, output, log)
            except BaseException:
                if keep_staging and staging.exists():
                    (staging / KEPT).touch()
                    log(f"kept the staging folder {staging}")
                raise
            finally:
                if staging.exists() and not keep_staging:
                    shutil.rmtree(staging, ignore_errors=True)
    except OSError as err:
        if err.errno not in WRITE_ERRNOS:
            raise
        raise write_failure(err, output) from err
    return RunResult(output_dir=output, durations=durations)
