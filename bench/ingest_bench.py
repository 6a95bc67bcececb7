"""Ingest throughput (project vs raw SentenceTransformer.encode vs plain llama-index) and the cost of
re-ingesting an unchanged corpus."""

from __future__ import annotations

import cProfile
import os
import pstats
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from .common import CACHE, ROOT, log, stats, timer
from .data import corpus_folder, keep_as_base, slice_folders

RUNS = CACHE / "runs"


class _Timed:
    """Wraps a callable and adds its wall time to a named bucket (bench instrumentation only)."""

    def __init__(self, fn: Callable[..., Any], buckets: dict[str, float], name: str):
        self.fn, self.buckets, self.name = fn, buckets, name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return self.fn(*args, **kwargs)
        finally:
            self.buckets[self.name] = self.buckets.get(self.name, 0.0) + time.perf_counter() - t0


def _fresh(name: str) -> Path:
    """An empty folder of its own: embedded Chroma keeps one client per path per process, so a path is never
    reused within a process (earlier runs' folders are deleted)."""
    for old in RUNS.glob(f"{name}-*"):
        shutil.rmtree(old, ignore_errors=True)
    path = RUNS / f"{name}-{os.getpid()}-{time.monotonic_ns()}"
    path.mkdir(parents=True)
    return path


class ProjectRun:
    """The project's Ingestor on a fresh data directory, fed slice by slice, with a per-stage breakdown."""

    def __init__(self, name: str, batch: int, embedder: Any, sentence_vectors: bool = True):
        from ingest.pipeline import Ingestor
        from ingest.settings import Settings

        self.data_dir = _fresh(f"project-{name}")
        self.ingestor = Ingestor(Settings(data_dir=self.data_dir, embed_batch=batch, sentence_vectors=sentence_vectors),
                                 embedder=embedder)
        self.embedder = embedder
        self.stages: dict[str, float] = {}
        self.seconds, self.embedded, self.sentences, self.docs = 0.0, 0, 0, 0
        self.loads: list[float] = []
        ing = self.ingestor
        ing.store.upsert = _Timed(ing.store.upsert, self.stages, "chroma_upsert")  # type: ignore[method-assign]
        ing.catalog.replace_document = _Timed(ing.catalog.replace_document, self.stages,  # type: ignore[method-assign]
                                              "catalog_write")
        ing.catalog.cache_vectors = _Timed(ing.catalog.cache_vectors, self.stages,  # type: ignore[method-assign]
                                           "catalog_write")
        ing.catalog.store_sentence_vectors = _Timed(ing.catalog.store_sentence_vectors,  # type: ignore[method-assign]
                                                    self.stages, "catalog_write")
        ing._chunk = _Timed(ing._chunk, self.stages, "clean_structure_chunk")  # type: ignore[method-assign]
        ing._embed_sentences = self._sentences(ing._embed_sentences)  # type: ignore[method-assign]
        self._encode: _Timed | None = None
        self._units_seen: set[str] = set()

    def _sentences(self, stage: Callable[..., Any]) -> Callable[..., Any]:
        """The sentences stage, its model time booked as 'sentence embedding' instead of 'embedding'."""
        def run(*args: Any, **kwargs: Any) -> Any:
            if self._encode is not None:
                self._encode.name = "sentence embedding"
            try:
                return stage(*args, **kwargs)
            finally:
                if self._encode is not None:
                    self._encode.name = "embedding"
        return run

    def step(self, folder: Path) -> tuple[list[str], list[str]]:
        """Ingest one folder; returns the embedded texts of its chunks and the sentences it embedded for
        them (what the raw encode runs get)."""
        from ingest.chunker import embed_text
        from ingest.sentences import split_units, text_hash

        encode = self.embedder.encode
        self.embedder.encode = self._encode = _Timed(encode, self.stages, "embedding")
        spans = getattr(self.embedder, "encode_spans", None)
        if spans is not None:  # chunk and sentence vectors from one model pass: booked as embedding
            self.embedder.encode_spans = _Timed(spans, self.stages, "embedding")
        try:
            with timer() as t:
                report = self.ingestor.ingest([folder])
        finally:
            self.embedder.encode = encode
            if spans is not None:
                self.embedder.encode_spans = spans
            self._encode = None
        assert not report.failed, report.summary()
        self.seconds += t["seconds"]
        self.loads.append(t["load_after"])
        self.embedded += report.embedded
        self.sentences += report.sentences
        self.docs += report.count("added")
        ids = {r.doc_id for r in report.results}
        chunks = [c for doc_id in sorted(ids) for c in self.ingestor.catalog.chunks(doc_id=doc_id)]
        units = {text_hash(t): t for c in chunks for _, t in split_units(c)} if report.sentences else {}
        new = [t for h, t in units.items() if h not in self._units_seen]
        self._units_seen.update(units)
        return [embed_text(c) for c in chunks], new

    def result(self) -> dict[str, Any]:
        n = self.ingestor.catalog.chunk_count()
        other = self.seconds - sum(self.stages.values())
        return {"seconds": self.seconds, "chunks": n, "embedded": self.embedded, "sentences": self.sentences,
                "docs": self.docs,
                "chunks_per_s": n / self.seconds, "stages": {**self.stages, "other (read, hash, terms, files)": other},
                "load": self.loads}


