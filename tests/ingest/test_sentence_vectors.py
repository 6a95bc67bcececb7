"""Sentence vectors made at ingest: every answerable unit of the corpus gets one, unchanged documents cost
nothing, an answer embeds only its question, purge drops what no chunk uses, a run cut short resumes, and
answers are the same with or without the stored vectors. Real model, real catalog, real Chroma."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.core import Assistant
from assistant.index import Index
from ingest import sentence_vectors
from ingest.catalog import Catalog
from ingest.embedder import shared_embedder
from ingest.pipeline import Ingestor
from ingest.sentence_vectors import unit_spans
from ingest.sentences import split_units, text_hash, unit_hashes
from ingest.settings import Settings

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
RESPONSE = "levelling-up-socitm-response"
QUESTIONS = ["How many members does Socitm have?", "Why does Socitm put so much weight on local know-how?",
             "What role does mutual trust play, according to the prospectus?",
             "How does Socitm think entrenched problems like child poverty should be tackled?"]
GUIDE = """# Cyber guide

Councils should patch systems quickly and keep offline backups of critical data.

## Incident response

Rehearse the incident plan every year with the whole leadership team. Record what went wrong and fix it.
"""


class Counting:
    """The real embedder, counting what it is asked to embed."""

    def __init__(self, inner: Any, crash_after: int | None = None):
        self.inner = inner
        self.texts: list[str] = []
        self.queries: list[str] = []
        self.calls = 0
        self.crash_after = crash_after  # encode calls that succeed before a simulated crash

    def encode(self, texts: list[str], progress: Any = None) -> np.ndarray:
        self.calls += 1
        if self.crash_after is not None and self.calls > self.crash_after:
            raise KeyboardInterrupt("simulated crash")
        self.texts += texts
        return self.inner.encode(texts, progress=progress)

    def encode_spans(self, texts: list[str], spans: list[Any], progress: Any = None) -> Any:
        self.calls += 1
        if self.crash_after is not None and self.calls > self.crash_after:
            raise KeyboardInterrupt("simulated crash")
        self.texts += [t[s:e] for t, sp in zip(texts, spans, strict=True) for s, e in sp]
        return self.inner.encode_spans(texts, spans, progress=progress)

    def encode_query(self, text: str) -> np.ndarray:
        self.queries.append(text)
        return self.inner.encode_query(text)


def _embedder(settings: Settings) -> Any:
    return shared_embedder(settings.embed_batch, settings.embed_backend)


def _units(catalog: Catalog, doc_id: str | None = None) -> dict[str, str]:
    return {text_hash(t): t for c in catalog.chunks(doc_id=doc_id) for _, t in split_units(c)}


def _stored(catalog: Catalog) -> set[str]:
    return {r[0] for r in catalog.db.execute("SELECT text_hash FROM sentence_vectors")}


def _answer(assistant: Assistant, question: str) -> tuple[str, list[tuple[int, str, list[str]]]]:
    a = assistant.ask(question)
    return a.text, [(c.n, c.chunk.chunk_id, c.sentences) for c in a.citations]


def test_ingest_stores_a_vector_for_every_unit_of_the_corpus(corpus_index):
    settings = Settings(data_dir=corpus_index)
    catalog = Catalog(settings.catalog_path)
    units = _units(catalog)
    assert len(units) > 100
    assert _stored(catalog) == set(units)
    assert catalog.sentence_counts() == (len(units), len(units))
    assert not catalog.missing_sentence_links()
    # each unit's vector is its tokens' mean in a chunk's model pass (the first to make it, for a unit that
    # chunk overlap puts in two chunks): recompute them all by hand
    embedder = _embedder(settings)
    made: dict[str, list[np.ndarray]] = {}
    for chunk in catalog.chunks():
        text, spans, hashes = unit_spans(chunk)
        _, parts = embedder.encode_spans([text], [spans])
        for h, (s, e), v in zip(hashes, spans, parts[0], strict=True):
            assert text[s:e] == units[h]  # the span is the unit's own text
            made.setdefault(h, []).append(v)
    stored = catalog.sentence_vectors(list(units))
    assert min(max(float(np.dot(stored[h], v)) for v in vs) for h, vs in made.items()) > 0.999  # float16
    sample = sorted(units)[:40]
    alone = embedder.encode([units[h] for h in sample])  # not the vector of the sentence embedded on its own
    assert min(float(np.dot(stored[h], v)) for h, v in zip(sample, alone, strict=True)) < 0.99
    assert next(iter(stored.values())).dtype == np.float32


def test_unchanged_reingest_embeds_no_sentence(corpus_copy):
    settings = Settings(data_dir=corpus_copy)
    counting = Counting(_embedder(settings))
    report = Ingestor(settings, embedder=counting).ingest([CORPUS])
    assert report.count("unchanged") == 2 and report.sentences == 0 and report.embedded == 0
    assert counting.texts == []


def test_an_answer_embeds_only_the_question(corpus_copy):
    settings = Settings(data_dir=corpus_copy)
    counting = Counting(_embedder(settings))
    index = Index(settings, embedder=counting)
    assistant = Assistant(settings, index)
    index.headings()  # heading vectors are made on the first question after a catalog change (cached there)
    counting.texts.clear()
    for q in QUESTIONS:
        answer = assistant.ask(q)
        assert answer.answered and answer.citations, q
    assert counting.texts == [], f"embedded {len(counting.texts)} sentences on the query path"
    assert set(QUESTIONS) <= set(counting.queries)


def test_answers_are_the_same_with_and_without_stored_vectors(corpus_copy):
    settings = Settings(data_dir=corpus_copy)
    stored = [_answer(Assistant(settings), q) for q in QUESTIONS]
    with sqlite3.connect(settings.catalog_path) as db:
        db.execute("DELETE FROM sentence_vectors")
    counting = Counting(_embedder(settings))
    assistant = Assistant(settings, Index(settings, embedder=counting))
    on_the_fly = [_answer(assistant, q) for q in QUESTIONS]
    units = set(_units(Catalog(settings.catalog_path)).values())
    assert set(counting.texts) & units, "without stored vectors the sentences are embedded per question"
    assert on_the_fly == stored


def test_remove_keeps_vectors_for_restore_and_purge_drops_them(corpus_copy):
    settings = Settings(data_dir=corpus_copy)
    counting = Counting(_embedder(settings))
    ingestor = Ingestor(settings, embedder=counting)
    catalog = ingestor.catalog
    own = set(_units(catalog, RESPONSE)) - set(_units(catalog, "socitm-prospectus-five-missions"))
    assert own and own <= _stored(catalog)
    ingestor.remove(RESPONSE)
    assert not catalog.db.execute("SELECT COUNT(*) FROM chunk_sentences WHERE chunk_id LIKE ?",
                                  (RESPONSE + ":%",)).fetchone()[0]
    assert own <= _stored(catalog)  # kept until purge, like chunk vectors: a restore embeds nothing
    restored = ingestor.restore(RESPONSE)
    assert restored.sentences == 0 and restored.embedded == 0 and counting.texts == []
    ingestor.remove(RESPONSE)
    ingestor.purge()
    left = _stored(catalog)
    assert not own & left
    assert left == set(_units(catalog))  # every remaining unit keeps its vector, nothing else is kept


def test_a_changed_document_embeds_only_its_new_sentences(tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    folder = tmp_path / "docs"
    folder.mkdir()
    path = folder / "cyber-guide.md"
    path.write_text(GUIDE, encoding="utf-8")
    counting = Counting(_embedder(settings))
    first = Ingestor(settings, embedder=counting).ingest([folder])
    assert first.sentences == len(_units(Catalog(settings.catalog_path))) > 0
    new = "Test the backups every quarter by restoring one system."
    path.write_text(GUIDE + "\n" + new + "\n", encoding="utf-8")
    counting.texts.clear()
    second = Ingestor(settings, embedder=counting).ingest([folder])
    assert [r.status for r in second.results] == ["updated"]
    assert second.sentences == 1 and new in counting.texts
    assert not Catalog(settings.catalog_path).missing_sentence_links()


def test_the_setting_off_stores_none_and_a_later_run_fills_them_in(tmp_path):
    assert Settings.from_env(env={"SOCITM_SENTENCE_VECTORS": "false"}).sentence_vectors is False
    settings = Settings(data_dir=tmp_path / "data", sentence_vectors=False)
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "cyber-guide.md").write_text(GUIDE, encoding="utf-8")
    counting = Counting(_embedder(settings))
    off = Ingestor(settings, embedder=counting).ingest([folder])
    catalog = Catalog(settings.catalog_path)
    linked = catalog.sentence_counts()[0]
    assert off.sentences == 0 and linked > 0 and not _stored(catalog)
    assert len(counting.texts) == off.embedded  # chunks only
    on = Ingestor(settings.with_(sentence_vectors=True), embedder=counting).ingest([folder])
    assert on.count("unchanged") == 1 and on.sentences == linked
    assert catalog.sentence_counts() == (linked, linked)


def test_a_run_cut_short_in_the_sentences_stage_resumes(tmp_path, monkeypatch):
    settings = Settings(data_dir=tmp_path / "data")
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "cyber-guide.md").write_text(GUIDE, encoding="utf-8")
    Ingestor(settings.with_(sentence_vectors=False)).ingest([folder])  # chunk vectors only
    monkeypatch.setattr(sentence_vectors, "SLICE", 2)
    crashing = Counting(_embedder(settings), crash_after=1)  # one slice of sentences, then a crash
    with pytest.raises(KeyboardInterrupt):
        Ingestor(settings, embedder=crashing).ingest([folder])
    catalog = Catalog(settings.catalog_path)
    linked, stored = catalog.sentence_counts()
    assert 0 < stored < linked  # the document is in; its sentence vectors are partly there
    counting = Counting(_embedder(settings))
    again = Ingestor(settings, embedder=counting).ingest([folder])
    assert again.count("unchanged") == 1 and again.sentences == linked - stored
    assert catalog.sentence_counts() == (linked, linked)
    assert [h for c in catalog.chunks() for h in unit_hashes(c)] and not catalog.missing_sentence_links()
