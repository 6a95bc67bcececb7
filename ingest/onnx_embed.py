"""all-MiniLM-L6-v2 on onnxruntime: the bundled model exported once to ONNX (cached in .cache/onnx),
mean-pooled and normalised in numpy. Same interface and the same vectors as `embedder.Embedder`
(cosine >= 0.99999 against torch, see BENCHMARKS.md), about four times faster for a single query.

The export needs torch and the `onnx` package once; later processes only load the cached file.
`sentence-transformers[onnx]` / optimum are deliberately not used: they downgrade transformers and
break gradio 6.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from .embedder import Spans, encode_spans_with
from .settings import PROJECT_DIR
from .tokens import BUNDLED, MODEL_MAX_PIECES, model_dir, model_identity

DIM = 384
DEFAULT_DIR = PROJECT_DIR / ".cache" / "onnx"
OPSET = 17
_export_lock = threading.RLock()


def _fingerprint(folder: Path) -> str:
    """Changes when the bundled weights or tokenizer change, so a stale export is never reused."""
    h = hashlib.sha1(f"opset{OPSET}".encode())
    for name in ("model.safetensors", "config.json", "tokenizer.json"):
        p = folder / name
        if p.is_file():
            h.update(f"{name}:{p.stat().st_size}".encode())
    h.update((folder / "config.json").read_bytes() if (folder / "config.json").is_file() else b"")
    return h.hexdigest()[:12]


def model_path(cache_dir: Path | None = None, quantized: bool = False, model: str = "") -> Path:
    """Where the exported model for the bundled (or `model`'s) weights lives (it may not exist yet)."""
    name = BUNDLED if not model else model_identity(model)
    folder = Path(cache_dir or DEFAULT_DIR) / f"{name}-{_fingerprint(model_dir(model))}"
    return folder / ("model-int8-matmul-pc.onnx" if quantized else "model.onnx")


def export(cache_dir: Path | None = None, quantized: bool = False, model: str = "") -> Path:
    """Export the transformer (without pooling) to ONNX once. int8 is a dynamic quantisation of its matrix
    products with one scale per output channel (per-tensor scales drift to cosine ~0.93 against torch)."""
    target = model_path(cache_dir, quantized, model)
    with _export_lock:
        if target.is_file():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        if quantized:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            quantize_dynamic(str(export(cache_dir, False, model)), str(tmp), weight_type=QuantType.QInt8,
                             op_types_to_quantize=["MatMul"], per_channel=True)
        else:
            _export_fp32(tmp, model)
        os.replace(tmp, target)
    return target


def _export_fp32(out: Path, model_folder: str = "") -> None:
    import torch
    from transformers import AutoModel

    class _Hidden(torch.nn.Module):  # keyword call: transformers 5 changed the positional order
        def __init__(self, model: torch.nn.Module):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    model = AutoModel.from_pretrained(str(model_dir(model_folder)), local_files_only=True, attn_implementation="eager").eval()
    dummy = tuple(torch.ones(2, 16, dtype=torch.long) for _ in range(3))
    names = ["input_ids", "attention_mask", "token_type_ids"]
    with torch.no_grad():
        torch.onnx.export(_Hidden(model), dummy, str(out), input_names=names, output_names=["last_hidden_state"],
                          dynamic_axes={n: {0: "batch", 1: "seq"} for n in [*names, "last_hidden_state"]},
                          opset_version=OPSET, dynamo=False)


class OnnxEmbedder:
    """Encodes text to unit-length 384-d vectors with onnxruntime on the CPU."""

    def __init__(self, batch_size: int = 32, cache_dir: Path | None = None, quantized: bool = False,
                 threads: int = 0, model: str = ""):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.batch_size = batch_size
        path = export(cache_dir, quantized, model)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")  # 2 shared cores: no busy-waiting
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(model_dir(model) / "tokenizer.json"))
        self.tokenizer.enable_truncation(MODEL_MAX_PIECES)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._lock = threading.Lock()

    def _run(self, texts: list[str]) -> np.ndarray:
        return self._forward(texts)[0]

    def _forward(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, list[Any]]:
        """(pooled unit vectors, token vectors, tokenizer encodings) of one batch."""
        enc = self.tokenizer.encode_batch(texts)
        ids = np.asarray([e.ids for e in enc], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in enc], dtype=np.int64)
        with self._lock:
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                             "token_type_ids": np.zeros_like(ids)})[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        unit = (pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)).astype(np.float32)
        return unit, hidden, enc

    def encode_spans(self, texts: list[str], spans: list[Spans],
                     progress: Callable[[int], None] | None = None) -> tuple[np.ndarray, list[np.ndarray]]:
        """The texts' vectors (as `encode`) and their spans' vectors (`pool_spans`), from one pass each."""
        def forward(batch: list[str]) -> list[tuple[np.ndarray, np.ndarray, list[tuple[int, int]]]]:
            unit, hidden, enc = self._forward(batch)
            return [(unit[k], hidden[k], enc[k].offsets) for k in range(len(batch))]

        return encode_spans_with(forward, texts, spans, self.batch_size, progress)

    def encode(self, texts: list[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Embed passages in batches of similar length; `progress(n)` is called after each batch."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        order = np.argsort([-len(t) for t in texts], kind="stable")
        for i in range(0, len(texts), self.batch_size):
            idx = order[i:i + self.batch_size]
            out[idx] = self._run([texts[j] for j in idx])
            if progress:
                progress(len(idx))
        return out

    def encode_query(self, text: str) -> np.ndarray:
        return self._run([text])[0]
