"""The ingest pipeline: load → clean → structure → chunk → embed → write → sentences, incremental and
crash-safe.

Write order for one document: vectors go to Chroma first (new ids; kept ids get fresh metadata) and the
original is stored under files/<doc_id>/, then the catalog swaps the document's chunks and keyword terms
in one SQLite transaction (the commit point), then Chroma drops the ids the catalog no longer has.
Vectors are cached in the catalog as they are made, so an interrupted run resumes without re-embedding.
A crash at any point leaves at worst orphan vectors, which search ignores (it only returns ids the
catalog knows) and the next run removes (`reconcile`, which also finishes removals cut short).
The answerable units' (sentences') vectors are read off the same model pass as their chunk's vector and
stored with it (sentence_vectors.py); last, the sentences stage fills in any unit the catalog links to a
chunk but holds no vector for (a chunk whose vector was cached, a run cut short, the setting turned on
later). A crash leaves units without vectors, which answers make on the fly and the next run fills in.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from .catalog import Catalog
from .chunker import CHUNKER_VERSION, Chunker, embed_text
from .clean import clean_text, drop_repeated_lines
from .corpus import read_sources
from .errors import BadDocument, SocitmError
from .fetch import fetch_url
from .headings import heading_of
from .lexical import term_counts
from .loaders import SUPPORTED, LoadLimits, doc_id_for, is_url, load_path, slugify
from .lock import IngestLock
from .originals import Originals
from .records import Chunk, LoadedDocument
from .sentence_vectors import embed_units, missing_units, span_vectors
from .sentences import UNITS_VERSION, unit_hashes
from .settings import Settings
from .store import VectorStore, set_aside_embedded
from .structure import parse_blocks
from .tokens import model_identity

TERMS_VERSION = "2"  # bump when keyword_terms changes: documents are re-indexed (vectors come from the cache)
Progress = Callable[[str, int, int], None]  # (stage, done, total)
EMBED_SLICE = 32  # vectors are cached in the catalog after each slice


@dataclass
class DocResult:
    source: str
    status: str  # added | updated | unchanged | failed | removed | restored
    doc_id: str = ""
    title: str = ""
    chunks: int = 0
    reason: str = ""

    def line(self) -> str:
        if self.status == "failed":
            return f"FAILED     {self.source}: {self.reason}"
        return f"{self.status:<10} {self.doc_id} ({self.chunks} chunks) {self.title}"


@dataclass
class IngestReport:
    results: list[DocResult] = field(default_factory=list)
    chunks_written: int = 0
    embedded: int = 0
    sentences: int = 0  # new sentence vectors
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def failed(self) -> list[DocResult]:
        return [r for r in self.results if r.status == "failed"]

    def summary(self) -> str:
        parts = [f"{self.count(s)} {s}" for s in ("added", "updated", "unchanged", "removed", "restored", "failed")
                 if self.count(s) or s in ("added", "updated", "unchanged", "failed")]
        return (f"Documents: {', '.join(parts)}. Chunks written: {self.chunks_written}; "
                f"new embeddings: {self.embedded}; new sentence vectors: {self.sentences}; {self.seconds:.1f} s.")

    def to_dict(self) -> dict[str, Any]:
        return {"results": [r.__dict__ for r in self.results], "chunks_written": self.chunks_written,
                "embedded": self.embedded, "sentences": self.sentences, "seconds": round(self.seconds, 3),
                "counts": {s: self.count(s) for s in ("added", "updated", "unchanged", "removed", "restored", "failed")}}


@dataclass
class _Prepared:
    doc: LoadedDocument
    text: str
    chunks: list[Chunk]
    content_hash: str
    status: str


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Ingestor:
    """Keeps the catalog, the keyword terms and the Chroma collection in step for one data directory."""

    def __init__(self, settings: Settings, embedder: Any = None, lock_wait: float = 0.0):
        self.settings = settings
        self.catalog = Catalog(settings.catalog_path)
        self.catalog.check_model(model_identity(settings.embed_model), claim=True)
        self.chunker = Chunker(settings.chunk_tokens, settings.overlap_tokens)
        self.limits = LoadLimits(max_bytes=int(settings.max_file_mb * 1024 * 1024), max_pdf_pages=settings.max_pdf_pages,
                                 timeout=settings.fetch_timeout, allow_private=settings.allow_private_urls)
        self._embedder = embedder
        self._store: VectorStore | None = None
        self.originals = Originals(settings.files_dir, settings.trash_dir)
        self.lock_wait = lock_wait

    @property
    def embedder(self) -> Any:
        if self._embedder is None:
            from .embedder import shared_embedder

            self._embedder = shared_embedder(self.settings.embed_batch, self.settings.embed_backend,
                                             self.settings.embed_model)
        return self._embedder

    @property
    def store(self) -> VectorStore:
        if self._store is None:
            self._store = VectorStore(self.settings.data_dir, self.settings.chroma_url, self.settings.collection)
        return self._store

    # public operations -----------------------------------------------------------------------
    def ingest(self, sources: Iterable[str | Path], progress: Progress | None = None,
               metadata: dict[str, dict[str, Any]] | None = None, names: dict[str, str] | None = None) -> IngestReport:
        """Add or update files, folders and web addresses. `names` maps a path to the name it was uploaded as."""
        return self._ingest(sources, progress, metadata, names, tidy=True)

    def _ingest(self, sources: Iterable[str | Path], progress: Progress | None,
                metadata: dict[str, dict[str, Any]] | None, names: dict[str, str] | None, tidy: bool) -> IngestReport:
        t0 = time.perf_counter()
        report = IngestReport()
        items = self._expand(sources, report)
        with IngestLock(self.settings.data_dir, self.lock_wait):
            self.reconcile(tidy=tidy)

            def prepared() -> Iterator[_Prepared | None]:
                for n, (source, meta) in enumerate(items):
                    if progress:
                        progress("reading", n, len(items))
                    yield self._prepare(source, {**meta, **(metadata or {}).get(str(source), {})}, report,
                                        (names or {}).get(str(source)))

            self._write_in_groups(prepared(), report, progress)
            self._embed_sentences(report, progress)
        report.seconds = time.perf_counter() - t0
        return report

    def ingest_documents(self, docs: Iterable[LoadedDocument], progress: Progress | None = None,
                         total: int = 0) -> IngestReport:
        """Add or update documents already in memory (e.g. an evaluation corpus): chunked, embedded and
        written exactly like files, nothing read or fetched. Each needs doc_id, title, kind and pages."""
        t0 = time.perf_counter()
        report = IngestReport()
        with IngestLock(self.settings.data_dir, self.lock_wait):
            self.reconcile()

            def prepared() -> Iterator[_Prepared | None]:
                for n, doc in enumerate(docs):
                    if progress:
                        progress("reading", n, total)
                    yield self._prepare_loaded(doc, report, doc.source or doc.doc_id)

            self._write_in_groups(prepared(), report, progress)
            self._embed_sentences(report, progress)
        report.seconds = time.perf_counter() - t0
        return report

    def preview(self, sources: Iterable[str | Path]) -> IngestReport:
        """What `ingest` would do (statuses and chunk counts), reading and chunking but writing nothing."""
        t0 = time.perf_counter()
        report = IngestReport()
        for source, meta in self._expand(sources, report):
            prepared = self._prepare(source, meta, report, None)
            if prepared is not None:
                doc = prepared.doc
                report.results.append(DocResult(doc.source, prepared.status, doc.doc_id, doc.title, len(prepared.chunks)))
        report.seconds = time.perf_counter() - t0
        return report

    def remove(self, doc_id: str, keep_file: bool = True) -> DocResult:
        """Remove a document and every chunk of it; its original moves to the trash until `purge`."""
        with IngestLock(self.settings.data_dir, self.lock_wait):
            doc = self.catalog.document(doc_id)
            if doc is None:
                raise SocitmError(f"No document with id '{doc_id}'. See: python -m ingest --list")
            self.originals.mark_removing(doc_id)
            ids = self.catalog.remove_document(doc_id)  # the commit point; Chroma and files follow
            self.store.delete(ids)
            self.originals.to_trash(doc_id, _meta_of(doc, full=True), keep_file)
        return DocResult(doc["source"], "removed", doc_id, doc["title"], len(ids))

    def restore(self, doc_id: str) -> IngestReport:
        """Bring back a removed document from the trash."""
        found = self.originals.trashed(doc_id)
        if found is None:
            raise SocitmError(f"'{doc_id}' is not in the trash ({self.settings.trash_dir}); nothing to restore.")
        original, doc = found
        report = self._ingest([original], None, {str(original): _meta_of(doc)},
                              {str(original): doc.get("source") or original.name}, tidy=False)
        if not report.failed:
            self.originals.forget_trashed(doc_id)
        for r in report.results:
            if r.status in ("added", "updated", "unchanged"):
                r.status = "restored"
        return report

    def purge(self) -> int:
        """Delete the originals of removed documents for good."""
        with IngestLock(self.settings.data_dir, self.lock_wait):
            n = self.originals.purge()
            self.catalog.prune_vectors()
        return n

    def sync(self, folder: Path, progress: Progress | None = None) -> IngestReport:
        """Make the index match `folder`: ingest what is there, remove file documents that are not."""
        report = self.ingest([folder], progress)
        present = {r.doc_id for r in report.results if r.doc_id}
        failed_sources = {r.source for r in report.failed}
        for doc in self.catalog.documents():
            if doc["doc_id"] not in present and not is_url(doc["source"] or "") and doc["source"] not in failed_sources:
                report.results.append(self.remove(doc["doc_id"]))
        return report

    def rebuild(self, progress: Progress | None = None) -> IngestReport:
        """Recreate the index from the stored originals under files/ (described by their document.json,
        or the catalog when that is missing). Vectors come from the catalog's cache when it has them."""
        with IngestLock(self.settings.data_dir, self.lock_wait):
            rows = {d["doc_id"]: d for d in self.catalog.documents()}
            self.originals.tidy(set(rows))
            stored = self.originals.stored()
            lost = sorted(set(rows) - set(stored))
            for doc_id in lost:  # no original left: it cannot be rebuilt, so it leaves the index
                self.catalog.remove_document(doc_id)
            self._drop_collection()
            with self.catalog.tx() as db:
                db.execute("DELETE FROM chunk_sentences")
                db.execute("DELETE FROM chunks")
                db.execute("UPDATE documents SET content_hash = ''")
                db.execute("UPDATE meta SET value = value + 1 WHERE key='generation'")
        paths: list[str | Path] = []
        meta, names = {}, {}
        for doc_id, (path, described) in stored.items():
            info = {**rows.get(doc_id, {}), **(described or {}), "doc_id": doc_id}
            paths.append(path)
            meta[str(path)] = _meta_of(info)
            names[str(path)] = info.get("source") or path.name
        report = self._ingest(paths, progress, meta, names, tidy=False)
        for doc_id in lost:
            report.results.append(DocResult(rows[doc_id]["source"], "failed", doc_id, rows[doc_id]["title"],
                                            reason="its stored original is missing; add the document again"))
        return report

    def _drop_collection(self) -> None:
        """Delete the Chroma collection; an embedded store that cannot even be opened is set aside."""
        try:
            store = self.store
        except Exception:  # noqa: BLE001 - a damaged embedded store fails in many ways
            if self.settings.chroma_url:
                raise
            set_aside_embedded(self.settings.data_dir)
        else:
            try:
                store.client.delete_collection(self.settings.collection)
            except Exception:  # noqa: BLE001 - no collection yet
                pass
        self._store = None

    def reconcile(self, tidy: bool = True) -> tuple[int, int]:
        """Make Chroma hold exactly the catalog's chunks (drop orphans, restore missing vectors from the
        cache) and, with `tidy`, finish file moves a crash cut short (see Originals.tidy)."""
        known = set(self.catalog.chunk_ids())
        stored = self.store.ids()
        orphans = sorted(stored - known)
        missing = sorted(known - stored)
        if orphans:
            self.store.delete(orphans)
        if missing:
            chunks = self.catalog.chunks(missing)
            vectors = self._vectors(chunks, None)
            self.store.upsert([c.chunk_id for c in chunks], vectors, [c.metadata() for c in chunks])
        if tidy:
            self.originals.tidy({d["doc_id"] for d in self.catalog.documents()})
        return len(orphans), len(missing)

    # internals -------------------------------------------------------------------------------
    def _expand(self, sources: Iterable[str | Path], report: IngestReport) -> list[tuple[str | Path, dict[str, Any]]]:
        items: list[tuple[str | Path, dict[str, Any]]] = []
        for source in sources:
            if isinstance(source, str) and is_url(source):
                items.append((source, {}))
                continue
            path = Path(source)
            if path.is_dir():
                meta, _ = read_sources(path)
                files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED
                               and not any(part.startswith(".") for part in p.relative_to(path).parts))
                if not files:
                    report.results.append(DocResult(str(path), "failed", reason="holds no PDF, HTML, Markdown, text or .docx files"))
                items += [(p, meta.get(p.name, {})) for p in files]
            else:
                meta, _ = read_sources(path.parent)
                items.append((path, meta.get(path.name, {})))
        return items

    def _prepare(self, source: str | Path, meta: dict[str, Any], report: IngestReport,
                 shown_name: str | None) -> _Prepared | None:
        name = shown_name or str(source)
        try:
            if isinstance(source, str) and is_url(source):
                doc = fetch_url(source, self.limits)
            else:
                doc = load_path(Path(source), self.limits, name)
            doc.doc_id = meta.get("doc_id") or doc.doc_id
            doc.title = meta.get("title") or doc.title or _title_from(doc)
            doc.publisher = meta.get("publisher", doc.publisher)
            doc.category = meta.get("kind", meta.get("category", doc.category))
            doc.url = meta.get("url", doc.url)
        except BadDocument as e:  # the id it would have had, so `sync` keeps an older good version
            report.results.append(DocResult(name, "failed", meta.get("doc_id") or doc_id_for(name), reason=e.reason))
            return None
        return self._prepare_loaded(doc, report, name)

    def _prepare_loaded(self, doc: LoadedDocument, report: IngestReport, name: str) -> _Prepared | None:
        try:
            if not doc.doc_id or doc.doc_id.startswith(".") or any(c in doc.doc_id for c in "/\\\0"):
                raise BadDocument(name, f"has an unusable document id '{doc.doc_id}' (it names a folder)")
            content_hash = document_hash(doc, self.settings)
            old = self.catalog.document(doc.doc_id)
            if old is not None and old["content_hash"] == content_hash:  # unchanged: not even cleaned or chunked
                report.results.append(DocResult(name, "unchanged", doc.doc_id, doc.title, old["n_chunks"]))
                return None
            text, chunks = self._chunk(doc)
            if not chunks:
                raise BadDocument(name, "has no text to index after cleaning")
        except BadDocument as e:
            report.results.append(DocResult(name, "failed", doc.doc_id, reason=e.reason))
            return None
        return _Prepared(doc, text, chunks, content_hash, "added" if old is None else "updated")

    def _chunk(self, doc: LoadedDocument) -> tuple[str, list[Chunk]]:
        pages = [p.text for p in doc.pages]
        if doc.kind == "pdf":
            pages = drop_repeated_lines([clean_text(p) for p in pages])
        else:
            pages = [clean_text(p) for p in pages]
        text, starts, pos = "", [], 0
        for page, body in zip(doc.pages, pages, strict=True):
            if not body:
                continue
            if text:
                text += "\n\n"
                pos += 2
            starts.append((pos, page.number))
            text += body
            pos += len(body)
        blocks = parse_blocks(text, starts or [(0, None)], doc.title, wrapped=doc.kind == "pdf")
        chunks = self.chunker.chunk(text, blocks, doc.doc_id, doc.title)
        stamp = now()
        for c in chunks:
            c.publisher, c.source, c.url, c.kind, c.ingested_at = doc.publisher, doc.source, doc.url, doc.kind, stamp
        return text, chunks

    def _vectors(self, chunks: list[Chunk], progress: Progress | None) -> np.ndarray:
        """Vectors for chunks: from the cache by content hash, embedding only what is new."""
        hashes = [c.content_hash for c in chunks]
        cached = self.catalog.cached_vectors(sorted(set(hashes)))
        todo: dict[str, str] = {}
        holder: dict[str, Chunk] = {}
        for c in chunks:
            if c.content_hash not in cached and c.content_hash not in todo:
                todo[c.content_hash] = embed_text(c)
                holder[c.content_hash] = c
        spans = self.settings.sentence_vectors and hasattr(self.embedder, "encode_spans") if todo else False
        if todo:
            embedder = self.embedder  # load the model first, so the bar measures embedding only
            keys = sorted(todo, key=lambda h: -len(todo[h]))  # similar lengths per slice: less padding
            texts = [todo[h] for h in keys]
            done = [0]

            def tick(n: int) -> None:
                done[0] += n
                bar.update(n)
                if progress:
                    progress("embedding", done[0], len(keys))

            bar = _bar(len(keys))
            try:
                for i in range(0, len(keys), EMBED_SLICE):
                    if spans:  # the units' vectors come from the same model pass (sentence_vectors.py)
                        vecs, units = span_vectors(embedder, [holder[h] for h in keys[i:i + EMBED_SLICE]],
                                                   progress=tick)
                        self._sentences += self.catalog.store_sentence_vectors(units)
                    else:
                        vecs = embedder.encode(texts[i:i + EMBED_SLICE], progress=tick)
                    fresh = dict(zip(keys[i:i + EMBED_SLICE], vecs, strict=True))
                    self.catalog.cache_vectors(fresh)  # kept at once: an interrupted run resumes from here
                    cached.update(fresh)
                    self._embedded += len(fresh)
            finally:
                bar.close()
        return np.stack([cached[h] for h in hashes]) if hashes else np.zeros((0, 384), dtype=np.float32)

    _embedded = 0
    _sentences = 0  # unit vectors made in the embedding stage

    def _embed_sentences(self, report: IngestReport, progress: Progress | None) -> None:
        """Vectors for the answerable units that have none yet (the setting can turn this off)."""
        if not self.settings.sentence_vectors:
            return
        todo = missing_units(self.catalog)
        if not todo:
            return
        embedder = self.embedder
        bar = _bar(len(todo), "Sentences", "sentence")

        def tick(done: int, total: int) -> None:
            bar.update(done - bar.n)
            if progress:
                progress("sentences", done, total)

        try:
            report.sentences += embed_units(self.catalog, embedder, todo, tick)
        finally:
            bar.close()

    def _write_in_groups(self, prepared: Iterable[_Prepared | None], report: IngestReport,
                         progress: Progress | None, group_chunks: int = 2000) -> None:
        """Write prepared documents in groups of about `group_chunks` chunks (one embedding pass each)."""
        group: list[_Prepared] = []
        size = 0
        for p in prepared:
            if p is not None:
                group.append(p)
                size += len(p.chunks)
            if size >= group_chunks:
                self._write_group(group, report, progress)
                group, size = [], 0
        self._write_group(group, report, progress)

    def _write_group(self, group: list[_Prepared], report: IngestReport, progress: Progress | None) -> None:
        if not group:
            return
        before, sentences_before = self._embedded, self._sentences
        all_chunks = [c for p in group for c in p.chunks]
        vectors = self._vectors(all_chunks, progress)
        report.embedded += self._embedded - before
        report.sentences += self._sentences - sentences_before
        # The group's new vectors and changed metadata go to Chroma in one call each (the per-call cost,
        # ~20 ms, dominates small documents); each document's catalog swap in _write stays its commit
        # point, so the crash guarantees hold.
        old_ids = {cid for p in group for cid in self.catalog.chunk_ids(p.doc.doc_id)}
        last = {c.chunk_id: i for i, c in enumerate(all_chunks)}  # a document listed twice: its last version
        fresh = [i for cid, i in last.items() if cid not in old_ids]
        kept = [i for cid, i in last.items() if cid in old_ids]
        if fresh:
            self.store.upsert([all_chunks[i].chunk_id for i in fresh], vectors[fresh],
                              [all_chunks[i].metadata() for i in fresh])
        if kept:  # same text, but offsets, ordinal, page or publisher may have moved
            self.store.update_metadata([all_chunks[i].chunk_id for i in kept], [all_chunks[i].metadata() for i in kept])
        upserted = {all_chunks[i].chunk_id for i in fresh}
        offset = 0
        for p in group:
            n = len(p.chunks)
            vecs = vectors[offset:offset + n]
            offset += n
            self._write(p, vecs, upserted)
            report.chunks_written += n
            report.results.append(DocResult(p.doc.source, p.status, p.doc.doc_id, p.doc.title, n))

    def _write(self, p: _Prepared, vectors: np.ndarray, upserted: set[str]) -> None:
        """Vectors first (those not already `upserted` with the group), then the catalog swap (the commit
        point), then stale vectors and files go."""
        doc = p.doc
        old_ids = set(self.catalog.chunk_ids(doc.doc_id))
        new_ids = [c.chunk_id for c in p.chunks]
        fresh = [i for i, cid in enumerate(new_ids) if cid not in old_ids and cid not in upserted]
        if fresh:  # only a document listed twice in one group gets here
            self.store.upsert([new_ids[i] for i in fresh], vectors[fresh], [p.chunks[i].metadata() for i in fresh])
        old = self.catalog.document(doc.doc_id)
        stamp = now()
        row = {"doc_id": doc.doc_id, "title": doc.title, "publisher": doc.publisher, "kind": doc.kind,
               "category": doc.category, "source": doc.source, "url": doc.url, "file_path": "",
               "content_hash": p.content_hash, "n_chunks": len(p.chunks),
               "added_at": old["added_at"] if old else stamp, "updated_at": stamp}
        raw = doc.raw or "\n\n".join(p.text for p in doc.pages).encode()  # documents made in memory: their text
        file_path = self.originals.keep(doc.doc_id, _file_name(doc), raw, _meta_of(row, full=True))
        row["file_path"] = str(file_path)
        terms = [keyword_terms(c) for c in p.chunks]
        self.catalog.replace_document(row, p.text, p.chunks, terms, [unit_hashes(c) for c in p.chunks])
        stale = sorted(old_ids - set(new_ids))
        if stale:
            self.store.delete(stale)
            upserted.difference_update(stale)
        self.originals.prune(doc.doc_id, file_path)

    def list(self) -> list[dict[str, Any]]:  # last in the class: the name shadows `list` below it
        """Every document in the index (doc_id, title, publisher, kind, category, source, url, ...)."""
        return self.catalog.documents()


