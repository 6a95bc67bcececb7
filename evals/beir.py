"""BEIR benchmarks through the project's own pipeline: the corpus is chunked, embedded and indexed by
`ingest` into a cached data directory of its own, and queried with `assistant.retriever.HybridRetriever`;
chunk scores are aggregated to documents by their best chunk (the usual max-passage rule)."""

from __future__ import annotations

import hashlib
import json
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ingest.errors import SocitmError
from ingest.records import LoadedDocument, Page
from ingest.settings import PROJECT_DIR, Settings
from ingest.tokens import model_identity

from .metrics import mrr_at, ndcg_at, recall_at

CACHE_ROOT = PROJECT_DIR / ".cache" / "beir"
MARKER = "beir-index.json"
DOC_DEPTH = 100  # documents ranked per query: enough for recall@100
CHUNK_DEPTH = 300  # chunks fetched per query before aggregation (about 1.7 chunks per SciFact abstract)

# Published nDCG@10 on the test split, for comparison (BM25: BEIR paper, Thakur et al. 2021, and Anserini's
# flat index; dense: all-MiniLM-L6-v2 on the MTEB leaderboard).
BASELINES: dict[str, dict[str, float]] = {
    "scifact": {"BM25 (BEIR paper)": 0.665, "BM25 flat (Anserini)": 0.679, "all-MiniLM-L6-v2 (MTEB)": 0.645},
}
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


@dataclass
class BeirData:
    """A BEIR dataset folder: corpus.jsonl, queries.jsonl and qrels/<split>.tsv."""

    folder: Path
    split: str
    queries: dict[str, str] = field(default_factory=dict)  # only the queries judged in the split
    qrels: dict[str, dict[str, int]] = field(default_factory=dict)  # query id -> {doc id: grade > 0}

    @property
    def name(self) -> str:
        return self.folder.resolve().name

    @property
    def corpus_path(self) -> Path:
        return self.folder / "corpus.jsonl"


