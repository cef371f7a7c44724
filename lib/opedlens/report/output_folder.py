"""The report folder: what a run may replace, where it builds the new report, and how it swaps it in.

A run only ever deletes what a run made. A folder is an opedlens report when its ``report.json`` says so and lists
every file the run wrote, with its SHA-256 (:func:`file_list`); a folder holding anything else (a file a user
added, a table edited by hand, a ``report.json`` written by someone else) is never replaced: the run refuses
before it starts, naming what it would lose (:func:`check_output_dir`). An input (the corpus, a manifest, a
gazetteer) inside the output folder is refused the same way, and an output folder that is a symbolic link is
written through: the folder it points to is replaced, the link stays.

The new report is built in ``.<name>.staging-<pid>`` beside the output folder and swapped in with two renames
(:func:`swap_in`); the previous report is then removed file by file from its list, never with ``rmtree``.
A run holds ``.<name>.lock`` beside the output folder (``fcntl.flock``), so a second run into the same folder fails
at once naming the first one's pid; the lock dies with its process, so a killed run never blocks the next, which
also removes the staging folders killed runs left behind (or puts back the previous report if a run was killed
between the two renames of the swap). Writing errors (a full disk, a read-only folder) become one line naming the
path, and the previous report stays as it was.
"""

from __future__ import annotations

import errno
import fcntl
import glob
import json
import os
import re
import shutil
import stat
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator

from opedlens.errors import InputError
from opedlens.files import sha256_file
from opedlens.inputs import inside

MARKER = "report.json"
FORMAT = "opedlens report"  # report.json's "format": what marks a folder as a report a run may replace
KEPT = ".kept"  # in a staging folder kept by --keep-staging: the next run leaves it alone
SUBFOLDERS = ("notebooks", "html", "tables", "figures")
Log = Callable[[str], None]


# --- what a report holds -------------------------------------------------------------------------------------------


def _walk(folder: Path) -> Iterator[tuple[str, os.stat_result]]:
    """(relative posix path, lstat) of every entry below ``folder``, folders included, never following a link."""
    for root, dirs, files in os.walk(folder, followlinks=False):
        for name in sorted(dirs) + sorted(files):
            path = Path(root) / name
            yield path.relative_to(folder).as_posix(), path.lstat()


def file_list(folder: Path) -> dict[str, str]:
    """Every regular file below ``folder`` (except ``report.json``) with its SHA-256: what report.json records."""
    return {rel: sha256_file(folder / rel) for rel, info in _walk(folder)
            if stat.S_ISREG(info.st_mode) and rel != MARKER}


def recorded_files(folder: Path) -> dict[str, str] | None:
    """The files ``folder/report.json`` says a run wrote, or None when it is not an opedlens report's record."""
    marker = folder / MARKER
    try:
        if not stat.S_ISREG(marker.lstat().st_mode) or marker.lstat().st_size > 10_000_000:
            return None
        record = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = record.get("files") if isinstance(record, dict) and record.get("format") == FORMAT else None
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        return None
    return files


def _not_written(folder: Path, files: dict[str, str]) -> list[str]:
    """What ``folder`` holds that a run did not write as it is now: added files and folders (a folder once, as
    ``name/``, when nothing in it was written), files changed since, links; [] when it is all the run's own."""
    wanted_dirs = set(SUBFOLDERS) | {p.as_posix() for rel in files for p in Path(rel).parents}
    found, skip = [], None
    for rel, info in _walk(folder):
        if skip and (rel + "/").startswith(skip):
            continue
        if stat.S_ISDIR(info.st_mode):
            if rel not in wanted_dirs:
                found.append(f"{rel}/")
                skip = f"{rel}/"
            continue
        if rel == MARKER and stat.S_ISREG(info.st_mode):
            continue
        if rel not in files:
            found.append(rel)
        elif not stat.S_ISREG(info.st_mode):
            found.append(f"{rel} (now a link or special file)")
        elif sha256_file(folder / rel) != files[rel]:
            found.append(f"{rel} (changed since the run wrote it)")
    return found


def _listing(items: list[str], most: int = 6) -> str:
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")


# --- checking the output folder before a run -----------------------------------------------------------------------


def real_output(output: Path) -> Path:
    """The folder a run writes: ``output`` made absolute, with symbolic links followed (a linked report folder is
    written through, never replaced by a real folder)."""
    try:
        return Path(output).absolute().resolve(strict=False)
    except RuntimeError:  # a link loop
        raise InputError("output path is a symbolic link that loops", output) from None


def check_inputs_outside(output: Path, inputs: Iterable[tuple[str, Path]]) -> None:
    """Refuse an input (corpus folder, manifest, gazetteer) that lies in the output folder a run replaces."""
    for what, path in inputs:
        if inside(path, output):
            raise InputError(f"the {what} {path} is inside the output folder {output}, which a run replaces "
                             "(and would delete it); move it out, or choose another --output")


