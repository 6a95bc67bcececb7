"""The keyword side: English stop words and a Snowball stemmer for tokens, and a BM25 index over the
catalog's chunks. The index keeps raw term counts in postings (postings.py) and computes BM25 for the
query's terms at query time, so a catalog change updates it by the changed chunks only."""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable
from functools import cached_property, lru_cache
from operator import itemgetter
from typing import Any

import numpy as np

from . import postings
from .postings import Segment

STOP_WORDS = frozenset("""
a about above after again against all also am an and any are aren't as at be because been before being
below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during
each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers
herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more
most mustn't my myself no nor not of off on once only or other ought our ours ourselves out over own same
shan't she she'd she'll she's should shouldn't so some such than that that's the their theirs them
themselves then there there's these they they'd they'll they're they've this those through to too under
until up very was wasn't we we'd we'll we're we've were weren't what what's when when's where where's which
while who who's whom why why's will with won't would wouldn't you you'd you'll you're you've your yours
yourself yourselves s t just don now d ll m o re ve y
""".split())
_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens, stop words dropped, Snowball-stemmed."""
    words = [w.replace("’", "'") for w in _TOKEN.findall(text.lower())]
    words = [w.split("'")[0] if "'" in w else w for w in words if w not in STOP_WORDS]
    return _stemmer().stemWords([w for w in words if w and w not in STOP_WORDS])


def term_counts(text: str) -> dict[str, int]:
    return dict(Counter(tokenize(text)))


COMPACT_SHARE = 0.2  # once dead rows pass this share of all rows, postings are rewritten without them


class BM25Index:
    """Okapi BM25 over chunk term counts. Postings hold raw counts; BM25 is computed at query time for the
    query's terms, from df, N and average length over the live chunks, so a change touches only its own
    chunks. Immutable: `updated` returns a new index, so a query holding this one never sees half a change."""

    def __init__(self, ids: list[str], terms: Iterable[dict[str, int]], k1: float = 0.9, b: float = 0.4):
        vocab: dict[str, int] = {}
        segment, lengths = postings.from_counts(terms, vocab, 0, len(ids))
        self._set(list(ids), vocab, (segment,), lengths, None, k1, b)

    @classmethod
    def from_json(cls, ids: list[str], terms_json: list[str], **kw: float) -> BM25Index:
        return cls(ids, (json.loads(t) if t else {} for t in terms_json), **kw)  # one dict alive at a time

    def _set(self, row_ids: list[str], terms: dict[str, int], segments: tuple[Segment, ...], lengths: np.ndarray,
             alive: np.ndarray | None, k1: float, b: float) -> None:
        self.k1, self.b = k1, b
        self._row_ids = row_ids  # chunk id of every row, removed ones included until compaction
        self._terms = terms  # term -> id; terms only removed rows held linger until compaction
        self._segments = segments
        self._lengths = lengths  # float32 term count of every row
        self._alive = alive  # bool per row; None when every row is live (then every term is held by one)
        live = lengths if alive is None else lengths[alive]
        self.n_docs = len(live)
        self.avgdl = float(live.sum(dtype=np.float64)) / self.n_docs if self.n_docs else 1.0

    @classmethod
    def _of(cls, *parts: Any) -> BM25Index:
        index = cls.__new__(cls)
        index._set(*parts)
        return index

    # what callers read -----------------------------------------------------------------------
    @cached_property
    def ids(self) -> list[str]:
        """Live chunk ids, in row order (the order of `scores`)."""
        return self._row_ids if self._alive is None else [self._row_ids[r] for r in self._live_rows.tolist()]

    @cached_property
    def known(self) -> frozenset[str]:
        return frozenset(self._row_of)

    def layout(self) -> dict[str, int]:
        """Rows held (removed ones included until compaction), live chunks and postings segments."""
        return {"rows": len(self._row_ids), "live": self.n_docs, "segments": len(self._segments)}

    @property
    def vocab(self) -> dict[str, int]:
        """Term -> position in `idf`, for the terms some live chunk holds."""
        return self._vocab_idf[0]

    @property
    def idf(self) -> np.ndarray:
        return self._vocab_idf[1]

    @cached_property
    def _vocab_idf(self) -> tuple[dict[str, int], np.ndarray]:
        n_terms = len(self._terms)
        df = np.zeros(n_terms, dtype=np.int64)
        for segment in self._segments:
            df += segment.df(self._alive, n_terms)
        vocab = self._terms
        if self._alive is not None:
            names = list(self._terms)
            live = np.flatnonzero(df)
            vocab = {names[i]: j for j, i in enumerate(live.tolist())}
            df = df[live]
        idf = np.log(1.0 + (max(self.n_docs, 1) - df + 0.5) / (df + 0.5)).astype(np.float32)
        return vocab, idf

    @cached_property
    def _live_rows(self) -> np.ndarray:
        return np.arange(len(self._row_ids)) if self._alive is None else np.flatnonzero(self._alive)

    @cached_property
    def _row_of(self) -> dict[str, int]:
        return {self._row_ids[r]: r for r in self._live_rows.tolist()}

    # scoring ---------------------------------------------------------------------------------
    def scores(self, query: str) -> np.ndarray:
        """BM25 of every live chunk for the query, in `ids` order."""
        s = self._row_scores(query)
        return s if self._alive is None else s[self._live_rows]

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """Top-k (chunk id, score), zero-score chunks left out (removed ones always score zero)."""
        s = self._row_scores(query)
        if not len(s) or k <= 0:
            return []
        k = min(k, len(s))
        top = np.argpartition(-s, k - 1)[:k]
        top = top[np.argsort(-s[top])]
        return [(self._row_ids[i], float(s[i])) for i in top if s[i] > 0]

    def _row_scores(self, query: str) -> np.ndarray:
        s = np.zeros(len(self._row_ids), dtype=np.float32)
        k1, b = self.k1, self.b
        n, avg = max(self.n_docs, 1), max(self.avgdl, 1e-9)
        for term, q in Counter(tokenize(query)).items():
            tid = self._terms.get(term)
            hits = [] if tid is None else [p for seg in self._segments if (p := seg.postings(tid)) is not None]
            if not hits:
                continue
            rows = np.concatenate([h[0] for h in hits]) if len(hits) > 1 else hits[0][0]
            tf = np.concatenate([h[1] for h in hits]) if len(hits) > 1 else hits[0][1]
            if self._alive is not None:
                keep = self._alive[rows]
                rows, tf = rows[keep], tf[keep]
            df = len(rows)
            if not df:
                continue
            idf = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
            norm = k1 * (1 - b + b * self._lengths[rows] / avg)
            s[rows] += (q * idf) * tf * (k1 + 1) / (tf + norm)  # a term holds a row once: no repeated rows
        return s

    # changes ---------------------------------------------------------------------------------
    def updated(self, removed: Iterable[str], ids: list[str], terms: Iterable[dict[str, int]]) -> BM25Index:
        """A new index without the `removed` chunks and with `ids` (term counts `terms`) appended; an id
        already held is replaced. This index is left as it was. Work is proportional to the change (plus
        copying a few per-row arrays), except an occasional merge or compaction."""
        row_of = dict(self._row_of)
        dead = [row_of.pop(cid) for cid in removed if cid in row_of]
        start = len(self._row_ids)
        vocab = dict(self._terms) if ids else self._terms  # never grow a dict an older index reads
        segment, lengths = postings.from_counts(terms, vocab, start, len(ids))
        for row, cid in enumerate(ids, start):
            if cid in row_of:
                dead.append(row_of[cid])
            row_of[cid] = row
        alive = self._alive
        if dead or (alive is not None and ids):
            alive = np.ones(start + len(ids), dtype=bool)
            if self._alive is not None:
                alive[:start] = self._alive
            alive[dead] = False
        segments = postings.append(self._segments, segment, len(vocab)) if ids else self._segments
        index = self._of(self._row_ids + ids, vocab, segments, np.concatenate([self._lengths, lengths]), alive,
                         self.k1, self.b)
        if alive is not None and len(alive) - index.n_docs > COMPACT_SHARE * len(alive):
            return index.compacted()
        index._row_of = row_of
        return index

    def compacted(self) -> BM25Index:
        """The same index with removed rows and the terms only they held dropped, in one segment."""
        if self._alive is None:
            return self
        segment, vocab, kept = postings.compact(self._segments, self._alive, list(self._terms))
        row_ids = [self._row_ids[r] for r in kept.tolist()]
        return self._of(row_ids, vocab, (segment,), self._lengths[kept], None, self.k1, self.b)


class LiveBM25:
    """A BM25 index that follows the catalog. When the catalog's generation moves, it reads only chunk ids
    and content hashes, then the terms of chunks added or changed since, and swaps in an updated index
    whole; queries meanwhile keep the index they hold. The first call builds it from every chunk."""

    def __init__(self, catalog, k1: float = 0.9, b: float = 0.4):  # type: ignore[no-untyped-def]
        self.catalog = catalog
        self.k1, self.b = k1, b
        self._lock = threading.Lock()
        self._state: tuple[int, BM25Index] | None = None  # (generation, index): read and swapped as one
        self._held: frozenset[str] = frozenset()  # "chunk_id content_hash" of every chunk the index holds
        self.last_update: dict[str, Any] = {}  # what the last build or update did (counts and seconds)

    def current(self) -> BM25Index:
        state = self._state
        if state is not None and state[0] == self.catalog.generation():
            return state[1]
        with self._lock:
            state = self._state
            if state is None or state[0] != self.catalog.generation():
                state = self._state = self._refresh(state)
            return state[1]

    def known_ids(self) -> frozenset[str]:
        return self.current().known

    def _refresh(self, state: tuple[int, BM25Index] | None) -> tuple[int, BM25Index]:
        t0 = time.perf_counter()
        gen, keys, found = read_changes(self.catalog, self._held if state is not None else frozenset())
        read = time.perf_counter() - t0
        added = [cid for cid, _ in found]
        if state is None:
            removed: list[str] = []
            index = BM25Index(added, (_terms(t) for _, t in found), k1=self.k1, b=self.b)
        else:
            # Gone, or changed (then in `added` too); only looked for when the counts say some are.
            gone = len(self._held) - (len(keys) - len(found))
            removed = [chunk_of(k) for k in self._held - keys] if gone else []
            index = state[1].updated(removed, added, (_terms(t) for _, t in found))
        self._held = keys
        self.last_update = {"generation": gen, "full": state is None, "chunks": index.n_docs, "added": len(added),
                            "removed": len(removed), "terms_read": len(found), "read_seconds": read,
                            "seconds": time.perf_counter() - t0}
        return gen, index


def read_changes(catalog: Any, held: frozenset[str]) -> tuple[int, frozenset[str], list[tuple[str, str]]]:
    """From one read snapshot of the catalog: its generation, a key "chunk_id content_hash" for every chunk,
    and (chunk id, JSON terms), in rowid order, of only the chunks whose key is not in `held`."""
    db = catalog.db
    cur = db.cursor()
    cur.row_factory = None
    own = not db.in_transaction
    if own:
        cur.execute("BEGIN")  # deferred: a read snapshot that never blocks a writer (WAL)
    try:
        gen = int(cur.execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0])
        # One string per chunk: 100,000 of them are read and diffed several times faster than pairs.
        keys = frozenset(map(itemgetter(0), cur.execute(
            "SELECT chunk_id || ' ' || coalesce(content_hash, '') FROM chunks")))
        wanted = [chunk_of(k) for k in keys - held]
        if len(wanted) * 4 > len(keys):  # most of them: one pass beats lookups
            want = set(wanted)
            found = [(cid, t) for cid, t in cur.execute("SELECT chunk_id, terms FROM chunks ORDER BY rowid")
                     if cid in want]
        else:
            rows: list[tuple[int, str, str]] = []
            for i in range(0, len(wanted), 500):
                part = wanted[i:i + 500]
                rows += cur.execute("SELECT rowid, chunk_id, terms FROM chunks WHERE chunk_id IN "
                                    f"({','.join('?' * len(part))})", part).fetchall()
            found = [(cid, t) for _, cid, t in sorted(rows)]
    finally:
        if own:
            cur.execute("COMMIT")
    return gen, keys, found


def chunk_of(key: str) -> str:
    return key.rpartition(" ")[0]  # content hashes are hex: the last space is the separator


def _terms(text: str | None) -> dict[str, int]:
    return json.loads(text) if text else {}
