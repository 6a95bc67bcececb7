"""Metrics: ranking scores (hit, MRR, nDCG, recall), relevance of chunks to quoted evidence, and the
checks on answers (answered or declined, cited sentences found in their passages).

A chunk is relevant to a case when it belongs to a quote's document and either contains the quote
(case, white space and curly quote marks normalised) or covers most of the quote's span in the
document: chunks overlap, so a quote can straddle a boundary and no single chunk holds all of it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

COVER_SHARE = 0.6  # a chunk covering this share of a quote's character span counts as holding it
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
_SPACE = re.compile(r"\s+")
_MARKER = re.compile(r"\s*\[\d+(?:\s*,\s*\d+)*\]")


@lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """Lower case, straight quote marks, runs of white space as one space, trimmed."""
    return _SPACE.sub(" ", text.translate(_QUOTES).lower()).strip()


@lru_cache(maxsize=64)
def normalise_with_offsets(text: str) -> tuple[str, tuple[int, ...]]:
    """`normalise(text)` plus, for each of its characters, the offset it came from in `text`."""
    out: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            pending_space = bool(out)
            continue
        if pending_space:
            out.append(" ")
            offsets.append(i - 1)
            pending_space = False
        low = ch.translate(_QUOTES).lower()
        out.extend(low)
        offsets.extend([i] * len(low))
    return "".join(out), tuple(offsets)


def quote_span(document: str, quote: str) -> tuple[int, int] | None:
    """Character span of the quote's first occurrence in the document (normalised matching)."""
    norm_doc, offsets = normalise_with_offsets(document)
    q = normalise(quote)
    at = norm_doc.find(q) if q else -1
    if at < 0:
        return None
    return offsets[at], offsets[at + len(q) - 1] + 1


@dataclass(frozen=True)
class Quote:
    doc: str
    text: str
    span: tuple[int, int] | None = None  # where it lies in the catalog's text of the document

    def held_by(self, doc_id: str, text: str, start: int = 0, end: int = 0) -> bool:
        """Does a chunk (its document, its text or shown text, its span) hold this quote?"""
        if doc_id != self.doc:
            return False
        if normalise(self.text) in normalise(text):
            return True
        if self.span is None or end <= start:
            return False
        s, e = self.span
        overlap = min(end, e) - max(start, s)
        return overlap > 0 and overlap >= COVER_SHARE * (e - s)


def chunk_holds(chunk: Any, quote: Quote) -> bool:
    """A chunk record (ingest.records.Chunk) against a quote: its text, its readable text or its span."""
    return (quote.held_by(chunk.doc_id, chunk.text, chunk.start, chunk.end)
            or (bool(chunk.display) and quote.held_by(chunk.doc_id, chunk.display)))


def quotes_held(chunks: Sequence[Any], quotes: Sequence[Quote]) -> list[set[int]]:
    """For each chunk, the indexes of the quotes it holds."""
    return [{i for i, q in enumerate(quotes) if chunk_holds(c, q)} for c in chunks]


# ranking metrics: `relevant` flags are for the ranked list, best first ---------------------------------
def hit_at(flags: Sequence[bool], k: int) -> float:
    return 1.0 if any(flags[:k]) else 0.0


def first_rank(flags: Sequence[bool]) -> int | None:
    """1-based rank of the first relevant item, or None."""
    return next((i + 1 for i, f in enumerate(flags) if f), None)


def mrr_flags(flags: Sequence[bool], k: int) -> float:
    r = first_rank(flags[:k])
    return 1.0 / r if r else 0.0


def ndcg_flags(flags: Sequence[bool], k: int, n_relevant: int) -> float:
    """Binary nDCG@k; the ideal list holds min(k, n_relevant) relevant items."""
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(k, n_relevant)))
    if ideal == 0:
        return 0.0
    return sum(1.0 / math.log2(i + 2) for i, f in enumerate(flags[:k]) if f) / ideal


def quote_recall(held: Sequence[set[int]], n_quotes: int, k: int) -> float:
    """Share of the case's distinct quotes held by at least one of the top k chunks."""
    if n_quotes == 0:
        return 0.0
    found: set[int] = set().union(*held[:k]) if held[:k] else set()
    return len(found) / n_quotes


# the same on ranked ids with judgements (BEIR) ---------------------------------------------------------
def ndcg_at(ranked: Sequence[str], gains: dict[str, int], k: int) -> float:
    """nDCG@k with linear gains (trec_eval's definition, as BEIR reports it)."""
    dcg = sum(gains.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    best = sorted((g for g in gains.values() if g > 0), reverse=True)[:k]
    ideal = sum(g / math.log2(i + 2) for i, g in enumerate(best))
    return dcg / ideal if ideal else 0.0


def recall_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def mrr_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    return mrr_flags([d in relevant for d in ranked[:k]], k)


# answers -------------------------------------------------------------------------------------------------
def strip_markers(sentence: str) -> str:
    """A sentence as a passage would hold it: without [n] markers and Markdown emphasis or bullets."""
    s = _MARKER.sub("", sentence).replace("**", "").replace("__", "")
    return re.sub(r"^\s*(?:[-*•]|\d+[.)])\s+", "", s).strip()


def sentence_supported(sentence: str, passage: str) -> bool:
    """A cited sentence is supported when its passage contains it (normalised; a trailing stop may differ)."""
    s = normalise(strip_markers(sentence)).rstrip(" .;:")
    return bool(s) and s in normalise(passage)


def citation_checks(answer: Any) -> list[bool]:
    """One flag per cited sentence of an Answer: is it inside the passage it cites?

    Sentences come from each Citation's `sentences`; a citation without them is checked with the
    sentences of the answer text that carry its [n] marker."""
    flags: list[bool] = []
    text_sentences = _marked_sentences(getattr(answer, "text", "") or "")
    for cit in getattr(answer, "citations", []) or []:
        passages = [cit.chunk.text, cit.chunk.shown]
        sentences = list(cit.sentences or []) or text_sentences.get(cit.n, [])
        for s in sentences:
            flags.append(any(sentence_supported(s, p) for p in passages))
    return flags


def _marked_sentences(text: str) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for part in re.split(r"(?<=[.!?\]])\s+(?=[A-Z\"'“‘(*-])|\n+", text):
        for m in re.finditer(r"\[(\d+(?:\s*,\s*\d+)*)\]", part):
            for n in m.group(1).split(","):
                out.setdefault(int(n), []).append(part)
    return out


def mean(values: Iterable[float | None]) -> float | None:
    """Mean of the values that are not None, rounded; None when there are none."""
    vals = [v for v in values if v is not None]
    return round(sum(vals) / len(vals), 4) if vals else None
