"""Faults: a run killed, failing, racing another run, or meeting a full disk or a read-only folder leaves the last
report as it was, says what happened in one line, and never stops the next run."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
import types
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from opedlens import cli, files, pipeline
from opedlens.errors import InputError

BIN = Path(sys.executable).parent
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(parent: Path, name: str = "report") -> list[str]:
    """Staging, old-report and lock files of runs into ``parent/name``."""
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{name}."))


def one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("opedlens: error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


# --- small notebooks, run in this process: fast, and the write paths can be patched ------------------------------


def _notebook(path: Path, body: str) -> Path:
    nb = new_notebook(cells=[
        new_code_cell('output_dir: str = "scratch"\ntag: str = "x"', metadata={"tags": ["parameters"]}),
        new_code_cell(body),
    ])
    nb.metadata = {"kernelspec": {"name": "opedlens", "display_name": "Python (opedlens)", "language": "python"}}
    nbformat.write(nb, path)
    return path


WRITE = """from opedlens.paths import resolve
from opedlens.files import write_atomic
write_atomic(resolve(output_dir) / "tables" / "01-done.csv", "tag\\n" + tag + "\\n")"""


@pytest.fixture
def tiny(tmp_path: Path) -> list[pipeline.NotebookSpec]:
    folder = tmp_path / "nbs"
    folder.mkdir()
    _notebook(folder / "01-write.ipynb", WRITE)
    return pipeline.discover(folder)


@pytest.fixture
def previous(tiny, tmp_path: Path) -> Path:
    """A report made by the tiny notebook, to be kept intact by the failing runs."""
    output = tmp_path / "report"
    pipeline.run_report(tiny, {"tag": "previous"}, output, log=lambda _: None)
    return output


def _os_with(**overrides) -> types.SimpleNamespace:
    """The ``os`` module as one module sees it, with some functions replaced (the rest of the process unaffected)."""
    return types.SimpleNamespace(**{name: getattr(os, name) for name in dir(os) if not name.startswith("__")}
                                 | overrides)


def _full_disk_fdopen(fd: int, mode: str = "r", *args, **kwargs):
    """``os.fdopen`` onto /dev/full: every write fails for real with ENOSPC, like a full disk (no file name)."""
    os.close(fd)
    return open("/dev/full", mode)


needs_dev_full = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")


@needs_dev_full
def test_write_atomic_names_the_file_on_a_full_disk_and_keeps_the_old_one(tmp_path, monkeypatch):
    target = tmp_path / "table.csv"
    target.write_text("old\n")
    monkeypatch.setattr(files, "os", _os_with(fdopen=_full_disk_fdopen))
    with pytest.raises(OSError) as caught:
        files.write_atomic(target, "new\n")
    assert caught.value.errno == errno.ENOSPC and caught.value.filename == str(target)
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv"], "no temporary file is left"


@needs_dev_full
def test_a_full_disk_while_rendering_gives_one_line_and_keeps_the_report(tiny, previous, tmp_path, monkeypatch):
    before = snapshot(previous)
    monkeypatch.setattr(files, "os", _os_with(fdopen=_full_disk_fdopen))  # the HTML pages are written this way
    with pytest.raises(InputError) as caught:
        pipeline.run_report(tiny, {"tag": "new"}, previous, log=lambda _: None)
    message = str(caught.value)
    assert message.startswith(f"no space left on device while writing {tmp_path}/.report.staging-{os.getpid()}/html/")
    assert message.endswith(f"; the previous report in {previous} is untouched")
    assert "\n" not in message
    assert snapshot(previous) == before
    assert leftovers(tmp_path) == []


def test_a_full_disk_inside_a_notebook_gives_one_line_and_keeps_the_report(previous, tmp_path):
    folder = tmp_path / "full"
    folder.mkdir()
    _notebook(folder / "01-write.ipynb", 'with open("/dev/full", "w") as out:\n    out.write("x")'
              if os.path.exists("/dev/full") else
              "import errno, os\nraise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), output_dir + '/x')")
    before = snapshot(previous)
    with pytest.raises(InputError, match=rf"^no space left on device while writing {tmp_path}/\.report\.staging-\d+"
                                         rf".*; the previous report in {previous} is untouched$"):
        pipeline.run_report(pipeline.discover(folder), {}, previous, log=lambda _: None)
    assert snapshot(previous) == before
    assert leftovers(tmp_path) == []


def test_a_failing_swap_is_undone_and_named(tiny, previous, tmp_path, monkeypatch):
    before = snapshot(previous)

    def rename(src, dst):
        if Path(dst) == previous and ".staging-" in str(src):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(src), None, str(dst))
        return os.rename(src, dst)

    monkeypatch.setattr(pipeline, "os", _os_with(rename=rename))
    with pytest.raises(InputError, match=rf"^no space left on device while writing .*\.report\.staging-\d+ -> "
                                         rf"{previous}; the previous report in {previous} is untouched$"):
        pipeline.run_report(tiny, {"tag": "new"}, previous, log=lambda _: None)
    assert snapshot(previous) == before
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES])
def test_a_read_only_folder_gives_one_line_naming_it(tiny, previous, tmp_path, monkeypatch, code):
    """Simulated (the tests may run as root, whom permissions do not stop): creating anything beside the report
    fails, as on a read-only mount."""
    before = snapshot(previous)

    def refuse(path, *args, **kwargs):
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(pipeline, "os", _os_with(open=refuse))
    with pytest.raises(InputError) as caught:
        pipeline.run_report(tiny, {"tag": "new"}, previous, log=lambda _: None)
    reason = {errno.EROFS: "read-only file system", errno.EACCES: "permission denied"}[code]
    assert str(caught.value) == (f"{reason} while writing {tmp_path}/.report.lock; "
                                 f"the previous report in {previous} is untouched")
    assert snapshot(previous) == before
    assert leftovers(tmp_path) == []


def test_the_command_exits_1_with_the_one_line(tiny, previous, tmp_path, monkeypatch, capsys):
    def refuse(path, *args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))

    monkeypatch.setattr(pipeline, "discover", lambda directory=None, only=None: tiny)
    monkeypatch.setattr(pipeline, "os", _os_with(open=refuse))
    (tmp_path / "params.yaml").write_text("tag: new\n")
    status = cli.main(["run", "--params", str(tmp_path / "params.yaml"), "--output", str(previous)])
    assert status == 1
    line = one_error_line(capsys.readouterr().err.split("\n", 1)[1])  # after the "opedlens 0.1.0: ..." line
    assert line == (f"opedlens: error: read-only file system while writing {tmp_path}/.report.lock; "
                    f"the previous report in {previous} is untouched")


def test_a_read_only_report_folder_is_refused_before_anything_runs(previous, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "os", _os_with(access=lambda path, mode: Path(path) != previous))
    with pytest.raises(InputError, match=f"^{previous}: output folder is read-only"):
        pipeline.check_output_dir(previous)


@pytest.mark.skipif(IS_ROOT, reason="root writes into read-only folders; the simulated tests above cover it")
def test_a_real_read_only_parent_folder(tiny, previous, tmp_path):
    before = snapshot(previous)
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(InputError, match=rf"^permission denied while writing {tmp_path}/\.report\.lock; "
                                             rf"the previous report in {previous} is untouched$"):
            pipeline.run_report(tiny, {"tag": "new"}, previous, log=lambda _: None)
    finally:
        tmp_path.chmod(0o755)
    assert snapshot(previous) == before
    assert leftovers(tmp_path) == []


def test_a_folder_that_refuses_even_root_through_the_command(tmp_path):
    """A real refusal, also for root: /sys takes no new files (skipped where it does, or where it is missing)."""
    probe = Path("/sys/opedlens-probe")
    try:
        probe.mkdir()
    except OSError:
        pass
    else:
        probe.rmdir()
        pytest.skip("/sys accepts new folders here")
    if not Path("/sys").is_dir():
        pytest.skip("no /sys")
    result = subprocess.run([str(BIN / "opedlens"), "run", "--only", "01", "--output", "/sys/opedlens-test/report"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    line = one_error_line(result.stderr.split("\n", 1)[1])
    assert line in {f"opedlens: error: {reason} while writing /sys/opedlens-test; nothing was published in "
                    "/sys/opedlens-test/report" for reason in ("operation not permitted", "permission denied",
                                                              "read-only file system")}, line


# --- the lock ----------------------------------------------------------------------------------------------------


def test_a_second_lock_on_the_same_output_fails_at_once_naming_the_holder(tmp_path):
    output = tmp_path / "report"
    with pipeline.output_lock(output) as lock:
        assert lock == tmp_path / ".report.lock" and lock.read_text() == f"{os.getpid()}\n"
        started = time.perf_counter()
        with pytest.raises(pipeline.ReportBusy) as caught:
            with pipeline.output_lock(output):
                pass
        assert time.perf_counter() - started < 1
        assert str(caught.value) == (f"another opedlens run is writing {output} (pid {os.getpid()}); "
                                     "wait for it to finish or choose another --output")
        with pipeline.output_lock(tmp_path / "other"):  # another output folder beside it is another lock
            pass
    assert not lock.exists(), "the lock file goes with the run"


def test_the_lock_of_a_killed_process_is_free_at_once(tmp_path):
    output = tmp_path / "report"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\nfrom pathlib import Path\nfrom opedlens.pipeline import output_lock\n"
        f"with output_lock(Path({str(output)!r})):\n    print('locked', flush=True)\n    time.sleep(600)")],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    with pytest.raises(pipeline.ReportBusy, match=f"pid {holder.pid}"):
        with pipeline.output_lock(output):
            pass
    holder.kill()
    holder.wait()
    assert (tmp_path / ".report.lock").exists(), "SIGKILL leaves the file, but not the lock"
    with pipeline.output_lock(output):
        pass


def test_leftovers_of_killed_runs_are_cleared_and_a_half_swapped_report_put_back(tmp_path):
    output = tmp_path / "report"
    old = tmp_path / ".report.old-999999"  # killed between the two renames of the swap: no report, the old one aside
    old.mkdir()
    (old / pipeline.MARKER).write_text("{}\n")
    (old / "tables").mkdir()
    (old / "tables" / "01-a.csv").write_text("a\n")
    for name in (".report.staging-999999", ".report.staging-999998"):
        (tmp_path / name / "tables").mkdir(parents=True)
    kept = tmp_path / ".report.staging-999997"
    kept.mkdir()
    (kept / pipeline.KEPT).touch()
    (tmp_path / ".reporter.staging-1").mkdir()  # another report's folder: not ours
    lines: list[str] = []
    with pipeline.output_lock(output):
        pipeline.clear_leftovers(output, lines.append)
    assert (output / "tables" / "01-a.csv").read_text() == "a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".report.staging-999997", ".reporter.staging-1", "report"]
    assert lines[0] == f"restored the previous report into {output} (a run was killed while swapping it in)"
    assert "removed .report.staging-999999, left beside report by a run that was killed" in lines


# --- real runs of the real notebooks -----------------------------------------------------------------------------


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@pytest.fixture
def previous_seed_report(seed_report, tmp_path) -> Path:
    report = tmp_path / "report"
    shutil.copytree(seed_report, report)
    return report


def _start(*args: str, cwd: Path) -> subprocess.Popen:
    """`opedlens run ...` in its own process group; returns once a notebook is running."""
    process = subprocess.Popen([str(BIN / "opedlens"), "run", *args], cwd=cwd, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    for line in process.stderr:
        if ": running" in line:
            return process
    raise AssertionError(f"no notebook started (exit {process.wait()})")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")
def test_sigkill_mid_run_keeps_the_report_kills_the_kernel_and_the_next_run_succeeds(previous_seed_report, tmp_path):
    report = previous_seed_report
    before = snapshot(report)
    process = _start("--output", str(report), cwd=tmp_path)
    deadline = time.monotonic() + 120
    while not (kernels := [p for p in _descendants(process.pid) if "ipykernel" in _cmdline(p)]):
        assert time.monotonic() < deadline, "no kernel started"
        time.sleep(0.2)
    time.sleep(2.0)  # the kernel is executing the notebook (and the next notebook's kernel is warming up)
    kernels = sorted(set(kernels) | {p for p in _descendants(process.pid) if "ipykernel" in _cmdline(p)})
    os.killpg(process.pid, signal.SIGKILL)  # the whole `opedlens run` process group, as a terminal's kill would
    process.wait(timeout=30)
    killed = time.monotonic()
    while any(_running(pid) for pid in kernels):  # the kernel is in its own session: it sees its parent die
        assert time.monotonic() - killed < 20, f"kernel(s) {kernels} still running 20 s after the kill"
        time.sleep(0.1)
    print(f"{len(kernels)} kernel(s) gone {time.monotonic() - killed:.1f} s after SIGKILL")

    assert snapshot(report) == before, "the previous report is byte for byte the same"
    staging = f".report.staging-{process.pid}"
    assert leftovers(tmp_path) == [".report.lock", staging], "what a killed run leaves"

    result = subprocess.run([str(BIN / "opedlens"), "run", "--only", "01", "--output", str(report)], cwd=tmp_path,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert f"removed {staging}, left beside report by a run that was killed" in result.stderr
    assert leftovers(tmp_path) == []
    assert sorted(p.name for p in (report / "notebooks").iterdir()) == ["01-load-corpus.ipynb"]


def test_a_second_run_into_the_same_folder_fails_fast_and_the_first_is_not_disturbed(seed_report,
                                                                                      previous_seed_report, tmp_path):
    report = previous_seed_report
    first = _start("--only", "01", "02", "--output", str(report), cwd=tmp_path)  # two notebooks: ~15 s to go
    started = time.perf_counter()
    second = subprocess.run([str(BIN / "opedlens"), "run", "--only", "01", "--output", str(report)], cwd=tmp_path,
                            capture_output=True, text=True, timeout=600)
    took = time.perf_counter() - started
    assert first.poll() is None, "the first run was still running when the second gave up"
    assert second.returncode == 1
    line = one_error_line(second.stderr.split("\n", 1)[1])
    assert line == (f"opedlens: error: another opedlens run is writing {report} (pid {first.pid}); "
                    "wait for it to finish or choose another --output")
    print(f"second run refused after {took:.1f} s")
    rest = first.stderr.read()
    assert first.wait(timeout=600) == 0, rest
    assert sorted(p.name for p in (report / "notebooks").iterdir()) == ["01-load-corpus.ipynb",
                                                                        "02-score-sentiment.ipynb"]
    for table in sorted((report / "tables").iterdir()):  # the first run's report is whole and right
        assert table.read_bytes() == (seed_report / "tables" / table.name).read_bytes(), table.name
    assert leftovers(tmp_path) == [], "the lock file went with the first run"
    with pipeline.output_lock(report):  # free at once
        pass


def test_sigterm_stops_like_ctrl_c_and_keeps_the_last_report(previous_seed_report, tmp_path):
    report = previous_seed_report
    before = snapshot(report)
    process = _start("--only", "01", "--output", str(report), cwd=tmp_path)
    time.sleep(1.0)
    process.terminate()  # `kill PID`, to the opedlens process only
    rest = process.stderr.read()
    assert process.wait(timeout=60) == 130
    assert "interrupted; the previous report is untouched" in rest and "Traceback" not in rest
    assert snapshot(report) == before
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")
def test_ctrl_c_during_a_parallel_run_stops_every_kernel_and_keeps_the_last_report(previous_seed_report, tmp_path):
    """Ctrl-C at a terminal signals the whole process group; kernels live in their own sessions, so the run
    itself must stop the notebooks running in its threads and the kernels started ahead."""
    report = previous_seed_report
    before = snapshot(report)
    process = _start("--jobs", "2", "--output", str(report), cwd=tmp_path)
    deadline = time.monotonic() + 120
    while len(kernels := [p for p in _descendants(process.pid) if "ipykernel" in _cmdline(p)]) < 2:
        assert time.monotonic() < deadline, "two kernels never ran"
        time.sleep(0.2)
    time.sleep(1.0)
    kernels = sorted(set(kernels) | {p for p in _descendants(process.pid) if "ipykernel" in _cmdline(p)})
    os.killpg(process.pid, signal.SIGINT)
    rest = process.stderr.read()
    assert process.wait(timeout=60) == 130, rest
    assert "interrupted; the previous report is untouched" in rest and "Traceback" not in rest
    stopped = time.monotonic()
    while any(_running(pid) for pid in kernels):
        assert time.monotonic() - stopped < 10, f"kernel(s) {kernels} still running after the run stopped"
        time.sleep(0.1)
    assert snapshot(report) == before
    assert leftovers(tmp_path) == []
