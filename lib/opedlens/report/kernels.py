"""Jupyter kernels for the pipeline: the project's kernelspec, kernels over IPC sockets, and warm kernels.

Several notebooks at once (``--jobs N``) run in threads of one process, each in a kernel started here in the
project root, so papermill never changes the process's working directory (which threads share).

Starting a kernel and importing pandas, scikit-learn and seaborn into it takes a few seconds per notebook.
:class:`WarmKernel` starts the next notebook's kernel while the current one runs, imports in it the modules
that notebook imports and calls their ``warm_up()`` hooks (which load the models those modules load on
first use: the MiniLM encoder, spaCy, TextBlob). Modules are imported by name only: no name is bound in the
notebook's namespace, nothing runs that the notebook would not run itself, and the execution counter is
left alone. The time overlaps with the running notebook instead of adding to it.
"""

from __future__ import annotations

import ast
import os
import signal
import subprocess
import sys
import tempfile
import threading
import uuid
from pathlib import Path

from opedlens import interrupt

KERNEL_NAME = "opedlens"
WARM_TIMEOUT_S = 120
#: A kernel's share of the cores: its BLAS/OpenMP threads, and the cores joblib counts (``n_jobs=-1``: notebook 03's
#: topic grid). With ``--jobs 2`` on the 133 editorials, the grid in a second process beside notebook 04's
#: cross-encoder, which has every core, raised the run's peak memory from 3.35 to 3.92 GiB in about the same time.
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "LOKY_MAX_CPU_COUNT")


def threads_per_kernel(jobs: int) -> int | None:
    """BLAS/OpenMP threads (and joblib's cores) for each of ``jobs`` kernels running side by side: the CPU cores
    shared out, so kernels do not spin against each other (results are the same with any number); None for one
    kernel at a time, which keeps the libraries' own default."""
    return None if jobs <= 1 else max(1, (os.cpu_count() or 1) // jobs)


def kernel_env(threads: int | None = None) -> dict[str, str]:
    """The environment of a kernel: this process's, with ``threads`` BLAS/OpenMP threads unless the user set
    those variables."""
    return ({} if threads is None else dict.fromkeys(THREAD_VARIABLES, str(threads))) | dict(os.environ)


def ensure_kernel(name: str = KERNEL_NAME) -> str:
    """Make sure a Jupyter kernel ``name`` runs this very Python (install it into this environment if missing)."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    manager = KernelSpecManager()
    try:
        spec = manager.get_kernel_spec(name)
        if Path(spec.argv[0]).resolve() == Path(sys.executable).resolve():
            return name
    except NoSuchKernel:
        pass
    from ipykernel.kernelspec import install

    install(kernel_name=name, display_name="Python (opedlens)", prefix=sys.prefix)
    return name


def ipc_kernel_manager():
    """A kernel manager class that talks to its kernel over local IPC sockets instead of TCP ports on localhost.

    Each kernel gets socket files under its own unique name, so kernels started in parallel never cross. The
    kernel's own log goes nowhere: cell errors arrive as messages, and an interrupted run would otherwise end
    with the dying kernel's tracebacks on the terminal.
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class IPCKernelManager(AsyncKernelManager):
        @default("transport")
        def _default_transport(self) -> str:
            return "ipc"

        @default("ip")
        def _default_ip(self) -> str:
            return str(Path(tempfile.gettempdir()) / f"opedlens-{uuid.uuid4().hex[:12]}-ipc")

        async def start_kernel(self, **kwargs):
            kwargs.setdefault("stderr", subprocess.DEVNULL)
            return await super().start_kernel(**kwargs)

    return IPCKernelManager


def imported_modules(notebook: Path) -> list[str]:
    """Every module a notebook's code cells import at top level (``from a import b`` gives ``a`` and ``a.b``;
    the latter only matters when ``b`` is a submodule)."""
    import nbformat

    names: list[str] = []
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        try:
            body = ast.parse(cell.source).body
        except SyntaxError:
            continue
        for node in body:
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return list(dict.fromkeys(names))


def warm_up_code(modules: list[str]) -> str:
    """Code that imports ``modules`` by name and calls the ``warm_up()`` of those that define one (loading the
    models their functions load on first use); it ignores names that are not modules and any error (the
    notebook meets it again, with its own message), and leaves no names behind."""
    return ("def _opedlens_warm(names):\n"
            "    import importlib\n"
            "    for name in names:\n"
            "        try:\n"
            "            module = importlib.import_module(name)\n"
            "            if callable(getattr(module, 'warm_up', None)):\n"
            "                module.warm_up()\n"
            "        except Exception:\n"
            "            pass\n"
            f"_opedlens_warm({modules!r})\n"
            "del _opedlens_warm\n")


class WarmKernel:
    """A kernel started now for a notebook that runs later, with that notebook's modules imported in it.

    :meth:`take` waits for the warm-up and hands over the kernel manager (the caller shuts it down);
    :meth:`close` shuts the kernel down if it was never taken. A warm-up that fails leaves a started kernel
    without the imports: the notebook then imports them itself, as it would anyway.
    """

    def __init__(self, notebook: Path, kernel: str, cwd: Path, import_modules: bool = True,
                 threads: int | None = None):
        from jupyter_core.utils import run_sync

        os.environ.setdefault("PYTHONHASHSEED", "0")  # the same str hashes in every kernel, warm or not
        self.km = ipc_kernel_manager()(kernel_name=kernel)
        run_sync(self.km.start_kernel)(cwd=str(cwd), env=kernel_env(threads))
        modules = imported_modules(notebook) if import_modules else []
        self._thread = threading.Thread(target=self._warm, args=(modules,), daemon=True)
        self._thread.start()

    def _warm(self, modules: list[str]) -> None:
        if not modules:
            return
        client = self.km.blocking_client()
        try:
            client.start_channels()
            client.wait_for_ready(timeout=WARM_TIMEOUT_S)
            msg_id = client.execute(warm_up_code(modules), silent=True, store_history=False)
            while client.get_shell_msg(timeout=WARM_TIMEOUT_S)["parent_header"].get("msg_id") != msg_id:
                pass
        except Exception:  # noqa: BLE001 - the notebook will import what it needs itself
            pass
        finally:
            client.stop_channels()

    def take(self):
        """The started, warmed kernel manager (waits for the warm-up to finish). A stop request while it waits
        raises :class:`opedlens.interrupt.Interrupted` and leaves the kernel here, for :meth:`close`."""
        interrupt.join(self._thread)
        km, self.km = self.km, None
        return km

    def close(self) -> None:
        """Shut the kernel down unless it was taken."""
        if self.km is not None:
            shutdown(self.km)
            self.km = None


def shutdown(km) -> None:
    """Stop a kernel started by this module (at once: its notebook has finished or been abandoned)."""
    from jupyter_core.utils import run_sync

    try:
        run_sync(km.shutdown_kernel)(now=True)
    except Exception:  # noqa: BLE001 - the kernel may already be gone (killed, or exited with its parent)
        pass


def kill(km) -> None:
    """Kill a kernel and whatever it started (its process group: jupyter_client starts each kernel in a session of
    its own), from any thread, and wait until it is gone, so it cannot write another byte; the thread driving it
    then fails and ends."""
    process = getattr(getattr(km, "provisioner", None), "process", None)
    if process is None:
        return
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:
            process.kill()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL is not refused
        pass
