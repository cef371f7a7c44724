"""Run the numbered notebooks with papermill and publish them as a report.

The report is built in a staging folder beside the output folder and swapped in only when every notebook has
run and every page has rendered, so a failed or interrupted run never touches the last good report.

Faults: a run holds ``.<name>.lock`` beside the output folder (``fcntl.flock``), so a second run into the same
folder fails at once naming the first one's pid; the lock dies with its process, so a killed run never blocks the
next one, which also removes the staging folders killed runs left behind (or puts back the previous report if a
run was killed between the two renames of the swap). Writing errors (a full disk, a read-only folder) become one
line naming the path, and the previous report stays as it was.

Layout of a report folder::

    notebooks/NN-name.ipynb      executed notebooks (with their parameters recorded by papermill)
    html/index.html              the index: every notebook, its summary, run date and parameters
    html/NN-name.html            reader page (no code)      html/NN-name-code.html  with code
    tables/NN-table.csv          every table a notebook wrote
    figures/NN-figure.png|svg    every figure a notebook wrote
    report.json                  what ran, when, with which parameters (also marks the folder as a report)
"""

from __future__ import annotations

import ast
import errno
import fcntl
import glob
import json
import os
import re
import shutil
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from opedlens import kernels
from opedlens.errors import InputError
from opedlens.paths import NOTEBOOKS_DIR, PROJECT_ROOT, portable

KERNEL_NAME = kernels.KERNEL_NAME
MARKER = "report.json"
Log = Callable[[str], None]


@dataclass(frozen=True)
class NotebookSpec:
    """A notebook of the sequence: its file, number, declared parameters (with defaults) and prerequisites."""

    path: Path
    parameters: dict[str, object]
    needs: tuple[str, ...] = ()

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


