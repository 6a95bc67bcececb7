"""The keyword side: English stop words and a Snowball stemmer for tokens, and a BM25 index over the
catalog's chunks held as a sparse matrix (built once per catalog generation, never per query)."""

from __future__ import annotations

import json
import re
import threading
from array import array
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import numpy as np

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


class BM25Index:
    """Okapi BM25 over chunk term counts. Scores for a query are one sparse matrix-vector product."""

    def __init__(self, ids: list[str], terms: Iterable[dict[str, int]], k1: float = 0.9, b: float = 0.4):
        from scipy import sparse

        self.ids = ids
        self.k1, self.b = k1, b
        vocab: dict[str, int] = {}
        cols, vals, sizes = array("i"), array("f"), array("i")  # compact: 100,000 chunks hold ~8M postings
        get = vocab.setdefault
        for counts in terms:
            cols.extend([get(term, len(vocab)) for term in counts])
            vals.extend(counts.values())
            sizes.append(len(counts))
        self.vocab = vocab
        n_docs = len(ids)
        sizes.extend([0] * (n_docs - len(sizes)))
        col = np.frombuffer(cols, dtype=np.int32)
        tf = np.frombuffer(vals, dtype=np.float32)
        row = np.repeat(np.arange(n_docs, dtype=np.int32), np.frombuffer(sizes, dtype=np.int32))
        lengths = np.bincount(row, weights=tf, minlength=n_docs).astype(np.float32)
        df = np.bincount(col, minlength=len(vocab)).astype(np.float32)
        self.idf = np.log(1.0 + (max(n_docs, 1) - df + 0.5) / (df + 0.5)).astype(np.float32)
        avg = float(lengths.mean()) if n_docs else 1.0
        norm = k1 * (1 - b + b * lengths / max(avg, 1e-9))
        weights = tf * (k1 + 1) / (tf + norm[row]) * self.idf[col]
        self.matrix = sparse.csc_matrix((weights, (row, col)), shape=(n_docs, len(vocab)))

    @classmethod
    def from_json(cls, ids: list[str], terms_json: list[str], **kw: float) -> BM25Index:
        return cls(ids, (json.loads(t) if t else {} for t in terms_json), **kw)  # one dict alive at a time

    def scores(self, query: str) -> np.ndarray:
        cols = [self.vocab[t] for t in tokenize(query) if t in self.vocab]
        if not cols or not self.ids:
            return np.zeros(len(self.ids), dtype=np.float32)
        q = np.bincount(np.asarray(cols), minlength=len(self.vocab)).astype(np.float32)
        nz = np.nonzero(q)[0]
        return np.asarray(self.matrix[:, nz] @ q[nz]).ravel()

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """Top-k (chunk id, score), zero-score chunks left out."""
        s = self.scores(query)
        if not len(s):
            return []
        k = min(k, len(s))
        top = np.argpartition(-s, k - 1)[:k]
        top = top[np.argsort(-s[top])]
        return [(self.ids[i], float(s[i])) for i in top if s[i] > 0]


class LiveBM25:
    """A BM25 index that follows the catalog: rebuilt only when the catalog's generation moves."""

    def __init__(self, catalog, k1: float = 0.9, b: float = 0.4):  # type: ignore[no-untyped-def]
        self.catalog = catalog
        self.k1, self.b = k1, b
        self._lock = threading.Lock()
        self._gen = -1
        self._index: BM25Index | None = None
        self._ids: frozenset[str] = frozenset()

    def current(self) -> BM25Index:
        gen = self.catalog.generation()
        if gen != self._gen or self._index is None:
            with self._lock:
                if gen != self._gen or self._index is None:
                    ids, terms = self.catalog.all_terms()
                    self._index = BM25Index.from_json(ids, terms, k1=self.k1, b=self.b)
                    self._ids = frozenset(ids)
                    self._gen = gen
        return self._index

    def known_ids(self) -> frozenset[str]:
        self.current()
        return self._ids
