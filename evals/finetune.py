"""Fine-tune the bundled all-MiniLM-L6-v2 on a BEIR dataset's judged queries (its train split).

    python -m evals finetune --data DIR [--split train] [--out DIR] [--epochs 1] [--hold-out 0.2]

Each judged query is paired with the passage of each relevant document that the bundled model finds closest
to it, and with a hard negative: a passage that the project's own hybrid retriever ranks high but that comes
from a document nobody judged relevant. The model learns from these with the in-batch softmax loss of
sentence-transformers' MultipleNegativesRankingLoss (scale 20), written out here as a plain torch loop so that
nothing beyond torch and sentence-transformers is needed, on the CPU.

The result is an ordinary sentence-transformers folder with the same word pieces and 384-d vectors. Use it
with `SOCITM_EMBED_MODEL=DIR` (an index remembers its model and refuses vectors of another) or
`python -m evals beir --model DIR`, which indexes the dataset again into a cache folder of its own.
`finetune.json` in the folder records the data, the settings, and the queries held out of training: scoring
the same split with `evals beir --model` then uses only those, never the queries the model learnt from.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ingest.errors import SocitmError
from ingest.settings import PROJECT_DIR, Settings

from .beir import CACHE_ROOT, BeirData, BeirSearcher, RetrievalConfig, build_index, cache_dir_for

MODELS_DIR = PROJECT_DIR / ".cache" / "models"
RECORD = "finetune.json"
NEGATIVE_POOL = 30  # hard negatives are drawn from the retriever's best chunks of unjudged documents
SCALE = 20.0  # MultipleNegativesRankingLoss's default: cosine times 20 before the softmax


@dataclass(frozen=True)
class Example:
    query: str
    positive: str  # chunk id
    negatives: tuple[str, ...]  # chunk ids


def held_out(qid: str, fraction: float) -> bool:
    """A fixed, reproducible share of the queries is kept out of training (by a hash of the query id)."""
    return fraction > 0 and int(hashlib.md5(qid.encode()).hexdigest(), 16) % 1000 < fraction * 1000


def mine(searcher: BeirSearcher, data: BeirData, qids: list[str], progress: bool = True) -> list[Example]:
    """One example per (query, relevant document): the document's chunk closest to the query by the current
    model, and the hybrid retriever's best chunks from other documents as negatives."""
    from tqdm import tqdm

    chunks_of: dict[str, list[str]] = {}
    for cid, doc in searcher.doc_of.items():
        chunks_of.setdefault(searcher.beir_ids.get(doc, doc), []).append(cid)
    vectors = searcher.vectors({q: data.queries[q] for q in qids}, progress)
    retriever = searcher.retriever(RetrievalConfig.from_settings(searcher.settings, "hybrid"))
    cached = searcher.index.catalog.cached_vectors(sorted(set(searcher.hash_of.values())))
    out = []
    for qid in tqdm(qids, desc="Mining passages", unit="q", file=sys.stderr, disable=not progress,
                    dynamic_ncols=True, mininterval=0.5):
        relevant = set(data.qrels[qid])
        ranked = retriever.ranked(data.queries[qid], k=300, vector=vectors[qid])
        negatives = tuple(cid for cid, *_ in ranked
                          if searcher.beir_ids.get(searcher.doc_of[cid], searcher.doc_of[cid]) not in relevant | {qid}
                          )[:NEGATIVE_POOL]
        for doc in sorted(relevant):
            candidates = [c for c in chunks_of.get(doc, []) if searcher.hash_of[c] in cached]
            if candidates and negatives:
                best = max(candidates, key=lambda c: float(cached[searcher.hash_of[c]] @ vectors[qid]))
                out.append(Example(data.queries[qid], best, negatives))
    return out


