"""Hybrid retrieval: dense search in Chroma and BM25 over the same chunks, fused.

Convex fusion min-max normalises each side's scores over its own candidates and mixes them with
weight `alpha` on the dense side; reciprocal-rank fusion sums 1/(60 + rank). Numbers in evals/RESULTS.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ingest.records import Chunk

from .index import Index

MODES = ("dense", "bm25", "hybrid")


@dataclass
class Hit:
    chunk: Chunk
    score: float  # fused score in [0, 1] for convex; for single modes the raw score
    dense: float = 0.0  # cosine similarity (0 when the dense side did not return it)
    lexical: float = 0.0  # BM25 score (0 when absent)


def _minmax(scores: dict[str, float]) -> dict[str, float]:
    if not scores:
        return {}
    lo, hi = min(scores.values()), max(scores.values())
    if hi - lo < 1e-9:
        return {k: 1.0 for k in scores}
    return {k: (v - lo) / (hi - lo) for k, v in scores.items()}


def fuse(dense: list[tuple[str, float]], lexical: list[tuple[str, float]], method: str = "convex",
         alpha: float = 0.5, rrf_k: int = 60) -> list[tuple[str, float]]:
    """Fuse two ranked lists of (id, score) into one, best first."""
    if method == "rrf":
        out: dict[str, float] = {}
        for ranked in (dense, lexical):
            for rank, (cid, _) in enumerate(ranked):
                out[cid] = out.get(cid, 0.0) + 1.0 / (rrf_k + rank + 1)
    elif method == "convex":
        d, b = _minmax(dict(dense)), _minmax(dict(lexical))
        out = {cid: alpha * d.get(cid, 0.0) + (1 - alpha) * b.get(cid, 0.0) for cid in set(d) | set(b)}
    else:
        raise ValueError(f"unknown fusion method '{method}' (use convex or rrf)")
    return sorted(out.items(), key=lambda kv: (-kv[1], kv[0]))


class HybridRetriever:
    """Question (or condensed search query) to ranked chunks."""

    def __init__(self, index: Index, mode: str = "hybrid", fusion: str = "convex", alpha: float = 0.5, depth: int = 50,
                 heading_weight: float = 0.9):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not '{mode}'")
        self.index, self.mode, self.fusion, self.alpha, self.depth = index, mode, fusion, alpha, depth
        self.heading_weight = heading_weight

    def ranked(self, query: str, k: int = 10, vector: np.ndarray | None = None) -> list[tuple[str, float, float, float]]:
        """(chunk id, fused, dense, lexical) best first, only ids the catalog knows."""
        return self.ranked_many([query], k, vector)[0]

    def ranked_many(self, queries: list[str], k: int = 10,
                    vector: np.ndarray | None = None) -> list[list[tuple[str, float, float, float]]]:
        """`ranked` for several keyword queries that share one dense search (of `vector`, or the first query's)."""
        known = self.index.bm25.known_ids()
        depth = max(self.depth, k)
        dense: list[tuple[str, float]] = []
        dd: dict[str, float] = {}
        if self.mode in ("dense", "hybrid"):
            vec = self.index.embedder.encode_query(queries[0]) if vector is None else vector
            dense = [(c, s) for c, s in self.index.store.search(vec, depth) if c in known]
            dd = dict(dense)
            if self.heading_weight > 0:
                dense = self._with_headings(dense, vec, known, depth)
        out = []
        for query in queries:
            lexical = self.index.bm25.current().search(query, depth) if self.mode in ("bm25", "hybrid") else []
            ll = dict(lexical)
            if self.mode == "dense":
                fused = dense
            elif self.mode == "bm25":
                fused = lexical
            else:
                fused = fuse(dense, lexical, self.fusion, self.alpha)
            out.append([(cid, sc, dd.get(cid, 0.0), ll.get(cid, 0.0)) for cid, sc in fused[:k]])
        return out

    def _with_headings(self, dense: list[tuple[str, float]], vec: np.ndarray, known: frozenset[str],
                       depth: int) -> list[tuple[str, float]]:
        """A chunk's dense score is the better of its own cosine and its heading's, discounted."""
        scores = dict(dense)
        for cid, sim in self.index.headings().scores(vec).items():
            boosted = self.heading_weight * sim
            if cid in known and boosted > scores.get(cid, -1.0):
                scores[cid] = boosted
        return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:depth]

    def retrieve(self, query: str, k: int = 10, vector: np.ndarray | None = None) -> list[Hit]:
        return self.retrieve_many([query], k, vector)[0]

    def retrieve_many(self, queries: list[str], k: int = 10, vector: np.ndarray | None = None) -> list[list[Hit]]:
        """`retrieve` for several keyword queries that share one dense search."""
        lists = self.ranked_many(queries, k, vector)
        chunks = {c.chunk_id: c for c in self.index.catalog.chunks(sorted({r[0] for ranked in lists for r in ranked}))}
        return [[Hit(chunks[cid], s, d, lx) for cid, s, d, lx in ranked if cid in chunks] for ranked in lists]
