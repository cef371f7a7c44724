"""Faults: a run killed, failing, racing another run, or meeting a full disk or a read-only folder leaves the last
report as it was, says what happened in one line, and never stops the next run."""

from __future__ import annotations

import csv
import errno
import json
import os
import re
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

from opedlens import cli, files, interrupt
from opedlens.errors import InputError
from opedlens.report import output_folder, pipeline

BIN = Path(sys.executable).parent
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(parent: Path, name: str = "report") -> list[str]:
    """Staging, old-report and lock files of runs into ``parent/name``."""
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{name}."))


def write_record(folder: Path) -> None:
    """A report.json as a run writes it: the format, and every file with its SHA-256."""
    record = {"format": output_folder.FORMAT, "files": output_folder.file_list(folder)}
    (folder / output_folder.MARKER).write_text(json.dumps(record))


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

    monkeypatch.setattr(output_folder, "os", _os_with(rename=rename))
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

    monkeypatch.setattr(output_folder, "os", _os_with(open=refuse))
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
    monkeypatch.setattr(output_folder, "os", _os_with(open=refuse))
    (tmp_path / "params.yaml").write_text("tag: new\n")
    status = cli.main(["run", "--params", str(tmp_path / "params.yaml"), "--output", str(previous)])
    assert status == 1
    line = one_error_line(capsys.readouterr().err)  # before anything started
    assert line == (f"opedlens: error: read-only file system while writing {tmp_path}/.report.lock; "
                    f"the previous report in {previous} is untouched")


def test_a_read_only_report_folder_is_refused_before_anything_runs(previous, tmp_path, monkeypatch):
    monkeypatch.setattr(output_folder, "os", _os_with(access=lambda path, mode: Path(path) != previous))
    with pytest.raises(InputError, match=f"^{previous}: output folder is read-only"):
        output_folder.check_output_dir(previous)


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
    with output_folder.output_lock(output) as lock:
        assert lock == tmp_path / ".report.lock" and lock.read_text() == f"{os.getpid()}\n"
        started = time.perf_counter()
        with pytest.raises(output_folder.ReportBusy) as caught:
            with output_folder.output_lock(output):
                pass
        assert time.perf_counter() - started < 1
        assert str(caught.value) == (f"another opedlens run is writing {output} (pid {os.getpid()}); "
                                     "wait for it to finish or choose another --output")
        with output_folder.output_lock(tmp_path / "other"):  # another output folder beside it is another lock
            pass
    assert not lock.exists(), "the lock file goes with the run"


def test_the_lock_of_a_killed_process_is_free_at_once(tmp_path):
    output = tmp_path / "report"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\nfrom pathlib import Path\nfrom opedlens.report.pipeline import output_lock\n"
        f"with output_lock(Path({str(output)!r})):\n    print('locked', flush=True)\n    time.sleep(600)")],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    with pytest.raises(output_folder.ReportBusy, match=f"pid {holder.pid}"):
        with output_folder.output_lock(output):
            pass
    holder.kill()
    holder.wait()
    assert (tmp_path / ".report.lock").exists(), "SIGKILL leaves the file, but not the lock"
    with output_folder.output_lock(output):
        pass


def test_leftovers_of_killed_runs_are_cleared_and_a_half_swapped_report_put_back(tmp_path):
    output = tmp_path / "report"
    old = tmp_path / ".report.old-999999"  # killed between the two renames of the swap: no report, the old one aside
    (old / "tables").mkdir(parents=True)
    (old / "tables" / "01-a.csv").write_text("a\n")
    write_record(old)
    for name in (".report.staging-999999", ".report.staging-999998"):
        (tmp_path / name / "tables").mkdir(parents=True)
    kept = tmp_path / ".report.staging-999997"
    kept.mkdir()
    (kept / output_folder.KEPT).touch()
    (tmp_path / ".reporter.staging-1").mkdir()  # another report's folder: not ours
    lines: list[str] = []
    with output_folder.output_lock(output):
        output_folder.clear_leftovers(output, lines.append)
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
    first = _start("--only", "01", "02", "--output", str(report), cwd=tmp_path)  # holds the lock: a notebook runs
    os.kill(first.pid, signal.SIGSTOP)  # paused, so it is still writing however long the second run takes
    try:
        started = time.perf_counter()
        second = subprocess.run([str(BIN / "opedlens"), "run", "--only", "01", "--output", str(report)],
                                cwd=tmp_path, capture_output=True, text=True, timeout=600)
        took = time.perf_counter() - started
    finally:
        os.kill(first.pid, signal.SIGCONT)
    assert second.returncode == 1
    line = one_error_line(second.stderr)  # the first thing it says: it started nothing
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
    with output_folder.output_lock(report):  # free at once
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


# === issue 13: a run touches only what it made, reads only what it was pointed at, and stops cleanly ===============