def train(examples: list[Example], texts: dict[str, str], out: Path, epochs: int = 1, lr: float = 2e-5,
          batch: int = 32, seed: int = 0, progress: bool = True) -> dict[str, Any]:
    """Train a copy of the bundled model on the examples and save it to `out`; returns the loss history."""
    import torch
    from sentence_transformers import SentenceTransformer
    from tqdm import tqdm

    from ingest.tokens import model_dir

    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = SentenceTransformer(str(model_dir()), device="cpu", local_files_only=True)
    model.max_seq_length = 256
    steps = epochs * math.ceil(len(examples) / batch)
    warm = max(1, steps // 10)
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(steps - warm, 1))))

    def embed(batch_texts: list[str]) -> Any:
        vectors = model(model.preprocess(batch_texts))["sentence_embedding"]
        return torch.nn.functional.normalize(vectors, dim=-1)

    losses: list[float] = []
    model.train()
    bar = tqdm(total=steps, desc="Fine-tuning", unit="step", file=sys.stderr, disable=not progress,
               dynamic_ncols=True, mininterval=0.5)
    order = list(examples)
    for _ in range(epochs):
        rng.shuffle(order)
        for i in range(0, len(order), batch):
            part = order[i:i + batch]
            queries = embed([e.query for e in part])
            passages = embed([texts[e.positive] for e in part] + [texts[rng.choice(e.negatives)] for e in part])
            loss = torch.nn.functional.cross_entropy(queries @ passages.T * SCALE, torch.arange(len(part)))
            loss.backward()
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            losses.append(round(float(loss.item()), 4))
            bar.update(1)
            bar.set_postfix(loss=f"{losses[-1]:.3f}")
    bar.close()
    model.eval()
    out.mkdir(parents=True, exist_ok=True)
    model.save(str(out))
    return {"steps": steps, "losses": losses}


def finetune(data: BeirData, out: Path | None = None, settings: Settings | None = None,
             cache_root: Path = CACHE_ROOT, epochs: int = 1, lr: float = 2e-5, batch: int = 32,
             hold_out: float = 0.0, progress: bool = True) -> dict[str, Any]:
    """Mine examples from the dataset's index (built with the bundled model), train, save, record."""
    from ingest.chunker import embed_text

    settings = (settings or Settings()).with_(embed_model="")
    if not 0 <= hold_out < 1:
        raise SocitmError(f"--hold-out must be at least 0 and below 1, not {hold_out}")
    out = Path(out or MODELS_DIR / f"{data.name}-{data.split}-e{epochs}")
    t0 = time.perf_counter()
    data_dir = cache_dir_for(data, cache_root, settings)
    build_index(data, data_dir, settings)
    searcher = BeirSearcher(data_dir, settings)
    kept = [q for q in sorted(data.queries) if not held_out(q, hold_out)]
    examples = mine(searcher, data, kept, progress)
    if not examples:
        raise SocitmError(f"{data.folder}: no judged query of split '{data.split}' has a relevant document in the "
                          "index to learn from")
    wanted = {e.positive for e in examples} | {c for e in examples for c in e.negatives}
    texts = {c.chunk_id: embed_text(c) for c in searcher.index.catalog.chunks(sorted(wanted))}
    history = train(examples, texts, out, epochs, lr, batch, progress=progress)
    record = {"dataset": data.name, "data": str(Path(data.folder).resolve()), "split": data.split,
              "queries": len(kept), "examples": len(examples), "epochs": epochs, "lr": lr, "batch": batch,
              "hold_out": hold_out, "held_out": sorted(set(data.queries) - set(kept)),
              "steps": history["steps"], "first_loss": float(np.mean(history["losses"][:5])),
              "last_loss": float(np.mean(history["losses"][-5:])), "seconds": round(time.perf_counter() - t0, 1),
              "date": time.strftime("%Y-%m-%d %H:%M:%S")}
    (out / RECORD).write_text(json.dumps(record, indent=1), encoding="utf-8")
    return {**record, "out": str(out)}


def training_queries(model: str | Path, data: BeirData) -> set[str] | None:
    """The queries of `data` that `model` learnt from, if it was fine-tuned here on the same dataset and split
    (None when it was not: nothing to exclude)."""
    path = Path(model) / RECORD
    if not model or not path.is_file():
        return None
    record = json.loads(path.read_text(encoding="utf-8"))
    if record.get("dataset") != data.name or record.get("split") != data.split:
        return None
    return set(data.queries) - set(record.get("held_out", []))


# Convex fusion weight of the dense side for a fine-tuned encoder: best for every fine-tuned model on SciFact's
# held-out train claims (0.6 against 0.5 for the model as shipped; evals/RESULTS.md).
FINETUNED_ALPHA = 0.6


def finetuned_for(data: BeirData, root: Path | None = None) -> Path | None:
    """The newest model fine-tuned here on `data`'s dataset, on another split than the one scored, with nothing
    held out ("scifact-train-e5" for SciFact's test split), or None."""
    found = []
    for record_path in (root or MODELS_DIR).glob(f"*/{RECORD}"):
        try:
            record = json.loads(record_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if record.get("dataset") == data.name and record.get("split") != data.split and not record.get("held_out"):
            found.append((str(record.get("date", "")), record_path.parent))
    return max(found)[1] if found else None
