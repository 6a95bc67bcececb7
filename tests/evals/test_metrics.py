"""Metrics against values worked out by hand."""

from __future__ import annotations

import math

import pytest

from assistant.records import Answer, Citation
from evals.metrics import (
    Quote,
    chunk_holds,
    citation_checks,
    first_rank,
    hit_at,
    mean,
    mrr_at,
    mrr_flags,
    ndcg_at,
    ndcg_flags,
    normalise,
    quote_recall,
    quote_span,
    recall_at,
    sentence_supported,
)
from ingest.records import Chunk

L3, L5 = math.log2(3), math.log2(5)


def test_ranking_metrics_on_flags():
    flags = [False, True, False, True]
    assert hit_at(flags, 1) == 0.0 and hit_at(flags, 2) == 1.0 and hit_at([], 5) == 0.0
    assert first_rank(flags) == 2 and first_rank([False]) is None
    assert mrr_flags(flags, 10) == 0.5 and mrr_flags(flags, 1) == 0.0
    # DCG = 1/log2(3) + 1/log2(5); ideal with 2 relevant = 1 + 1/log2(3)
    assert ndcg_flags(flags, 10, 2) == pytest.approx((1 / L3 + 1 / L5) / (1 + 1 / L3))
    assert ndcg_flags(flags, 10, 2) == pytest.approx(0.650921, abs=1e-6)
    assert ndcg_flags([True], 10, 1) == 1.0 and ndcg_flags([False], 10, 0) == 0.0


def test_quote_recall_counts_distinct_quotes_in_top_k():
    held = [set(), {0}, {0, 1}]
    assert quote_recall(held, 3, 1) == 0.0
    assert quote_recall(held, 3, 2) == pytest.approx(1 / 3)
    assert quote_recall(held, 3, 3) == pytest.approx(2 / 3)
    assert quote_recall(held, 0, 3) == 0.0


def test_ranked_id_metrics_use_linear_gains():
    ranked = ["a", "b", "c"]
    gains = {"b": 1, "c": 2}
    # DCG = 1/log2(3) + 2/log2(4) ; ideal = 2/1 + 1/log2(3)
    assert ndcg_at(ranked, gains, 10) == pytest.approx((1 / L3 + 1) / (2 + 1 / L3))
    assert ndcg_at(ranked, gains, 10) == pytest.approx(0.619906, abs=1e-6)
    assert ndcg_at(ranked, {}, 10) == 0.0
    assert recall_at(["a", "b"], {"b", "z"}, 100) == 0.5
    assert recall_at(["a", "b"], {"b", "z"}, 1) == 0.0
    assert mrr_at(["a", "b"], {"b"}, 10) == 0.5 and mrr_at(["a", "b"], {"b"}, 1) == 0.0


def test_normalise_folds_case_space_and_curly_quotes():
    assert normalise("  It’s a\n “Test”\t‘x’ ") == "it's a \"test\" 'x'"


def test_quote_span_maps_back_to_original_offsets():
    doc = "Hello   World’s end. Next"
    span = quote_span(doc, "world's   END")
    assert span == (8, 19) and doc[8:19] == "World’s end"
    assert quote_span(doc, "not there") is None


def _chunk(text: str, start: int, end: int, doc: str = "doc", display: str = "") -> Chunk:
    return Chunk(chunk_id=f"{doc}:{start}", doc_id=doc, text=text, start=start, end=end, section=(), page=None,
                 display=display)


def test_chunk_holds_quote_by_text_or_by_most_of_its_span():
    doc = "aaaaaaaaa The quick brown fox jumps. Tail text here."
    quote = Quote("doc", "The Quick  brown fox", quote_span(doc, "the quick brown fox"))
    assert quote.span == (10, 29)  # 19 characters
    assert chunk_holds(_chunk(doc[5:35], 5, 35), quote)  # contains it
    assert chunk_holds(_chunk(doc[0:22], 0, 22), quote)  # 12 of 19 chars = 63 %: covers most of it
    assert not chunk_holds(_chunk(doc[0:21], 0, 21), quote)  # 11 of 19 = 58 %
    assert not chunk_holds(_chunk(doc[5:35], 5, 35, doc="other"), quote)  # right words, wrong document
    table = _chunk("x | y", 100, 105, display="Column: the quick brown fox")
    assert chunk_holds(table, quote)  # readable (shown) text counts too


def test_citation_precision_checks_each_cited_sentence_in_its_passage():
    chunk = _chunk("The sky is blue. Grass is green.", 0, 32)
    other = _chunk("Snow is white.", 40, 54)
    answer = Answer("q", "The sky is **blue** [1]. Grass is purple [1]. Snow is white [2].", True,
                    [Citation(1, chunk, 0.9, ["The sky is  blue [1].", "Grass is purple."]), Citation(2, other, 0.5)])
    # citation 1 has its own sentences; citation 2 falls back to the text's sentences marked [2]
    assert citation_checks(answer) == [True, False, True]
    assert sentence_supported("- **Grass is green** [1]", chunk.text)
    assert not sentence_supported("", chunk.text)


def test_mean_skips_missing_values():
    assert mean([1.0, None, 0.0]) == 0.5
    assert mean([None]) is None and mean([]) is None
