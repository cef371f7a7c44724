"""Project locations, and how relative paths given as parameters are resolved."""

from __future__ import annotations

import os
from pathlib import Path

#: The repository root (``lib/opedlens/paths.py`` -> two levels up from ``lib``).
PROJECT_ROOT = Path(os.environ.get("OPEDLENS_ROOT", Path(__file__).resolve().parents[2]))
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
SEEDS_DIR = PROJECT_ROOT / "seeds"
OUTPUTS_DIR = PROJECT_ROOT / "outputs"
#: Where notebooks run by hand (JupyterLab, plain papermill) write, so they never overwrite the published report.
SCRATCH_DIR = PROJECT_ROOT / "scratch"


def resolve(path: str | Path) -> Path:
    """Resolve a path given as a notebook parameter, as command-line tools do: from the current directory.

    Absolute paths are used as they are. A relative path is taken from the current directory when it exists
    there; otherwise from the project root when it exists there (so the notebooks' defaults, ``seeds`` and
    ``validation``, are found from JupyterLab, papermill and any working directory); otherwise from the current
    directory (and the error will name it).
    """
    path = Path(path).expanduser()
    if path.is_absolute():
        return path
    here, project = Path.cwd() / path, PROJECT_ROOT / path
    if here.exists() or not project.exists():
        return here.absolute()
    return project


def resolve_output(path: str | Path) -> Path:
    """Resolve an output folder given as a parameter: from the current directory, never into the project unless
    the path says so; the notebooks' default ``scratch`` is the project's :data:`SCRATCH_DIR`, wherever they run."""
    path = Path(path).expanduser()
    if path.is_absolute():
        return path
    if path == Path("scratch"):
        return SCRATCH_DIR
    return (Path.cwd() / path).absolute()


def portable(path: Path) -> str:
    """A path as tables and notebooks should record it: relative to the project root when inside it (so the
    record is the same on every machine, and ``resolve`` finds it again), else absolute."""
    path = Path(path).resolve()
    try:
        return path.relative_to(PROJECT_ROOT.resolve()).as_posix()
    except ValueError:
        return str(path)

#: Human-annotated gold sets (``../shared/data`` beside the project; research-only sets stay there).
GOLD_DIR = Path(os.environ.get("OPEDLENS_GOLD_DIR", PROJECT_ROOT.parent / "shared" / "data"))
#: The installed package, and the files it ships beside its code.
PACKAGE_DIR = Path(__file__).resolve().parent
#: Trained model files that ship with the library.
MODELS_DIR = PACKAGE_DIR / "models"
#: Data files that ship with the library: the actor gazetteer, lexicons, thresholds, labelled sentences.
DATA_DIR = PACKAGE_DIR / "data"
#: The HTML templates of the published report.
TEMPLATES_DIR = PACKAGE_DIR / "templates"
#: Results that `opedlens validate --save` writes and the report reads.
VALIDATION_DIR = PROJECT_ROOT / "validation"
