"""Sentence vectors read off the passage's own model pass: the passage vector is the usual one, each span's
vector is its tokens' mean, and both backends agree."""

from __future__ import annotations

import numpy as np

from ingest.embedder import make_embedder, pool_spans

TEXT = ("Planting the flag › 3. Connected places\nTechnology can work as an enabler for those able to access and "
        "use it. Digital inequality covers a range of barriers.")


def _spans() -> list[tuple[int, int]]:
    first = TEXT.index("Technology")
    second = TEXT.index("Digital")
    return [(first, second - 1), (second, len(TEXT))]


def test_both_backends_give_the_passage_vector_and_the_same_span_vectors():
    made = {}
    for backend in ("onnx", "torch"):
        embedder = make_embedder(backend, 8)
        pooled, parts = embedder.encode_spans([TEXT, "A short one."], [_spans(), [(2, 7)]])
        assert np.allclose(pooled, embedder.encode([TEXT, "A short one."]), atol=1e-5)
        assert parts[0].shape == (2, 384) and parts[1].shape == (1, 384)
        assert np.allclose(np.linalg.norm(parts[0], axis=1), 1.0, atol=1e-5)
        made[backend] = parts[0]
    assert (made["onnx"] * made["torch"]).sum(axis=1).min() > 0.999
    # in context, not alone: the sentence read within its passage is not the sentence embedded by itself
    alone = make_embedder("onnx", 8).encode([TEXT[s:e] for s, e in _spans()])
    assert (made["onnx"] * alone).sum(axis=1).max() < 0.99


def test_a_span_with_no_token_gets_a_zero_row():
    hidden = np.eye(4, dtype=np.float32)
    offsets = [(0, 0), (0, 5), (6, 10), (0, 0)]  # [CLS] word word [SEP]
    out = pool_spans(hidden, offsets, [(0, 5), (0, 10), (20, 30)])
    assert np.allclose(out[0], hidden[1]) and np.allclose(out[1], (hidden[1] + hidden[2]) / np.sqrt(2))
    assert not out[2].any()