# --- the output folder: only a report a run wrote is replaced, and only what the run wrote is deleted -------------


def _refused(tiny, output: Path, match: str, params: dict | None = None) -> None:
    with pytest.raises(InputError, match=match):
        pipeline.run_report(tiny, params or {"tag": "new"}, output, log=lambda _: None)


def test_a_folder_with_a_stray_report_json_is_not_taken_for_a_report(tiny, tmp_path):
    folder = tmp_path / "P"
    (folder / "src").mkdir(parents=True)
    (folder / "report.json").write_text("{}\n")
    (folder / "src" / "main.py").write_text("print(1)\n")
    _refused(tiny, folder, r"output folder is not empty and is not an opedlens report \(no report.json listing")
    assert (folder / "src" / "main.py").read_text() == "print(1)\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["P", "nbs"], "nothing was made beside it either"


def test_the_stray_report_json_case_through_the_command(tmp_path):
    """The issue's reproduction, as typed: `opedlens run --only 01 --output P` on a folder with report.json and src/."""
    folder = tmp_path / "P"
    (folder / "src").mkdir(parents=True)
    (folder / "report.json").write_text("{}\n")
    (folder / "src" / "main.py").write_text("print(1)\n")
    result = subprocess.run([str(BIN / "opedlens"), "run", "--only", "01", "--output", str(folder)], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr
    assert "is not an opedlens report" in result.stderr and ": running" not in result.stderr
    assert (folder / "src" / "main.py").read_text() == "print(1)\n"


@pytest.mark.parametrize("added", ["MY-NOTES.txt", "my-analysis/table.csv", "html/my-page.html"])
def test_files_a_user_added_to_a_report_are_named_and_kept(tiny, previous, added):
    sentinel = previous / added
    sentinel.parent.mkdir(parents=True, exist_ok=True)
    sentinel.write_text("mine\n")
    before = snapshot(previous)
    shown = added.split("/")[0] + "/" if added.startswith("my-analysis") else added
    _refused(tiny, previous, rf"output folder holds what no opedlens run wrote: {re.escape(shown)}; a run replaces")
    assert snapshot(previous) == before
    assert sentinel.read_text() == "mine\n"


def test_a_table_edited_by_hand_is_not_overwritten(tiny, previous):
    table = previous / "tables" / "01-done.csv"
    table.write_text("tag\nmy correction\n")
    _refused(tiny, previous, r"tables/01-done.csv \(changed since the run wrote it\)")
    assert table.read_text() == "tag\nmy correction\n"


def test_a_file_added_during_the_run_stops_the_swap_and_is_kept(tiny, previous, tmp_path, monkeypatch):
    sentinel = previous / "NOTES.txt"
    original = pipeline.publish

    def publish_then_user_writes(*args, **kwargs):
        original(*args, **kwargs)
        sentinel.write_text("written while the report was being built\n")

    monkeypatch.setattr(pipeline, "publish", publish_then_user_writes)
    _refused(tiny, previous, r"holds what no opedlens run wrote: NOTES.txt")
    assert sentinel.exists() and (previous / "tables" / "01-done.csv").read_text() == "tag\nprevious\n"
    assert leftovers(tmp_path) == []


def test_removing_an_old_report_deletes_only_the_files_it_lists(tmp_path):
    old = tmp_path / ".report.old-1"
    (old / "tables").mkdir(parents=True)
    (old / "tables" / "01-a.csv").write_text("a\n")
    write_record(old)
    (old / "tables" / "mine.csv").write_text("mine\n")  # appeared after the record was written
    assert output_folder.remove_report(old) == ["tables", "tables/mine.csv"]
    assert (old / "tables" / "mine.csv").read_text() == "mine\n"
    assert not (old / "tables" / "01-a.csv").exists() and not (old / "report.json").exists()


def test_an_old_report_holding_a_users_file_is_not_removed_by_the_next_run(tiny, previous, tmp_path):
    old = tmp_path / ".report.old-999999"
    (old / "tables").mkdir(parents=True)
    (old / "tables" / "01-a.csv").write_text("a\n")
    write_record(old)
    (old / "keep-me.txt").write_text("mine\n")
    lines: list[str] = []
    pipeline.run_report(tiny, {"tag": "new"}, previous, log=lines.append)
    assert (old / "keep-me.txt").read_text() == "mine\n"
    assert any(line.startswith(f"left {old.name} beside report: it holds what no run wrote") for line in lines)


@pytest.mark.parametrize("where", ["report/mycorpus", "mycorpus-in-empty-output"])
def test_a_corpus_inside_the_output_folder_is_refused_before_anything_runs(seed_report, tmp_path, where):
    if where == "report/mycorpus":
        output = tmp_path / "report"
        shutil.copytree(seed_report, output)
        corpus = output / "mycorpus"
    else:
        output = tmp_path / "out"
        corpus = output / "mycorpus"
    shutil.copytree(pipeline.PROJECT_ROOT / "seeds", corpus)
    before = snapshot(corpus)
    result = subprocess.run([str(BIN / "opedlens"), "run", "--only", "01", "--corpus", str(corpus), "--output",
                             str(output)], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    line = one_error_line(result.stderr.split("\n", 1)[1] if result.stderr.startswith("opedlens 0") else
                          result.stderr)
    assert line == (f"opedlens: error: the corpus folder {corpus} is inside the output folder {output}, which a run "
                    "replaces (and would delete it); move it out, or choose another --output")
    assert snapshot(corpus) == before


def test_a_symlinked_output_is_written_through_and_stays_a_link(tiny, previous, tmp_path):
    link = tmp_path / "current"
    link.symlink_to(previous, target_is_directory=True)
    for tag in ("first", "second"):
        lines: list[str] = []
        pipeline.run_report(tiny, {"tag": tag}, link, log=lines.append)
        assert link.is_symlink() and link.resolve() == previous.resolve()
        assert (previous / "tables" / "01-done.csv").read_text() == f"tag\n{tag}\n"
        assert not any("removed" in line for line in lines), lines
    assert leftovers(tmp_path) == [] and leftovers(tmp_path, "current") == []


def test_a_link_left_beside_the_report_is_never_followed_or_removed(tiny, previous, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "data.csv").write_text("precious\n")
    (tmp_path / ".report.old-4242").symlink_to(elsewhere, target_is_directory=True)
    (tmp_path / ".report.staging-4243").symlink_to(elsewhere, target_is_directory=True)
    pipeline.run_report(tiny, {"tag": "new"}, previous, log=lambda _: None)
    assert (elsewhere / "data.csv").read_text() == "precious\n"


# --- inputs: only what the user named, only regular files, size-checked first -------------------------------------


SECRET = "the-launch-code-is-0000"


@pytest.fixture
def secret(tmp_path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    path = outside / "secret.txt"
    path.write_text(f"{SECRET}.\n\nThis paragraph is a secret and it ends like a sentence.\n")
    return path


def _no_secret_anywhere(*folders: Path, text: str = "") -> None:
    assert SECRET not in text
    for folder in folders:
        for path in (folder.rglob("*") if folder.exists() else []):
            if path.is_file():
                assert SECRET.encode() not in path.read_bytes(), path


@pytest.mark.parametrize("how", ["relative", "absolute", "listed-link", "unlisted-link"])
def test_nothing_outside_the_corpus_folder_is_read(corpus_copy, secret, tmp_path, how):
    if how == "relative":
        (corpus_copy / "manifest.csv").write_text(
            f"doc_id,file\nha,000_421a8de7e923a454.txt\nsecret,{os.path.relpath(secret, corpus_copy)}\n")
        expected = r"manifest.csv: line 3: file '\.\./outside/secret.txt' leads outside the corpus folder"
    elif how == "absolute":
        (corpus_copy / "manifest.csv").write_text(f"doc_id,file\nha,000_421a8de7e923a454.txt\nsecret,{secret}\n")
        expected = rf"manifest.csv: line 3: file '{secret}' is an absolute path"
    elif how == "listed-link":
        (corpus_copy / "innocent.txt").symlink_to(secret)
        (corpus_copy / "manifest.csv").write_text("doc_id,file\nha,000_421a8de7e923a454.txt\nx,innocent.txt\n")
        expected = r"manifest.csv: line 3: file 'innocent.txt' leads outside the corpus folder"
    else:
        (corpus_copy / "innocent.txt").symlink_to(secret)
        expected = r"innocent.txt: symbolic link leading outside the corpus folder"
    output = tmp_path / "report"
    result = subprocess.run([str(BIN / "opedlens"), "run", "--only", "01", "--corpus", str(corpus_copy), "--output",
                             str(output)], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert re.search(expected, one_error_line(result.stderr)), result.stderr
    _no_secret_anywhere(output, tmp_path / ".report.staging-0", text=result.stderr + result.stdout)
    assert not output.exists()


def test_an_empty_corpus_dir_is_an_error_not_the_project_folder(capsys, tmp_path):
    assert cli.main(["run", "-p", "corpus_dir=", "--output", str(tmp_path / "r")]) == 1
    assert one_error_line(capsys.readouterr().err) == \
        "opedlens: error: parameter corpus_dir is empty: it must name a folder"
    with pytest.raises(InputError, match="corpus folder is not given"):
        from opedlens.corpus.load import load_corpus

        load_corpus("")


@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "folder"])
def test_an_actors_file_that_is_not_a_regular_file_is_refused_at_once(kind, tmp_path, capsys):
    if kind == "dev-zero":
        if not Path("/dev/zero").exists():
            pytest.skip("no /dev/zero")
        path, what = Path("/dev/zero"), "a character device"
    elif kind == "fifo":
        path, what = tmp_path / "actors.yaml", "a FIFO (named pipe)"
        os.mkfifo(path)  # nobody will ever write to it: reading it would block forever
    else:
        path, what = tmp_path, "a folder"
    from opedlens.measure.actors import load_gazetteer

    with pytest.raises(InputError) as caught:
        load_gazetteer(path)
    assert str(caught.value) == f"{path}: actors file is {what}, not a regular file; only regular files are read"


def test_an_article_over_the_size_limit_is_refused_naming_the_limit(corpus_copy, monkeypatch):
    from opedlens.corpus.load import load_corpus

    big = corpus_copy / "big.txt"
    big.write_text(("A sentence that goes on. " * 80_000).strip())  # 2 MB on one line
    with pytest.raises(InputError) as caught:
        load_corpus(corpus_copy)
    assert str(caught.value) == (f"{big}: article file is 2 MB, over the 1 MB limit for one input file; raise it "
                                 "with --max-file-mb (or OPEDLENS_MAX_FILE_MB) if the file is right")
    monkeypatch.setenv("OPEDLENS_MAX_FILE_MB", "0.001")
    with pytest.raises(InputError, match=r"000_421a8de7e923a454.txt: article file is 0.0\d+ MB, over the 0.001 MB"):
        load_corpus(corpus_copy)


def test_max_file_mb_on_the_command_line(corpus_copy, capsys):
    assert cli.main(["check", "--corpus", str(corpus_copy), "--max-file-mb", "0.002"]) == 1
    assert "over the 0.002 MB limit" in one_error_line(capsys.readouterr().err)
    assert cli.main(["check", "--corpus", str(corpus_copy), "--max-file-mb", "5"]) == 0
    os.environ.pop("OPEDLENS_MAX_FILE_MB", None)


# --- parameters are checked against their declared types before any notebook starts ------------------------------


@pytest.mark.parametrize("args, message", [
    (["-p", "bootstrap_draws=abc"], "parameter bootstrap_draws = 'abc': should be a whole number (int), not str"),
    (["-p", "bootstrap_draws=0"], "parameter bootstrap_draws = 0: should be at least 1"),
    (["-p", "lemmatize=maybe"], "parameter lemmatize = 'maybe': should be true or false (bool), not str"),
    (["-p", "min_stability=2"], "parameter min_stability = 2.0: should be between 0 and 1"),
    (["-p", "k_max=1"], "parameters k_min = 2 and k_max = 1: k_min may not be larger than k_max"),
    (["-p", "scorers=[accurate, shiny]"], "parameter scorers = [accurate, shiny]: 'shiny' is not one of accurate, "
                                          "fast, vader, textblob"),
    (["-p", "scorers=[]"], "parameter scorers = []: should name at least one of accurate, fast, vader, textblob"),
    (["-p", "unit=sentence"], "parameter unit = 'sentence': should be one of paragraph, window"),
    (["-p", "tga=1"], "unknown parameter(s) tga; the notebooks declare: "),
])
def test_a_wrong_parameter_is_one_line_before_any_kernel_starts(args, message, tmp_path, capsys, monkeypatch):
    started = []
    monkeypatch.setattr(pipeline.kernels, "WarmKernel", lambda *a, **k: started.append(a))
    assert cli.main(["run", *args, "--output", str(tmp_path / "r")]) == 1
    assert one_error_line(capsys.readouterr().err).startswith(f"opedlens: error: {message}")
    assert started == [], "no kernel was started"


def test_a_params_file_with_a_binary_value_is_refused(tmp_path, capsys):
    params = tmp_path / "params.yaml"
    params.write_text("corpus_dir: !!binary aGVsbG8=\n")
    assert cli.main(["run", "--params", str(params), "--output", str(tmp_path / "r")]) == 1
    assert one_error_line(capsys.readouterr().err) == \
        "opedlens: error: parameter corpus_dir = b'hello': should be text (str), not bytes"


@pytest.mark.parametrize("assignment, value", [
    ("corpus_dir=123", "123"), ("manifest=true", "true"), ("doc_ids=ha-2019-hill", ["ha-2019-hill"]),
    ("doc_ids=5", ["5"]), ("doc_ids=[a, b]", ["a", "b"]), ("doc_ids=a,b", ["a", "b"]), ("k_min=3", 3),
    ("group_by=", ""),
])
def test_command_line_values_are_read_by_their_declared_type(assignment, value):
    from opedlens.report import parameters

    types = parameters.declared_types(pipeline.discover())
    key, parsed = parameters.parse_assignment(assignment, types)
    assert parameters.check({key: parsed}, types)[key] == value


@pytest.mark.parametrize("args, message", [
    (["-p", "corpus_dir=123"], "corpus folder does not exist"),
    (["-p", "doc_ids=5"], "unknown doc_id(s) 5; the corpus has: ha-2019-hill, akimoto-2019-japantimes"),
    (["-p", "manifest=true"], "manifest file does not exist"),
    (["-p", "group_by=outlets"], "group_by: no column 'outlets' in the articles table"),
])
def test_values_that_name_missing_things_fail_before_any_notebook(args, message, tmp_path, capsys):
    assert cli.main(["run", *args, "--output", str(tmp_path / "r")]) == 1
    err = capsys.readouterr().err
    assert message in one_error_line(err) and ": running" not in err


@pytest.mark.parametrize("jobs", ["0", "-3", "two"])
def test_jobs_must_be_a_positive_whole_number(jobs, capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main(["run", "--jobs", jobs])
    assert caught.value.code == 2
    assert "argument --jobs/-j:" in capsys.readouterr().err


def test_a_single_doc_id_selects_that_article(tmp_path):
    from opedlens.corpus.load import load_corpus
    from opedlens.report import parameters

    types = parameters.declared_types(pipeline.discover())
    _, doc_ids = parameters.parse_assignment("doc_ids=ha-2019-hill", types)
    assert load_corpus("seeds", None, doc_ids).doc_ids == ["ha-2019-hill"]


# --- linear time on huge input ------------------------------------------------------------------------------------


def test_long_paragraphs_are_segmented_in_windows_of_bounded_size(monkeypatch):
    from opedlens.corpus import segment

    text = " ".join(" ".join(p.read_text().split()) for p in sorted((pipeline.PROJECT_ROOT / "seeds").glob("*.txt")))
    text = " ".join([text] * 3)  # ~50,000 characters on one line
    seen: list[int] = []
    real = segment._segmenter()

    class Recording:
        def segment(self, piece):
            seen.append(len(piece))
            return real.segment(piece)

    monkeypatch.setattr(segment, "WINDOW", 10**9)
    whole = segment.split_sentences(text, 0, len(text))
    monkeypatch.setattr(segment, "WINDOW", 10_000)
    monkeypatch.setattr(segment, "_segmenter", lambda: Recording())
    windowed = segment.split_sentences(text, 0, len(text))
    assert windowed == whole, "the windows find the same sentences"
    assert max(seen) <= 10_000 and sum(seen) <= 2 * len(text), "no call sees more than a window; linear in all"


def test_a_paragraph_without_any_sentence_end_is_cut_at_spaces():
    from opedlens.corpus import segment

    text = "word " * 30_000
    spans = segment.split_sentences(text, 0, len(text))
    assert all(b - a <= segment.WINDOW for a, b in spans)
    assert " ".join(text[a:b] for a, b in spans) == text.strip()


def test_line_numbers_of_many_offsets_agree_with_counting():
    from opedlens.corpus import clean

    raw = "one\r\ntwo\rthree\n\nfour\r\n\r\nfive"
    index = clean.LineIndex(raw)
    for offset in range(len(raw) + 1):
        if raw[offset - 1:offset + 1] != "\r\n":  # never an offset between CR and LF
            assert index.number(offset) == clean.line_number(raw, offset), offset


def test_a_huge_one_line_article_is_refused_at_once_by_default(tmp_path, capsys):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "huge.txt").write_text("Words go on and on. " * 100_000)
    assert cli.main(["check", "--corpus", str(folder)]) == 1
    assert "article file is 2 MB, over the 1 MB limit" in one_error_line(capsys.readouterr().err)


# --- interrupts: each window, driven deterministically ------------------------------------------------------------

SLOW = """import time
time.sleep(60)
from pathlib import Path
from opedlens.paths import resolve
(resolve(output_dir) / "late.txt").write_text("the notebook went on after the stop")"""

SIGNAL_PARENT = """import os, signal, time
os.kill(os.getppid(), signal.{signal})
time.sleep(60)
from opedlens.paths import resolve
(resolve(output_dir) / "late.txt").write_text("the notebook went on after the stop")"""


def _kernels_of_this_process() -> list[int]:
    return [pid for pid in _descendants(os.getpid()) if "ipykernel" in _cmdline(pid) and _running(pid)]


WINDOWS = ["kernel-started", "warming-up", "queued", "submitted", "thread-started", "notebook-running-sigint",
           "notebook-running-sigterm", "rendering", "publishing"]


def _interrupt_in(window: str, monkeypatch) -> None:
    """Make a stop request arrive exactly in ``window`` (a real SIGINT/SIGTERM from the kernel for the running ones)."""
    request = interrupt.request
    if window == "kernel-started":
        original = pipeline.kernels.WarmKernel.__init__

        def init(self, *args, **kwargs):
            original(self, *args, **kwargs)
            request()

        monkeypatch.setattr(pipeline.kernels.WarmKernel, "__init__", init)
    elif window == "warming-up":
        original_warm = pipeline.kernels.WarmKernel._warm

        def warm(self, modules):
            request()
            original_warm(self, modules)

        monkeypatch.setattr(pipeline.kernels.WarmKernel, "_warm", warm)
    elif window in ("queued", "submitted"):
        class Pool(pipeline.ThreadPoolExecutor):
            def submit(self, fn, *args, **kwargs):
                if window == "queued" and self._thread_name_prefix == "notebook":
                    request()
                future = super().submit(fn, *args, **kwargs)
                if window == "submitted" and self._thread_name_prefix == "notebook":
                    request()
                return future

        monkeypatch.setattr(pipeline, "ThreadPoolExecutor", Pool)
    elif window == "thread-started":
        original_execute = pipeline.execute

        def execute(*args, **kwargs):
            request()
            return original_execute(*args, **kwargs)

        monkeypatch.setattr(pipeline, "execute", execute)
    elif window in ("rendering", "publishing"):
        name = "render_pages" if window == "rendering" else "publish"
        original_step = getattr(pipeline, name)

        def step(*args, **kwargs):
            request()
            return original_step(*args, **kwargs)

        monkeypatch.setattr(pipeline, name, step)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")
@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("window", WINDOWS)
def test_a_stop_in_any_window_kills_every_kernel_and_leaves_nothing(window, jobs, previous, tmp_path, monkeypatch):
    folder = tmp_path / "stopnbs"
    folder.mkdir()
    _notebook(folder / "01-write.ipynb", WRITE)
    late_body = SLOW
    if window.startswith("notebook-running"):
        late_body = SIGNAL_PARENT.format(signal="SIGTERM" if window.endswith("sigterm") else "SIGINT")
    elif window in ("rendering", "publishing"):
        late_body = WRITE
    _notebook(folder / "02-late.ipynb", late_body)
    specs = pipeline.discover(folder)
    before = snapshot(previous)
    _interrupt_in(window, monkeypatch)
    with interrupt.handled():
        with pytest.raises(interrupt.Interrupted):
            pipeline.run_report(specs, {"tag": "new"}, previous, jobs=jobs, log=lambda _: None)
    assert _kernels_of_this_process() == [], "every kernel is gone when the run returns"
    assert snapshot(previous) == before, "the previous report is byte for byte the same"
    assert leftovers(tmp_path) == [], "no staging folder, no lock"
    assert not list(tmp_path.rglob("late.txt")), "no notebook went on writing"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")
def test_a_stop_while_the_corpus_is_read_stops_the_kernels_started_ahead(tiny, previous, tmp_path, monkeypatch,
                                                                        capsys):
    from opedlens.corpus import clean

    monkeypatch.setattr(pipeline, "discover", lambda directory=None, only=None: tiny)
    original_clean = clean.clean

    def clean_and_stop(raw, **kwargs):
        interrupt.request()
        return original_clean(raw, **kwargs)

    monkeypatch.setattr(clean, "clean", clean_and_stop)
    before = snapshot(previous)
    (tmp_path / "params.yaml").write_text("tag: x\n")
    assert cli.main(["run", "--output", str(previous), "--params", str(tmp_path / "params.yaml")]) == 130
    assert "interrupted; the previous report is untouched" in capsys.readouterr().err
    assert _kernels_of_this_process() == []
    assert snapshot(previous) == before and leftovers(tmp_path) == []


def test_interrupt_only_sets_a_flag_and_check_raises_where_the_run_looks():
    with interrupt.handled():
        interrupt.check()
        os.kill(os.getpid(), signal.SIGINT)  # delivered to this (main) thread: the handler must not raise
        for _ in range(1000):  # the handler runs at the next bytecode boundary
            if interrupt.requested():
                break
        assert interrupt.requested()
        with pytest.raises(interrupt.Interrupted):
            interrupt.check()
    assert not interrupt.requested(), "leaving the block clears the flag and puts back the handler"
    assert signal.getsignal(signal.SIGINT) is not interrupt.request


# --- every file of a corpus folder is accounted for, and every message says what is wrong --------------------------


def test_every_entry_of_a_corpus_folder_is_loaded_or_listed_with_its_reason(corpus_copy):
    from opedlens.corpus.load import load_corpus

    hill = (corpus_copy / "000_421a8de7e923a454.txt").read_bytes()
    (corpus_copy / "UPPER.TXT").write_bytes(hill.replace(b"Strife", b"Discord"))
    for name in ("notes.pdf", "sheet.xlsx", "draft.docx"):
        (corpus_copy / name).write_text("something\n")
    (corpus_copy / "sub").mkdir()
    (corpus_copy / "sub" / "inner.txt").write_text("An inner article.\n")
    (corpus_copy / ".hidden.txt").write_text("A hidden article.\n")
    (corpus_copy / "._mac.txt").write_bytes(b"\x00\x05\x16\x07binary resource fork")
    os.mkfifo(corpus_copy / "pipe.txt")
    (corpus_copy / "loop.txt").symlink_to(corpus_copy / "loop.txt")
    (corpus_copy / "dangling.txt").symlink_to(corpus_copy / "nowhere.txt")
    (corpus_copy / "alias.txt").symlink_to(corpus_copy / "000_421a8de7e923a454.txt")
    (corpus_copy / "copy.txt").write_bytes((corpus_copy / "004_82dceb41ffbd2d64.txt").read_bytes())
    corpus = load_corpus(corpus_copy)
    assert corpus.doc_ids == ["ha-2019-hill", "akimoto-2019-japantimes", "upper"]
    assert dict(zip(corpus.skipped["file"], corpus.skipped["reason"])) == {
        "._mac.txt": "hidden file (a macOS resource fork)",
        ".hidden.txt": "hidden file",
        "alias.txt": "the same file as 000_421a8de7e923a454.txt",
        "dangling.txt": "symbolic link to a missing file",
        "draft.docx": "not an article file (.docx): articles are .txt, .md or .html files",
        "loop.txt": "symbolic link that loops",
        "notes.pdf": "not an article file (.pdf): articles are .txt, .md or .html files",
        "sheet.xlsx": "not an article file (.xlsx): articles are .txt, .md or .html files",
        "pipe.txt": "a FIFO (named pipe), not a regular file",
        "sub/": "a subfolder: only the corpus folder's own files are read (or those the manifest lists)",
        "copy.txt": "the same text as 004_82dceb41ffbd2d64.txt",
    }


def test_opedlens_check_lists_the_skipped_files(corpus_copy, capsys):
    (corpus_copy / "notes.pdf").write_text("x\n")
    assert cli.main(["check", "--corpus", str(corpus_copy)]) == 0
    out = capsys.readouterr().out
    assert "1 file(s) skipped:" in out and "notes.pdf" in out and "not an article file (.pdf)" in out


@pytest.mark.parametrize("content, problem", [
    ("An article in UTF-16, which Windows editors write.".encode("utf-16"),
     "file is UTF-16 text (it starts with a UTF-16 byte-order mark); opedlens reads UTF-8: re-save it as UTF-8 "
     "(e.g. iconv -f UTF-16 -t UTF-8)"),
    ("No byte-order mark here at all.".encode("utf-16-le"),
     "file looks like UTF-16 or UTF-32 text without a byte-order mark (every other byte is NUL); re-save it as UTF-8"),
    ("日本と韓国の対立\n\n日本と韓国の関係は悪化している。米国は両国を助けるべきだ。\n\n両国の指導者は話し合うべきだ。\n"
     .encode("utf-8"),
     "no English body text: 100% of its letters are Chinese or Japanese (CJK) script, and opedlens analyses English "
     "op-eds (its paragraphs do not end with '.', '!' or '?', so they read as headings)"),
])
def test_unreadable_articles_say_what_they_are(tmp_path, content, problem):
    from opedlens.corpus.load import load_corpus

    (tmp_path / "a.txt").write_bytes(content)
    with pytest.raises(InputError) as caught:
        load_corpus(tmp_path)
    assert str(caught.value) == f"{tmp_path / 'a.txt'}: {problem}"


@pytest.mark.parametrize("manifest, problem", [
    ("doc_id,file,title\nha,000_421a8de7e923a454.txt,Strife\x00\n",
     "line 2, column title: holds the control character U+0000; remove it"),
    ("doc_id,file,date\nha,000_421a8de7e923a454.txt,2019-13-45\n",
     "line 2: date '2019-13-45' is not a real date as YYYY, YYYY-MM or YYYY-MM-DD"),
    ("doc_id,file,date\nha,000_421a8de7e923a454.txt,2019-02-30\n",
     "line 2: date '2019-02-30' is not a real date as YYYY, YYYY-MM or YYYY-MM-DD"),
    ("doc_id,file\n\nha,000_421a8de7e923a454.txt\n,,\n\nBad Id,004_82dceb41ffbd2d64.txt\n",
     "line 6: doc_id 'Bad Id' must be lowercase letters, digits, '-' or '_' (e.g. ha-2019-hill)"),
    ("doc_id,file,doc_id\nha,000_421a8de7e923a454.txt,other\n",
     "manifest has the column 'doc_id' more than once (columns 1, 3)"),
    ("doc_id,file\nha,000_421a8de7e923a454.txt\nha-again,./000_421a8de7e923a454.txt\n",
     "line 3: file './000_421a8de7e923a454.txt' is the same file as '000_421a8de7e923a454.txt' (line 2); list each "
     "article once"),
    ("doc_id,file\nha,000_421a8de7e923a454.txt\nalias,alias.txt\n",
     "line 3: file 'alias.txt' is the same file as '000_421a8de7e923a454.txt' (line 2); list each article once"),
])
def test_manifest_problems_are_named_by_line(corpus_copy, manifest, problem):
    from opedlens.corpus.load import load_corpus

    (corpus_copy / "alias.txt").symlink_to(corpus_copy / "000_421a8de7e923a454.txt")
    (corpus_copy / "manifest.csv").write_text(manifest)
    with pytest.raises(InputError) as caught:
        load_corpus(corpus_copy)
    assert str(caught.value) == f"{corpus_copy / 'manifest.csv'}: {problem}"


def test_a_manifest_that_is_a_folder_is_an_error(corpus_copy):
    from opedlens.corpus.load import load_corpus

    (corpus_copy / "manifest.csv").unlink()
    (corpus_copy / "manifest.csv").mkdir()
    with pytest.raises(InputError, match=r"manifest.csv: manifest.csv is a folder, not a file"):
        load_corpus(corpus_copy)


# --- a corpus with an article that argues nothing, and text that a spreadsheet would run --------------------------

BRIEF = """Typhoon closes schools in Okinawa

Schools across Okinawa were closed on Monday as a typhoon approached the island.

The weather agency said winds reached 150 kilometers per hour near Naha. Ferries to nearby islands were suspended.
Officials said the schools would reopen on Wednesday.
"""

FORMULAS = ['=HYPERLINK("http://example.invalid","click") is what the flyer said.',
            "+cmd|' /C calc'!A0 was printed on the second flyer.",
            "@SUM(1+1) appeared on the third.", "-2 degrees was the forecast for the night."]


@pytest.fixture(scope="module")
def brief_report(tmp_path_factory) -> Path:
    """The seeds plus a four-sentence news brief (no claim, recommendation, actor or source) and an article whose
    paragraphs open with spreadsheet formulas: the whole report, run as a user would."""
    root = tmp_path_factory.mktemp("brief")
    corpus = root / "corpus"
    shutil.copytree(pipeline.PROJECT_ROOT / "seeds", corpus)
    (corpus / "brief.txt").write_text(BRIEF)
    (corpus / "flyers.txt").write_text("Flyers found in the city\n\n" + "\n\n".join(FORMULAS) + "\n")
    with (corpus / "manifest.csv").open("a", newline="") as manifest:
        csv.writer(manifest, lineterminator="\n").writerow(
            ["brief", "brief.txt", '=HYPERLINK("http://example.invalid")', "", "", "", "2019-09-30", "false", "en",
             "a crafted brief"])
    output = root / "report"
    result = subprocess.run([str(BIN / "opedlens"), "run", "--jobs", "2", "--corpus", str(corpus), "--output",
                             str(output)], cwd=root, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    return output


def test_an_article_without_claims_recommendations_actors_or_sources_is_summarized(brief_report):
    from opedlens.report.products import read_table

    findings = read_table(brief_report / "tables" / "05-findings.csv")
    said = findings[findings["finding"].str.startswith("brief ")].set_index("section")["finding"]
    assert said["recommendations"] == "brief makes no recommendation the rules recognise."
    assert said["sources"].startswith("brief quotes or cites")
    assert said["actors"].startswith("brief names no actor of the gazetteer three times or more")
    assert "states no main claim the rules recognise" in said["arguments"]


def test_no_csv_cell_would_run_as_a_formula_and_the_text_reads_back_exactly(brief_report):
    from opedlens.report.products import read_table

    tables = sorted((brief_report / "tables").glob("*.csv"))
    for table in tables:
        with table.open(newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    if cell[:1] in ("=", "+", "@", "\t", "\r") or (cell[:1] == "-" and not _is_number(cell)):
                        raise AssertionError(f"{table.name}: {cell!r}")
    raw = (brief_report.parent / "corpus" / "flyers.txt").read_text()
    sentences = read_table(brief_report / "tables" / "01-sentences.csv")
    flyers = sentences[sentences["doc_id"] == "flyers"]
    assert [raw[a:b] for a, b in zip(flyers["start"], flyers["end"])] == flyers["text"].tolist(), "exact text"
    assert sum(text[:1] in "=+-@" for text in flyers["text"]) == len(FORMULAS), "each formula opens a sentence"
    articles = read_table(brief_report / "tables" / "01-articles.csv").set_index("doc_id")
    assert articles.loc["brief", "title"] == '=HYPERLINK("http://example.invalid")'
    units = read_table(brief_report / "tables" / "04-argument-units.csv")
    assert set(flyers["text"]) <= set(units["text"])


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True
