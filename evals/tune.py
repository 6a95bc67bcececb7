"""A staged grid over retrieval settings on one BEIR split (tune on train, report on test).

Stage "base": dense alone; BM25 k1 x b; convex fusion alpha x the best BM25 settings; RRF; then candidate
depth for the best of each fusion. Stage "prf": dense pseudo-relevance feedback (Rocchio) on top of the
best base setting (or the app's defaults when "base" is not run), then alpha around it. Stage "fusions":
other fusion functions, offline (fusion_lab.py). Dense results are memoised per query and depth, so
each setting costs only the keyword search and the fusion.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np

from ingest.settings import Settings

from .beir import CACHE_ROOT, BeirData, BeirSearcher, RetrievalConfig, build_index, cache_dir_for, score_run

K1S = (0.6, 0.9, 1.2, 1.5)
BS = (0.3, 0.4, 0.6, 0.75)
ALPHAS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
DEPTHS = (500, 1000)
PRF_DOCS = (1, 2, 3, 5)
PRF_WEIGHTS = (0.25, 0.5, 1.0)
STAGES = ("base", "prf")  # also "fusions": evals/fusion_lab.py, offline comparison of fusion functions


class _MemoStore:
    """The vector store with each (query vector, k) search answered once."""

    def __init__(self, store: Any):
        self.store = store
        self.memo: dict[tuple[bytes, int], list[tuple[str, float]]] = {}

    def search(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        key = (np.asarray(vector, dtype=np.float32).tobytes(), k)
        if key not in self.memo:
            self.memo[key] = self.store.search(vector, k)
        return self.memo[key]


def tune(data: BeirData, settings: Settings, cache_root: Path = CACHE_ROOT,
         stages: tuple[str, ...] = STAGES) -> list[dict[str, Any]]:
    data_dir = cache_dir_for(data, cache_root, settings)
    build_index(data, data_dir, settings)
    searcher = BeirSearcher(data_dir, settings)
    searcher.index.store = _MemoStore(searcher.index.store)  # type: ignore[assignment]
    rows: list[dict[str, Any]] = []

    def trial(config: RetrievalConfig) -> dict[str, Any]:
        scored = score_run(searcher.search(data.queries, config, progress=False), data.qrels)
        scored.pop("per_query")
        row = {"setting": config.label(), **config.__dict__, **scored}
        rows.append(row)
        print(f"{row['ndcg@10']:.4f} {row['recall@100']:.4f} {row['mrr@10']:.4f}  {row['setting']}", file=sys.stderr)
        return row

    def best(rs: list[dict[str, Any]], n: int = 1) -> list[dict[str, Any]]:
        return sorted(rs, key=lambda r: -r["ndcg@10"])[:n]

    start = RetrievalConfig.from_settings(settings)
    if "base" in stages:
        trial(RetrievalConfig(mode="dense"))
        bm25 = [trial(RetrievalConfig(mode="bm25", k1=k1, b=b)) for k1 in K1S for b in BS]
        keyword = [(r["k1"], r["b"]) for r in best(bm25, 3)]
        if (start.k1, start.b) not in keyword:
            keyword.append((start.k1, start.b))
        convex = [trial(RetrievalConfig(fusion="convex", alpha=a, k1=k1, b=b)) for k1, b in keyword for a in ALPHAS]
        rrf = [trial(RetrievalConfig(fusion="rrf", k1=k1, b=b)) for k1, b in keyword]
        for top in (best(convex)[0], best(rrf)[0]):
            for depth in DEPTHS:
                trial(RetrievalConfig(fusion=top["fusion"], alpha=top["alpha"], k1=top["k1"], b=top["b"], depth=depth))
        top = best(convex + rrf)[0]
        start = RetrievalConfig(fusion=top["fusion"], alpha=top["alpha"], k1=top["k1"], b=top["b"])
    if "fusions" in stages:
        from .fusion_lab import compare

        rows += compare(searcher, data, start)
    if "prf" in stages:
        base = start.__dict__
        prf = [trial(RetrievalConfig(**{**base, "prf_docs": n, "prf_weight": w})) for n in PRF_DOCS for w in PRF_WEIGHTS]
        top = best(prf)[0]
        for alpha in ALPHAS[2:5]:
            if alpha != top["alpha"]:
                trial(RetrievalConfig(**{**base, "alpha": alpha, "prf_docs": top["prf_docs"], "prf_weight": top["prf_weight"]}))
    return rows


def print_table(rows: list[dict[str, Any]]) -> str:
    lines = ["| setting | nDCG@10 | recall@100 | MRR@10 |", "|---|---|---|---|"]
    lines += [f"| {r['setting']} | {r['ndcg@10']:.4f} | {r['recall@100']:.4f} | {r['mrr@10']:.4f} |" for r in rows]
    return "\n".join(lines)
