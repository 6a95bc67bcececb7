"""Benchmark material from BEIR SciFact (real scientific abstracts): documents as .txt files, queries,
and the project's own chunks of them with their real vectors (embedded once, cached in .cache/bench)."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .common import CACHE, log

SCIFACT = Path(os.environ.get("SOCITM_SCIFACT", "/work/shared/beir/scifact"))


@dataclass(frozen=True)
class Doc:
    doc_id: str
    title: str
    text: str


def scifact_docs(n: int | None = None) -> list[Doc]:
    """The first n SciFact abstracts (in file order, so every run uses the same ones)."""
    path = SCIFACT / "corpus.jsonl"
    if not path.is_file():
        raise SystemExit(f"SciFact not found at {SCIFACT} (set SOCITM_SCIFACT to the BEIR scifact folder)")
    out: list[Doc] = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row.get("text", "").strip():
                out.append(Doc(f"scifact-{row['_id']}", " ".join(row.get("title", "").split()), row["text"].strip()))
            if n is not None and len(out) >= n:
                break
    return out


def scifact_queries(n: int | None = None) -> list[str]:
    out = []
    with (SCIFACT / "queries.jsonl").open(encoding="utf-8") as f:
        for line in f:
            out.append(json.loads(line)["text"])
            if n is not None and len(out) >= n:
                break
    return out


def scifact_qrels(split: str = "test") -> dict[str, set[str]]:
    """Query text -> relevant document ids (as `scifact-<id>`)."""
    texts = {}
    with (SCIFACT / "queries.jsonl").open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            texts[row["_id"]] = row["text"]
    out: dict[str, set[str]] = {}
    for line in (SCIFACT / "qrels" / f"{split}.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        qid, did, score = line.split("\t")[:3]
        if int(score) > 0 and qid in texts:
            out.setdefault(texts[qid], set()).add(f"scifact-{did}")
    return out


def write_corpus(folder: Path, docs: list[Doc]) -> Path:
    """One .txt per abstract plus sources.toml with its title. Files are only written when missing, so
    their size and modification time stay put between runs (what an unchanged corpus looks like)."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = folder / ".complete"
    if stamp.is_file() and stamp.read_text() == str(len(docs)):
        return folder
    lines = ["# SciFact abstracts written by bench/data.py\n"]
    for d in docs:
        (folder / f"{d.doc_id}.txt").write_text(d.text + "\n", encoding="utf-8")
        lines.append(f'[[document]]\nfile = "{d.doc_id}.txt"\ntitle = {json.dumps(d.title or d.doc_id)}\n'
                     f'publisher = "SciFact"\nkind = "abstract"\n')
    (folder / "sources.toml").write_text("\n".join(lines), encoding="utf-8")
    stamp.write_text(str(len(docs)))
    return folder


def corpus_folder(n: int) -> Path:
    return write_corpus(CACHE / f"scifact-{n}", scifact_docs(n))


def slice_folders(n: int, slices: int) -> list[Path]:
    """The first n abstracts split into `slices` folders (each with its sources.toml), for interleaved runs."""
    docs = scifact_docs(n)
    size = -(-len(docs) // slices)
    root = CACHE / f"scifact-{n}-in-{slices}"
    return [write_corpus(root / f"part-{k}", docs[k * size:(k + 1) * size]) for k in range(slices)]


def base_passages(n_docs: int = 1000) -> tuple[list[str], np.ndarray, list[str]]:
    """(embedded texts, real vectors, doc ids) of the project's chunks of the first n_docs abstracts.

    Built by the project's ingest into .cache/bench/base-<n>/ the first time (the slow part: real
    embeddings), then read from an .npz. The ingest benchmark leaves its catalog there too.
    """
    npz = CACHE / f"base-{n_docs}.npz"
    if not npz.is_file():
        export_passages(ensure_base_index(n_docs), npz)
    data = np.load(npz, allow_pickle=False)
    return [str(t) for t in data["texts"]], data["vectors"].astype(np.float32), [str(d) for d in data["docs"]]


def ensure_base_index(n_docs: int) -> Path:
    from ingest.pipeline import Ingestor
    from ingest.settings import Settings

    data_dir = CACHE / f"base-{n_docs}"
    if not (data_dir / "catalog.sqlite3").is_file():
        log(f"embedding the chunks of {n_docs} SciFact abstracts once (cached in {data_dir})")
        report = Ingestor(Settings(data_dir=data_dir)).ingest([corpus_folder(n_docs)])
        log(report.summary())
    return data_dir


def ensure_base_sentences(n_docs: int) -> Path:
    """The base index with its sentence vectors, by the project's ingest: a base index made before they
    existed is re-indexed once (chunk vectors from its cache; only the sentences are embedded)."""
    from ingest.pipeline import Ingestor
    from ingest.settings import Settings

    data_dir = ensure_base_index(n_docs)
    report = Ingestor(Settings(data_dir=data_dir)).ingest([corpus_folder(n_docs)])
    if report.sentences or report.chunks_written:
        log(f"base index of {n_docs} abstracts: {report.summary()}")
    return data_dir


def keep_as_base(data_dir: Path, n_docs: int) -> None:
    """Reuse a freshly ingested data directory (from the throughput run) as the cached base index."""
    target = CACHE / f"base-{n_docs}"
    if not (target / "catalog.sqlite3").is_file():
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(data_dir, target)


def export_passages(data_dir: Path, npz: Path) -> None:
    from ingest.catalog import Catalog
    from ingest.chunker import embed_text

    catalog = Catalog(data_dir / "catalog.sqlite3")
    chunks = catalog.chunks()
    vectors = catalog.cached_vectors(sorted({c.content_hash for c in chunks}))
    np.savez(npz, texts=np.asarray([embed_text(c) for c in chunks]), docs=np.asarray([c.doc_id for c in chunks]),
             vectors=np.stack([vectors[c.content_hash] for c in chunks]).astype(np.float32))
