"""The extractive answerer: the best sentences of the retrieved chunks, each quoted verbatim with its [n].

Sentences come from `chunk.shown` (for tables, the readable rows), are scored by embedding similarity to the
question blended with their chunk's retrieval score, and 2-4 are picked with MMR so they say different
things. Sentence vectors are cached in memory (LRU by text hash) and encoded in one batch per question.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from ingest.records import Chunk
from ingest.sentences import sentence_spans

from .records import Citation
from .retriever import Hit

# A table cell in the readable rows: "...; Header: text" (the chunker joins cells with "; ").
_CELL = re.compile(r";\s+(?=[A-Z][\w\- ,&/]{0,50}: )")
_BULLET = re.compile(r"^(?:[-*•–]\s+|\(?\d{1,2}[.)]\s+|\(?[a-z][.)]\s+)")
_WORD = re.compile(r"\w+")
SHORT_WORDS = 4  # adjacent sentences shorter than this are kept together ("Child poverty. Public safety.")
# Text that addresses an AI rather than a reader: never quoted, and never counted as support for a claim.
INSTRUCTION_LIKE = re.compile(
    r"\b(ignore|disregard|forget|override)\s+(all\s+|any\s+|the\s+)?(previous|prior|above|earlier|your)\s+"
    r"(instructions?|prompts?|rules?|messages?)|\byou are now\b|\bsystem prompt\b|</?\s*(system|passages?|"
    r"instructions?)\s*>|\bas an ai\b|\bnew instructions?\s*:", re.IGNORECASE)


@dataclass
class Unit:
    """A candidate sentence: verbatim text of `chunk.shown` starting at `start`."""

    text: str
    start: int
    rank: int  # position of its chunk in the ranked hits
    sim: float = 0.0  # cosine similarity to the question
    score: float = 0.0  # similarity blended with the chunk's retrieval score
    vector: np.ndarray | None = field(default=None, repr=False)


def split_units(chunk: Chunk) -> list[tuple[int, str]]:
    """(offset, text) of the answerable sentences of a chunk; every text is a substring of chunk.shown."""
    shown = chunk.shown
    pieces: list[tuple[int, int]] = []
    for s, e in sentence_spans(shown):
        seg = shown[s:e]
        pos = 0
        for m in [*_CELL.finditer(seg), None]:
            end = m.start() if m else len(seg)
            _keep(pieces, shown, s + pos, s + end)
            pos = m.end() if m else end
    merged: list[tuple[int, int]] = []
    for s, e in pieces:  # runs of very short sentences on one line read better as one unit
        if merged and _short(shown[s:e]) and _short(shown[merged[-1][0]:merged[-1][1]], loose=True) \
                and "\n" not in shown[merged[-1][1]:s]:
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    out = []
    for s, e in merged:
        text = shown[s:e]
        bullet = _BULLET.match(text)
        if bullet:
            s, text = s + bullet.end(), text[bullet.end():]
        if "|" in text or len(_WORD.findall(text)) < 2 or text.endswith(":"):
            continue  # table header rows, lead-ins to lists and stray fragments say nothing on their own
        if INSTRUCTION_LIKE.search(text):
            continue  # a prompt injection hidden in a document is not guidance
        out.append((s, text))
    return out


def _keep(pieces: list[tuple[int, int]], text: str, s: int, e: int) -> None:
    piece = text[s:e]
    lead = len(piece) - len(piece.lstrip())
    trail = len(piece) - len(piece.rstrip(" ;"))
    if piece.strip(" ;"):
        pieces.append((s + lead, e - trail))


def _short(text: str, loose: bool = False) -> bool:
    n = len(_WORD.findall(text))
    return n < SHORT_WORDS or (loose and n < 8 and text.endswith("."))


class VectorCache:
    """Sentence vectors by text hash, least recently used dropped first; safe to share between threads."""

    def __init__(self, embedder: object, maxsize: int = 50_000):
        self.embedder = embedder
        self.maxsize = maxsize
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
        with self._lock:
            found = {k: self._vectors[k] for k in keys if k in self._vectors}
            for k in found:
                self._vectors.move_to_end(k)
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in found}
        if missing:
            vecs = self.embedder.encode(list(missing.values()))  # type: ignore[attr-defined]
            new = dict(zip(missing, vecs, strict=True))
            found.update(new)
            with self._lock:
                self._vectors.update(new)
                while len(self._vectors) > self.maxsize:
                    self._vectors.popitem(last=False)
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
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
        vecs = self.cache.encode([self._embeddable(u, hits[u.rank].chunk) for u in units])
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


def pick(units: list[Unit], most: int = 4, least: int = 2, margin: float = 0.16, diversity: float = 0.7,
         must: Unit | None = None, spread: float = 0.03) -> list[Unit]:
    """2-4 sentences by maximal marginal relevance, all within `margin` of the best score.

    When only the best sentence is close enough, its chunk's next-best sentence joins it as context.
    """
    if not units:
        return []
    best = units[0].score
    pool = [u for u in units if u.score >= best - margin * 2]
    chosen: list[Unit] = [must] if must is not None else []
    if units[0] not in chosen:
        chosen.insert(0, units[0])
    while len(chosen) < most:
        def mmr(u: Unit) -> float:
            overlap = max(float(np.dot(u.vector, c.vector)) for c in chosen)  # type: ignore[arg-type]
            fresh = spread if all(c.rank != u.rank for c in chosen) else 0.0
            return diversity * u.score - (1 - diversity) * overlap + fresh

        rest = [u for u in pool if u not in chosen and not _repeats(u, chosen)]
        if not rest:
            break
        nxt = max(rest, key=mmr)
        if nxt.score < best - (margin * 2 if len(chosen) < least else margin):
            break
        chosen.append(nxt)
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
