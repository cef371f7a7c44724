"""Training a cross-encoder (``make models``): MiniLM with low-rank adapters, in PyTorch on the CPU.

Only the training needs PyTorch (``make models`` installs it in ``.venv-train``); the file written is plain
arrays that :mod:`opedlens.measure.crossencoder` runs without PyTorch. The network here is written out to mirror
:class:`opedlens.measure.embed.MiniLM` exactly (post-norm BERT, erf GELU), so its forward pass of the merged weights
reproduces these logits; the file carries a few check pairs with their logits, and a test holds the shipped model
to them.

Fit: the base weights stay frozen; every attention and feed-forward matrix of the top :data:`TRAINED_LAYERS`
layers (all six) gets a LoRA adapter (rank :data:`RANK`, scale alpha / rank), and BERT's pooler and a one-logit
output are trained too. Whatever lies below the first adapted layer (with all six adapted: the embeddings) is
not changed, so it is computed once per pair (in both orders), without gradients, and reused every epoch. Binary cross-entropy, AdamW, linear warm-up and decay; each pair is shown in a random order per
epoch (the scorer averages both orders). Everything is seeded; one thread count gives the same file twice.
"""

from __future__ import annotations

import json
import math
import time
from typing import Callable

import numpy as np
import pandas as pd

from opedlens.measure import embed
from opedlens.measure.crossencoder import ADAPTED, MAX_TOKENS

RANK = 8
TRAINED_LAYERS = 6  # adapters in all 6 of MiniLM's layers (top 3 only: held-out ROC AUC 0.637, below the cosine)
ALPHA = 16.0
DROPOUT = 0.1
LEARNING_RATE = 5e-4
WEIGHT_DECAY = 0.01
BATCH_SIZE = 32
WARMUP = 0.1
THREADS = 2


def _torch():
    try:
        import torch
    except ImportError:
        from opedlens.errors import InputError

        raise InputError("training a cross-encoder needs PyTorch: run `make models` (it installs torch==2.13.0, CPU, "
                         "into .venv-train)") from None
    return torch


