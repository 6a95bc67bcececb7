"""Section headings as a retrieval signal: a question that names a section ("what does Socitm mean by
connected places?") should find that section even when its body never repeats the heading's words.
Heading vectors live in the catalog's vector cache under a key of their own."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np

from .records import Chunk


def heading_of(chunk: Chunk) -> str:
    """The innermost heading of a chunk's section path ('' for chunks outside any section)."""
    return chunk.section[-1] if chunk.section else ""


def heading_key(text: str) -> str:
    return hashlib.sha256(("heading\n" + text).encode()).hexdigest()


def ensure_vectors(catalog: Any, embedder: Any, texts: list[str]) -> dict[str, np.ndarray]:
    """Vectors for heading texts: from the cache, embedding (and caching) only the new ones."""
    keys = {t: heading_key(t) for t in set(texts) if t}
    cached = catalog.cached_vectors(sorted(keys.values()))
    todo = [t for t, k in keys.items() if k not in cached]
    if todo:
        fresh = dict(zip([keys[t] for t in todo], embedder.encode(todo), strict=True))
        catalog.cache_vectors(fresh)
        cached.update(fresh)
    return {t: cached[k] for t, k in keys.items()}


class HeadingIndex:
    """Cosine of a query against every distinct innermost heading, mapped back to its chunks."""

    def __init__(self, catalog: Any, embedder: Any):
        rows = catalog.db.execute("SELECT chunk_id, section FROM chunks").fetchall()
        by_heading: dict[str, list[str]] = {}
        for chunk_id, section in rows:
            path = json.loads(section or "[]")
            if path:
                by_heading.setdefault(path[-1], []).append(chunk_id)
        self.headings = sorted(by_heading)
        self.chunks = [by_heading[h] for h in self.headings]
        vectors = ensure_vectors(catalog, embedder, self.headings) if self.headings else {}
        self.matrix = (np.stack([vectors[h] for h in self.headings]) if self.headings
                       else np.zeros((0, 384), dtype=np.float32))

    def scores(self, vector: np.ndarray, top: int = 10) -> dict[str, float]:
        """{chunk id: cosine of its heading} for the chunks under the `top` best-matching headings."""
        if not self.headings:
            return {}
        sims = self.matrix @ np.asarray(vector, dtype=np.float32)
        best = np.argsort(-sims)[:top]
        return {cid: float(sims[i]) for i in best for cid in self.chunks[i]}
