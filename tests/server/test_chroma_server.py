"""Server mode: ingest and answers against a real `chroma run` server (SOCITM_CHROMA_URL), mirroring the
embedded-store tests: add, update, remove, idempotence, moving an embedded index to a server, search."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.catalog import Catalog
from ingest.errors import IndexUnavailable
from ingest.pipeline import Ingestor
from ingest.settings import Settings
from ingest.store import VectorStore

pytestmark = [pytest.mark.server, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
_names = itertools.count()

GUIDE = """# Cyber guide

Councils should patch systems quickly and keep offline backups of critical data.

## Incident response

Rehearse the incident plan every year with the whole leadership team.
"""


@pytest.fixture
def settings(chroma_server, tmp_path) -> Settings:
    """A fresh data directory whose vectors live in their own collection on the shared server."""
    return Settings(data_dir=tmp_path / "data", chroma_url=chroma_server, collection=f"test{next(_names)}-{os.getpid()}")


def server_ids(settings: Settings) -> set[str]:
    return VectorStore(settings.data_dir, settings.chroma_url, settings.collection).ids()


def catalog_ids(settings: Settings) -> set[str]:
    return set(Catalog(settings.catalog_path).chunk_ids())


def test_add_update_remove_and_idempotence(settings, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    guide = folder / "cyber-guide.md"
    guide.write_text(GUIDE, encoding="utf-8")
    ingestor = Ingestor(settings)

    first = ingestor.ingest([folder])
    assert [r.status for r in first.results] == ["added"]
    assert not (settings.data_dir / "chroma").exists(), "server mode must not create an embedded store"
    added = catalog_ids(settings)
    assert added and server_ids(settings) == added

    again = Ingestor(settings).ingest([folder])
    assert [r.status for r in again.results] == ["unchanged"] and again.embedded == 0
    assert server_ids(settings) == added

    guide.write_text(GUIDE.replace("every year", "every six months"), encoding="utf-8")
    updated = Ingestor(settings).ingest([folder])
    assert [r.status for r in updated.results] == ["updated"]
    now = catalog_ids(settings)
    assert now != added and server_ids(settings) == now, "stale vectors left on the server"

    Ingestor(settings).remove(updated.results[0].doc_id)
    assert catalog_ids(settings) == set() and server_ids(settings) == set()


def test_cli_ingests_into_the_server(settings, tmp_path):
    env = {**os.environ, "SOCITM_CHROMA_URL": settings.chroma_url, "SOCITM_COLLECTION": settings.collection,
           "SOCITM_DATA_DIR": str(settings.data_dir), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-m", "ingest", str(ROOT / "corpus"), "--json"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    counts = json.loads(done.stdout)["counts"]
    assert counts["added"] == 2 and counts["failed"] == 0
    assert server_ids(settings) == catalog_ids(settings) != set()


def test_embedded_index_moves_to_a_server_without_embedding(corpus_copy, chroma_server):
    """Point an existing index at a fresh server: vectors come from the catalog's cache, none recomputed."""
    settings = Settings(data_dir=corpus_copy, chroma_url=chroma_server, collection=f"moved-{os.getpid()}")

    class NoModel:
        def encode(self, texts, progress=None):  # type: ignore[no-untyped-def]
            raise AssertionError(f"tried to embed {len(texts)} chunks")

    orphans, restored = Ingestor(settings, embedder=NoModel()).reconcile()
    assert orphans == 0 and restored == len(catalog_ids(settings)) > 0
    assert server_ids(settings) == catalog_ids(settings)
    report = Ingestor(settings, embedder=NoModel()).ingest([ROOT / "corpus"])
    assert report.count("unchanged") == 2 and report.embedded == 0


def test_retrieval_and_answers_from_the_server(corpus_copy, chroma_server):
    from assistant.core import Assistant
    from assistant.index import Index
    from assistant.retriever import HybridRetriever

    settings = Settings(data_dir=corpus_copy, chroma_url=chroma_server, collection=f"answers-{os.getpid()}")
    Ingestor(settings).reconcile()
    index = Index(settings)
    hits = HybridRetriever(index).retrieve("How many members does Socitm have?", 5)
    assert hits and any("2,500" in h.chunk.text for h in hits)
    dense = HybridRetriever(index, mode="dense").retrieve("net zero and climate change", 5)
    assert dense and all(h.dense > 0 for h in dense)

    answer = Assistant(settings, index).ask("How many members does Socitm have?")
    assert answer.answered and answer.citations
    assert any("2,500" in c.chunk.text for c in answer.citations)


def test_unreachable_server_is_a_clear_error(tmp_path):
    from server_fixture import free_port  # type: ignore[import-not-found]

    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(IndexUnavailable, match="cannot be reached"):
        VectorStore(tmp_path, url)


def test_server_collection_follows_the_search_depth_setting(settings):
    from ingest.store import HNSW

    VectorStore(settings.data_dir, settings.chroma_url, settings.collection, hnsw={**HNSW, "ef_search": 40})
    hnsw = VectorStore(settings.data_dir, settings.chroma_url, settings.collection).collection.configuration["hnsw"]
    assert hnsw["ef_search"] == HNSW["ef_search"]


def test_server_search_returns_what_there_is(settings):
    import numpy as np

    store = VectorStore(settings.data_dir, settings.chroma_url, settings.collection)
    assert store.search(np.ones(384, dtype=np.float32), 10) == []
    store.upsert(["a", "b"], np.eye(2, 384, dtype=np.float32), [{"doc_id": "d"}] * 2)
    assert [cid for cid, _ in store.search(np.eye(1, 384, dtype=np.float32)[0], 10)] == ["a", "b"]