def build(seed: int, outputs: int = 1, trained_layers: int = TRAINED_LAYERS):
    """The trainable network (a ``torch.nn.Module``) on the MiniLM weights, adapters initialised from ``seed``: LoRA
    in the top ``trained_layers`` layers and an output layer of ``outputs`` logits."""
    torch = _torch()
    from torch import nn

    from opedlens.measure import embed

    folder = embed.model_dir()
    config = json.loads((folder / "config.json").read_text())
    base = {k: torch.from_numpy(np.array(v)) for k, v in embed.weights(folder).items()}
    torch.manual_seed(seed)

    class LoRALinear(nn.Module):
        def __init__(self, weight, bias):
            super().__init__()
            self.register_buffer("weight", weight)
            self.register_buffer("bias", bias)
            self.lora_a = nn.Parameter(torch.randn(RANK, weight.shape[1]) / math.sqrt(weight.shape[1]))
            self.lora_b = nn.Parameter(torch.zeros(weight.shape[0], RANK))
            self.drop = nn.Dropout(DROPOUT)

        def forward(self, x):
            return x @ self.weight.T + self.bias + (ALPHA / RANK) * (self.drop(x) @ self.lora_a.T @ self.lora_b.T)

    class Network(nn.Module):
        def __init__(self):
            super().__init__()
            self.heads, self.eps = config["num_attention_heads"], config["layer_norm_eps"]
            self.layers_n = config["num_hidden_layers"]
            for name in ("embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
                         "embeddings.token_type_embeddings.weight", "embeddings.LayerNorm.weight",
                         "embeddings.LayerNorm.bias"):
                self.register_buffer(name.replace(".", "_"), base[name])
            self.first_trained = self.layers_n - trained_layers
            self.adapted = nn.ModuleDict()
            self.frozen = {}
            for layer in range(self.layers_n):
                for name in ADAPTED:
                    key = f"encoder.layer.{layer}.{name}"
                    if layer >= self.first_trained:
                        self.adapted[key.replace(".", "_")] = LoRALinear(base[f"{key}.weight"], base[f"{key}.bias"])
                    else:
                        self.frozen[key] = (base[f"{key}.weight"], base[f"{key}.bias"])
                for ln in ("attention.output.LayerNorm", "output.LayerNorm"):
                    key = f"encoder.layer.{layer}.{ln}"
                    self.register_buffer(f"{key}.weight".replace(".", "_"), base[f"{key}.weight"])
                    self.register_buffer(f"{key}.bias".replace(".", "_"), base[f"{key}.bias"])
            self.pooler = nn.Linear(384, 384)
            with torch.no_grad():
                self.pooler.weight.copy_(base["pooler.dense.weight"])
                self.pooler.bias.copy_(base["pooler.dense.bias"])
            self.head = nn.Linear(384, outputs)
            self.drop = nn.Dropout(DROPOUT)

        def _ln(self, x, key):
            w, b = getattr(self, f"{key}.weight".replace(".", "_")), getattr(self, f"{key}.bias".replace(".", "_"))
            mean = x.mean(-1, keepdim=True)
            var = ((x - mean) ** 2).mean(-1, keepdim=True)
            return (x - mean) / torch.sqrt(var + self.eps) * w + b

        def _linear(self, layer, name):
            key = f"encoder.layer.{layer}.{name}"
            if layer >= self.first_trained:
                return self.adapted[key.replace(".", "_")]
            weight, bias = self.frozen[key]
            return lambda x: x @ weight.T + bias

        def _layer(self, x, bias, layer):
            batch, length, size = x.shape[0], x.shape[1], 384 // self.heads
            q, k, v = (self._linear(layer, f"attention.self.{n}")(x).view(batch, length, self.heads, size)
                       .transpose(1, 2) for n in ("query", "key", "value"))
            scores = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(size) + bias, dim=-1)
            context = (scores @ v).transpose(1, 2).reshape(batch, length, 384)
            x = self._ln(x + self.drop(self._linear(layer, "attention.output.dense")(context)),
                         f"encoder.layer.{layer}.attention.output.LayerNorm")
            up = self._linear(layer, "intermediate.dense")(x)
            up = 0.5 * up * (1.0 + torch.erf(up / math.sqrt(2.0)))
            return self._ln(x + self.drop(self._linear(layer, "output.dense")(up)),
                            f"encoder.layer.{layer}.output.LayerNorm")

        def bottom(self, ids, mask, types):
            """The frozen layers' output (no gradients): computed once per pair and reused every epoch."""
            with torch.no_grad():
                length = ids.shape[1]
                x = (self.embeddings_word_embeddings_weight[ids] + self.embeddings_position_embeddings_weight[:length]
                     + self.embeddings_token_type_embeddings_weight[types])
                x = self._ln(x, "embeddings.LayerNorm")
                bias = torch.where(mask[:, None, None, :], 0.0, torch.finfo(torch.float32).min)
                for layer in range(self.first_trained):
                    x = self._layer_eval(x, bias, layer)
                return x

        def _layer_eval(self, x, bias, layer):
            training = self.training
            self.train(False)
            try:
                return self._layer(x, bias, layer)
            finally:
                self.train(training)

        def top(self, x, mask):
            bias = torch.where(mask[:, None, None, :], 0.0, torch.finfo(torch.float32).min)
            for layer in range(self.first_trained, self.layers_n):
                x = self._layer(x, bias, layer)
            pooled = torch.tanh(self.pooler(x[:, 0]))
            return self.head(self.drop(pooled)).squeeze(-1)

        def forward(self, ids, mask, types):
            return self.top(self.bottom(ids, mask, types), mask)

    return Network()


def _tokenizer():
    from tokenizers import Tokenizer

    from opedlens.measure import embed

    tokenizer = Tokenizer.from_file(str(embed.model_dir() / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_TOKENS, strategy="longest_first")
    tokenizer.no_padding()
    return tokenizer


def _batch(encodings, chunk):
    """ids, mask and token types of the encodings at ``chunk`` as tensors (padded as at run time)."""
    torch = _torch()
    ids, types, mask = embed.padded(encodings, chunk)
    return torch.from_numpy(ids), torch.from_numpy(mask), torch.from_numpy(types)


def fit(pairs: pd.DataFrame, epochs: int, seed: int, log: Callable[[str], None] = print):
    """Train on ``pairs`` (text_a, text_b, label 0/1; optional weight); returns the network."""
    torch = _torch()
    torch.set_num_threads(THREADS)
    network = build(seed)
    tokenizer = _tokenizer()
    rng = np.random.default_rng(seed)
    a, b = pairs["text_a"].astype(str).tolist(), pairs["text_b"].astype(str).tolist()
    labels = torch.tensor(pairs["label"].to_numpy(dtype=np.float32))
    weights = torch.tensor(pairs["weight"].to_numpy(dtype=np.float32) if "weight" in pairs else np.ones(len(pairs),
                                                                                                     np.float32))
    log(f"    the frozen layers on {len(pairs):,} pairs, both orders")
    cache = _bottoms(network, tokenizer, a, b)
    optimizer, schedule, steps = _optimizer(network, epochs, len(pairs))
    loss_fn = torch.nn.BCEWithLogitsLoss(reduction="none")
    network.train()
    started, step = time.perf_counter(), 0
    for epoch in range(epochs):
        order = rng.permutation(len(pairs))
        swap = rng.random(len(pairs)) < 0.5
        for start in range(0, len(order), BATCH_SIZE):
            chunk = order[start:start + BATCH_SIZE]
            x, mask = _stack([cache[int(swap[i])][i] for i in chunk])
            loss = (loss_fn(network.top(x, mask), labels[chunk]) * weights[chunk]).sum() / weights[chunk].sum()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            step += 1
            if step % 100 == 0:
                rate = step * BATCH_SIZE / (time.perf_counter() - started)
                log(f"    epoch {epoch + 1}/{epochs}, step {step}/{steps}: loss {loss.item():.3f} ({rate:.0f} pairs/s)")
    network.eval()
    return network


def _optimizer(network, epochs: int, n: int):
    """AdamW over the trainable parameters, with linear warm-up and decay over ``epochs`` passes of ``n`` items:
    (optimizer, schedule, steps)."""
    torch = _torch()
    trainable = [p for p in network.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=LEARNING_RATE, weight_decay=WEIGHT_DECAY)
    steps = epochs * math.ceil(n / BATCH_SIZE)
    warm = max(1, int(WARMUP * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm))))
    return optimizer, schedule, steps


