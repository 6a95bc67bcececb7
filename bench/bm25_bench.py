"""The keyword index after a catalog change: `LiveBM25`'s incremental update (after adding, updating or
removing one document) against the full rebuild every change used to cost, on a copy of the largest
synthetic index. Also checks the updated index scores exactly as a fresh build."""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from .common import CACHE, log, stats, time_calls
from .data import scifact_docs, scifact_queries
from .synth import DOC_CHUNKS, build

STAMP = "2026-01-01T00:00:00+00:00"


def run_bm25(size: int, base_docs: int, repeats: int = 5, n_queries: int = 100) -> dict[str, Any]:
    from ingest.store import HNSW

    source = build(size, dict(HNSW), base_docs) / "catalog.sqlite3"
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        path = Path(tmp) / "catalog.sqlite3"
        src, dst = sqlite3.connect(source), sqlite3.connect(path)
        src.backup(dst)  # the cached index itself is never changed
        src.close()
        dst.close()
        return _measure(path, repeats, n_queries)


def _measure(path: Path, repeats: int, n_queries: int) -> dict[str, Any]:
    from ingest.catalog import Catalog
    from ingest.lexical import BM25Index, LiveBM25

    catalog = Catalog(path)
    live = LiveBM25(catalog)
    t0 = time.perf_counter()
    live.current()
    out: dict[str, Any] = {"chunks": catalog.chunk_count(), "first_build_s": time.perf_counter() - t0}
    queries = scifact_queries(n_queries)
    texts = [d.text for d in scifact_docs(repeats * DOC_CHUNKS + 50)[-repeats * DOC_CHUNKS:]]
    victims = sorted({cid.split(":")[0] for cid in catalog.chunk_ids()})[:2 * repeats]
    log(f"keyword index updates on {out['chunks']:,} chunks ({repeats} of each change)")
    changes: dict[str, list[dict[str, Any]]] = {"add": [], "update": [], "remove": []}
    for r in range(repeats):
        _add(catalog, f"bench-added-{r:03d}", texts[r * DOC_CHUNKS:(r + 1) * DOC_CHUNKS])
        changes["add"].append(_timed(live, queries[r]))
        _edit(catalog, victims[r], f"An added sentence, revision {r}.")
        changes["update"].append(_timed(live, queries[r]))
        catalog.remove_document(victims[repeats + r])
        changes["remove"].append(_timed(live, queries[r]))
    out["changes"] = {kind: _summary(rows) for kind, rows in changes.items()}

    t0 = time.perf_counter()
    fresh = BM25Index.from_json(*catalog.all_terms())
    out["rebuild_s"] = time.perf_counter() - t0  # what every change cost before the index was incremental
    updated = live.current()
    diffs = [_max_diff(updated, fresh, q) for q in queries]
    out["max_score_diff"] = max(diffs)
    out["layout"] = updated.layout()
    out["bm25_search"] = {"updated": stats(time_calls(lambda q: updated.search(q, 50), queries)),
                          "fresh": stats(time_calls(lambda q: fresh.search(q, 50), queries))}
    catalog.close()
    return out


def _timed(live: Any, query: str) -> dict[str, Any]:
    """One update as a member pays it: the update itself, then what the first question touches."""
    t0 = time.perf_counter()
    index = live.current()
    t1 = time.perf_counter()
    index.search(query, 50)
    t2 = time.perf_counter()
    live.known_ids()
    t3 = time.perf_counter()
    _ = index.vocab, index.idf  # what the decline check reads
    t4 = time.perf_counter()
    return {"update": t1 - t0, "catalog_read": live.last_update["read_seconds"], "search": t2 - t1,
            "known": t3 - t2, "vocab": t4 - t3, "terms_read": live.last_update["terms_read"]}


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {key: stats([r[key] for r in rows]) for key in ("update", "catalog_read", "search", "known", "vocab")}
    out["terms_read"] = max(r["terms_read"] for r in rows)
    return out


def _max_diff(a: Any, b: Any, query: str) -> float:
    sa, sb = dict(zip(a.ids, a.scores(query).tolist(), strict=True)), dict(zip(b.ids, b.scores(query).tolist(), strict=True))
    assert sa.keys() == sb.keys()
    return max((abs(sa[c] - sb[c]) for c in sa), default=0.0)


def _add(catalog: Any, doc_id: str, bodies: list[str]) -> None:
    from ingest.records import Chunk

    chunks = []
    for i, body in enumerate(bodies):
        c = Chunk(chunk_id=f"{doc_id}:{i}", doc_id=doc_id, text=body, start=0, end=len(body), section=(), page=None,
                  title=doc_id, publisher="SciFact", source=f"{doc_id}.txt", kind="text", ingested_at=STAMP, ordinal=i)
        c.content_hash = hashlib.sha256(f"{doc_id}\n{body}".encode()).hexdigest()
        chunks.append(c)
    _write(catalog, doc_id, chunks)


def _edit(catalog: Any, doc_id: str, sentence: str) -> None:
    """The document again with one sentence added to its first chunk (same chunk ids, new content)."""
    chunks = catalog.chunks(doc_id=doc_id)
    first = chunks[0]
    first.text = f"{first.text} {sentence}"
    first.end = first.start + len(first.text)
    first.content_hash = hashlib.sha256(f"{first.title}\n{first.text}".encode()).hexdigest()
    _write(catalog, doc_id, chunks)


def _write(catalog: Any, doc_id: str, chunks: list[Any]) -> None:
    from ingest.lexical import term_counts

    row = {"doc_id": doc_id, "title": chunks[0].title, "publisher": "SciFact", "kind": "text", "category": "abstract",
           "source": f"{doc_id}.txt", "url": "", "file_path": "", "content_hash": chunks[0].content_hash,
           "n_chunks": len(chunks), "added_at": STAMP, "updated_at": STAMP}
    catalog.replace_document(row, "\n\n".join(c.text for c in chunks), chunks,
                             [term_counts(f"{c.title}\n{c.text}") for c in chunks])
