"""The ONNX embedder: the same vectors as the torch model, exported once and reused, chosen by settings."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.embedder import Embedder, make_embedder, shared_embedder
from ingest.onnx_embed import OnnxEmbedder, model_path
from ingest.settings import Settings

pytestmark = pytest.mark.slow

TEXTS = ["How many members does Socitm have?",
         "Councils should patch systems quickly and keep offline backups of critical data. " * 12,
         "Net zero › Local action\nLocal authorities can help decarbonise their areas.", "a"]


@pytest.fixture(scope="module")
def torch_model() -> Embedder:
    return shared_embedder(32, "torch")


def test_onnx_vectors_match_torch(torch_model):
    onnx = OnnxEmbedder(batch_size=2)
    ref = torch_model.encode(TEXTS)
    got = onnx.encode(TEXTS)
    assert got.shape == (len(TEXTS), 384) and got.dtype == np.float32
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    assert (got * ref).sum(axis=1).min() > 0.9999  # long text: both cut at 256 word pieces
    q = onnx.encode_query(TEXTS[0])
    assert float(q @ torch_model.encode_query(TEXTS[0])) > 0.9999
    assert np.allclose(q, got[0], atol=1e-5)
    assert onnx.encode([]).shape == (0, 384)


def test_export_is_cached_and_reused():
    path = model_path()
    OnnxEmbedder()
    assert path.is_file()
    before = path.stat().st_mtime_ns
    OnnxEmbedder()
    assert path.stat().st_mtime_ns == before


def test_int8_stays_close(torch_model):
    got = OnnxEmbedder(quantized=True).encode(TEXTS[:3])
    assert (got * torch_model.encode(TEXTS[:3])).sum(axis=1).min() > 0.97


def test_backend_comes_from_settings_and_falls_back_to_torch(monkeypatch):
    assert Settings().embed_backend == "onnx"
    assert Settings.from_env(env={"SOCITM_EMBED_BACKEND": "torch"}).embed_backend == "torch"
    assert isinstance(make_embedder("onnx"), OnnxEmbedder)
    with pytest.raises(ValueError, match="embed_backend"):
        make_embedder("gpu")

    def broken(*a, **k):  # type: ignore[no-untyped-def]
        raise ImportError("No module named 'onnx'")

    monkeypatch.setattr("ingest.onnx_embed.export", broken)
    assert isinstance(make_embedder("onnx"), Embedder)


def test_index_and_ingest_use_the_configured_backend(tmp_path):
    from assistant.index import Index
    from ingest.pipeline import Ingestor

    settings = Settings(data_dir=tmp_path / "data", embed_backend="onnx")
    assert isinstance(Ingestor(settings).embedder, OnnxEmbedder)
    settings.catalog_path.parent.mkdir(parents=True, exist_ok=True)
    settings.catalog_path.touch()
    assert isinstance(Index(settings).embedder, OnnxEmbedder)
    assert isinstance(Index(settings.with_(embed_backend="torch")).embedder, Embedder)