def _frozen_states(network, tokenizer, inputs: list) -> list:
    """The frozen layers' output for every tokenizer input (a text, or a pair of texts), in order: float16 arrays
    (tokens x 384), batched by length."""
    torch = _torch()
    encodings = tokenizer.encode_batch(inputs)
    out = [None] * len(inputs)
    for chunk in embed.by_length(encodings, 128):
        ids, mask, types = _batch(encodings, chunk)
        states = network.bottom(ids, mask, types).to(torch.float16)
        for row, i in enumerate(chunk):
            out[i] = states[row, :int(mask[row].sum())].clone()
    return out


def _bottoms(network, tokenizer, a: list[str], b: list[str]) -> tuple[list, list]:
    """The frozen layers' output for every pair in order (a, b) and (b, a)."""
    return _frozen_states(network, tokenizer, list(zip(a, b))), _frozen_states(network, tokenizer, list(zip(b, a)))


def _stack(states: list):
    """A padded batch (float32) and its mask from per-pair frozen-layer outputs."""
    torch = _torch()
    length = max(s.shape[0] for s in states)
    x = torch.zeros((len(states), length, states[0].shape[1]), dtype=torch.float32)
    mask = torch.zeros((len(states), length), dtype=torch.bool)
    for row, s in enumerate(states):
        x[row, :s.shape[0]], mask[row, :s.shape[0]] = s.float(), True
    return x, mask


def logits(network, texts_a, texts_b) -> np.ndarray:
    """The network's raw score of each pair in the given order."""
    torch = _torch()
    tokenizer = _tokenizer()
    encodings = tokenizer.encode_batch(list(zip(map(str, texts_a), map(str, texts_b))))
    out = np.zeros(len(encodings), dtype=np.float32)
    with torch.no_grad():
        for chunk in embed.by_length(encodings, 64):
            out[chunk] = network(*_batch(encodings, chunk)).numpy()
    return out


def probabilities(network, texts_a, texts_b) -> np.ndarray:
    """Probability of each pair, the mean of both orders (as :meth:`opedlens.measure.crossencoder.CrossEncoder.score`)."""
    texts_a, texts_b = list(texts_a), list(texts_b)
    both = logits(network, texts_a + texts_b, texts_b + texts_a)
    n = len(texts_a)
    return (1 / (1 + np.exp(-both[:n])) + 1 / (1 + np.exp(-both[n:]))) / 2


def arrays(network) -> dict[str, np.ndarray]:
    """What ships: adapters, pooler, output layer, as float32 arrays keyed by the names
    :mod:`opedlens.measure.crossencoder` reads."""
    out = {}
    for key, module in network.adapted.items():
        out[_hf_name(key) + ".lora_a"] = module.lora_a.detach().numpy().astype(np.float32)
        out[_hf_name(key) + ".lora_b"] = module.lora_b.detach().numpy().astype(np.float32)
    out["pooler.weight"] = network.pooler.weight.detach().numpy().astype(np.float32)
    out["pooler.bias"] = network.pooler.bias.detach().numpy().astype(np.float32)
    out["head.weight"] = network.head.weight.detach().numpy().astype(np.float32)
    out["head.bias"] = network.head.bias.detach().numpy().astype(np.float32)
    return out


