"""The bundled all-MiniLM-L6-v2, loaded once from its installed folder, never from a hub."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from .tokens import model_dir

DIM = 384
_lock = threading.Lock()
_models: dict[str, Any] = {}
log = logging.getLogger(__name__)


Spans = list[tuple[int, int]]  # character ranges of a text


def pool_spans(hidden: np.ndarray, offsets: list[tuple[int, int]], spans: Spans) -> np.ndarray:
    """Unit vectors of character spans of a text, from the token vectors of the whole text's one pass.

    A span's vector is the mean of the tokens that lie inside it: the sentence as the model read it in its
    passage. A span with no token (cut off by the model's limit) gets a zero row.
    """
    out = np.zeros((len(spans), hidden.shape[-1]), dtype=np.float32)
    starts = np.asarray([a for a, _ in offsets])
    ends = np.asarray([b for _, b in offsets])
    real = ends > starts  # special and padding tokens have empty offsets
    for i, (s, e) in enumerate(spans):
        inside = real & (starts >= s) & (ends <= e)
        if inside.any():
            v = hidden[inside].mean(axis=0)
            out[i] = v / max(float(np.linalg.norm(v)), 1e-12)
    return out


Forward = Callable[[list[str]], list[tuple[np.ndarray, np.ndarray, list[tuple[int, int]]]]]


def encode_spans_with(forward: Forward, texts: list[str], spans: list[Spans], step: int,
                      progress: Callable[[int], None] | None = None) -> tuple[np.ndarray, list[np.ndarray]]:
    """Both backends' `encode_spans`: texts in batches of similar length through `forward`, which gives each
    text's (unit vector, token vectors, token offsets); the spans pooled from the token vectors."""
    pooled = np.zeros((len(texts), DIM), dtype=np.float32)
    parts: list[np.ndarray] = [np.zeros((0, DIM), dtype=np.float32)] * len(texts)
    order = np.argsort([-len(t) for t in texts], kind="stable")
    for i in range(0, len(texts), step):
        idx = order[i:i + step]
        for j, (vector, hidden, offsets) in zip(idx, forward([texts[j] for j in idx]), strict=True):
            pooled[j] = vector
            parts[j] = pool_spans(hidden, offsets, spans[j])
        if progress:
            progress(len(idx))
    return pooled, parts


class Embedder:
    """Encodes text to unit-length 384-d vectors on the CPU."""

    def __init__(self, batch_size: int = 32, model: str = ""):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # no "Loading weights" bar on every start
        self.batch_size = batch_size
        self.model = SentenceTransformer(str(model_dir(model)), device="cpu", local_files_only=True)
        self.model.max_seq_length = 256
        self._encode_lock = threading.Lock()

    def encode(self, texts: list[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Embed passages in batches; `progress(n)` is called after each batch with its size."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        order = np.argsort([-len(t) for t in texts])  # similar lengths together: less padding
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        step = self.batch_size * 4
        for i in range(0, len(texts), step):
            idx = order[i:i + step]
            with self._encode_lock:
                vecs = self.model.encode([texts[j] for j in idx], batch_size=self.batch_size,
                                         normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
            out[idx] = vecs
            if progress:
                progress(len(idx))
        return out

    def encode_query(self, text: str) -> np.ndarray:
        with self._encode_lock:
            return self.model.encode([text], normalize_embeddings=True, convert_to_numpy=True,
                                     show_progress_bar=False)[0]

    def encode_spans(self, texts: list[str], spans: list[Spans],
                     progress: Callable[[int], None] | None = None) -> tuple[np.ndarray, list[np.ndarray]]:
        """The texts' vectors (as `encode`) and their spans' vectors (`pool_spans`), from one pass each."""
        return encode_spans_with(self._forward, texts, spans, self.batch_size * 4, progress)

    def _forward(self, texts: list[str]) -> list[tuple[np.ndarray, np.ndarray, list[tuple[int, int]]]]:
        """(unit vector, token vectors, token character offsets) of each text."""
        with self._encode_lock:
            tokens = self.model.encode(texts, batch_size=self.batch_size, output_value="token_embeddings",
                                       convert_to_numpy=False, show_progress_bar=False)
        offsets = self.model.tokenizer(texts, return_offsets_mapping=True, truncation=True,
                                       max_length=self.model.max_seq_length)["offset_mapping"]
        out = []
        for tok, off in zip(tokens, offsets, strict=True):
            hidden = tok.detach().cpu().numpy().astype(np.float32)
            mean = hidden.mean(axis=0)
            out.append((mean / max(float(np.linalg.norm(mean)), 1e-12), hidden, [tuple(o) for o in off[:len(hidden)]]))
        return out


BACKENDS = ("onnx", "torch", "onnx-int8")  # onnx: the same vectors as torch, faster (BENCHMARKS.md)


def make_embedder(backend: str = "onnx", batch_size: int = 32, model: str = "") -> Any:
    """An embedder for `backend` and `model` (a folder; empty: the bundled model); ONNX falls back to torch
    (with a warning) if it cannot be exported."""
    if backend not in BACKENDS:
        raise ValueError(f"embed_backend must be one of {', '.join(BACKENDS)}, not '{backend}'")
    if backend != "torch":
        try:
            from .onnx_embed import OnnxEmbedder

            return OnnxEmbedder(batch_size, quantized=backend == "onnx-int8", model=model)
        except Exception as e:  # noqa: BLE001 - export needs torch + onnx; the torch model always works
            log.warning("ONNX embedder unavailable (%s: %s); using torch", type(e).__name__, e)
    return Embedder(batch_size, model)


def shared_embedder(batch_size: int = 32, backend: str = "torch", model: str = "") -> Any:
    """One model per process: loading costs time and memory, so every component shares it."""
    with _lock:
        key = f"{backend}:{batch_size}:{model}"
        if key not in _models:
            _models[key] = make_embedder(backend, batch_size, model)
        return _models[key]
