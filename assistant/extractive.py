"""The extractive answerer: the best sentences of the retrieved chunks, each quoted verbatim with its [n].

Sentences come from `chunk.shown` (for tables, the readable rows), are scored by embedding similarity to the
question blended with their chunk's retrieval score, and 2-5 are picked with MMR so they say different
things. Sentence vectors are computed at ingest time and stored in the catalog; answers look them up
(memory first, then the catalog) and embed only what is missing, in one batch per question.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from ingest.catalog import Catalog, as_stored
from ingest.records import Chunk
from ingest.sentence_vectors import span_vectors
from ingest.sentences import INSTRUCTION_LIKE, split_units, text_hash

from .records import Citation
from .retriever import Hit

# split_units and INSTRUCTION_LIKE live in ingest.sentences (ingest embeds the units); re-exported here.
__all__ = ["INSTRUCTION_LIKE", "Extract", "SentenceScorer", "Unit", "VectorCache", "compose", "pick", "rerank",
           "split_units"]


@dataclass
class Unit:
    """A candidate sentence: verbatim text of `chunk.shown` starting at `start`."""

    text: str
    start: int
    rank: int  # position of its chunk in the ranked hits
    sim: float = 0.0  # cosine similarity to the question
    score: float = 0.0  # similarity blended with the chunk's retrieval score
    vector: np.ndarray | None = field(default=None, repr=False)


class VectorCache:
    """Sentence vectors by text hash: memory (least recently used dropped first), then the catalog's stored
    sentence vectors, then the model for what is still missing. Safe to share between threads.

    Vectors made here stay in memory only (the catalog is written under the ingest lock, by ingest); they
    are rounded to the stored precision, so an answer is the same whether its vectors were stored or not.
    """

    def __init__(self, embedder: object, catalog: Catalog | None = None, maxsize: int = 50_000):
        self.embedder = embedder
        self.catalog = catalog
        self.maxsize = maxsize
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def encode(self, texts: list[str], chunks: list[Chunk] | None = None) -> np.ndarray:
        """Vectors of `texts`; with `chunks` (the chunk each text is a unit of), made as ingest makes them:
        read off the chunk's model pass (ingest.sentence_vectors), one pass per chunk with missing units."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        keys = [text_hash(t) for t in texts]
        with self._lock:
            found = {k: self._vectors[k] for k in keys if k in self._vectors}
            for k in found:
                self._vectors.move_to_end(k)
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in found}
        new: dict[str, np.ndarray] = {}
        if missing and self.catalog is not None:
            new = self.catalog.sentence_vectors(list(missing))
            missing = {k: t for k, t in missing.items() if k not in new}
        if missing and chunks is not None and hasattr(self.embedder, "encode_spans"):
            holders = list({c.chunk_id: c for k, c in zip(keys, chunks, strict=True) if k in missing}.values())
            made = span_vectors(self.embedder, holders, set(missing))[1]
            new.update((k, as_stored(v[None])[0]) for k, v in made.items())
            missing = {k: t for k, t in missing.items() if k not in made}
        if missing:
            vecs = as_stored(self.embedder.encode(list(missing.values())))  # type: ignore[attr-defined]
            new.update(zip(missing, vecs, strict=True))
        if new:
            found.update(new)
            with self._lock:
                self._vectors.update(new)
                while len(self._vectors) > self.maxsize:
                    self._vectors.popitem(last=False)
        return np.stack([found[k] for k in keys])


@dataclass
class Extract:
    """The scored candidate sentences of a question, best first, and the picked ones."""

    units: list[Unit]
    picked: list[Unit]


