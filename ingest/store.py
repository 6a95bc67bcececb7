"""The vector store: Chroma, embedded (PersistentClient in the data directory) or a Chroma server."""

from __future__ import annotations

import os
import time
import urllib.parse
from pathlib import Path
from typing import Any

import numpy as np

from .errors import IndexUnavailable

# Chosen so recall@10 against exact search is >= 0.99 at 100,000 chunks, even when passages have many
# near-duplicates (BENCHMARKS.md, "HNSW settings on a hard index": 0.93 with 200/200/32, 1.00 with these,
# for ~1 ms more per search and twice the insert time). A changed ef_search reaches existing indexes when
# they are next opened; ef_construction and max_neighbors need `python -m ingest --rebuild`.
HNSW = {"space": "cosine", "ef_construction": 400, "ef_search": 400, "max_neighbors": 64}


def make_client(data_dir: Path, url: str = ""):  # type: ignore[no-untyped-def]
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if url:
        parsed = urllib.parse.urlparse(url if "://" in url else f"http://{url}")
        try:
            client = chromadb.HttpClient(host=parsed.hostname or "127.0.0.1", port=parsed.port or 8000,
                                         ssl=parsed.scheme == "https", settings=chroma_settings)
            client.heartbeat()
        except Exception as e:  # noqa: BLE001 - connection errors come in many types
            raise IndexUnavailable(f"The Chroma server at {url} cannot be reached ({type(e).__name__}). "
                                   "Start it (make chroma) or unset SOCITM_CHROMA_URL.") from None
        return client
    path = Path(data_dir) / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def set_aside_embedded(data_dir: Path) -> Path:
    """Move a damaged embedded store (data_dir/chroma) out of the way so a fresh one can be made."""
    from chromadb.api.shared_system_client import SharedSystemClient

    folder = Path(data_dir) / "chroma"
    target = folder.with_name(f"chroma.damaged-{int(time.time())}")
    folder.rename(target)
    SharedSystemClient.clear_system_cache()  # Chroma keeps the failed client per path; forget it
    return target


class VectorStore:
    """Upsert, delete and nearest-neighbour search of chunk vectors by chunk id."""

    def __init__(self, data_dir: Path, url: str = "", collection: str = "socitm", hnsw: dict[str, Any] | None = None):
        self.client = make_client(data_dir, url)
        wanted = dict(hnsw or HNSW)
        self.collection = self.client.get_or_create_collection(
            collection, embedding_function=None, configuration={"hnsw": wanted})
        have = (self.collection.configuration or {}).get("hnsw") or {}
        if have and have.get("ef_search") != wanted["ef_search"]:  # an older index follows the search depth setting
            self.collection.modify(configuration={"hnsw": {"ef_search": wanted["ef_search"]}})

    def upsert(self, ids: list[str], vectors: np.ndarray, metadatas: list[dict[str, Any]], batch: int = 2000) -> None:
        for i in range(0, len(ids), batch):
            self.collection.upsert(ids=ids[i:i + batch], embeddings=np.asarray(vectors[i:i + batch], dtype=np.float32),
                                   metadatas=metadatas[i:i + batch])

    def update_metadata(self, ids: list[str], metadatas: list[dict[str, Any]], batch: int = 2000) -> None:
        """Refresh the metadata of stored vectors without touching the vectors."""
        for i in range(0, len(ids), batch):
            self.collection.update(ids=ids[i:i + batch], metadatas=metadatas[i:i + batch])

    def delete(self, ids: list[str], batch: int = 2000) -> None:
        for i in range(0, len(ids), batch):
            self.collection.delete(ids=ids[i:i + batch])

    def ids(self) -> set[str]:
        out: set[str] = set()
        offset, page = 0, 10000
        while True:
            got = self.collection.get(include=[], limit=page, offset=offset)["ids"]
            out.update(got)
            if len(got) < page:
                return out
            offset += page

    def count(self) -> int:
        return int(self.collection.count())

    def search(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """Top-k (chunk id, cosine similarity); fewer when the collection holds fewer (Chroma 1.x returns what
        it has, so no count() first: that was one more round trip per search to a server)."""
        if k < 1:
            return []
        res = self.collection.query(query_embeddings=np.asarray([vector], dtype=np.float32), n_results=k,
                                    include=["distances"])
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0], strict=True)]