def check_output_dir(output: Path, inputs: Iterable[tuple[str, Path]] = ()) -> None:
    """Refuse, before anything runs, an output folder a run may not replace: not a folder, not an opedlens report,
    holding files a run did not write (named), holding an input, or read-only."""
    check_inputs_outside(output, inputs)
    if output.exists() and not output.is_dir():
        raise InputError("output path exists and is not a folder", output)
    if not output.is_dir() or not any(output.iterdir()):
        return
    files = recorded_files(output)
    if files is None:
        raise InputError(
            f"output folder is not empty and is not an opedlens report (no {MARKER} listing the files a run wrote), "
            "so a run will not replace it; choose a new or empty folder", output)
    foreign = _not_written(output, files)
    if foreign:
        raise InputError(
            f"output folder holds what no opedlens run wrote: {_listing(foreign)}; a run replaces the whole report "
            "folder, so move those out of it (or choose another --output)", output)
    if not os.access(output, os.W_OK | os.X_OK):
        raise InputError("output folder is read-only, so its report cannot be replaced; make it writable or "
                         "choose another --output", output)


# --- staging and swapping ------------------------------------------------------------------------------------------


def make_staging(output: Path) -> Path:
    """A fresh staging folder beside ``output`` (same file system, so the swap is a rename), named with our pid."""
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = output.parent / f".{output.name}.staging-{os.getpid()}"
    if staging.is_symlink():
        staging.unlink()
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    for sub in SUBFOLDERS:
        (staging / sub).mkdir()
    return staging


def remove_report(folder: Path) -> list[str]:
    """Delete a report folder the way a run may: each file its ``report.json`` lists (if unchanged), the record,
    then the folders left empty. Returns what is left (files nobody listed), which stays where it is."""
    files = recorded_files(folder) or {}
    for rel, digest in files.items():
        path = folder / rel
        try:
            if stat.S_ISREG(path.lstat().st_mode) and sha256_file(path) == digest:
                path.unlink()
        except FileNotFoundError:
            pass
    if files:
        (folder / MARKER).unlink(missing_ok=True)
    for root, dirs, _ in sorted(os.walk(folder, followlinks=False), key=lambda entry: -len(entry[0])):
        for name in dirs:
            try:
                (Path(root) / name).rmdir()
            except OSError:
                pass
    try:
        folder.rmdir()
    except OSError:
        return [rel for rel, _ in _walk(folder)]
    return []


def swap_in(staging: Path, output: Path, log: Log = print) -> None:
    """Replace ``output`` by ``staging``: two renames, undone if the second fails; the old report is then removed
    file by file (:func:`remove_report`).

    A run killed between the two renames leaves no ``output`` but a whole ``.<name>.old-<pid>``: the next run puts
    it back (:func:`clear_leftovers`).
    """
    if not output.exists():
        os.rename(staging, output)
        return
    old = output.parent / f".{output.name}.old-{os.getpid()}"
    if old.exists() or old.is_symlink():
        raise InputError(f"{old.name} is in the way of the swap; move it out of {output.parent}")
    os.rename(output, old)
    try:
        os.rename(staging, output)
    except BaseException:
        os.rename(old, output)
        raise
    left = remove_report(old)
    if left:
        log(f"kept {_listing(left)} in {old}: it appeared in the previous report during the run")


def leftovers(output: Path) -> list[Path]:
    """Staging and old-report folders that runs into ``output`` made beside it (``.<name>.staging|old-<pid>``):
    real folders only, never a link."""
    pattern = re.compile(rf"\.{re.escape(output.name)}\.(staging|old)-\d+")
    found = output.parent.glob(f".{glob.escape(output.name)}.*-*") if output.parent.is_dir() else []
    return sorted(p for p in found if pattern.fullmatch(p.name) and p.is_dir() and not p.is_symlink())


def clear_leftovers(output: Path, log: Log = print) -> None:
    """Tidy what killed runs left beside ``output``; call it holding the output's lock.

    Under the lock no other run can be using a staging folder of ``output``, so every one left is stale (its run
    was killed: SIGKILL, power loss) and is removed, whatever its pid (pids are reused). If a run was killed in the
    middle of the swap, ``output`` is missing and its previous report waits in ``.<name>.old-<pid>``: put it back.
    An old report is removed file by file from its list, so nothing a run did not write is ever deleted.
    """
    found = leftovers(output)
    olds = [p for p in found if p.name.startswith(f".{output.name}.old-") and recorded_files(p) is not None]
    if not output.exists() and olds:
        newest = max(olds, key=lambda p: p.stat().st_mtime)
        os.rename(newest, output)
        log(f"restored the previous report into {output} (a run was killed while swapping it in)")
    for path in found:
        if not path.exists() or (path / KEPT).exists():
            continue
        if ".staging-" in path.name:
            shutil.rmtree(path, ignore_errors=True)
            log(f"removed {path.name}, left beside {output.name} by a run that was killed")
        elif left := remove_report(path):
            log(f"left {path.name} beside {output.name}: it holds what no run wrote ({_listing(left)})")
        else:
            log(f"removed {path.name}, left beside {output.name} by a run that was killed")


# --- the lock --------------------------------------------------------------------------------------------------


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
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
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


@contextmanager
def early_lock(output: Path) -> Iterator[bool]:
    """Take the output's lock before the slow start of a run (kernels, checking the corpus), so a second run into
    the same folder stops at once; only when the folder's parent exists, since a run that fails on its input must
    not leave a new folder behind (and no run can hold a lock in a folder that does not exist). Yields whether it
    holds the lock (then pass ``locked=True`` to :func:`opedlens.report.pipeline.run_report`)."""
    if not output.parent.is_dir():
        yield False
        return
    with ExitStack() as stack:
        try:
            stack.enter_context(output_lock(output))
        except OSError as err:  # a read-only folder, a full disk: one line, as a run's own write errors
            if err.errno not in WRITE_ERRNOS:
                raise
            raise write_failure(err, output) from err
        yield True


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