class SentenceScorer:
    """Scores every sentence of the hits against one or more query vectors."""

    def __init__(self, cache: VectorCache, sentence_weight: float = 0.85, context: bool = False):
        self.cache = cache
        self.sentence_weight = sentence_weight
        self.context = context

    def score(self, hits: list[Hit], queries: list[np.ndarray], weights: list[float] | None = None,
              sentence_weight: float | None = None) -> list[Unit]:
        """Every sentence of `hits` scored against the weighted queries, best first."""
        sw = self.sentence_weight if sentence_weight is None else sentence_weight
        units = [Unit(text, start, rank) for rank, hit in enumerate(hits) for start, text in split_units(hit.chunk)]
        if not units:
            return []
        chunks = None if self.context else [hits[u.rank].chunk for u in units]
        vecs = self.cache.encode([self._embeddable(u, hits[u.rank].chunk) for u in units], chunks)
        q = np.stack(queries)
        w = np.asarray(weights or [1.0 / len(queries)] * len(queries), dtype=np.float32)
        sims = (vecs @ q.T) @ w
        for u, v, sim in zip(units, vecs, sims, strict=True):
            u.vector, u.sim = v, float(sim)
            u.score = sw * u.sim + (1 - sw) * hits[u.rank].score
        return sorted(units, key=lambda u: -u.score)


    def _embeddable(self, unit: Unit, chunk: Chunk) -> str:
        if self.context and chunk.section:
            return f"{chunk.section[-1]}: {unit.text}"
        return unit.text


def rerank(hits: list[Hit], units: list[Unit], sentence_weight: float = 0.5) -> list[int]:
    """Hit positions reordered by fused score blended with the hit's best sentence similarity."""
    best: dict[int, float] = {}
    for u in units:
        best[u.rank] = max(best.get(u.rank, -1.0), u.sim)
    blended = [(1 - sentence_weight) * h.score + sentence_weight * best.get(i, 0.0) for i, h in enumerate(hits)]
    return sorted(range(len(hits)), key=lambda i: -blended[i])


def pick(units: list[Unit], most: int = 5, least: int = 2, margin: float = 0.16, diversity: float = 0.7,
         must: Unit | list[Unit] | None = None, spread: float = 0.1) -> list[Unit]:
    """2-5 sentences by maximal marginal relevance, all within `margin` of the best score, `must` included.

    `spread` favours a sentence from a passage not yet quoted: the passage that answers is often the second
    or third hit, and one more passage quoted is one more chance it is cited (CALIBRATION.md, "Citations: up
    to five sentences").

    When only the best sentence is close enough, its chunk's next-best sentence joins it as context.
    """
    if not units:
        return []
    best = units[0].score
    chosen: list[Unit] = [] if must is None else [must] if isinstance(must, Unit) else list(must)
    if units[0] not in chosen:
        chosen.insert(0, units[0])
    while len(chosen) < most:
        def mmr(u: Unit) -> float:
            overlap = max(float(np.dot(u.vector, c.vector)) for c in chosen)  # type: ignore[arg-type]
            fresh = spread if all(c.rank != u.rank for c in chosen) else 0.0
            return diversity * u.score - (1 - diversity) * overlap + fresh

        floor = best - (margin * 2 if len(chosen) < least else margin)
        rest = [u for u in units if u.score >= floor and u not in chosen and not _repeats(u, chosen)]
        if not rest:
            break
        chosen.append(max(rest, key=mmr))
    if len(chosen) < least:
        same = [u for u in units if u.rank == chosen[0].rank and u not in chosen and not _repeats(u, chosen)]
        chosen += same[: least - len(chosen)]
    return chosen


def _repeats(u: Unit, chosen: list[Unit]) -> bool:
    """True when the sentence is (nearly) the same text as one already chosen, e.g. chunk overlap."""
    return any(u.text == c.text or (u.vector is not None and c.vector is not None
                                    and float(np.dot(u.vector, c.vector)) > 0.95) for c in chosen)


def compose(picked: list[Unit], hits: list[Hit]) -> tuple[str, list[Citation]]:
    """Answer text with a [n] after every sentence, and the numbered sources it cites (only those)."""
    ordered = sorted(picked, key=lambda u: (u.rank, u.start))
    numbers: dict[int, Citation] = {}
    paragraphs: list[list[str]] = []
    for u in ordered:
        cite = numbers.get(u.rank)
        if cite is None:
            hit = hits[u.rank]
            cite = numbers[u.rank] = Citation(n=len(numbers) + 1, chunk=hit.chunk, score=hit.score)
            paragraphs.append([])
        cite.sentences.append(u.text)
        paragraphs[-1].append(f"{u.text} [{cite.n}]")
    return "\n\n".join(" ".join(p) for p in paragraphs), list(numbers.values())
