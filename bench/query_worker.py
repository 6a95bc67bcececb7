"""One index size, measured in its own process: `python -m bench.query_worker DATA_DIR --queries N`.

Prints one JSON line: open costs (model, store, BM25 build), latency of hybrid retrieval (query
embedding included), its parts, a full extractive answer (sentence vectors read from the catalog, as
shipped; then the same questions again from memory; then new questions with the stored sentence vectors
ignored, i.e. embedded per question as before they were stored), how many texts the answers had to embed,
HNSW recall@10 against exact search and peak memory. `--set-ef-search N` only changes the collection's search setting (it is read when a
process opens the collection, so measure in a new process).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from .common import offline, peak_rss_mb, stats, time_calls
from .data import scifact_queries


def use_ef_search(ef: int | None) -> None:
    """Open stores with this search depth: VectorStore applies a changed ef_search to the collection, and
    Chroma reads it when a process first loads the index (so set it in one process, measure in the next)."""
    if ef:
        from ingest import store

        store.HNSW["ef_search"] = ef


def set_ef_search(data_dir: Path, ef: int, attempts: int = 5) -> dict[str, Any]:
    """Write ef_search into the collection's configuration. Chroma's SQLite can still be locked for a moment
    by the previous worker process on a loaded machine ("database is locked", seen once in CI): retry."""
    from ingest.store import VectorStore

    use_ef_search(ef)
    for attempt in range(attempts - 1):
        try:
            return {"hnsw": VectorStore(data_dir).collection.configuration.get("hnsw")}
        except Exception as e:  # chromadb.errors.InternalError
            if "locked" not in str(e):
                raise
            time.sleep(1.0 + attempt)
    return {"hnsw": VectorStore(data_dir).collection.configuration.get("hnsw")}  # the last try reports its error


def measure(data_dir: Path, n_queries: int, n_answers: int, backend: str, chroma_url: str = "") -> dict[str, Any]:
    from assistant.index import Index
    from assistant.retriever import HybridRetriever
    from ingest.lexical import BM25Index
    from ingest.settings import Settings

    settings = Settings(data_dir=data_dir, chroma_url=chroma_url)
    warm, queries = _questions(n_queries, 3)
    out: dict[str, Any] = {"data_dir": str(data_dir), "backend": backend}
    t0 = time.perf_counter()
    embedder = _Counting(_embedder(backend, settings.embed_batch))
    embedder.encode_query("warm up")
    out["model_load_s"] = time.perf_counter() - t0
    index = Index(settings, embedder=embedder)
    t0 = time.perf_counter()
    n = index.store.count()
    out["store_open_s"] = time.perf_counter() - t0
    out["chunks"] = n
    out["hnsw"] = index.store.collection.configuration.get("hnsw")
    t0 = time.perf_counter()
    bm25 = index.bm25.current()
    out["bm25_build_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    ids, terms = index.catalog.all_terms()
    BM25Index.from_json(ids, terms)
    out["bm25_rebuild_s"] = time.perf_counter() - t0  # what LiveBM25 pays after every catalog change
    out["rss_after_open_mb"] = peak_rss_mb()

    retriever = HybridRetriever(index, "hybrid", settings.fusion, settings.fusion_alpha)
    vecs = {q: embedder.encode_query(q) for q in [*warm, *queries[:100]]}
    out["embed_query"] = stats(time_calls(embedder.encode_query, [*warm, *queries]))
    out["dense_search"] = stats(time_calls(lambda q: index.store.search(vecs[q], 50), list(vecs)))
    out["bm25_search"] = stats(time_calls(lambda q: bm25.search(q, 50), [*warm, *queries]))
    out["retrieve"] = stats(time_calls(lambda q: retriever.retrieve(q, 10), [*warm, *queries]))

    if n_answers:
        try:
            from assistant.core import Assistant
        except ImportError:
            out["answer"] = None
        else:
            embedder.texts = 0
            assistant = Assistant(settings, index)
            answered: list[bool] = []
            asked = queries[:n_answers]
            out["answer"] = stats(time_calls(lambda q: answered.append(assistant.ask(q).answered), [*warm, *asked]))
            out["answered_share"] = sum(answered[len(warm):]) / max(len(asked), 1)
            out["answer_embedded_texts"] = embedder.texts  # warm-up included (it builds the heading index)
            # The same questions again: their sentence vectors are now in the process's memory.
            out["answer_cached_sentences"] = stats(time_calls(assistant.ask, asked, warmup=0))
            # Other questions with the stored sentence vectors ignored: every candidate sentence embedded per
            # question, as answers worked before sentence vectors were stored at ingest.
            fresh = Assistant(settings, index)
            fresh.cache.catalog = None
            embedder.texts = 0
            other = queries[n_answers:2 * n_answers]
            out["answer_no_stored_sentences"] = stats(time_calls(fresh.ask, [*warm, *other]))
            out["answer_no_stored_sentences_embedded_texts"] = embedder.texts
    out["peak_rss_mb"] = peak_rss_mb()
    out["recall_at_10"] = _recall(data_dir, index, embedder, queries)
    return out


class _Counting:
    """The query process's embedder, counting the passages (not queries) it is asked to embed."""

    def __init__(self, inner: Any):
        self.inner = inner
        self.texts = 0

    def encode(self, texts: list[str], progress: Any = None) -> np.ndarray:
        self.texts += len(texts)
        return self.inner.encode(texts, progress=progress)

    def encode_query(self, text: str) -> np.ndarray:
        return self.inner.encode_query(text)


