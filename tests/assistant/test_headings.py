"""Headings as a retrieval signal: a question naming a section finds it."""

from __future__ import annotations

import pytest

from assistant.index import Index
from assistant.retriever import HybridRetriever
from ingest.settings import Settings

pytestmark = pytest.mark.slow

QUESTION = "What does Socitm mean by connected places?"


def _rank(index: Index, weight: float) -> int:
    ids = [r[0] for r in HybridRetriever(index, heading_weight=weight).ranked(QUESTION, 52)]
    target = next(c.chunk_id for c in index.catalog.chunks() if c.section and c.section[-1] == "3. Connected places")
    return ids.index(target) if target in ids else 99


def test_question_naming_a_section_finds_it(corpus_index):
    index = Index(Settings(data_dir=corpus_index))
    assert _rank(index, 0.9) < 3
    assert _rank(index, 0.9) < _rank(index, 0.0)  # the heading signal is what brings it up


def test_heading_index_follows_the_catalog(corpus_copy):
    from ingest.pipeline import Ingestor

    settings = Settings(data_dir=corpus_copy)
    index = Index(settings)
    before = index.headings()
    assert "3. Connected places" in before.headings
    Ingestor(settings).remove("socitm-prospectus-five-missions")
    after = index.headings()
    assert "3. Connected places" not in after.headings