class RawRun:
    """SentenceTransformer.encode on exactly the project's chunk texts, same batch size."""

    def __init__(self, model: Any, batch: int):
        self.model, self.batch = model, batch
        self.seconds, self.chunks = 0.0, 0
        self.loads: list[float] = []

    def step(self, texts: list[str]) -> None:
        with timer() as t:
            self.model.encode(texts, batch_size=self.batch, normalize_embeddings=True, convert_to_numpy=True,
                              show_progress_bar=False)
        self.seconds += t["seconds"]
        self.chunks += len(texts)
        self.loads.append(t["load_after"])

    def result(self) -> dict[str, Any]:
        return {"seconds": self.seconds, "chunks": self.chunks, "chunks_per_s": self.chunks / self.seconds,
                "load": self.loads}


class LlamaRun:
    """A plain llama-index pipeline with its defaults: read, split, embed, write to Chroma."""

    def __init__(self) -> None:
        import chromadb
        from llama_index.core import Settings as LlamaSettings
        from llama_index.embeddings.huggingface import HuggingFaceEmbedding

        from ingest.tokens import model_dir

        LlamaSettings.llm = None
        self.embed = HuggingFaceEmbedding(model_name=str(model_dir()), device="cpu")
        self.embed.get_text_embedding("warm up")
        client = chromadb.PersistentClient(path=str(_fresh("llama-index")))
        self.collection = client.get_or_create_collection("llama_index", embedding_function=None)
        self.seconds, self.docs = 0.0, 0
        self.loads: list[float] = []

    def step(self, folder: Path) -> None:
        from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
        from llama_index.vector_stores.chroma import ChromaVectorStore

        with timer() as t:
            docs = SimpleDirectoryReader(str(folder), required_exts=[".txt"], exclude_hidden=False).load_data()
            store = ChromaVectorStore(chroma_collection=self.collection)
            VectorStoreIndex.from_documents(docs, storage_context=StorageContext.from_defaults(vector_store=store),
                                            embed_model=self.embed)
        self.seconds += t["seconds"]
        self.docs += len(docs)
        self.loads.append(t["load_after"])

    def result(self) -> dict[str, Any]:
        from ingest.tokens import MODEL_MAX_PIECES, count_many

        n = self.collection.count()
        texts = [t for t in self.collection.get(include=["documents"])["documents"] or [] if t]
        pieces = count_many(texts)
        window = MODEL_MAX_PIECES - 2
        return {"seconds": self.seconds, "chunks": n, "docs": self.docs, "chunks_per_s": n / self.seconds,
                "batch": self.embed.embed_batch_size, "load": self.loads,
                "cut_chunks": sum(p > window for p in pieces),
                "unembedded_share": sum(max(0, p - window) for p in pieces) / max(sum(pieces), 1)}


