"""Keyword postings held in immutable segments, so the keyword index can change by appending a small
segment and marking rows dead instead of being rebuilt (see lexical.BM25Index.updated).

A segment holds the postings of a run of consecutive rows, grouped by term: for term id t,
rows[indptr[t]:indptr[t + 1]] are the global row numbers (ascending) holding it and tf the counts there.
Terms added after a segment was built are simply past its indptr."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

MERGE_FACTOR = 4  # a segment is merged into the one before it once that one is at most 4 times larger


@dataclass(frozen=True)
class Segment:
    start: int  # global row number of the segment's first row
    n_rows: int
    indptr: np.ndarray  # int64, one more than the term ids known when it was built
    rows: np.ndarray  # int32 global row numbers
    tf: np.ndarray  # float32 term counts

    @property
    def n_terms(self) -> int:
        return len(self.indptr) - 1

    @property
    def nnz(self) -> int:
        return len(self.rows)

    def postings(self, term: int) -> tuple[np.ndarray, np.ndarray] | None:
        if term >= self.n_terms:
            return None
        a, z = self.indptr[term], self.indptr[term + 1]
        return (self.rows[a:z], self.tf[a:z]) if z > a else None

    def coo(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(global rows, term ids, counts) of every posting."""
        cols = np.repeat(np.arange(self.n_terms, dtype=np.int32), np.diff(self.indptr))
        return self.rows, cols, self.tf

    def df(self, alive: np.ndarray | None, n_terms: int) -> np.ndarray:
        """How many live rows hold each term (padded to n_terms)."""
        if alive is None:
            counts = np.diff(self.indptr)
        else:
            seen = np.concatenate(([0], np.cumsum(alive[self.rows], dtype=np.int64)))
            counts = seen[self.indptr[1:]] - seen[self.indptr[:-1]]
        out = np.zeros(n_terms, dtype=np.int64)
        out[:self.n_terms] = counts
        return out


def build(start: int, n_rows: int, rows: np.ndarray, cols: np.ndarray, tf: np.ndarray, n_terms: int) -> Segment:
    """A segment from postings in row order (a counting sort by term keeps each term's rows ascending)."""
    from scipy import sparse

    m = sparse.csc_matrix((tf, (rows - start, cols)), shape=(n_rows, n_terms), dtype=np.float32)
    m.sort_indices()
    return Segment(start, n_rows, m.indptr.astype(np.int64), (m.indices + start).astype(np.int32),
                   m.data.astype(np.float32))


def from_counts(terms: Iterable[dict[str, int]], vocab: dict[str, int], start: int,
                n_rows: int) -> tuple[Segment, np.ndarray]:
    """A segment and its rows' lengths from term counts, one dict per row; new terms get ids in `vocab`.
    Postings go into compact arrays (100,000 chunks hold ~8M), one dict alive at a time."""
    cols, vals, sizes = array("i"), array("f"), array("i")
    get = vocab.setdefault
    for counts in terms:
        cols.extend([get(term, len(vocab)) for term in counts])
        vals.extend(counts.values())
        sizes.append(len(counts))
    if len(sizes) > n_rows:
        raise ValueError(f"term counts for {len(sizes)} rows, ids for only {n_rows}")
    sizes.extend([0] * (n_rows - len(sizes)))
    col = np.frombuffer(cols, dtype=np.int32)
    tf = np.frombuffer(vals, dtype=np.float32)
    local = np.repeat(np.arange(n_rows, dtype=np.int32), np.frombuffer(sizes, dtype=np.int32))
    lengths = np.bincount(local, weights=tf, minlength=n_rows).astype(np.float32)
    return build(start, n_rows, local + start, col, tf, len(vocab)), lengths


def merge(segments: Sequence[Segment], n_terms: int) -> Segment:
    """Adjacent segments as one."""
    parts = [s.coo() for s in segments]
    rows, cols, tf = (np.concatenate([p[i] for p in parts]) for i in range(3))
    first, last = segments[0], segments[-1]
    return build(first.start, last.start + last.n_rows - first.start, rows, cols, tf, n_terms)


def append(segments: tuple[Segment, ...], new: Segment, n_terms: int) -> tuple[Segment, ...]:
    """The segments with `new` appended, merging tail segments while the one before is not much larger,
    so there are O(log n) segments and each posting is copied O(log n) times. A segment without postings
    (chunks with no words) is not kept: rows are counted by the index, not by its segments."""
    if not new.nnz and segments:
        return segments
    out = [*segments, new]
    while len(out) > 1 and out[-2].nnz <= MERGE_FACTOR * out[-1].nnz:
        out[-2:] = [merge(out[-2:], n_terms)]
    return tuple(out)


def compact(segments: Sequence[Segment], alive: np.ndarray,
            names: list[str]) -> tuple[Segment, dict[str, int], np.ndarray]:
    """One segment over the live rows only, renumbered in order, and the terms some live row holds.
    Returns (segment, new term ids, old row number of each new row)."""
    parts = [s.coo() for s in segments]
    rows, cols, tf = (np.concatenate([p[i] for p in parts]) if parts else np.zeros(0, np.int32) for i in range(3))
    keep = alive[rows]
    rows, cols, tf = rows[keep], cols[keep], tf[keep].astype(np.float32)
    kept_rows = np.flatnonzero(alive)
    renumber = np.cumsum(alive, dtype=np.int64) - 1
    live_terms = np.flatnonzero(np.bincount(cols, minlength=len(names)))
    term_map = np.full(len(names), -1, dtype=np.int64)
    term_map[live_terms] = np.arange(len(live_terms))
    vocab = {names[i]: j for j, i in enumerate(live_terms.tolist())}
    seg = build(0, len(kept_rows), renumber[rows].astype(np.int32), term_map[cols].astype(np.int32), tf, len(vocab))
    return seg, vocab, kept_rows
