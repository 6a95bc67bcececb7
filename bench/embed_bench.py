"""Embedding backends side by side: torch (sentence-transformers) vs ONNX vs ONNX int8 on query latency,
passage throughput and quality (cosine to the torch vectors, dense hit@5 on the eval set)."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from .common import CACHE, ROOT, log, run_json, stats
from .data import scifact_docs, scifact_queries

BACKENDS = ("torch", "onnx", "onnx-int8")


def make(backend: str, batch: int) -> Any:
    from ingest.embedder import make_embedder

    return make_embedder(backend, batch)


def cold_load(backend: str, batch: int) -> float:
    """Seconds for a new process to import, load the model and embed its first question (what an app or
    CLI start pays), interpreter start excluded."""
    code = ("import time; t = time.perf_counter(); from ingest.embedder import make_embedder; "
            f"make_embedder({backend!r}, {batch}).encode_query('first question'); "
            "print('{\"seconds\": %f}' % (time.perf_counter() - t))")
    return float(run_json("-c", [code], timeout=600)["seconds"])


def passages(n: int, chars: int = 1100) -> list[str]:
    """Real abstracts cut to about one chunk (200-250 word pieces), title first like the project's chunks."""
    out = []
    for d in scifact_docs(n):
        body = d.text if len(d.text) <= chars else d.text[:chars].rsplit(" ", 1)[0]
        out.append(f"{d.title}\n{body}")
    return out


def _export_costs() -> dict[str, Any]:
    from ingest.onnx_embed import export, model_path

    out: dict[str, Any] = {}
    for quantized in (False, True):
        name = "int8" if quantized else "fp32"
        cached = model_path(quantized=quantized).is_file()
        t0 = time.perf_counter()
        path = export(quantized=quantized)
        out[name] = {"seconds": None if cached else time.perf_counter() - t0, "cached": cached,
                     "mb": round(path.stat().st_size / 1e6, 1), "path": str(path.relative_to(ROOT))}
    return out


def run_embed(n_queries: int = 200, n_passages: int = 192, rounds: int = 2, batch: int = 32,
              with_evals: bool = True) -> dict[str, Any]:
    exports = _export_costs()
    load_s = {b: cold_load(b, batch) for b in BACKENDS}
    models: dict[str, Any] = {b: make(b, batch) for b in BACKENDS}
    for model in models.values():
        model.encode_query("warm up")
    queries = scifact_queries(n_queries)
    log(f"embedding backends: {n_queries} queries, interleaved")
    q_times: dict[str, list[float]] = {b: [] for b in BACKENDS}
    q_vecs: dict[str, list[np.ndarray]] = {b: [] for b in BACKENDS}
    for q in queries:
        for b in BACKENDS:
            t0 = time.perf_counter()
            v = models[b].encode_query(q)
            q_times[b].append(time.perf_counter() - t0)
            q_vecs[b].append(v)
    texts = passages(n_passages)
    log(f"embedding backends: {len(texts)} passages x {rounds} rounds, batch {batch}")
    p_secs: dict[str, float] = {b: 0.0 for b in BACKENDS}
    p_vecs: dict[str, np.ndarray] = {}
    for _ in range(rounds):
        for b in BACKENDS:
            t0 = time.perf_counter()
            p_vecs[b] = models[b].encode(texts)
            p_secs[b] += time.perf_counter() - t0
    out: dict[str, Any] = {"export": exports, "batch": batch, "backends": {}}
    ref_q, ref_p = np.stack(q_vecs["torch"]), p_vecs["torch"]
    for b in BACKENDS:
        qv, pv = np.stack(q_vecs[b]), p_vecs[b]
        out["backends"][b] = {
            "load_s": load_s[b], "query": stats(q_times[b]),
            "passages_per_s": rounds * len(texts) / p_secs[b],
            "cosine_to_torch": {"queries_min": float((qv * ref_q).sum(1).min()),
                                "passages_min": float((pv * ref_p).sum(1).min()),
                                "passages_mean": float((pv * ref_p).sum(1).mean())}}
    base_q = out["backends"]["torch"]["query"]["median_ms"]
    base_p = out["backends"]["torch"]["passages_per_s"]
    for b in BACKENDS:
        r = out["backends"][b]
        r["query_speedup"] = base_q / r["query"]["median_ms"]
        r["passage_speedup"] = r["passages_per_s"] / base_p
    if with_evals:
        out["eval_hit_at_5"] = eval_hits(models)
    return out


def eval_hits(models: dict[str, Any], k: int = 5) -> dict[str, Any]:
    """Dense-only hit@k on the answerable single-turn eval cases over the Socitm corpus chunks, each backend
    embedding both the passages and the questions (so only the backend differs)."""
    from evals.cases import load_cases
    from evals.metrics import Quote, chunk_holds, quote_span
    from ingest.catalog import Catalog
    from ingest.chunker import embed_text
    from ingest.pipeline import Ingestor
    from ingest.settings import Settings

    data_dir = CACHE / "socitm-corpus"
    if not (data_dir / "catalog.sqlite3").is_file():
        Ingestor(Settings(data_dir=data_dir)).ingest([ROOT / "corpus"])
    catalog = Catalog(data_dir / "catalog.sqlite3")
    chunks = catalog.chunks()
    docs = {c.doc_id: catalog.document_text(c.doc_id) for c in chunks}
    cases = [c for c in load_cases() if c.answerable and not c.history]
    quotes = {c.id: [Quote(q.doc, q.text, quote_span(docs.get(q.doc, ""), q.text)) for q in c.quotes] for c in cases}
    texts = [embed_text(c) for c in chunks]
    log(f"embedding backends: dense hit@{k} on {len(cases)} eval cases over {len(chunks)} corpus chunks")
    out: dict[str, Any] = {"cases": len(cases), "chunks": len(chunks)}
    per_case: dict[str, list[bool]] = {}
    for b, model in models.items():
        pv = model.encode(texts)
        hits = []
        for case in cases:
            top = np.argsort(-(pv @ model.encode_query(case.question)))[:k]
            hits.append(any(chunk_holds(chunks[i], q) for i in top for q in quotes[case.id]))
        per_case[b] = hits
        out[b] = float(np.mean(hits))
    out["cases_that_differ_from_torch"] = {
        b: [c.id for c, x, y in zip(cases, per_case[b], per_case["torch"], strict=True) if x != y] for b in models}
    return out