def keyword_terms(chunk: Chunk) -> dict[str, int]:
    """BM25 terms: what the model embeds, plus the innermost heading once more, so a question naming a
    section finds it (measured on the eval set: evals/RESULTS.md)."""
    return term_counts(embed_text(chunk) + "\n" + heading_of(chunk))


def document_hash(doc: LoadedDocument, settings: Settings) -> str:
    """What decides 'unchanged': the original bytes (or, for documents made in memory, their text), the
    editorial metadata and the chunking settings. Not the path it was read from: `corpus/` and
    `/abs/corpus` are the same documents."""
    body = doc.raw or "\f".join(p.text for p in doc.pages).encode()
    extra = json.dumps([doc.title, doc.publisher, doc.category, doc.url, CHUNKER_VERSION, TERMS_VERSION, UNITS_VERSION,
                        settings.chunk_tokens, settings.overlap_tokens])
    return hashlib.sha256(body + extra.encode()).hexdigest()


def _meta_of(doc: dict[str, Any], full: bool = False) -> dict[str, Any]:
    """The editorial metadata of a catalog row (with `full`: also source, kind and dates, for document.json)."""
    meta = {"doc_id": doc["doc_id"], "title": doc.get("title") or "", "publisher": doc.get("publisher") or "",
            "category": doc.get("category") or "", "url": doc.get("url") or ""}
    if full:
        meta.update({k: doc.get(k) or "" for k in ("source", "kind", "added_at", "updated_at")})
    return meta


def _file_name(doc: LoadedDocument) -> str:
    """A safe file name for the stored original: the source's name, or the id for web pages."""
    ext = {"pdf": ".pdf", "html": ".html", "docx": ".docx", "markdown": ".md"}.get(doc.kind, ".txt") if doc.raw else ".txt"
    base = Path(doc.source).name if not is_url(doc.source) else slugify(doc.doc_id) + ext
    suffix = Path(base).suffix.lower()
    return slugify(Path(base).stem) + (suffix if suffix in SUPPORTED else ext)


def _title_from(doc: LoadedDocument) -> str:
    for page in doc.pages:
        for line in page.text.split("\n"):
            line = line.strip().lstrip("#").strip()
            if 3 <= len(line) <= 120:
                return line
    return Path(doc.source).stem.replace("-", " ").replace("_", " ").strip().capitalize() or doc.doc_id


def _bar(total: int, desc: str = "Embedding", unit: str = "chunk"):  # type: ignore[no-untyped-def]
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, disable=total < 1,
                dynamic_ncols=True, mininterval=0.5)
