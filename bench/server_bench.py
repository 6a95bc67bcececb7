"""Embedded Chroma vs a Chroma server (`chroma run` on 127.0.0.1) on the same index: what the HTTP hop costs."""

from __future__ import annotations

import json
import shutil
import time
from typing import Any

import numpy as np

from ingest import chroma_server

from .common import CACHE, log, run_json
from .synth import build


def run_server(size: int, base_docs: int, n_queries: int, n_answers: int, timeout: float = 1200) -> dict[str, Any]:
    from ingest.store import HNSW, VectorStore

    data_dir = build(size, dict(HNSW), base_docs)
    folder = CACHE / "runs" / "chroma-server"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    server_log = (folder / "server.log").open("wb")
    proc, url = chroma_server.start(folder / "data", server_log)
    try:
        store = VectorStore(folder, url, "socitm")
        ids = json.loads((data_dir / "bench-ids.json").read_text(encoding="utf-8"))
        vectors = np.load(data_dir / "bench-vectors.npy")
        t0 = time.perf_counter()
        store.upsert(ids, vectors, [{"doc_id": cid.split(":")[0]} for cid in ids], batch=2000)
        upload = time.perf_counter() - t0
        log(f"server: {size} vectors sent in {upload:.0f} s; measuring the same queries embedded and via the server")
        args = [str(data_dir), "--queries", str(n_queries), "--answers", str(n_answers)]
        embedded = run_json("bench.query_worker", args, timeout)
        server = run_json("bench.query_worker", [*args, "--chroma-url", url], timeout)
    finally:
        chroma_server.stop(proc)
        server_log.close()
    keys = ("dense_search", "retrieve", "answer_cached_sentences", "recall_at_10", "peak_rss_mb", "store_open_s")
    return {"size": size, "upload_s": upload, "embedded": {k: embedded.get(k) for k in keys},
            "server": {k: server.get(k) for k in keys}}