def run_throughput(n_docs: int, batch: int, with_llama: bool = True, with_torch: bool = True,
                   slices: int = 5) -> dict[str, Any]:
    """Project (default backend with and without sentence vectors, and torch without) vs raw encode vs
    llama-index, interleaved slice by slice so that a change in the machine's load hits every pipeline alike.
    Raw encode embeds the chunk texts only; the project reads its sentence vectors off the same model pass."""
    from ingest.embedder import shared_embedder
    from ingest.settings import Settings

    backend = Settings().embed_backend
    parts = slice_folders(n_docs, slices)
    torch_model = shared_embedder(batch, "torch")
    default = shared_embedder(batch, backend)
    for model in (torch_model, default):
        model.encode(["warm up the model"] * batch)
    project = ProjectRun(backend, batch, default)
    plain = ProjectRun(f"plain-{backend}", batch, default, sentence_vectors=False)
    same = ProjectRun("torch", batch, torch_model, sentence_vectors=False) if with_torch and backend != "torch" else None
    raw = RawRun(torch_model.model, batch)
    llama = LlamaRun() if with_llama else None
    for k, part in enumerate(parts):
        log(f"ingest throughput: slice {k + 1}/{len(parts)} through every pipeline")
        texts, _ = project.step(part)
        plain.step(part)
        raw.step(texts)
        if same is not None:
            same.step(part)
        if llama is not None:
            llama.step(part)
    p, r = project.result(), raw.result()
    keep_as_base(project.data_dir, n_docs)
    out: dict[str, Any] = {"n_docs": n_docs, "batch": batch, "backend": backend, "slices": len(parts),
                           "project": p, "raw": r, "project_vs_raw": p["chunks_per_s"] / r["chunks_per_s"]}
    out["project_no_sentences"] = plain.result()
    out["project_no_sentences_vs_raw"] = out["project_no_sentences"]["chunks_per_s"] / r["chunks_per_s"]
    if same is not None:
        out["project_torch"] = same.result()
        out["project_torch_vs_raw"] = out["project_torch"]["chunks_per_s"] / r["chunks_per_s"]
    if llama is not None:
        out["llama_index"] = llama.result()
        out["project_vs_llama_docs_per_s"] = out["llama_index"]["seconds"] / p["seconds"]
        out["project_no_sentences_vs_llama_docs_per_s"] = out["llama_index"]["seconds"] / out["project_no_sentences"]["seconds"]
    return out


# re-ingest of an unchanged corpus -------------------------------------------------------------
class _StandInEmbedder:
    """Deterministic unit vectors from the text's hash: builds the 5,000-document index in seconds.
    Only the unchanged re-ingest is measured, and it must not embed anything."""

    def encode(self, texts: list[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        import hashlib

        out = np.zeros((len(texts), 384), dtype=np.float32)
        for i, t in enumerate(texts):
            rng = np.random.default_rng(int.from_bytes(hashlib.sha1(t.encode()).digest()[:8], "little"))
            v = rng.standard_normal(384).astype(np.float32)
            out[i] = v / np.linalg.norm(v)
        if progress:
            progress(len(texts))
        return out


class _Refuse:
    def encode(self, texts: list[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        raise AssertionError(f"an unchanged re-ingest tried to embed {len(texts)} chunks")


def run_reingest(n_docs: int, repeats: int = 3) -> dict[str, Any]:
    from ingest.pipeline import Ingestor
    from ingest.settings import Settings

    folder = corpus_folder(n_docs)
    data_dir = CACHE / f"reingest-{n_docs}"
    settings = Settings(data_dir=data_dir)
    with timer() as build:
        first = Ingestor(settings, embedder=_StandInEmbedder()).ingest([folder])
    log(f"re-ingest: index of {n_docs} documents ready ({first.summary()})")
    seconds, counts = [], {}
    for _ in range(repeats):
        t0 = time.perf_counter()
        report = Ingestor(settings, embedder=_Refuse()).ingest([folder])
        seconds.append(time.perf_counter() - t0)
        counts = {s: report.count(s) for s in ("added", "updated", "unchanged", "failed")}
        assert report.embedded == 0 and counts["unchanged"] == n_docs, report.summary()
    prof = cProfile.Profile()
    prof.enable()
    Ingestor(settings, embedder=_Refuse()).ingest([folder])
    prof.disable()
    top = _top_functions(prof, 12)
    t0 = time.perf_counter()
    cli = subprocess.run([sys.executable, "-m", "ingest", str(folder), "--data-dir", str(data_dir), "--json"],
                         capture_output=True, text=True, cwd=ROOT, timeout=600)
    cli_seconds = time.perf_counter() - t0
    if cli.returncode != 0:
        raise RuntimeError(cli.stderr[-2000:])
    chunks = sum(r.chunks for r in first.results)
    return {"n_docs": n_docs, "chunks": chunks, "counts": counts, "seconds": stats(seconds),
            "cli_seconds": cli_seconds, "first_build_seconds": build["seconds"], "first_build": first.summary(),
            "profile_top": top}


def _top_functions(prof: cProfile.Profile, n: int) -> list[dict[str, Any]]:
    st = pstats.Stats(prof)
    rows = []
    for (file, line, func), (_cc, calls, tottime, cumtime, _callers) in st.stats.items():  # type: ignore[attr-defined]
        rows.append({"function": f"{Path(file).name}:{line}({func})", "calls": calls, "self_s": round(tottime, 3),
                     "cumulative_s": round(cumtime, 3)})
    rows.sort(key=lambda r: -r["self_s"])
    return rows[:n]
