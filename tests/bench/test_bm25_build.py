"""The keyword index, built compactly for 100,000-chunk catalogs, still scores exactly Okapi BM25."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bench.data import SCIFACT, scifact_docs
from ingest.lexical import BM25Index, term_counts, tokenize

pytestmark = pytest.mark.skipif(not (SCIFACT / "corpus.jsonl").is_file(), reason="BEIR SciFact not available")


def reference(terms: list[dict[str, int]], query: str, k1: float = 0.9, b: float = 0.4) -> list[float]:
    n = len(terms)
    avg = sum(sum(t.values()) for t in terms) / n
    out = []
    for t in terms:
        length = sum(t.values())
        score = 0.0
        for q in dict.fromkeys(tokenize(query)):  # each distinct query term once, weighted by its count
            if q not in t:
                continue
            df = sum(q in other for other in terms)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            tf = t[q]
            score += tokenize(query).count(q) * idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / avg))
        out.append(score)
    return out


def test_scores_match_the_okapi_formula():
    docs = scifact_docs(60)
    terms = [term_counts(f"{d.title}\n{d.text}") for d in docs]
    terms.append({})  # a chunk with no words
    ids = [d.doc_id for d in docs] + ["empty"]
    index = BM25Index(ids, iter(terms))
    for query in ("cancer cells immune response", "mutation of the p53 gene in tumours", "zebrafish"):
        assert np.allclose(index.scores(query), reference(terms, query), rtol=1e-4, atol=1e-5)
    top = index.search("cancer cells immune response", 5)
    assert top and all(score > 0 for _, score in top) and "empty" not in dict(top)


def test_empty_index():
    index = BM25Index([], [])
    assert index.search("anything", 5) == [] and index.scores("anything").shape == (0,)