def _questions(n: int, n_warm: int) -> tuple[list[str], list[str]]:
    """(warm-up questions, n timed questions): distinct real SciFact questions."""
    qs = scifact_queries(n + n_warm)
    return qs[:n_warm], qs[n_warm:]


def _recall(data_dir: Path, index: Any, embedder: Any, queries: list[str]) -> dict[str, Any]:
    """Chroma's HNSW top 10 against exact (brute-force) top 10 over every stored vector."""
    vectors = np.load(data_dir / "bench-vectors.npy", mmap_mode="r")
    ids = json.loads((data_dir / "bench-ids.json").read_text(encoding="utf-8"))
    qv = np.stack([embedder.encode_query(q) for q in queries])
    sims = np.asarray(vectors @ qv.T)  # (n, q)
    scores = []
    for j in range(len(queries)):
        exact = {ids[i] for i in np.argpartition(-sims[:, j], 9)[:10]}
        got = {cid for cid, _ in index.store.search(qv[j], 10)}
        scores.append(len(exact & got) / 10)
    return {"queries": len(scores), "mean": float(np.mean(scores)), "min": float(np.min(scores))}


def _embedder(backend: str, batch: int) -> Any:
    from ingest.embedder import make_embedder

    return make_embedder(backend, batch)


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m bench.query_worker")
    p.add_argument("data_dir", type=Path)
    p.add_argument("--queries", type=int, default=200)
    p.add_argument("--answers", type=int, default=50)
    p.add_argument("--backend", default="onnx", choices=["onnx", "torch", "onnx-int8"])
    p.add_argument("--ef-search", type=int, help="search depth to measure with (set it first with --set-ef-search)")
    p.add_argument("--set-ef-search", type=int, help="only store this search depth in the collection")
    p.add_argument("--chroma-url", default="", help="vectors from this Chroma server (catalog from DATA_DIR)")
    args = p.parse_args()
    offline()
    if args.set_ef_search:
        print(json.dumps(set_ef_search(args.data_dir, args.set_ef_search)))
        return
    use_ef_search(args.ef_search)
    print(json.dumps(measure(args.data_dir, args.queries, args.answers, args.backend, args.chroma_url), default=float))


if __name__ == "__main__":
    main()
