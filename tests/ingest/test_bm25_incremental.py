"""The keyword index follows catalog changes incrementally (issue 6): after real files are added, updated
and removed through the real Ingestor it scores exactly like an index built afresh from the catalog, it
reads the terms of only the changed chunks, and queries running during the changes never fail."""

from __future__ import annotations

import random
import re
import threading
from pathlib import Path

import numpy as np
import pytest

from ingest.catalog import Catalog
from ingest.lexical import COMPACT_SHARE, BM25Index, LiveBM25, term_counts
from ingest.pipeline import Ingestor
from ingest.settings import Settings

QUERIES = ["digital leadership in local government", "cyber security: patch systems and keep offline backups",
           "levelling up funding for councils", "the five missions of Socitm", "supplier security controls",
           "incident response plan rehearsal", "cyber cyber cyber", "zebra crossings on the moon"]

GUIDE = """# Cyber guide for councils

Councils should patch systems quickly and keep offline backups of critical data.

## Incident response

Rehearse the incident plan every year with the whole leadership team and the suppliers that run key services.

## Supply chain

Ask suppliers for evidence of their security controls before signing contracts.
"""


def assert_same_as_fresh(live: LiveBM25, catalog: Catalog) -> BM25Index:
    """The live index against one built from scratch from the catalog's chunks, as the app used to (pass
    a Catalog of its own, so these reads stay off the live index's connection)."""
    index = live.current()
    fresh = BM25Index.from_json(*catalog.all_terms())
    assert index.known == set(fresh.ids) == set(catalog.chunk_ids())
    assert sorted(index.ids) == sorted(fresh.ids) and index.n_docs == len(fresh.ids)
    for query in QUERIES:
        mine = dict(zip(index.ids, index.scores(query).tolist(), strict=True))
        assert np.allclose([mine[c] for c in fresh.ids], fresh.scores(query), rtol=1e-6, atol=1e-7), query
        top, want = index.search(query, 10), fresh.search(query, 10)
        assert np.allclose([s for _, s in top], [s for _, s in want]), query
    # what the decline check reads: the same live terms with the same idf
    assert {t: index.idf[i] for t, i in index.vocab.items()} == {t: fresh.idf[i] for t, i in fresh.vocab.items()}
    assert index.idf.max() == fresh.idf.max()
    return index


class TermReads:
    """Chunk ids whose keyword terms were read, from the SQL the catalog connection actually ran."""

    def __init__(self, catalog: Catalog):
        self.ids: list[str] = []
        self.full_scans = 0
        catalog.db.set_trace_callback(self._seen)

    def _seen(self, sql: str) -> None:
        if "terms FROM chunks" not in sql:
            return
        if "WHERE" not in sql:
            self.full_scans += 1
        self.ids += [m.replace("''", "'") for m in re.findall(r"'((?:[^']|'')*)'", sql.split(" IN ", 1)[-1])]

    def take(self) -> set[str]:
        out, self.ids = set(self.ids), []
        return out


def _doc_chunks(catalog: Catalog, doc_id: str) -> set[str]:
    return set(catalog.chunk_ids(doc_id))


@pytest.mark.slow
def test_add_update_remove_match_a_fresh_build_reading_only_changed_chunks(corpus_copy, tmp_path):
    settings = Settings(data_dir=corpus_copy)
    ingestor = Ingestor(settings)
    catalog = Catalog(settings.catalog_path)
    live = LiveBM25(catalog)
    reference = Catalog(settings.catalog_path)
    assert_same_as_fresh(live, reference)
    assert live.last_update["full"]
    reads = TermReads(catalog)

    path = tmp_path / "docs" / "cyber-guide.md"
    path.parent.mkdir()
    path.write_text(GUIDE, encoding="utf-8")
    added = ingestor.ingest([path]).results[0]
    assert added.status == "added", added
    assert_same_as_fresh(live, reference)
    new_ids = _doc_chunks(catalog, added.doc_id)
    assert reads.take() == new_ids and live.last_update["terms_read"] == len(new_ids) > 0
    assert not live.last_update["full"] and live.last_update["removed"] == 0

    before = new_ids
    path.write_text(GUIDE.replace("evidence of their security controls", "independent evidence of their "
                                  "security controls and a named contact for incidents"), encoding="utf-8")
    updated = ingestor.ingest([path]).results[0]
    assert updated.status == "updated", updated
    index = assert_same_as_fresh(live, reference)
    after = _doc_chunks(catalog, updated.doc_id)
    changed = after - before
    assert changed and len(changed) < len(after)  # only the edited section's chunk is new
    assert reads.take() == changed and live.last_update["terms_read"] == len(changed)
    assert live.last_update["removed"] == len(before - after)
    assert index.search("named contact for incidents", 3)[0][0] in changed

    ingestor.remove(added.doc_id)
    index = assert_same_as_fresh(live, reference)
    assert reads.take() == set() and live.last_update["removed"] == len(after)
    assert not index.known & after and not [c for c, _ in index.search("supplier security controls", 50) if c in after]

    # removing a corpus document too: enough dead rows to compact, still the same scores
    response = next(d["doc_id"] for d in catalog.documents() if "levelling" in d["doc_id"])
    ingestor.remove(response)
    index = assert_same_as_fresh(live, reference)
    assert reads.take() == set() and reads.full_scans == 0
    layout = index.layout()
    assert layout["live"] == catalog.chunk_count()
    assert layout["rows"] - layout["live"] <= COMPACT_SHARE * layout["rows"]


