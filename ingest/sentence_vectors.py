"""The sentences stage of ingest: vectors for the answerable units (ingest.sentences.split_units) of every
chunk, made once at ingest so an extractive answer only looks its candidate sentences up instead of
embedding them per question (the assistant's VectorCache reads them from the catalog).

The catalog links each chunk to its units' hashes in the document's own transaction; this stage embeds
the linked units whose vector is not stored yet, deduplicated by text hash, longest first, storing each
slice as soon as it is made. So one query finds new and changed chunks, a run cut short, and an index
made with the setting off; an unchanged corpus costs that query and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .catalog import Catalog
from .sentences import split_units, text_hash

SLICE = 512  # sentences embedded and stored per step (a run cut short loses at most one slice)
PAGE = 2000  # chunks read from the catalog at a time


def missing_units(catalog: Catalog) -> dict[str, str]:
    """{text hash: unit text} of the units linked to chunks but without a stored vector, longest first."""
    links = catalog.missing_sentence_links()
    if not links:
        return {}
    wanted = {h for _, h in links}
    ids = list(dict.fromkeys(cid for cid, _ in links))
    todo: dict[str, str] = {}
    for i in range(0, len(ids), PAGE):
        for chunk in catalog.chunks(ids[i:i + PAGE]):
            for _, text in split_units(chunk):
                h = text_hash(text)
                if h in wanted:
                    todo.setdefault(h, text)
    return dict(sorted(todo.items(), key=lambda kv: -len(kv[1])))


def embed_units(catalog: Catalog, embedder: Any, todo: dict[str, str],
                progress: Callable[[int, int], None] | None = None, slice_size: int | None = None) -> int:
    """Embed and store `todo` (from missing_units) slice by slice; `progress(done, total)`. Returns how many."""
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
        vectors = embedder.encode([todo[h] for h in part], progress=tick)
        catalog.store_sentence_vectors(dict(zip(part, vectors, strict=True)))
    return len(keys)
