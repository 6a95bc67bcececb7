"""The sentences stage of ingest: vectors for the answerable units (ingest.sentences.split_units) of every
chunk, made once at ingest so an extractive answer only looks its candidate sentences up instead of
embedding them per question (the assistant's VectorCache reads them from the catalog).

A unit's vector is read off the chunk's own model pass (`span_vectors`: the mean of the unit's tokens as the
model read them in the chunk), so the embedding stage makes them with the chunk vectors at no extra model
cost; on the project's eval sets these in-context vectors pick the cited passage more often than sentences
embedded alone (assistant/CALIBRATION.md). This stage fills in whatever that left out.

The catalog links each chunk to its units' hashes in the document's own transaction; this stage embeds
the linked units whose vector is not stored yet, deduplicated by text hash, longest first, storing each
slice as soon as it is made. So one query finds new and changed chunks, a run cut short, and an index
made with the setting off; an unchanged corpus costs that query and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .catalog import Catalog
from .chunker import embed_text
from .records import Chunk
from .sentences import split_units, text_hash

SLICE = 512  # sentences embedded and stored per step (a run cut short loses at most one slice)
PAGE = 2000  # chunks read from the catalog at a time


def unit_spans(chunk: Chunk) -> tuple[str, list[tuple[int, int]], list[str]]:
    """What the model reads for a chunk (`embed_text`), and its units' character spans in it and hashes."""
    text = embed_text(chunk)
    base = len(text) - len(chunk.shown)  # embed_text ends with chunk.shown; units are substrings of it
    units = split_units(chunk)
    return text, [(base + start, base + start + len(t)) for start, t in units], [text_hash(t) for _, t in units]


def missing_units(catalog: Catalog) -> dict[str, tuple[str, Chunk]]:
    """{text hash: (unit text, a chunk holding it)} of the units linked to chunks but without a stored
    vector, longest first."""
    links = catalog.missing_sentence_links()
    if not links:
        return {}
    wanted = {h for _, h in links}
    ids = list(dict.fromkeys(cid for cid, _ in links))
    todo: dict[str, tuple[str, Chunk]] = {}
    for i in range(0, len(ids), PAGE):
        for chunk in catalog.chunks(ids[i:i + PAGE]):
            for _, text in split_units(chunk):
                h = text_hash(text)
                if h in wanted:
                    todo.setdefault(h, (text, chunk))
    return dict(sorted(todo.items(), key=lambda kv: -len(kv[1][0])))


def span_vectors(embedder: Any, chunks: list[Chunk], wanted: set[str] | None = None,
                 progress: Callable[[int], None] | None = None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The chunks' vectors and their units' vectors (those in `wanted`, or all), from one model pass per
    chunk: a unit's vector is its tokens' mean as the model read them in the chunk (`pool_spans`)."""
    prepared = [unit_spans(c) for c in chunks]
    pooled, parts = embedder.encode_spans([t for t, _, _ in prepared], [sp for _, sp, _ in prepared],
                                          progress=progress)
    units: dict[str, np.ndarray] = {}
    for (_, _, hashes), vecs in zip(prepared, parts, strict=True):
        for h, v in zip(hashes, vecs, strict=True):
            if (wanted is None or h in wanted) and h not in units and v.any():
                units[h] = v
    return pooled, units


def embed_units(catalog: Catalog, embedder: Any, todo: dict[str, tuple[str, Chunk]],
                progress: Callable[[int, int], None] | None = None, slice_size: int | None = None) -> int:
    """Embed and store `todo` (from missing_units) slice by slice; `progress(done, total)`. Returns how many.

    With an embedder that reads spans, each unit is read in its chunk (one pass per chunk holding missing
    units); a unit the model cannot reach there, or any unit with another embedder, is embedded alone."""
    keys = list(todo)
    slice_size = slice_size or SLICE
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, len(keys))

    for i in range(0, len(keys), slice_size):
        part = keys[i:i + slice_size]
        vectors: dict[str, np.ndarray] = {}
        if hasattr(embedder, "encode_spans"):
            chunks = list({todo[h][1].chunk_id: todo[h][1] for h in part}.values())
            vectors = span_vectors(embedder, chunks, set(part))[1]
        alone = [h for h in part if h not in vectors]
        if alone:
            vectors.update(zip(alone, embedder.encode([todo[h][0] for h in alone]), strict=True))
        catalog.store_sentence_vectors({h: vectors[h] for h in part})
        tick(len(part))
    return len(keys)
