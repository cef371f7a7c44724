"""Validation results kept for the report: one JSON file per task and gold set under ``validation/``, each naming
its gold file (portable path and sha256) and the shipped models it scored, so a stale result can be found."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from opedlens.files import sha256_file, write_atomic
from opedlens.paths import MODELS_DIR, PROJECT_ROOT, VALIDATION_DIR


def _where(path: Path) -> str:
    """The gold file's path relative to the project root (``../shared/data/...``), the same on every machine."""
    import os

    return Path(os.path.relpath(Path(path).resolve(), PROJECT_ROOT.resolve())).as_posix()


def _sha256(path: Path) -> str:
    """sha256 of a gold file, or of a gold folder's files (see :func:`_folder_sha256`)."""
    if Path(path).is_dir():
        return _folder_sha256(path)
    return sha256_file(Path(path))


def new_result(task: str, gold_path: str | Path, n: int, **extra) -> dict:
    """The head every saved result shares: task, gold (portable path + sha256), size, model fingerprints."""
    return {"task": task, **gold_record(gold_path), "n": int(n), **extra,
            "models": model_fingerprints(task), "scorers": {}}


def gold_record(gold_path: str | Path) -> dict:
    """A gold file's portable path and sha256 (``gold``, ``gold_sha256``)."""
    return {"gold": _where(gold_path), "gold_sha256": _sha256(gold_path)}


#: The shipped model files each task scores (a result is stale only when one of its own models changed).
TASK_MODELS = {"sentiment": ("sentiment-accurate.npz", "sentiment-fast.npz"), "targeted": ("targeted.npz",),
               "evidence": ("evidence.npz", "evidence-tuned.npz"), "matching": ("matching.npz", "matching-cosine.json"),
               "matching-editorials": ("matching.npz", "matching-cosine.json"), "disagreement": ("opposition.npz",),
               "recommendations": (), "sources": (), "outlook": (), "reasons": ()}


def model_fingerprints(task: str | None = None) -> dict[str, str]:
    """sha256 of each shipped model file (or of those ``task`` scores), so a saved result can be matched to the
    models it scored."""
    paths = sorted([*MODELS_DIR.glob("*.npz"), *MODELS_DIR.glob("*.json")])
    if task is not None:
        paths = [path for path in paths if path.name in TASK_MODELS.get(task, ())]
    return {path.name: _sha256(path) for path in paths}


def result_path(result: dict) -> Path:
    """Where ``--save`` keeps a result: validation/<task>-<gold folder>-<gold file stem>.json (for a gold
    folder such as ``.../webis_editorials16/dev``: <task>-<parent>-<folder>.json)."""
    gold_file = Path(result["gold"])
    stem = gold_file.name if result.get("gold_is_folder") else gold_file.stem
    return VALIDATION_DIR / f"{result['task']}-{gold_file.parent.name}-{stem}.json"


def save(result: dict, path: Path | None = None) -> Path:
    path = path or result_path(result)
    write_atomic(path, json.dumps(result, indent=2, sort_keys=True) + "\n")
    return path


def load_results(folder: str | Path = VALIDATION_DIR) -> pd.DataFrame:
    """All saved results as one tidy table: task, gold, scorer, metrics, protocol."""
    rows = []
    for path in sorted(Path(folder).glob("*.json")):
        result = json.loads(path.read_text(encoding="utf-8"))
        for name, metrics in result["scorers"].items():
            rows.append({"task": result["task"], "gold": result["gold"], "scorer": name,
                         **{k: v for k, v in metrics.items() if k not in ("description", "seconds")}})
    return pd.DataFrame(rows)


def _folder_sha256(folder: Path) -> str:
    """One sha256 over the gold folder's files (relative path + content), in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()
