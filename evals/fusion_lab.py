"""Fusion functions compared offline on one BEIR split: each query's candidate pool (raw cosine and BM25
scores from `HybridRetriever.ranked`) is fetched once, then every fusion is a cheap recomputation.

Candidates: the top `depth` chunks of each side. Functions (Bruch et al., "An Analysis of Fusion Functions
for Hybrid Retrieval", 2023): min-max convex (what the retriever does), theoretical-min convex (TM2C2:
cosine / best cosine and BM25 / best BM25, no empirical minimum), z-score convex, and RRF with several k.
Also shown: fusing after aggregating each side to documents (max per document), for reference only.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from .beir import DOC_DEPTH, BeirData, BeirSearcher, RetrievalConfig, score_run

Pool = list[tuple[str, float | None, float | None]]  # (chunk id, cosine or None, BM25 or None)
ALPHAS = (0.3, 0.4, 0.5, 0.6, 0.7)


def pools(searcher: BeirSearcher, data: BeirData, config: RetrievalConfig) -> dict[str, Pool]:
    """Per query: every chunk in the top `depth` of either side with its raw scores."""
    from tqdm import tqdm

    retriever = searcher.retriever(config)
    vectors = searcher.vectors(data.queries)
    known = retriever.index.bm25.known_ids()
    out: dict[str, Pool] = {}
    for qid, text in tqdm(data.queries.items(), desc="Candidate pools", unit="q", file=sys.stderr, mininterval=1):
        dense = dict((c, s) for c, s in retriever.index.store.search(vectors[qid], config.depth) if c in known)
        lexical = dict(retriever.index.bm25.current().search(text, config.depth))
        out[qid] = [(c, dense.get(c), lexical.get(c)) for c in set(dense) | set(lexical)]
    return out


def _minmax(v: np.ndarray, present: np.ndarray) -> np.ndarray:
    if not present.any():
        return np.zeros_like(v)
    lo, hi = v[present].min(), v[present].max()
    return np.where(present, (v - lo) / (hi - lo) if hi - lo > 1e-9 else 1.0, 0.0)


def _theoretical(v: np.ndarray, present: np.ndarray) -> np.ndarray:
    hi = v[present].max() if present.any() else 1.0
    return np.where(present, np.clip(v, 0, None) / max(hi, 1e-9), 0.0)


def _zscore(v: np.ndarray, present: np.ndarray) -> np.ndarray:
    if present.sum() < 2:
        return np.where(present, 0.0, -3.0)
    mu, sd = v[present].mean(), v[present].std() + 1e-9
    z = (v - mu) / sd
    return np.where(present, z, z[present].min())


Norm = Callable[[np.ndarray, np.ndarray], np.ndarray]
NORMS: dict[str, Norm] = {"minmax": _minmax, "tmin": _theoretical, "zscore": _zscore}


def _arrays(pool: Pool) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    ids = [c for c, _, _ in pool]
    d = np.array([x if x is not None else 0.0 for _, x, _ in pool], dtype=np.float64)
    b = np.array([x if x is not None else 0.0 for _, _, x in pool], dtype=np.float64)
    return ids, d, b, np.array([x is not None for _, x, _ in pool]), np.array([x is not None for _, _, x in pool])


def _rank(scores: np.ndarray) -> np.ndarray:
    """1-based rank of each item by score, present items only (others get a large rank)."""
    order = np.argsort(-scores, kind="stable")
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    return ranks


def fuse_pool(pool: Pool, method: str, alpha: float = 0.5, rrf_k: int = 60) -> list[tuple[str, float]]:
    ids, d, b, dp, bp = _arrays(pool)
    if method == "rrf":
        rd = np.where(dp, 1.0 / (rrf_k + _rank(np.where(dp, d, -np.inf))), 0.0)
        rb = np.where(bp, 1.0 / (rrf_k + _rank(np.where(bp, b, -np.inf))), 0.0)
        fused = rd + rb
    else:
        norm = NORMS[method]
        fused = alpha * norm(d, dp) + (1 - alpha) * norm(b, bp)
    return list(zip(ids, fused.tolist(), strict=True))


def to_docs(searcher: BeirSearcher, scored: list[tuple[str, float]], qid: str) -> list[tuple[str, float]]:
    best: dict[str, float] = {}
    for cid, s in scored:
        doc = searcher.beir_ids.get(searcher.doc_of.get(cid, ""), searcher.doc_of.get(cid, ""))
        if doc and doc != qid and s > best.get(doc, -np.inf):
            best[doc] = s
    return sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:DOC_DEPTH]


def doc_level_pool(searcher: BeirSearcher, pool: Pool) -> Pool:
    """Each side aggregated to documents by its best chunk; ids are then document ids."""
    dense: dict[str, float] = {}
    lexical: dict[str, float] = {}
    for cid, d, b in pool:
        doc = searcher.doc_of.get(cid, "")
        if d is not None:
            dense[doc] = max(d, dense.get(doc, -np.inf))
        if b is not None:
            lexical[doc] = max(b, lexical.get(doc, -np.inf))
    return [(doc, dense.get(doc), lexical.get(doc)) for doc in set(dense) | set(lexical)]


def compare(searcher: BeirSearcher, data: BeirData, config: RetrievalConfig) -> list[dict[str, Any]]:
    """Every fusion function and weight on the same pools, scored at document level."""
    chunk_pools = pools(searcher, data, config)
    doc_pools = {q: doc_level_pool(searcher, p) for q, p in chunk_pools.items()}
    trials: list[tuple[str, str, float, int]] = [(m, f"{m} a={a}", a, 60) for m in NORMS for a in ALPHAS]
    trials += [("rrf", f"rrf k={k}", 0.5, k) for k in (10, 30, 60, 100)]
    rows = []
    for level, source in (("chunk", chunk_pools), ("doc", doc_pools)):
        for method, name, alpha, k in trials:
            run = {}
            for qid, pool in source.items():
                fused = fuse_pool(pool, method, alpha, k)
                if level == "chunk":
                    run[qid] = to_docs(searcher, fused, qid)
                else:
                    mapped = [(searcher.beir_ids.get(d, d), s) for d, s in fused]
                    run[qid] = sorted(((d, s) for d, s in mapped if d != qid), key=lambda kv: (-kv[1], kv[0]))[:DOC_DEPTH]
            scored = score_run(run, data.qrels)
            scored.pop("per_query")
            row = {"setting": f"{level}-level {name} depth={config.depth} k1={config.k1} b={config.b}", **scored}
            rows.append(row)
            print(f"{row['ndcg@10']:.4f} {row['recall@100']:.4f} {row['mrr@10']:.4f}  {row['setting']}", file=sys.stderr)
    return rows
