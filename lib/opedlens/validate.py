"""Score the measures against human gold data, and keep the results for the report.

``opedlens validate sentiment --gold FILE`` and ``opedlens validate targeted --gold FILE.jsonl``
call :func:`validate_sentiment` / :func:`validate_targeted`. A trained scorer is never scored on
sentences it was trained on: when the gold file overlaps its training data, it is refitted in 5
folds with whole documents held out, and the result says so (``protocol``).
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

from . import gold, scorers, targeted, training
from .errors import InputError
from .files import write_atomic
from .paths import MODELS_DIR, PROJECT_ROOT, VALIDATION_DIR

SHIPPED = "shipped model, gold data unseen in training"
CROSS_VALIDATED = "refitted in 5 folds grouped by document (the gold data overlaps the training data)"


def _where(path: Path) -> str:
    """The gold file's path relative to the project root (``../shared/data/...``), the same on every machine."""
    import os

    return Path(os.path.relpath(Path(path).resolve(), PROJECT_ROOT.resolve())).as_posix()


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def model_fingerprints() -> dict[str, str]:
    """sha256 of each shipped model file, so a saved result can be matched to the models it scored."""
    return {path.name: _sha256(path) for path in sorted(MODELS_DIR.glob("*.npz"))}


def macro_f1(truth, predicted) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(truth, predicted, labels=[-1, 0, 1], average="macro", zero_division=0))


def _valence_metrics(truth: np.ndarray, predicted: np.ndarray) -> dict:
    from scipy.stats import pearsonr, spearmanr

    return {
        "n": int(len(truth)),
        "pearson_r": round(float(pearsonr(predicted, truth)[0]), 4),
        "spearman_rho": round(float(spearmanr(predicted, truth)[0]), 4),
        "macro_f1": round(macro_f1(gold.three_class(truth), gold.three_class(predicted)), 4),
    }


def _out_of_fold(frame: pd.DataFrame, train: pd.DataFrame, X_train, X_gold, refit, dtype=float) -> np.ndarray:
    """Predictions for each fold of ``frame`` (grouped by document) from a model refitted by ``refit(X, y, texts)``
    on the training data minus that fold's sentences; ``refit`` returns a function of the fold's features."""
    gold_hashes = training.models.text_hashes(frame["text"])
    train_hashes = training.models.text_hashes(train["text"])
    fold = training.folds(frame["group"].to_numpy())
    predicted = np.zeros(len(frame), dtype=dtype)
    for k in np.unique(fold):
        keep = ~np.isin(train_hashes, gold_hashes[fold == k])
        apply = refit(X_train[keep], train["gold"].to_numpy()[keep], train["text"][keep])
        predicted[fold == k] = apply(X_gold[fold == k])
    return predicted


def _cross_validated_valence(name: str, frame: pd.DataFrame) -> np.ndarray:
    train = training.valence_training_set()

    def refit(X, y, texts):
        model = training.fit_valence(name, X, y, texts)
        return lambda X_fold: np.clip(training.models.predict(model, X_fold), -1, 1)

    return _out_of_fold(frame, train, training.valence_features(name, train["text"].tolist()),
                        training.valence_features(name, frame["text"].tolist()), refit)


def validate_sentiment(gold_path: str | Path, names=scorers.SCORERS) -> dict:
    """n, Pearson r, Spearman rho and 3-class macro-F1 of each scorer on a valence gold file."""
    names = scorers.check_names(names)
    frame = gold.read_valence(gold_path)
    result = {"task": "sentiment", "gold": _where(gold_path), "gold_sha256": _sha256(gold_path),
              "n": len(frame), "models": model_fingerprints(), "scorers": {}}
    for name in names:
        started = time.perf_counter()
        protocol = SHIPPED
        if name in scorers.TRAINED and scorers.trained_model(name).trained_on(frame["text"]).any():
            predicted, protocol = _cross_validated_valence(name, frame), CROSS_VALIDATED
        else:
            predicted = scorers.score(name, frame["text"].tolist())
        result["scorers"][name] = {**_valence_metrics(frame["gold"].to_numpy(), predicted), "protocol": protocol,
                                   "description": scorers.DESCRIPTIONS[name],
                                   "seconds": round(time.perf_counter() - started, 1)}
    return result


def _cross_validated_targets(frame: pd.DataFrame) -> np.ndarray:
    train = gold.read_targets(training._gold_path(training.TARGET_SET))

    def refit(X, y, texts):
        model = training.fit_targeted(X, y, texts)
        return lambda X_fold: model.arrays["classes"][training.models.predict(model, X_fold).argmax(1)]

    return _out_of_fold(frame, train, training.targeted_features(train), training.targeted_features(frame), refit,
                        dtype=int)


def validate_targeted(gold_path: str | Path, methods=targeted.METHODS) -> dict:
    """Macro-F1 and accuracy of each targeted-sentiment method on a NewsMTSC file."""
    from sklearn.metrics import accuracy_score

    methods = [methods] if isinstance(methods, str) else list(methods)
    for method in methods:
        if method not in targeted.METHODS:
            raise InputError(f"unknown method {method!r}; choose from {', '.join(targeted.METHODS)}")
    frame = gold.read_targets(gold_path)
    result = {"task": "targeted", "gold": _where(gold_path), "gold_sha256": _sha256(gold_path),
              "n": len(frame), "models": model_fingerprints(), "scorers": {}}
    for method in methods:
        started = time.perf_counter()
        protocol = SHIPPED
        if method == "targeted" and targeted.shipped_model().trained_on(frame["text"]).any():
            predicted, protocol = _cross_validated_targets(frame), CROSS_VALIDATED
        else:
            predicted = targeted.predict_targets(frame["text"], frame["start"], frame["end"], method)["label"].to_numpy()
        truth = frame["gold"].to_numpy()
        result["scorers"][method] = {"n": len(frame), "macro_f1": round(macro_f1(truth, predicted), 4),
                                     "accuracy": round(float(accuracy_score(truth, predicted)), 4),
                                     "protocol": protocol, "seconds": round(time.perf_counter() - started, 1)}
    return result


def result_path(result: dict) -> Path:
    """Where ``--save`` keeps a result: validation/<task>-<gold folder>-<gold file stem>.json."""
    gold_file = Path(result["gold"])
    return VALIDATION_DIR / f"{result['task']}-{gold_file.parent.name}-{gold_file.stem}.json"


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


def format_table(result: dict) -> str:
    """The result as a plain-text table for the terminal."""
    frame = pd.DataFrame.from_dict(result["scorers"], orient="index").drop(columns=["description"], errors="ignore")
    frame.index.name = "scorer" if result["task"] == "sentiment" else "method"
    return f"{result['gold']} ({result['n']} {'sentences' if result['task'] == 'sentiment' else 'targets'})\n" \
        + frame.to_string()