def load_beir(folder: Path, split: str = "test") -> BeirData:
    """Read the queries and judgements of one split; the corpus is streamed when it is indexed."""
    folder = Path(folder)
    qrels_path = folder / "qrels" / f"{split}.tsv"
    for needed in (folder / "corpus.jsonl", folder / "queries.jsonl", qrels_path):
        if not needed.is_file():
            raise SocitmError(f"{needed} not found: a BEIR folder holds corpus.jsonl, queries.jsonl and "
                              f"qrels/<split>.tsv (split '{split}')")
    data = BeirData(folder, split)
    for n, line in enumerate(qrels_path.read_text(encoding="utf-8").splitlines()):
        parts = line.split("\t")
        if len(parts) < 3 or (n == 0 and not parts[2].strip().lstrip("-").isdigit()):
            continue  # the header line, or a blank one
        qid, did, grade = parts[0].strip(), parts[1].strip(), int(parts[2])
        if grade > 0:
            data.qrels.setdefault(qid, {})[did] = grade
    with (folder / "queries.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                q = json.loads(line)
                if str(q["_id"]) in data.qrels:
                    data.queries[str(q["_id"])] = q["text"]
    missing = set(data.qrels) - set(data.queries)
    if missing:
        raise SocitmError(f"{qrels_path}: {len(missing)} judged queries are not in queries.jsonl "
                          f"(e.g. {sorted(missing)[0]})")
    return data


def iter_corpus(path: Path) -> Iterator[tuple[str, str, str]]:
    """(id, title, text) of each corpus line."""
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                d = json.loads(line)
                yield str(d["_id"]), d.get("title") or "", d.get("text") or ""


def doc_id_for(beir_id: str) -> str:
    """The catalog id of a BEIR document: itself when it is a safe folder name, else a stable hash."""
    if _SAFE_ID.fullmatch(beir_id):
        return beir_id
    return "beir-" + hashlib.sha1(beir_id.encode()).hexdigest()[:16]


def cache_dir_for(data: BeirData, root: Path = CACHE_ROOT, settings: Settings | None = None) -> Path:
    """<root>/<dataset>-<hash of the corpus file's content (and the chunking settings, and the model)>.

    The content, not the file's time: a copy of the same dataset (a fresh checkout, a copied folder) reuses the
    index, and a changed corpus gets a new one."""
    from ingest.chunker import CHUNKER_VERSION

    s = settings or Settings()
    key = f"{_file_digest(data.corpus_path)}:{CHUNKER_VERSION}:{s.chunk_tokens}:{s.overlap_tokens}"
    if s.embed_model:  # another model's vectors: an index of their own (the bundled model keeps the old key)
        key += f":{model_identity(s.embed_model)}"
    return Path(root) / f"{data.name}-{hashlib.sha1(key.encode()).hexdigest()[:12]}"


def _file_digest(path: Path) -> str:
    h = hashlib.sha1()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def build_index(data: BeirData, data_dir: Path, settings: Settings | None = None) -> dict[str, Any]:
    """Index the corpus with the ingest pipeline unless a finished index is already there.

    Returns the index's marker (documents, chunks, seconds, reused). An interrupted build resumes:
    documents already written are unchanged and their vectors are in the catalog's cache."""
    marker = Path(data_dir) / MARKER
    if marker.is_file() and (Path(data_dir) / "catalog.sqlite3").is_file():
        info = json.loads(marker.read_text(encoding="utf-8"))
        return {**info, "reused": True}
    from tqdm import tqdm

    from ingest.pipeline import Ingestor

    # retrieval is all a benchmark measures: sentence vectors (for extractive answers) would double the work
    base = (settings or Settings()).with_(data_dir=Path(data_dir), sentence_vectors=False)
    total = sum(1 for _ in iter_corpus(data.corpus_path))
    ids: dict[str, str] = {}
    bar = tqdm(total=total, desc=f"Indexing {data.name}", unit="doc", file=sys.stderr, dynamic_ncols=True,
               mininterval=0.5)

    def documents() -> Iterator[LoadedDocument]:
        for beir_id, title, text in iter_corpus(data.corpus_path):
            doc_id = doc_id_for(beir_id)
            ids[doc_id] = beir_id
            bar.update(1)
            body = text if text.strip() else title
            yield LoadedDocument(doc_id=doc_id, title=title.strip(), source=f"beir:{data.name}/{beir_id}",
                                 kind="text", pages=[Page(body)], publisher=data.name, raw=body.encode())

    report = Ingestor(base).ingest_documents(documents(), total=total)
    bar.close()
    if report.failed:
        print(f"{len(report.failed)} documents had no text to index (e.g. {report.failed[0].source})",
              file=sys.stderr)
    (Path(data_dir) / "beir-ids.json").write_text(json.dumps(ids), encoding="utf-8")
    info = {"dataset": data.name, "documents": total - len(report.failed), "embedded": report.embedded,
            "chunks": report.chunks_written, "seconds": round(report.seconds, 1),
            "built_at": time.strftime("%Y-%m-%d %H:%M:%S")}
    marker.write_text(json.dumps(info, indent=1), encoding="utf-8")
    return {**info, "reused": False}


@dataclass(frozen=True)
class RetrievalConfig:
    """How the hybrid retriever is set up for a run (defaults come from Settings)."""

    mode: str = "hybrid"
    fusion: str = "convex"
    alpha: float = 0.5
    k1: float = 0.9
    b: float = 0.4
    depth: int = CHUNK_DEPTH  # candidates fetched from each side before fusion
    prf_docs: int = 0  # dense pseudo-relevance feedback: chunks of the first ranking mixed into the query vector
    prf_weight: float = 0.0  # their mean's weight against the query vector (Rocchio)

    @classmethod
    def from_settings(cls, settings: Settings, mode: str = "hybrid", **changes: Any) -> RetrievalConfig:
        """The app's own retrieval settings (fusion and alpha from Settings, BM25's defaults), then `changes`."""
        from ingest.lexical import BM25Index

        k1, b = _bm25_defaults(BM25Index)
        base = {"mode": mode, "fusion": settings.fusion, "alpha": settings.fusion_alpha, "k1": k1, "b": b}
        return cls(**{**base, **{k: v for k, v in changes.items() if v is not None}})

    def label(self) -> str:
        if self.mode != "hybrid":
            return self.mode if self.mode == "dense" else f"bm25 k1={self.k1} b={self.b}"
        fusion = f"convex a={self.alpha}" if self.fusion == "convex" else "rrf"
        prf = f" prf={self.prf_docs}x{self.prf_weight}" if self.prf_docs and self.prf_weight else ""
        return f"hybrid {fusion} k1={self.k1} b={self.b} depth={self.depth}{prf}"


def _bm25_defaults(cls: Any) -> tuple[float, float]:
    import inspect

    params = inspect.signature(cls.__init__).parameters
    return float(params["k1"].default), float(params["b"].default)


class BeirSearcher:
    """Runs queries against a BEIR index and ranks documents by their best chunk."""

    def __init__(self, data_dir: Path, settings: Settings | None = None):
        from assistant.index import Index

        self.settings = (settings or Settings()).with_(data_dir=Path(data_dir))
        self.index = Index(self.settings)
        ids_file = Path(data_dir) / "beir-ids.json"
        self.beir_ids: dict[str, str] = json.loads(ids_file.read_text(encoding="utf-8")) if ids_file.is_file() else {}
        chunks = self.index.catalog.chunks()
        self.doc_of = {c.chunk_id: c.doc_id for c in chunks}
        self.hash_of = {c.chunk_id: c.content_hash for c in chunks}
        self._vectors: dict[str, np.ndarray] = {}
        self._bm25: dict[tuple[float, float], Any] = {}

    def vectors(self, queries: dict[str, str], progress: bool = True) -> dict[str, np.ndarray]:
        """Query embeddings, computed once per query text and kept for every later mode."""
        from tqdm import tqdm

        todo = [t for t in queries.values() if t not in self._vectors]
        for text in tqdm(todo, desc="Embedding queries", unit="q", file=sys.stderr, disable=not progress or not todo,
                         dynamic_ncols=True, mininterval=0.5):
            self._vectors[text] = self.index.embedder.encode_query(text)
        return {qid: self._vectors[t] for qid, t in queries.items()}

    def retriever(self, config: RetrievalConfig):  # type: ignore[no-untyped-def]
        from assistant.retriever import HybridRetriever
        from ingest.lexical import LiveBM25

        key = (config.k1, config.b)
        if key not in self._bm25:
            self._bm25[key] = LiveBM25(self.index.catalog, k1=config.k1, b=config.b)
        self.index.bm25 = self._bm25[key]  # the Index's keyword side, with this run's BM25 parameters
        return HybridRetriever(self.index, config.mode, config.fusion, config.alpha, depth=config.depth)

    def feedback_vector(self, vector: np.ndarray, chunk_ids: list[str], weight: float) -> np.ndarray:
        """Rocchio: the query vector moved towards the mean of the top chunks' vectors, unit length again."""
        cached = self.index.catalog.cached_vectors([self.hash_of[c] for c in chunk_ids if c in self.hash_of])
        if not cached:
            return vector
        moved = vector + weight * np.mean(np.stack(list(cached.values())), axis=0)
        return moved / max(float(np.linalg.norm(moved)), 1e-9)

    def search(self, queries: dict[str, str], config: RetrievalConfig, progress: bool = True,
               ignore_self: bool = True) -> dict[str, list[tuple[str, float]]]:
        """Query id -> [(BEIR doc id, score)] best first, DOC_DEPTH long."""
        from tqdm import tqdm

        vectors = self.vectors(queries, progress) if config.mode != "bm25" else {}
        retriever = self.retriever(config)
        out: dict[str, list[tuple[str, float]]] = {}
        for qid, text in tqdm(queries.items(), desc=f"Querying ({config.mode})", unit="q", file=sys.stderr,
                              disable=not progress, dynamic_ncols=True, mininterval=0.5):
            ranked = retriever.ranked(text, k=config.depth, vector=vectors.get(qid))
            if config.prf_docs and config.prf_weight and config.mode != "bm25":
                vector = self.feedback_vector(vectors[qid], [r[0] for r in ranked[:config.prf_docs]], config.prf_weight)
                ranked = retriever.ranked(text, k=config.depth, vector=vector)
            best: dict[str, float] = {}
            for cid, score, _, _ in ranked:
                doc = self.beir_ids.get(self.doc_of.get(cid, ""), self.doc_of.get(cid, ""))
                if not doc or (ignore_self and doc == qid):
                    continue
                if score > best.get(doc, -np.inf):
                    best[doc] = score
            out[qid] = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:DOC_DEPTH]
        return out


