"""The collection's HNSW settings: new collections get ingest.store.HNSW; an older index follows a changed
search depth (ef_search), which Chroma reads when a process opens the collection."""

from __future__ import annotations

import numpy as np

from ingest.store import HNSW, VectorStore


def test_new_collection_gets_the_hnsw_settings(tmp_path):
    hnsw = VectorStore(tmp_path).collection.configuration["hnsw"]
    assert {k: hnsw[k] for k in HNSW} == HNSW


def test_an_older_index_follows_a_changed_search_depth(tmp_path):
    old = VectorStore(tmp_path, hnsw={**HNSW, "ef_search": 40})
    assert old.collection.configuration["hnsw"]["ef_search"] == 40
    vectors = np.eye(4, 384, dtype=np.float32)
    old.upsert([f"c{i}" for i in range(4)], vectors, [{"doc_id": "d"}] * 4)
    reopened = VectorStore(tmp_path)
    hnsw = reopened.collection.configuration["hnsw"]
    assert hnsw["ef_search"] == HNSW["ef_search"]
    assert hnsw["ef_construction"] == HNSW["ef_construction"] and hnsw["max_neighbors"] == HNSW["max_neighbors"]
    assert reopened.search(vectors[2], 1)[0][0] == "c2"


def test_search_returns_what_there_is(tmp_path):
    store = VectorStore(tmp_path)
    assert store.search(np.ones(384, dtype=np.float32), 10) == []
    store.upsert(["a", "b"], np.eye(2, 384, dtype=np.float32), [{"doc_id": "d"}] * 2)
    hits = store.search(np.eye(1, 384, dtype=np.float32)[0], 10)
    assert [cid for cid, _ in hits] == ["a", "b"] and hits[0][1] > 0.99
    assert store.search(np.ones(384, dtype=np.float32), 0) == []
