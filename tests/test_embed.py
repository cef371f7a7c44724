"""The MiniLM encoder (ONNX Runtime, no PyTorch) reproduces the reference implementation (Hugging Face
transformers + PyTorch).

tests/data/minilm-reference.npy holds the mean-pooled, normalised embeddings of REFERENCE_TEXTS computed
with transformers' BertModel (PyTorch 2.13.0 CPU) from the same weights files, in a throwaway environment.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from opedlens.measure import embed

REFERENCE = Path(__file__).parent / "data" / "minilm-reference.npy"
REFERENCE_TEXTS = [
    "This is a test sentence.",
    "Tokyo acted wisely but Seoul blundered.",
    "A much longer sentence, with commas, numbers like 1965 and names such as Lee Nak-yon, to exercise padding in a batch.",
]

pytestmark = pytest.mark.skipif(not embed.available(), reason=embed.INSTALL_HINT)


def test_matches_the_reference_implementation():
    encoded = embed.load().encode(REFERENCE_TEXTS)
    assert np.abs(encoded.sentences - np.load(REFERENCE)).max() < 1e-5


def test_the_vectors_do_not_depend_on_the_number_of_threads():
    """`opedlens measure` embeds on one thread beside the parse, a Dask worker on its one, a notebook on every core:
    the tables must be the same, to the last bit."""
    from threadpoolctl import threadpool_limits

    texts = [f"Sentence {n} says {'a great deal more ' * (n % 9)}about Tokyo and Seoul." for n in range(100)]
    with threadpool_limits(1, user_api="blas"):
        assert embed.threads() == 1
        one = embed.load().encode(texts, with_tokens=True)
    with threadpool_limits(2, user_api="blas"):
        assert embed.threads() == 2
        two = embed.load().encode(texts, with_tokens=True)
    assert np.array_equal(one.sentences, two.sentences)
    assert all(np.array_equal(a, b) for a, b in zip(one.tokens, two.tokens))


def test_batching_does_not_change_embeddings():
    model = embed.load()
    together = model.encode(REFERENCE_TEXTS, batch_size=3).sentences
    alone = np.vstack([model.encode([t]).sentences for t in REFERENCE_TEXTS])
    assert np.abs(together - alone).max() < 1e-5


def test_token_vectors_carry_character_offsets():
    text = "Tokyo acted wisely but Seoul blundered."
    encoded = embed.load().encode([text], with_tokens=True)
    offsets = encoded.offsets[0]
    assert encoded.tokens[0].shape == (len(offsets), 384)
    assert [text[s:e] for s, e in offsets][:2] == ["Tokyo", "acted"]


def test_long_text_is_truncated_and_says_so():
    encoded = embed.load().encode(["word " * 600, "short"])
    assert encoded.truncated.tolist() == [True, False]
    assert np.isfinite(encoded.sentences).all()


def test_token_states_are_remembered_once_per_text(monkeypatch):
    texts = ["Washington must help Tokyo and Seoul.", "The talks collapsed.", "Washington must help Tokyo and Seoul."]
    monkeypatch.setattr(embed, "_token_memo", embed.OrderedDict())
    monkeypatch.setattr(embed, "_memo", embed.OrderedDict())
    monkeypatch.setattr(embed, "TOKEN_MEMO_SIZE", 2)
    direct = embed.load().encode(texts, with_tokens=True)
    first = embed.with_tokens(texts)
    assert np.allclose(first.sentences, direct.sentences, atol=1e-6)
    assert all(np.allclose(a, b, atol=1e-5) for a, b in zip(first.tokens, direct.tokens))
    assert all((a == b).all() for a, b in zip(first.offsets, direct.offsets))
    calls = []
    monkeypatch.setattr(embed.MiniLM, "encode", lambda self, *a, **k: calls.append(a) or direct)
    again = embed.with_tokens(texts[:2])
    assert not calls, "both texts were remembered"
    assert np.array_equal(again.sentences, first.sentences[:2])
    assert np.array_equal(embed.sentence_vectors(texts[:1]), first.sentences[:1]), "the sentence memo has them too"
    assert len(embed._token_memo) == 2, "at most TOKEN_MEMO_SIZE texts are kept"


def test_a_shared_encoding_gives_what_with_tokens_gives_whichever_threads_take_its_chunks(monkeypatch):
    """`opedlens measure` embeds a batch in a helper thread while it parses, then joins in: the chunks may be
    encoded by either thread, in any order, and the result must be the batch's own vectors in the texts' order."""
    from concurrent.futures import ThreadPoolExecutor

    texts = [f"Sentence {n} says {'a great deal more ' * (n % 7)}about Tokyo." for n in range(150)] + ["Short."]
    monkeypatch.setattr(embed, "_token_memo", embed.OrderedDict())
    monkeypatch.setattr(embed, "_memo", embed.OrderedDict())
    direct = embed.load().encode(texts, with_tokens=True)
    monkeypatch.setattr(embed, "_token_memo", embed.OrderedDict())
    shared = embed.SharedEncoding(texts)
    with pytest.raises(RuntimeError, match="before every chunk"):
        shared.result()
    with ThreadPoolExecutor(2) as pool:
        for future in [pool.submit(shared.work) for _ in range(2)]:
            future.result()
    shared.work()  # nothing left: returns at once
    result = shared.result()
    assert np.allclose(result.sentences, direct.sentences, atol=1e-6)
    assert all(np.allclose(a, b, atol=1e-5) for a, b in zip(result.tokens, direct.tokens))
    assert all((a == b).all() for a, b in zip(result.offsets, direct.offsets))


def test_a_cancelled_shared_encoding_leaves_its_chunks():
    shared = embed.SharedEncoding([f"Sentence number {n}." for n in range(200)])
    shared.cancel()
    shared.work()  # returns at once: nothing left to take
    with pytest.raises(RuntimeError, match="before every chunk"):
        shared.result()


def test_the_shipped_graph_structures_are_current_and_compute_what_the_full_graphs_do():
    """The encoder, and the top layers a fine-tuned classifier runs on the states it hands over, load from the
    structures shipped in models/ (weights handed over as arrays, no ``onnx`` import) only when those files are
    what the graph code writes now; the states are then those of the full graphs, bit for bit, for MiniLM and for
    the matching cross-encoder built on it."""
    from opedlens.measure import crossencoder, encoder_graph
    from opedlens.paths import MODELS_DIR

    folder = embed.model_dir()
    shipped = sorted(MODELS_DIR.glob(f"{encoder_graph.STRUCTURE_PREFIX}*.onnx"))
    model = embed.load()
    encodings = model.tokenize(REFERENCE_TEXTS)
    ids, types, mask = embed.padded(encodings, np.arange(len(encodings)))
    feed = {"input_ids": ids, "attention_mask": mask.astype(np.int64), "token_type_ids": types}
    matching = crossencoder.read(crossencoder.path_of("matching"))
    for weights in (embed.weights(folder), crossencoder.merged_weights(embed.weights(folder), matching)):
        whole, classifier, top = graphs = encoder_graph.shipped_graphs(weights, encoder_graph.shape(folder))
        assert shipped == sorted(map(encoder_graph.structure_path, graphs)), \
            "run: python -m opedlens.measure.encoder_graph"
        for graph in graphs:
            assert encoder_graph.structure_path(graph).read_bytes() == graph.serialize(weights_inline=False)
        names = [encoder_graph.OUTPUT, encoder_graph.entering(embed.SHARED_LAYER)]
        from_structure = encoder_graph.session(whole).run(names, feed)
        in_full = encoder_graph.session(whole.serialize()).run(names, feed)
        assert all(np.array_equal(a, b) for a, b in zip(from_structure, in_full))
        # a classifier's whole encoder, and its top layers on the states entering them, end at [CLS] where the
        # whole encoder does
        first = encoder_graph.session(classifier).run([encoder_graph.OUTPUT], feed)[0]
        assert np.array_equal(first, encoder_graph.session(classifier.serialize()).run([encoder_graph.OUTPUT], feed)[0])
        top_feed = {encoder_graph.STATES: from_structure[1], "attention_mask": feed["attention_mask"]}
        above = encoder_graph.session(top).run([encoder_graph.OUTPUT], top_feed)[0]
        assert np.array_equal(above, encoder_graph.session(top.serialize()).run([encoder_graph.OUTPUT], top_feed)[0])
        assert first.shape == above.shape == (len(REFERENCE_TEXTS), 1, 384)
        assert np.abs(first[:, 0] - from_structure[0][:, 0]).max() < 1e-4
        assert np.abs(above[:, 0] - from_structure[0][:, 0]).max() < 1e-4


def test_loading_the_encoder_does_not_import_onnx():
    import subprocess
    import sys

    code = ("import sys\nfrom opedlens.measure import embed\nembed.load().encode(['Seoul and Tokyo.'])\n"
            "print('onnx' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
