"""Read access to what `ingest` wrote: the catalog, the keyword index and the Chroma collection."""

from __future__ import annotations

import json
import threading
from functools import cached_property
from typing import Any

from ingest.catalog import Catalog
from ingest.errors import IndexUnavailable
from ingest.headings import HeadingIndex
from ingest.lexical import LiveBM25
from ingest.settings import Settings
from ingest.store import VectorStore
from ingest.tokens import model_identity

from .acronyms import defined

# Only chunks with a bracket can define an acronym ("Community Safety Partnerships (CSPs)").
_BRACKETED_CHUNKS = "SELECT text, section FROM chunks WHERE text LIKE '%(%' OR section LIKE '%(%'"


class Index:
    """Everything retrieval needs, opened lazily and shared; the model is loaded once per process."""

    def __init__(self, settings: Settings, embedder: Any = None):
        self.settings = settings
        self._embedder = embedder
        self._lock = threading.Lock()
        self._headings: tuple[int, HeadingIndex] | None = None
        self._acronyms: tuple[int, dict[str, str]] | None = None
        if not settings.chroma_url and not settings.catalog_path.is_file():
            raise IndexUnavailable(f"No index in {settings.data_dir}. Build it with: python -m ingest corpus/")

    @cached_property
    def catalog(self) -> Catalog:
        catalog = Catalog(self.settings.catalog_path)
        catalog.check_model(model_identity(self.settings.embed_model))
        return catalog

    @cached_property
    def store(self) -> VectorStore:
        return VectorStore(self.settings.data_dir, self.settings.chroma_url, self.settings.collection)

    @cached_property
    def bm25(self) -> LiveBM25:
        return LiveBM25(self.catalog)

    def headings(self) -> HeadingIndex:
        """The heading index for the catalog's current generation (rebuilt only when it moves)."""
        gen = self.catalog.generation()
        with self._lock:
            if self._headings is None or self._headings[0] != gen:
                self._headings = (gen, HeadingIndex(self.catalog, self.embedder))
            return self._headings[1]

    def acronyms(self) -> dict[str, str]:
        """Acronyms the indexed documents define, {"CSP": "Community Safety Partnerships"} (per generation)."""
        gen = self.catalog.generation()
        with self._lock:
            if self._acronyms is None or self._acronyms[0] != gen:
                rows = self.catalog.db.execute(_BRACKETED_CHUNKS).fetchall()
                self._acronyms = (gen, defined(t for text, section in rows
                                               for t in [text or "", *json.loads(section or "[]")]))
            return self._acronyms[1]

    @property
    def embedder(self) -> Any:
        if self._embedder is None:
            from ingest.embedder import shared_embedder

            self._embedder = shared_embedder(self.settings.embed_batch, self.settings.embed_backend,
                                             self.settings.embed_model)
        return self._embedder
