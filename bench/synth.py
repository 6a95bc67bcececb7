"""Synthetic indexes of 1,000 to 100,000 chunks built straight into a catalog and Chroma, from real
SciFact chunk texts and their real vectors (embedding 100,000 passages would take hours here).

The first R chunks are the real ones. Every further chunk mixes two real passages: the sentences of one
(about a tenth of them dropped, whole) plus a sentence of another, and the vector normalise(v_a + 0.35 v_b
+ noise), so texts and vectors stay paired and the neighbourhoods look like real ones, not copies.
Because the texts are made of whole real sentences, their answerable units are (almost all) units of the
real chunks, whose sentence vectors the real ingest made once for the base index: they are copied, and the
few units that are new (short sentences merged differently) are embedded by the ingest's own sentences
stage. So answers meet stored sentence vectors exactly as on a real index.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from .common import CACHE, log, timer
from .data import base_passages, ensure_base_sentences

DOC_CHUNKS = 10  # chunks per synthetic document
VERSION = "s2"  # texts from whole sentences, with stored sentence vectors


def index_dir(n: int, hnsw: dict[str, Any], base_docs: int) -> Path:
    return CACHE / f"synth-{n}-base{base_docs}-efc{hnsw['ef_construction']}-m{hnsw['max_neighbors']}-{VERSION}"


def _split(text: str) -> tuple[str, str]:
    head, _, body = text.partition("\n")
    return (head, body) if body else ("", head)


def make_chunks(n: int, base_docs: int, seed: int = 7) -> tuple[list[tuple[str, str]], np.ndarray]:
    """n (title, body) pairs and their unit vectors, from the real chunks of `base_docs` abstracts."""
    from ingest.sentences import sentence_spans

    texts, vectors, _ = base_passages(base_docs)
    r = len(texts)
    rng = np.random.default_rng(seed)
    pairs = [_split(t) for t in texts[:n]]
    out_vecs = [vectors[:min(n, r)]]
    extra = n - len(pairs)
    if extra > 0:
        a = rng.integers(0, r, extra)
        b = rng.integers(0, r, extra)
        noise = rng.standard_normal((extra, vectors.shape[1])).astype(np.float32) * (0.3 / np.sqrt(vectors.shape[1]))
        mixed = vectors[a] + 0.35 * vectors[b] + noise
        out_vecs.append(mixed / np.linalg.norm(mixed, axis=1, keepdims=True))
        for ia, ib in zip(a, b, strict=True):
            title, body = _split(texts[ia])
            spans = sentence_spans(body) or [(0, len(body))]
            keep = rng.random(len(spans)) > 0.1
            if not keep.any():
                keep[int(rng.integers(0, len(spans)))] = True
            other = _split(texts[ib])[1]
            others = sentence_spans(other) or [(0, len(other))]
            s, e = others[int(rng.integers(0, len(others)))]
            pairs.append((title, _kept(body, spans, keep) + " " + other[s:e]))
    return pairs, np.concatenate(out_vecs).astype(np.float32)


def _kept(text: str, spans: list[tuple[int, int]], keep: np.ndarray) -> str:
    """The kept sentences of `text`, each followed by the separator that followed it (space or newline)."""
    out = ""
    for i, (s, e) in enumerate(spans):
        if keep[i]:
            gap = text[e:spans[i + 1][0]] if i + 1 < len(spans) else ""
            out += text[s:e] + (gap if "\n" in gap else " ")
    return out.rstrip()


def build(n: int, hnsw: dict[str, Any], base_docs: int) -> Path:
    """The data directory of an n-chunk index with these HNSW settings (built once, then cached)."""
    from ingest.catalog import Catalog
    from ingest.lexical import term_counts
    from ingest.records import Chunk
    from ingest.sentences import unit_hashes
    from ingest.store import VectorStore

    data_dir = index_dir(n, hnsw, base_docs)
    if (data_dir / ".complete").is_file():
        return data_dir
    shutil.rmtree(data_dir, ignore_errors=True)
    log(f"building a synthetic index of {n} chunks in {data_dir}")
    pairs, vectors = make_chunks(n, base_docs)
    catalog = Catalog(data_dir / "catalog.sqlite3")
    ids: list[str] = []
    with timer() as t_cat:
        for d in range(0, n, DOC_CHUNKS):
            doc_id = f"synth-{d // DOC_CHUNKS:06d}"
            group = pairs[d:d + DOC_CHUNKS]
            title = group[0][0] or doc_id
            text, chunks, pos = "", [], 0
            for i, (_, body) in enumerate(group):
                if text:
                    text += "\n\n"
                    pos += 2
                c = Chunk(chunk_id=f"{doc_id}:{i}", doc_id=doc_id, text=body, start=pos, end=pos + len(body),
                          section=(), page=None, title=title, publisher="SciFact", source=f"{doc_id}.txt",
                          kind="text", ingested_at="2026-01-01T00:00:00+00:00", ordinal=i)
                c.content_hash = hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()
                text += body
                pos += len(body)
                chunks.append(c)
                ids.append(c.chunk_id)
            row = {"doc_id": doc_id, "title": title, "publisher": "SciFact", "kind": "text", "category": "abstract",
                   "source": f"{doc_id}.txt", "url": "", "file_path": "", "content_hash": doc_id,
                   "n_chunks": len(chunks), "added_at": "2026-01-01T00:00:00+00:00",
                   "updated_at": "2026-01-01T00:00:00+00:00"}
            catalog.replace_document(row, text, chunks, [term_counts(f"{title}\n{c.text}") for c in chunks],
                                     [unit_hashes(c) for c in chunks])
    with timer() as t_sent:
        sentences = _sentence_vectors(catalog, base_docs)
    store = VectorStore(data_dir, "", "socitm", hnsw=hnsw)
    metas = [{"doc_id": cid.split(":")[0]} for cid in ids]
    with timer() as t_vec:
        store.upsert(ids, vectors, metas, batch=5000)
    np.save(data_dir / "bench-vectors.npy", vectors)
    (data_dir / "bench-ids.json").write_text(json.dumps(ids), encoding="utf-8")
    (data_dir / ".complete").write_text(json.dumps({"catalog_s": t_cat["seconds"], "chroma_s": t_vec["seconds"],
                                                    "sentences_s": t_sent["seconds"], "sentences": sentences,
                                                    "hnsw": hnsw}), encoding="utf-8")
    log(f"  catalog {t_cat['seconds']:.0f} s, sentence vectors {t_sent['seconds']:.0f} s ({sentences}), "
        f"Chroma {t_vec['seconds']:.0f} s")
    return data_dir


def _sentence_vectors(catalog: Any, base_docs: int) -> dict[str, int]:
    """Copy the base index's real sentence vectors for the units the synthetic chunks link to, then let
    the ingest's sentences stage embed what is left (units the base chunks do not have)."""
    from ingest.embedder import shared_embedder
    from ingest.sentence_vectors import embed_units, missing_units
    from ingest.settings import Settings

    base = ensure_base_sentences(base_docs) / "catalog.sqlite3"
    linked = catalog.sentence_counts()[0]
    catalog.db.execute("ATTACH DATABASE ? AS base", (str(base),))
    try:
        with catalog.tx() as db:
            copied = db.execute("INSERT OR IGNORE INTO sentence_vectors(text_hash, vector) SELECT text_hash, vector "
                                "FROM base.sentence_vectors WHERE text_hash IN (SELECT text_hash FROM chunk_sentences)"
                                ).rowcount
    finally:
        catalog.db.execute("DETACH DATABASE base")
    todo = missing_units(catalog)
    if todo:
        settings = Settings()
        embed_units(catalog, shared_embedder(settings.embed_batch, settings.embed_backend), todo)
    return {"units": linked, "copied": copied, "embedded": len(todo)}