def score_run(run: dict[str, list[tuple[str, float]]], qrels: dict[str, dict[str, int]]) -> dict[str, Any]:
    """nDCG@10 (graded gains as in trec_eval), recall@100 and MRR@10: mean and per query."""
    per: dict[str, dict[str, float]] = {}
    for qid, judged in qrels.items():
        ranked = [d for d, _ in run.get(qid, [])]
        per[qid] = {"ndcg@10": ndcg_at(ranked, judged, 10), "recall@100": recall_at(ranked, set(judged), 100),
                    "mrr@10": mrr_at(ranked, set(judged), 10)}
    n = max(len(per), 1)
    mean = {m: round(sum(p[m] for p in per.values()) / n, 4) for m in ("ndcg@10", "recall@100", "mrr@10")}
    return {**mean, "per_query": per}


def first_relevant(ranked: list[str], relevant: set[str]) -> int | None:
    return next((i + 1 for i, d in enumerate(ranked) if d in relevant), None)


def evaluate_beir(data: BeirData, modes: list[str], settings: Settings | None = None, cache_root: Path = CACHE_ROOT,
                  progress: bool = True, **overrides: Any) -> dict[str, Any]:
    """Index (or reuse) the corpus, run the split's queries in each mode, score them.

    `overrides` set RetrievalConfig fields (fusion, alpha, k1, b, depth) instead of the defaults."""
    t0 = time.perf_counter()
    settings = settings or Settings()
    data, excluded = _without_training_queries(data, settings.embed_model)
    data_dir = cache_dir_for(data, cache_root, settings)
    info = build_index(data, data_dir, settings)
    searcher = BeirSearcher(data_dir, settings)
    results: dict[str, dict[str, float]] = {}
    per_query: dict[str, dict[str, dict[str, Any]]] = {}
    curves: dict[str, list[float]] = {}
    labels: dict[str, str] = {}
    for mode in modes:
        config = RetrievalConfig.from_settings(settings, mode, **overrides)
        run = searcher.search(data.queries, config, progress)
        scored = score_run(run, data.qrels)
        per = scored.pop("per_query")
        for qid, m in per.items():
            ranked = [d for d, _ in run.get(qid, [])]
            m["rank"] = first_relevant(ranked, set(data.qrels[qid]))
        results[mode] = scored
        per_query[mode] = per
        curves[mode] = [round(sum(recall_at([d for d, _ in run.get(q, [])], set(j), k) for q, j in data.qrels.items())
                              / max(len(data.qrels), 1), 4) for k in range(1, DOC_DEPTH + 1)]
        labels[mode] = config.label()
    config_info = {"data_dir": str(data_dir), "documents": info.get("documents"), "chunks": info.get("chunks"),
                   "reused": info["reused"], "index_seconds": info.get("seconds"), "labels": labels,
                   "seconds": round(time.perf_counter() - t0, 1), "date": time.strftime("%Y-%m-%d %H:%M:%S"),
                   "model": model_identity(settings.embed_model), "excluded_training_queries": excluded}
    return {"kind": "beir", "dataset": data.name, "split": data.split, "n_queries": len(data.queries),
            "results": results, "baselines": BASELINES.get(data.name.lower(), {}), "config": config_info,
            "recall_curve": curves, "per_query": per_query}


def _without_training_queries(data: BeirData, model: str) -> tuple[BeirData, int]:
    """`data` without the queries a fine-tuned `model` learnt from (evals/finetune.py), and how many."""
    from dataclasses import replace

    from .finetune import training_queries

    seen = training_queries(model, data) if model else None
    if not seen:
        return data, 0
    if seen >= set(data.queries):
        raise SocitmError(f"{model} was fine-tuned on every query of {data.name}'s '{data.split}' split: score "
                          "another split (test), or fine-tune with --hold-out")
    kept = {q: t for q, t in data.queries.items() if q not in seen}
    return replace(data, queries=kept, qrels={q: data.qrels[q] for q in kept}), len(seen)
