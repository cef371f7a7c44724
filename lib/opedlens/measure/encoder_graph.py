"""MiniLM's encoder as an ONNX graph, built from its weights in memory and run by ONNX Runtime.

The graph is the plain BERT encoder that :class:`opedlens.measure.embed.MiniLM` computes (embeddings and their
LayerNorm; six post-norm layers of 12-head self-attention and an erf-GELU feed-forward block), written with
standard ONNX operators only. ONNX Runtime fuses and pre-packs it for the CPU: on this project's 2-core machine the
`accurate` scorer alone ran 1.3 times as fast as with the NumPy forward pass opedlens had before (216-237 against
167-178 sentences/s), each batch of sentences on one thread and two batches at once on two cores. The price is
memory: a process that has embedded a few thousand sentences holds about 600 MB more (glibc keeps the large
buffers ONNX Runtime frees; making it hand them back cost all the speed). Nothing is downloaded or cached.

:func:`trace` lays the graph out in plain Python and NumPy (its nodes, and the arrays it reads, named). Writing it
as ONNX needs the ``onnx`` package, whose import alone takes about a second; so the graph's *structure* (nodes and
the names, types and shapes of the weight arrays, 24 KB) ships in ``models/`` as ``encoder-graph-<key>.onnx``, the
key a fingerprint of everything in it, and :func:`session` gives ONNX Runtime that file with the weights handed
over as arrays: the same graph and arithmetic (tested), loaded in 0.2 s instead of 1.5-2 s. A trace that no
shipped file matches (another encoder's shape) is written in full with ``onnx``, as before.
The encoder's graph also hands over the states entering one layer (``taps``), and a second graph runs the layers
from there up (``start``), so a classifier fine-tuned in its top layers only runs those on sentences the encoder
read already. ``python -m opedlens.measure.encoder_graph`` rewrites the shipped files.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from opedlens.paths import MODELS_DIR

#: ONNX operator set and IR version the graph is written in (ONNX Runtime 1.30 reads IR up to 13).
OPSET = 17
IR_VERSION = 8
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT = "hidden"
#: The input of a graph that starts part way up the encoder (:func:`trace`'s ``start``): the states entering it.
STATES = "states"
FLOAT = 1  # onnx.TensorProto.FLOAT, written out so that tracing needs no onnx import
INT64 = 7  # onnx.TensorProto.INT64
#: Arrays with more elements than this are weights, handed to ONNX Runtime at load time; smaller ones (shapes,
#: scalars) are written into the graph itself.
INLINE_MAX = 16
STRUCTURE_PREFIX = "encoder-graph-"


class _Graph:
    """Collects nodes (kind, inputs, output, attributes) and named constant arrays; each node gets a unique output
    name, each constant is stored once."""

    def __init__(self, hidden: int = 0):
        self.nodes: list[tuple[str, list[str], str, dict]] = []
        self.constants: dict[str, np.ndarray] = {}
        self.hidden = hidden
        self.inputs: list[tuple[str, int]] = []  # the graph's inputs: name, element type (batch x length [x hidden])
        self.outputs: dict[str, str] = {}  # the graph's outputs (batch x length x hidden): name -> node output
        self.first_only = False  # OUTPUT holds the first ([CLS]) position only (batch x 1 x hidden)

    def constant(self, name: str, value) -> str:
        if name not in self.constants:
            self.constants[name] = np.ascontiguousarray(value)
        return name

    def op(self, kind: str, *inputs: str, **attributes) -> str:
        out = f"{kind.lower()}_{len(self.nodes)}"
        self.nodes.append((kind, list(inputs), out, attributes))
        return out

    def weights(self) -> dict[str, np.ndarray]:
        """The constants handed over at load time (see :data:`INLINE_MAX`)."""
        return {name: value for name, value in self.constants.items() if value.size > INLINE_MAX}

    def key(self) -> str:
        """A fingerprint of the structure: nodes, the inline constants' values, the weights' names, types and
        shapes (not their values), the operator set and IR version."""
        digest = hashlib.sha256(json.dumps([OPSET, IR_VERSION, self.hidden, INLINE_MAX, self.inputs, self.outputs,
                                            self.first_only, [
            (kind, inputs, out, sorted((k, repr(v)) for k, v in attributes.items()))
            for kind, inputs, out, attributes in self.nodes]]).encode())
        for name, value in self.constants.items():
            digest.update(f"{name}|{value.dtype.str}|{value.shape}|".encode())
            if value.size <= INLINE_MAX:
                digest.update(value.tobytes())
        return digest.hexdigest()[:16]

    def serialize(self, weights_inline: bool = True) -> bytes:
        """The ONNX model; without ``weights_inline`` the weights are left out, marked as external data that
        :func:`session` hands over (needs the ``onnx`` package)."""
        from onnx import TensorProto, helper, numpy_helper

        initializers = []
        for name, value in self.constants.items():
            if weights_inline or value.size <= INLINE_MAX:
                initializers.append(numpy_helper.from_array(value, name))
                continue
            tensor = TensorProto(name=name, dims=value.shape, data_location=TensorProto.EXTERNAL,
                                 data_type=helper.np_dtype_to_tensor_dtype(value.dtype))
            tensor.external_data.add(key="location", value="handed-over-at-load-time")
            initializers.append(tensor)
        nodes = [helper.make_node(kind, inputs, [out], **attributes) for kind, inputs, out, attributes in self.nodes]
        nodes += [helper.make_node("Identity", [out], [name]) for name, out in self.outputs.items()]
        graph = helper.make_graph(
            nodes, "minilm",
            [helper.make_tensor_value_info(name, kind, ["batch", "length"] + ([self.hidden] if kind == FLOAT else []))
             for name, kind in self.inputs],
            [helper.make_tensor_value_info(
                name, TensorProto.FLOAT, ["batch", 1 if self.first_only and name == OUTPUT else "length", self.hidden])
             for name in self.outputs],
            initializers)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=IR_VERSION)
        return model.SerializeToString()


def entering(layer: int) -> str:
    """The name of the output that holds the states entering ``layer`` (see :func:`trace`'s ``taps``)."""
    return f"{STATES}_{layer}"


def trace(w: dict[str, np.ndarray], layers: int, heads: int, eps: float, taps: tuple[int, ...] = (),
          start: int = 0, first_only: bool = False) -> _Graph:
    """The graph of a BERT encoder with Hugging Face weight names ``w``: inputs ``input_ids``, ``attention_mask``
    and ``token_type_ids`` (int64, batch x length), output ``hidden`` (float32, batch x length x hidden size), the
    last layer's states; and for each layer in ``taps`` an output :func:`entering` (layer) with the states entering
    it. With ``start`` > 0 the graph is the encoder from layer ``start`` up: inputs :data:`STATES` (float32, the
    states entering that layer) and ``attention_mask``. With ``first_only`` the last layer computes the first
    position's ([CLS]) states only, all a classifier on BERT's pooler reads (batch x 1 x hidden): the same numbers,
    its last layer about a sixth of the work. Plain Python and NumPy: nothing is written yet."""
    hidden = w["embeddings.word_embeddings.weight"].shape[1]
    g = _Graph(hidden)
    size = hidden // heads

    def layer_norm(x: str, prefix: str) -> str:
        return g.op("LayerNormalization", x, g.constant(prefix + ".weight", w[prefix + ".weight"]),
                    g.constant(prefix + ".bias", w[prefix + ".bias"]), axis=-1, epsilon=eps)

    def dense(x: str, prefix: str) -> str:  # x @ W.T + b, with W as Hugging Face stores it (out x in)
        return g.op("Add", g.op("MatMul", x, g.constant(prefix + ".weight", w[prefix + ".weight"].T)),
                    g.constant(prefix + ".bias", w[prefix + ".bias"]))

    def heads_first(x: str) -> str:  # (batch, length, hidden) -> (batch, heads, length, size)
        split = g.op("Reshape", x, g.constant("heads_shape", np.array([0, 0, heads, size], np.int64)))
        return g.op("Transpose", split, perm=[0, 2, 1, 3])

    if start:
        g.inputs = [(STATES, FLOAT), ("attention_mask", INT64)]
        x = STATES
    else:
        g.inputs = [(name, INT64) for name in INPUTS]
        x = _embeddings(g, w, layer_norm)
    # Padding gets float32's lowest value added before the softmax, as transformers' BertModel does.
    mask = g.op("Cast", "attention_mask", to=FLOAT)
    padding = g.op("Sub", g.constant("one", np.array(1, np.float32)), mask)
    mask_bias = g.op("Unsqueeze", g.op("Mul", padding, g.constant("lowest", np.array(np.finfo(np.float32).min,
                                                                                      np.float32))),
                     g.constant("axes12", np.array([1, 2], np.int64)))
    scale = g.constant("sqrt_size", np.array(np.sqrt(size), np.float32))
    merge = g.constant("merged_shape", np.array([0, 0, hidden], np.int64))
    for n in range(start, layers):
        if n in taps:
            g.outputs[entering(n)] = x
        p = f"encoder.layer.{n}."
        att = p + "attention."
        # Every position is attended to; the queries (and all that follows) of the first position only, if asked
        asking = x
        if first_only and n == layers - 1:
            asking = g.op("Slice", x, g.constant("zero", np.array([0], np.int64)),
                          g.constant("one_i", np.array([1], np.int64)), g.constant("axis1", np.array([1], np.int64)))
            g.first_only = True
        q = heads_first(dense(asking, f"{att}self.query"))
        k, v = (heads_first(dense(x, f"{att}self.{name}")) for name in ("key", "value"))
        scores = g.op("Add", g.op("Div", g.op("MatMul", q, g.op("Transpose", k, perm=[0, 1, 3, 2])), scale), mask_bias)
        context = g.op("MatMul", g.op("Softmax", scores, axis=-1), v)
        context = g.op("Reshape", g.op("Transpose", context, perm=[0, 2, 1, 3]), merge)
        x = layer_norm(g.op("Add", dense(context, att + "output.dense"), asking), att + "output.LayerNorm")
        up = dense(x, p + "intermediate.dense")
        erf = g.op("Erf", g.op("Div", up, g.constant("sqrt2", np.array(np.sqrt(2), np.float32))))
        gelu = g.op("Mul", g.op("Mul", up, g.op("Add", erf, "one")), g.constant("half", np.array(0.5, np.float32)))
        x = layer_norm(g.op("Add", dense(gelu, p + "output.dense"), x), p + "output.LayerNorm")
    g.outputs[OUTPUT] = x
    return g


def _embeddings(g: _Graph, w: dict[str, np.ndarray], layer_norm) -> str:
    """Word, position and token-type embeddings of the inputs, summed and normalised."""
    emb = "embeddings."
    length = g.op("Shape", "input_ids", start=1, end=2)
    positions = g.op("Slice", g.constant(emb + "position_embeddings.weight", w[emb + "position_embeddings.weight"]),
                     g.constant("zero", np.array([0], np.int64)), length, g.constant("axis0", np.array([0], np.int64)))
    words = g.op("Gather", g.constant(emb + "word_embeddings.weight", w[emb + "word_embeddings.weight"]), "input_ids")
    types = g.op("Gather", g.constant(emb + "token_type_embeddings.weight", w[emb + "token_type_embeddings.weight"]),
                 "token_type_ids")
    return layer_norm(g.op("Add", g.op("Add", words, positions), types), emb + "LayerNorm")


def shape(folder: Path) -> tuple[int, int, float]:
    """(layers, attention heads, LayerNorm epsilon) of the encoder in a model folder (its ``config.json``): what
    :func:`trace` needs besides the weights."""
    config = json.loads((folder / "config.json").read_text())
    return config["num_hidden_layers"], config["num_attention_heads"], config["layer_norm_eps"]


def structure_path(graph: _Graph):
    """Where the shipped structure of ``graph`` is (whether or not it exists)."""
    return MODELS_DIR / f"{STRUCTURE_PREFIX}{graph.key()}.onnx"


def _options():
    """Session options under which each call runs on the calling thread alone (no thread pool that spins, and the
    same arithmetic whichever thread or engine calls it: tables do not depend on the thread count)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.enable_cpu_mem_arena = False  # batches differ in shape: no arena, no per-shape plans held
    options.enable_mem_pattern = False
    options.log_severity_level = 3  # errors only
    return options


def session(model):
    """An ONNX Runtime session of ``model``: a graph from :func:`trace` (read from its shipped structure when
    there is one, see the module docstring) or a serialized model (bytes). Each call runs on the calling thread
    alone; safe to call from several threads at once."""
    import onnxruntime

    options = _options()
    if isinstance(model, _Graph):
        path = structure_path(model)
        if path.is_file():
            weights = model.weights()
            # The session reads these buffers: they stay alive with it (kept on the session below).
            values = [onnxruntime.OrtValue.ortvalue_from_numpy(value) for value in weights.values()]
            options.add_external_initializers(list(weights), values)
            loaded = onnxruntime.InferenceSession(path.read_bytes(), options, providers=["CPUExecutionProvider"])
            loaded._opedlens_weights = (weights, values)
            return loaded
        model = model.serialize()
    return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def write_structures(graphs: list[_Graph]) -> list[Path]:
    """Write each graph's structure to ``models/``, removing the structures of earlier graphs; their paths."""
    for old in MODELS_DIR.glob(f"{STRUCTURE_PREFIX}*.onnx"):
        old.unlink()
    paths = []
    for graph in graphs:
        paths.append(structure_path(graph))
        paths[-1].write_bytes(graph.serialize(weights_inline=False))
    return paths


def shipped_graphs(w: dict[str, np.ndarray], layout: tuple[int, int, float]) -> list[_Graph]:
    """The graphs whose structures ship: the whole encoder as :class:`opedlens.measure.embed.MiniLM` runs it; the
    whole encoder as a fine-tuned classifier runs it (its last layer at [CLS] only); and the top of that from
    :data:`opedlens.measure.embed.SHARED_LAYER` up, as a fine-tuned classifier runs it on the states the whole
    encoder handed over (:meth:`opedlens.measure.crossencoder.SentenceClassifier.logits_above`). ``layout``: as
    :func:`shape` gives it."""
    from opedlens.measure import embed

    return [trace(w, *layout, taps=(embed.SHARED_LAYER,)), trace(w, *layout, first_only=True),
            trace(w, *layout, start=embed.SHARED_LAYER, first_only=True)]


def main() -> None:
    """Rewrite the shipped structures of the MiniLM encoder (after changing :func:`trace`)."""
    from opedlens.measure import embed

    folder = embed.model_dir()
    for path in write_structures(shipped_graphs(embed.weights(folder), shape(folder))):
        print(path)


if __name__ == "__main__":
    main()
