"""Check a generated answer against the passages it cites, before anyone relies on it.

Every sentence keeps only markers that name a passage that was given and that supports it (enough of the
sentence's words are in the passage, or it is close in meaning to one of the passage's sentences). A
sentence left without support is re-pointed at the passage that does support it, or dropped.
Sources are renumbered in order of first citation, and only cited passages remain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from ingest.lexical import tokenize

from .extractive import Unit, VectorCache
from .records import Citation
from .retriever import Hit

_MARKERS = re.compile(r"\s*\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_SPLIT = re.compile(r"(?<=[.!?\]])\s+(?=[A-Z0-9\"“‘(*•-])")
MIN_OVERLAP = 0.6  # share of a sentence's terms found in the passage
MIN_SIMILARITY = 0.62  # cosine with the passage's closest sentence
MIN_TERMS = 3  # sentences with fewer terms than this make no claim worth checking ("In short:")


@dataclass
class Checked:
    text: str
    citations: list[Citation]
    dropped: list[str] = field(default_factory=list)  # sentences removed for want of support
    bad_markers: int = 0  # markers naming no passage
    claims: int = 0  # sentences kept that carry a citation


def check(text: str, hits: list[Hit], units: dict[int, list[Unit]], cache: VectorCache) -> Checked:
    """Verify `text` (generated over `hits`, numbered from 1) against the passages' sentences."""
    lines = [[p for p in _SPLIT.split(line.strip()) if p.strip()] for line in text.strip().split("\n")]
    claims = [_MARKERS.sub("", p).strip() for line in lines for p in line]
    vectors = cache.encode(claims) if claims else np.zeros((0, 384), dtype=np.float32)
    # A passage supports a claim through its quotable sentences only (instruction-like text is left out).
    passage_terms = {i: set(tokenize(" ".join([*(u.text for u in units.get(i, [])), *h.chunk.section])))
                     for i, h in enumerate(hits)}
    out = Checked("", [])
    order: dict[int, int] = {}  # hit index -> new number
    support: dict[int, list[np.ndarray]] = {}
    rendered: list[str] = []
    k = 0
    for line in lines:
        kept: list[str] = []
        for piece in line:
            claim, vec = claims[k], vectors[k]
            k += 1
            cited = [int(n) for group in _MARKERS.findall(piece) for n in re.split(r"[,;]\s*", group)]
            valid = [n - 1 for n in cited if 1 <= n <= len(hits)]
            out.bad_markers += len(cited) - len(valid)
            terms = set(tokenize(claim))
            if len(terms) < MIN_TERMS:
                if claim:
                    kept.append(claim)
                continue
            good = [i for i in dict.fromkeys(valid) if _supports(terms, vec, passage_terms[i], units.get(i, []))]
            if not good:
                best = max(range(len(hits)), key=lambda i: _strength(terms, vec, passage_terms[i], units.get(i, [])),
                           default=None)
                if best is not None and _supports(terms, vec, passage_terms[best], units.get(best, [])):
                    good = [best]
            if not good:
                out.dropped.append(claim)
                continue
            for i in good:
                order.setdefault(i, len(order) + 1)
                support.setdefault(i, []).append(vec)
            out.claims += 1
            kept.append(claim + " " + "".join(f"[{order[i]}]" for i in good))
        if kept:
            rendered.append(" ".join(kept))
    out.text = "\n".join(rendered).strip()
    for i, n in order.items():
        cite = Citation(n=n, chunk=hits[i].chunk, score=hits[i].score)
        cite.sentences = _closest(units.get(i, []), support[i])
        out.citations.append(cite)
    out.citations.sort(key=lambda c: c.n)
    return out


def _strength(terms: set[str], vec: np.ndarray, passage: set[str], units: list[Unit]) -> float:
    overlap = len(terms & passage) / max(len(terms), 1)
    sim = max((float(np.dot(vec, u.vector)) for u in units if u.vector is not None), default=0.0)
    return max(overlap, sim)


def _supports(terms: set[str], vec: np.ndarray, passage: set[str], units: list[Unit]) -> bool:
    overlap = len(terms & passage) / max(len(terms), 1)
    sim = max((float(np.dot(vec, u.vector)) for u in units if u.vector is not None), default=0.0)
    return overlap >= MIN_OVERLAP or sim >= MIN_SIMILARITY or (overlap >= 0.45 and sim >= 0.5)


def _closest(units: list[Unit], claims: list[np.ndarray]) -> list[str]:
    """The passage's own sentences nearest to the claims that cite it (verbatim, in passage order)."""
    chosen: list[Unit] = []
    scored = [(u, u.vector) for u in units if u.vector is not None]
    for vec in claims:
        best = max(scored, key=lambda uv: float(np.dot(vec, uv[1])), default=(None, None))[0]
        if best is not None and best not in chosen:
            chosen.append(best)
    return [u.text for u in sorted(chosen, key=lambda u: u.start)]