@pytest.mark.slow
def test_queries_during_ingest_never_fail_nor_see_half_an_update(corpus_copy, tmp_path):
    settings = Settings(data_dir=corpus_copy)
    ingestor = Ingestor(settings)
    live = LiveBM25(Catalog(settings.catalog_path))  # shared by the reader threads, as the app shares it
    live.current()
    stop = threading.Event()
    errors: list[BaseException] = []
    seen: dict[int, BM25Index] = {}  # held, so no id is reused

    def reader(n: int) -> None:
        queries = QUERIES[n:] + QUERIES[:n]
        try:
            while not stop.is_set():
                for query in queries:
                    index = live.current()
                    seen[id(index)] = index
                    ids = index.ids
                    assert len(index.scores(query)) == len(ids) == index.n_docs == len(index.known)
                    assert set(ids) == index.known
                    assert all(c in index.known for c, _ in index.search(query, 20))
                    _ = [index.idf[index.vocab[t]] for t in ("cyber", "council") if t in index.vocab]
        except BaseException as e:  # noqa: BLE001 - reported by the main thread
            errors.append(e)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    try:
        folder = tmp_path / "docs"
        folder.mkdir()
        doc_ids = []
        for i, topic in enumerate(("cyber security", "data sharing", "digital inclusion")):
            path = folder / f"guide-{i}.md"
            path.write_text(GUIDE.replace("Cyber guide", f"Guide {i} on {topic}") + f"\n\nMore on {topic}.\n",
                            encoding="utf-8")
            doc_ids.append(ingestor.ingest([path]).results[0].doc_id)
        for doc_id in doc_ids:
            ingestor.remove(doc_id)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
    assert not errors, errors[0]
    assert len(seen) >= 3  # the readers really crossed updates
    assert_same_as_fresh(live, Catalog(settings.catalog_path))


def test_many_small_changes_score_like_a_fresh_build():
    """Thousands of postings, removals below and above the compaction share, ids re-added with new text:
    after every change the updated index equals a fresh one, and the index it came from is untouched."""
    rng = random.Random(6)
    words = ("council digital data cyber services leaders housing care adult social local government cloud "
             "platform strategy skills procurement suppliers resilience inclusion").split()

    def text() -> dict[str, int]:
        return term_counts(" ".join(rng.choice(words) for _ in range(rng.randint(0, 40))))

    terms = {f"c{i}": text() for i in range(400)}
    live_ids = list(terms)
    index = BM25Index(live_ids, [terms[c] for c in live_ids])
    compactions = 0
    for step in range(80):
        removed = rng.sample(live_ids, rng.randint(0, 12 if step % 20 else 90))
        changed = rng.sample([c for c in live_ids if c not in removed], 3)
        added = [f"c{len(terms) + j}" for j in range(rng.randint(0, 10))]
        for c in added + changed:
            terms[c] = text()
        live_ids = [c for c in live_ids if c not in removed and c not in changed] + added + changed
        before = index.scores("cyber data")
        nxt = index.updated(removed + changed, added + changed, [terms[c] for c in added + changed])
        assert np.array_equal(index.scores("cyber data"), before)  # the old index is left as it was
        compactions += nxt.layout()["rows"] < index.layout()["rows"] + len(added + changed)
        index = nxt
        fresh = BM25Index(live_ids, [terms[c] for c in live_ids])
        assert index.ids == live_ids
        for query in ("digital council", "cyber cyber data", "housing care strategy", "resilience", "zebra"):
            assert np.allclose(index.scores(query), fresh.scores(query), rtol=1e-6, atol=1e-7), (step, query)
        assert {t: index.idf[i] for t, i in index.vocab.items()} == {t: fresh.idf[i] for t, i in fresh.vocab.items()}
    assert compactions >= 2
    assert index.layout()["segments"] <= 6


def test_removing_everything_and_starting_again():
    index = BM25Index(["a", "b"], [{"cyber": 2}, {"data": 1}])
    empty = index.updated(["a", "b"], [], [])
    assert empty.search("cyber", 5) == [] and empty.scores("cyber").shape == (0,) and not empty.vocab
    again = empty.updated([], ["c"], [{"cyber": 1}])
    assert [c for c, _ in again.search("cyber", 5)] == ["c"] and list(again.vocab) == ["cyber"]
    assert again.layout() == {"rows": 1, "live": 1, "segments": 1}


def test_a_catalog_change_in_another_process_is_picked_up(tmp_path):
    """The generation is the signal: a second Catalog (as a CLI run would open) writes, the live index sees it."""
    from ingest.records import Chunk

    path = tmp_path / "catalog.sqlite3"
    live = LiveBM25(Catalog(path))
    assert live.current().n_docs == 0
    writer = Catalog(Path(path))
    chunk = Chunk(chunk_id="d:1", doc_id="d", text="Cyber resilience for councils", start=0, end=29, section=(),
                  page=None, title="d", content_hash="h1")
    writer.replace_document({"doc_id": "d", "content_hash": "x"}, chunk.text, [chunk], [term_counts(chunk.text)])
    assert [c for c, _ in live.current().search("cyber", 5)] == ["d:1"]
    assert live.last_update["terms_read"] == 1
