"""Query latency, memory and HNSW recall at growing index sizes, each size measured in its own process."""

from __future__ import annotations

import json
from typing import Any

from .common import log, run_json
from .synth import build


def run_query(sizes: list[int], n_queries: int, n_answers: int, ef_sweep: list[int], backend: str,
              base_docs: int, timeout: float = 1200) -> dict[str, Any]:
    from ingest.store import HNSW

    hnsw = dict(HNSW)
    out: dict[str, Any] = {"hnsw": hnsw, "backend": backend, "base_docs": base_docs, "sizes": {}}
    for n in sizes:
        data_dir = build(n, hnsw, base_docs)
        run_json("bench.query_worker", [str(data_dir), "--set-ef-search", str(hnsw["ef_search"])], timeout)
        log(f"query latency at {n} chunks (own process)")
        out["sizes"][str(n)] = run_json("bench.query_worker", [str(data_dir), "--queries", str(n_queries), "--answers",
                                                               str(n_answers), "--backend", backend], timeout)
    if ef_sweep and sizes:
        n = max(sizes)
        data_dir = build(n, hnsw, base_docs)
        sweep = {}
        for ef in ef_sweep:
            run_json("bench.query_worker", [str(data_dir), "--set-ef-search", str(ef)], timeout)
            log(f"ef_search={ef} at {n} chunks: recall and latency (own process)")
            r = run_json("bench.query_worker", [str(data_dir), "--queries", str(n_queries), "--answers", "0",
                                                "--backend", backend, "--ef-search", str(ef)], timeout)
            sweep[str(ef)] = {"recall_at_10": r["recall_at_10"], "dense_search": r["dense_search"],
                              "retrieve": r["retrieve"]}
        run_json("bench.query_worker", [str(data_dir), "--set-ef-search", str(hnsw["ef_search"])], timeout)
        out["ef_sweep"] = {"size": n, "results": sweep}
    return out


def run_hnsw(size: int, base_docs: int, variants: list[tuple[int, int]], efs: list[int], n_queries: int,
             timeout: float = 1200) -> dict[str, Any]:
    """Recall@10 and latency of graph settings (ef_construction, max_neighbors) x search depths on a hard
    index: few real passages, each mixed into many near-duplicates (what repeated boilerplate looks like)."""
    out: dict[str, Any] = {"size": size, "base_docs": base_docs, "results": []}
    for efc, m in variants:
        hnsw = {"space": "cosine", "ef_construction": efc, "ef_search": efs[0], "max_neighbors": m}
        data_dir = build(size, hnsw, base_docs)
        built = json.loads((data_dir / ".complete").read_text(encoding="utf-8"))
        for ef in efs:
            run_json("bench.query_worker", [str(data_dir), "--set-ef-search", str(ef)], timeout)
            log(f"HNSW ef_construction={efc} max_neighbors={m} ef_search={ef} at {size} chunks")
            r = run_json("bench.query_worker", [str(data_dir), "--queries", str(n_queries), "--answers", "0",
                                                "--ef-search", str(ef)], timeout)
            out["results"].append({"ef_construction": efc, "max_neighbors": m, "ef_search": ef,
                                   "build_s": built["chroma_s"], "recall_at_10": r["recall_at_10"],
                                   "dense_search": r["dense_search"], "retrieve": r["retrieve"],
                                   "peak_rss_mb": r["peak_rss_mb"]})
    return out