def _hf_name(key: str) -> str:
    """``encoder_layer_0_attention_self_query`` -> ``encoder.layer.0.attention.self.query``."""
    for name in ADAPTED:
        flat = name.replace(".", "_")
        if key.endswith(flat):
            layer = key[len("encoder_layer_"):-len(flat) - 1]
            return f"encoder.layer.{layer}.{name}"
    raise ValueError(key)


CHECK_PAIRS = [("Washington must help Tokyo and Seoul end the crisis.", "The U.S. should mediate between Japan and "
                "South Korea."),
               ("Bridging these divisions may be possible.", "It is up to Tokyo and Seoul to solve it."),
               ("Social media should be regulated.", "We should subsidize space exploration")]


def save(network, path, meta: dict) -> None:
    """Write what ships (:func:`arrays`) and ``meta`` (with the adapter settings and the check pairs' logits,
    which tests hold the shipped forward pass to) as ``.npz``, atomically."""
    a, b = zip(*CHECK_PAIRS)
    _write(network, path, {"check_pairs": [list(p) for p in CHECK_PAIRS],
                           "check_logits": [round(float(x), 6) for x in logits(network, a, b)], **meta})


def _write(network, path, meta: dict) -> None:
    """:func:`arrays` and ``meta`` with the adapter settings, as ``.npz``, atomically."""
    import io

    from opedlens.files import write_atomic

    meta = {"lora_rank": RANK, "lora_alpha": ALPHA, "layers": 6, "adapted_layers": list(range(network.first_trained, 6)),
            "max_tokens": MAX_TOKENS, **meta}
    buffer = io.BytesIO()
    np.savez_compressed(buffer, meta=np.array(json.dumps(meta, sort_keys=True)), **arrays(network))
    write_atomic(path, buffer.getvalue())


# --- a sentence classifier (one text in, one of k classes out) --------------------------------------------------

CHECK_SENTENCES = ["Washington must help Tokyo and Seoul end the crisis.",
                   "Exports of the three chemicals fell 40 percent in July, the ministry said.",
                   "“We will not back down,” the minister told reporters."]


def fit_classifier(texts: list[str], classes: np.ndarray, weights: np.ndarray, outputs: int, epochs: int,
                   seed: int, trained_layers: int, log: Callable[[str], None] = print):
    """Train a sentence classifier: ``classes`` (0 .. outputs-1) with sample ``weights``, re-balanced so every class
    carries the same total weight; cross-entropy, otherwise as :func:`fit`. Returns the network."""
    torch = _torch()
    torch.set_num_threads(THREADS)
    network = build(seed, outputs, trained_layers)
    rng = np.random.default_rng(seed)
    log(f"    the frozen layers on {len(texts):,} sentences")
    cache = _frozen_states(network, _tokenizer(), [str(t) for t in texts])
    classes = np.asarray(classes, dtype=np.int64)
    weights = np.asarray(weights, dtype=np.float64)
    totals = np.bincount(classes, weights=weights, minlength=outputs)
    balanced = torch.tensor(weights * weights.sum() / (outputs * totals[classes]), dtype=torch.float32)
    target = torch.tensor(classes)
    optimizer, schedule, _ = _optimizer(network, epochs, len(texts))
    loss_fn = torch.nn.CrossEntropyLoss(reduction="none")
    network.train()
    for epoch in range(epochs):
        order = rng.permutation(len(texts))
        for start in range(0, len(order), BATCH_SIZE):
            chunk = order[start:start + BATCH_SIZE]
            x, mask = _stack([cache[i] for i in chunk])
            loss = (loss_fn(network.top(x, mask), target[chunk]) * balanced[chunk]).sum() / balanced[chunk].sum()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
        log(f"    epoch {epoch + 1}/{epochs}: loss {loss.item():.3f}")
    network.eval()
    return network


def classifier_logits(network, texts: list[str]) -> np.ndarray:
    """(n, k) raw scores of each text."""
    torch = _torch()
    cache = _frozen_states(network, _tokenizer(), [str(t) for t in texts])
    out = []
    with torch.no_grad():
        for start in range(0, len(cache), 64):
            x, mask = _stack(cache[start:start + 64])
            out.append(network.top(x, mask).reshape(len(x), -1).numpy())
    return np.vstack(out) if out else np.zeros((0, network.head.out_features), np.float32)


def save_classifier(network, path, meta: dict) -> None:
    """As :func:`save`, for a sentence classifier: the check sentences carry their logits."""
    _write(network, path, {"check_sentences": CHECK_SENTENCES,
                           "check_logits": np.round(classifier_logits(network, CHECK_SENTENCES), 6).tolist(), **meta})
