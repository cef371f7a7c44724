"""Small trained models stored as plain arrays (``.npz`` + JSON metadata), never as pickles.

Two kinds: a kernel ridge regressor (standardise -> Nystroem RBF map -> ridge) for sentence
valence, and a multinomial logistic classifier for sentiment toward a target. They are fitted with
scikit-learn (see :mod:`opedlens.validate.training`) and applied here with NumPy, so a model file is
inspectable, loads in any environment and cannot run code.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from opedlens.errors import InputError
from opedlens.files import write_atomic


def text_hashes(texts) -> np.ndarray:
    """64-bit fingerprints of whitespace-normalised, lower-cased texts (to detect training overlap)."""
    keys = [" ".join(str(t).lower().split()).encode("utf-8") for t in texts]
    return np.array([int.from_bytes(hashlib.sha1(k).digest()[:8], "big") for k in keys], dtype=np.uint64)


@dataclass
class Model:
    """Arrays plus metadata; ``kind`` says how :func:`predict` uses the arrays."""

    kind: str
    arrays: dict[str, np.ndarray]
    meta: dict = field(default_factory=dict)

    def save(self, path: Path) -> None:
        buffer = io.BytesIO()
        np.savez_compressed(buffer, __meta__=np.array(json.dumps({"kind": self.kind, **self.meta}, sort_keys=True)),
                            **self.arrays)
        write_atomic(path, buffer.getvalue())

    def trained_on(self, texts) -> np.ndarray:
        """Which of ``texts`` were in this model's training data."""
        return np.isin(text_hashes(texts), self.arrays.get("train_hashes", np.array([], dtype=np.uint64)))


def read_arrays(path: Path) -> dict[str, np.ndarray]:
    """Every array of a shipped ``.npz`` (no pickles); a missing or damaged file is an InputError naming it."""
    try:
        with np.load(path, allow_pickle=False) as data:
            return {k: data[k] for k in data.files}
    except FileNotFoundError:
        raise InputError("model file not found; run `make models` to train it", path) from None
    except (OSError, ValueError) as exc:
        raise InputError(f"not a readable model file ({exc})", path) from None


def load_model(path: Path) -> Model:
    """Read a model file; a missing or damaged file is an InputError naming it."""
    arrays = read_arrays(path)
    meta = json.loads(str(arrays.pop("__meta__")))
    return Model(meta.pop("kind"), arrays, meta)


def _standardise(model: Model, X: np.ndarray) -> np.ndarray:
    return (X - model.arrays["mean"]) / model.arrays["scale"]


def _rbf(model: Model, X: np.ndarray) -> np.ndarray:
    """RBF kernel between the rows of X and the model's landmark rows."""
    C = model.arrays["components"].astype(np.float64)
    sq = (X ** 2).sum(1)[:, None] + (C ** 2).sum(1)[None, :] - 2.0 * X @ C.T
    return np.exp(-float(model.arrays["gamma"]) * np.maximum(sq, 0.0))


def predict(model: Model, X: np.ndarray) -> np.ndarray:
    """Regression values (n,) for ``kernel_ridge``; class probabilities (n, k) for ``logistic``."""
    X = _standardise(model, np.asarray(X, dtype=np.float64))
    if model.kind == "kernel_ridge":
        return _rbf(model, X) @ model.arrays["weights"] + float(model.arrays["intercept"])
    if model.kind == "logistic":
        logits = X @ model.arrays["coef"].T + model.arrays["intercept"]
        logits -= logits.max(1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(1, keepdims=True)
    raise InputError(f"unknown model kind {model.kind!r}")


def from_kernel_ridge(scaler, nystroem, ridge, meta: dict, train_texts) -> Model:
    """Capture fitted scikit-learn StandardScaler + Nystroem + Ridge as arrays.

    Nystroem's normalisation matrix and the ridge coefficients fold into one weight per landmark
    (prediction = K(x, landmarks) @ weights + intercept), so the file holds the landmarks (float32)
    and a vector instead of a 1000 x 1000 matrix.
    """
    return Model("kernel_ridge", {
        "mean": scaler.mean_, "scale": scaler.scale_,
        "components": nystroem.components_.astype(np.float32),
        "gamma": np.array(nystroem.gamma, dtype=float),
        "weights": nystroem.normalization_.T @ ridge.coef_, "intercept": np.array(ridge.intercept_, dtype=float),
        "train_hashes": text_hashes(train_texts),
    }, meta)


def from_logistic(scaler, logistic, meta: dict, train_texts) -> Model:
    """Capture a fitted StandardScaler + LogisticRegression as arrays."""
    return Model("logistic", {
        "mean": scaler.mean_, "scale": scaler.scale_,
        "coef": logistic.coef_, "intercept": logistic.intercept_,
        "classes": logistic.classes_.astype(np.int64),
        "train_hashes": text_hashes(train_texts),
    }, meta)
