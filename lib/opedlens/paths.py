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
    """Resolve a path given as a notebook parameter.

    Absolute paths are used as they are. A relative path is looked up from the project root first, so the
    notebooks behave the same in JupyterLab, under papermill and from any working directory, then from the
    current directory; if it exists in neither place it is taken from the project root. (The command line
    makes its paths absolute first, so there they are relative to where you are.)
    """
    path = Path(path).expanduser()
    if path.is_absolute():
        return path
    candidates = [PROJECT_ROOT / path, Path.cwd() / path]
    return next((c.resolve() for c in candidates if c.exists()), candidates[0])


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
#: Trained model files that ship with the library.
MODELS_DIR = Path(__file__).resolve().parent / "models"
#: Results that `opedlens validate --save` writes and the report reads.
VALIDATION_DIR = PROJECT_ROOT / "validation"