def declared_parameters(path: Path) -> dict[str, object]:
    """The parameters a notebook's ``parameters`` cell declares, with their literal default values."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])]
    if len(cells) != 1:
        raise InputError(f"needs exactly one code cell tagged 'parameters' (found {len(cells)})", path)
    values = {}
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
    return values


def discover(directory: Path = NOTEBOOKS_DIR, only: list[str] | None = None) -> list[NotebookSpec]:
    """The numbered notebooks ``NN-name.ipynb`` in order; with ``only`` (numbers or stems), those and what they need."""
    import nbformat

    specs = []
    for path in sorted(directory.glob("[0-9][0-9]-*.ipynb")):
        needs = nbformat.read(path, as_version=4).metadata.get("opedlens", {}).get("needs", [])
        specs.append(NotebookSpec(path=path, parameters=declared_parameters(path), needs=tuple(needs)))
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


def check_parameters(specs: list[NotebookSpec], params: dict[str, object]) -> None:
    """Refuse parameters that no notebook declares (a typo would otherwise be silently ignored)."""
    known = {name for spec in specs for name in spec.parameters}
    unknown = sorted(set(params) - known)
    if unknown:
        raise InputError(f"unknown parameter(s) {', '.join(unknown)}; the notebooks declare: {', '.join(sorted(known))}")


# --- staging and swapping --------------------------------------------------------------------------------------


def check_output_dir(output: Path) -> None:
    """Refuse to replace a folder that is not a report (it would be deleted by the swap)."""
    if output.exists() and not output.is_dir():
        raise InputError("output path exists and is not a folder", output)
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        raise InputError(
            f"output folder is not empty and holds no {MARKER}, so it is not an opedlens report; "
            "choose a new or empty folder",
            output,
        )
    if output.is_dir() and not os.access(output, os.W_OK | os.X_OK):
        raise InputError("output folder is read-only, so its report cannot be replaced; make it writable or "
                         "choose another --output", output)


def make_staging(output: Path) -> Path:
    """A fresh staging folder beside ``output`` (same file system, so the swap is a rename), named with our pid."""
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = output.parent / f".{output.name}.staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    for sub in ("notebooks", "html", "tables", "figures"):
        (staging / sub).mkdir(parents=True)
    return staging


def swap_in(staging: Path, output: Path) -> None:
    """Replace ``output`` by ``staging``: two renames, undone if the second fails; the old report is then deleted.

    A run killed between the two renames leaves no ``output`` but a whole ``.<name>.old-<pid>``: the next run puts
    it back (:func:`clear_leftovers`).
    """
    if not output.exists():
        os.rename(staging, output)
        return
    old = output.parent / f".{output.name}.old-{os.getpid()}"
    shutil.rmtree(old, ignore_errors=True)
    os.rename(output, old)
    try:
        os.rename(staging, output)
    except BaseException:
        os.rename(old, output)
        raise
    shutil.rmtree(old, ignore_errors=True)


KEPT = ".kept"  # in a staging folder kept by --keep-staging: the next run leaves it alone


def leftovers(output: Path) -> list[Path]:
    """Staging and old-report folders that runs into ``output`` made beside it (``.<name>.staging|old-<pid>``)."""
    pattern = re.compile(rf"\.{re.escape(output.name)}\.(staging|old)-\d+")
    found = output.parent.glob(f".{glob.escape(output.name)}.*-*") if output.parent.is_dir() else []
    return sorted(p for p in found if pattern.fullmatch(p.name) and p.is_dir())


def clear_leftovers(output: Path, log: Log = print) -> None:
    """Tidy what killed runs left beside ``output``; call it holding the output's lock.

    Under the lock no other run can be using a staging folder of ``output``, so every one left is stale (its run
    was killed: SIGKILL, power loss) and is removed, whatever its pid (pids are reused). If a run was killed in the
    middle of the swap, ``output`` is missing and its previous report waits in ``.<name>.old-<pid>``: put it back.
    """
    found = leftovers(output)
    olds = [p for p in found if p.name.startswith(f".{output.name}.old-") and (p / MARKER).is_file()]
    if not output.exists() and olds:
        newest = max(olds, key=lambda p: p.stat().st_mtime)
        os.rename(newest, output)
        log(f"restored the previous report into {output} (a run was killed while swapping it in)")
    for path in found:
        if path.exists() and not (path / KEPT).exists():
            shutil.rmtree(path, ignore_errors=True)
            log(f"removed {path.name}, left beside {output.name} by a run that was killed")


def lock_path(output: Path) -> Path:
    return output.parent / f".{output.name}.lock"


class ReportBusy(InputError):
    """Another run is writing the same output folder."""


@contextmanager
def output_lock(output: Path) -> Iterator[Path]:
    """Hold the output folder's lock file for the run, or fail at once if another run holds it.

    The lock is an ``fcntl.flock`` on ``.<name>.lock`` beside ``output`` (so it also works before ``output``
    exists, and the file is never part of a report). The kernel drops it when its process ends, however it ends,
    so a killed run never blocks the next. The file holds the holder's pid, for the message; it is removed on
    release, and a run that locked a file just removed by its holder retries on the new one.
    """
    path = lock_path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise ReportBusy(f"another opedlens run is writing {output} (pid {holder}); wait for it to finish "
                             "or choose another --output") from None
        try:
            current = os.stat(path).st_ino
        except FileNotFoundError:
            current = None
        if current == os.fstat(fd).st_ino:
            break
        os.close(fd)  # the file we locked was removed by the run that just finished: lock the new one
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield path
    finally:
        try:
            path.unlink(missing_ok=True)  # still holding the lock, so no other run is between open and check
        finally:
            os.close(fd)


# --- write errors ---------------------------------------------------------------------------------------------


#: Errors of writing that say nothing about the input: the disk, the folder's permissions.
WRITE_ERRNOS = {
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EFBIG: "file too large",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EIO: "input/output error",
}


def write_failure(err: OSError, output: Path, where: Path | str | None = None) -> InputError:
    """One line for a write error: what went wrong, the path, and that the previous report is untouched."""
    reason = WRITE_ERRNOS.get(err.errno) or (err.strerror or str(err))
    path = err.filename or where or output
    if err.filename2:
        path = f"{path} -> {err.filename2}"
    kept = f"the previous report in {output} is untouched" if (output / MARKER).is_file() else \
        f"nothing was published in {output}"
    return InputError(f"{reason} while writing {path}; {kept}")


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

    ``km``: a started kernel manager to run it in (see :class:`opedlens.kernels.WarmKernel`), shut down
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
    return time.perf_counter() - started


class _InlineExecutor:
    """Runs a task at once in this process: ``--jobs 1`` takes the same scheduling path as a thread pool."""

    def submit(self, fn: Callable, *args) -> Future:
        future: Future = Future()
        future.set_result(fn(*args))
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


def _upcoming(pending: list[NotebookSpec], started: set[str], count: int) -> list[NotebookSpec]:
    """The next ``count`` notebooks to start once those in ``started`` (finished or running) are done."""
    return [s for s in pending if all(need in started for need in s.needs)][:count]


@contextmanager
def kernels_ahead(specs: list[NotebookSpec], jobs: int = 1, kernel: str = KERNEL_NAME) -> Iterator[dict]:
    """Start the kernels of the first notebooks to run now (so they boot while the inputs are checked); pass
    what this yields to :func:`run_report` as ``ahead``. Kernels not taken by then are shut down on exit."""
    threads = kernels.threads_per_kernel(jobs)
    ahead = {spec.stem: kernels.WarmKernel(spec.path, kernel, PROJECT_ROOT, threads=threads)
             for spec in _upcoming(specs, set(), jobs)}
    try:
        yield ahead
    finally:
        for spare in ahead.values():
            spare.close()


def run_notebooks(specs: list[NotebookSpec], params: dict, staging: Path, *, jobs: int = 1,
                  kernel: str = KERNEL_NAME, log: Log = print, on_done: Callable[[NotebookSpec], None] | None = None,
                  warm_kernels: bool = True, ahead: dict | None = None) -> dict[str, float]:
    """Execute every notebook into ``staging/notebooks`` (products into ``staging``); return seconds per notebook.

    A notebook starts once the notebooks it ``needs`` have finished; up to ``jobs`` run at the same time (each
    in its own kernel, driven from a thread of this process). ``on_done(spec)`` is called as each finishes.
    With ``warm_kernels``, the kernels of the next ``jobs`` notebooks start, and import those notebooks'
    modules, while the current ones run (:class:`kernels.WarmKernel`); ``ahead`` holds kernels started
    earlier (:func:`kernels_ahead`), which are used and removed from it. With ``jobs`` > 1 each kernel gets its
    share of the CPU cores as BLAS threads (:func:`kernels.threads_per_kernel`).
    """
    stems = {spec.stem for spec in specs}
    missing = {need for spec in specs for need in spec.needs} - stems
    if missing:
        raise InputError(f"notebook prerequisites not found: {', '.join(sorted(missing))}")
    run_params = params | {"output_dir": portable(staging)}
    durations: dict[str, float] = {}
    pending, running = list(specs), {}
    executor = ThreadPoolExecutor(max_workers=jobs) if jobs > 1 else _InlineExecutor()
    warm: dict[str, kernels.WarmKernel] = ahead if ahead is not None else {}
    in_use: dict[Future, object] = {}
    threads = kernels.threads_per_kernel(jobs)

    def start_ahead() -> None:
        for spec in _upcoming(pending, set(durations) | {s.stem for s in running.values()}, jobs):
            if spec.stem not in warm and (warm_kernels or jobs > 1):
                warm[spec.stem] = kernels.WarmKernel(spec.path, kernel, PROJECT_ROOT, import_modules=warm_kernels,
                                                     threads=threads)

    finished = False
    try:
        start_ahead()
        while pending or running:
            startable = [s for s in pending if all(need in durations for need in s.needs)]
            for spec in startable[: max(jobs - len(running), 1)]:
                pending.remove(spec)
                log(f"[{len(durations) + len(running) + 1}/{len(specs)}] {spec.stem}: running")
                target = staging / "notebooks" / spec.path.name
                km = warm.pop(spec.stem).take() if spec.stem in warm else None
                if km is None and jobs > 1:  # threads never let papermill start a kernel (it would chdir)
                    km = kernels.WarmKernel(spec.path, kernel, PROJECT_ROOT, import_modules=False,
                                            threads=threads).take()
                if jobs == 1:
                    start_ahead()  # the next notebook's kernel starts while this one runs
                future = executor.submit(execute, str(spec.path), str(target), parameters_for(spec, run_params),
                                         kernel, km)
                running[future] = spec
                in_use[future] = km
            if jobs > 1:
                start_ahead()
            if not running:
                raise InputError(f"notebook prerequisites form a cycle: {', '.join(s.stem for s in pending)}")
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                spec = running.pop(future)
                in_use.pop(future)
                durations[spec.stem] = future.result()
                log(f"      {spec.stem}: done in {durations[spec.stem]:.1f} s")
                if on_done:
                    on_done(spec)
        finished = True
    finally:
        for spare in warm.values():
            spare.close()
        if not finished:  # stop the notebooks still running, so that their threads end now
            for km in in_use.values():
                kernels.kill(km)
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
    from opedlens import render

    executed = staging / "notebooks" / spec.path.name
    _record_final_paths(executed, staging, output)
    reader, code = f"{spec.stem}.html", f"{spec.stem}-code.html"
    render.render_notebook(executed, staging / "html" / reader, with_code=False, other_version_href=code)
    render.render_notebook(executed, staging / "html" / code, with_code=True, other_version_href=reader)


def publish(specs: list[NotebookSpec], params: dict, staging: Path, output: Path,
            durations: dict[str, float], info: dict) -> None:
    """The index of the rendered pages (:func:`render_pages`), and ``report.json``."""
    import nbformat

    from opedlens import render

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
    record = {"run_date": date, "parameters": params | {"output_dir": portable(output)}, "info": info,
              "notebooks": {stem: round(seconds, 2) for stem, seconds in durations.items()}}
    (staging / MARKER).write_text(json.dumps(record, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")


def run_report(specs: list[NotebookSpec], params: dict, output: Path, *, jobs: int = 1, log: Log = print,
               keep_staging: bool = False, ahead: dict | None = None) -> RunResult:
    """Execute, render and publish: the previous report in ``output`` is replaced only if everything succeeded.

    Holds the output's lock throughout (:func:`output_lock`); a write error (full disk, read-only folder) is raised
    as one-line :class:`InputError` naming the path. ``ahead``: kernels from :func:`kernels_ahead`.
    """
    import platform

    from opedlens import __version__

    check_output_dir(output)
    try:
        with output_lock(output):
            clear_leftovers(output, log)
            kernel = kernels.ensure_kernel()
            staging = make_staging(output)
            try:
                with ThreadPoolExecutor(max_workers=1) as renderer:  # pages render while later notebooks run
                    pages = []
                    durations = run_notebooks(
                        specs, params, staging, jobs=jobs, kernel=kernel, log=log, ahead=ahead,
                        on_done=lambda spec: pages.append(renderer.submit(render_pages, spec, staging, output)))
                    log("rendering HTML")
                    for page in pages:
                        page.result()
                info = {"corpus": params.get("corpus_dir", "?"), "opedlens": __version__,
                        "python": platform.python_version()}
                publish(specs, params, staging, output, durations, info)
                swap_in(staging, output)
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
