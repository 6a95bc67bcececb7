"""Fine-tuning the embedding model on a BEIR split, and using the result: the real model trained on the
project's tiny fixture, indexed with the project's pipeline, scored on the queries it did not learn from."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.index import Index
from evals.__main__ import main
from evals.beir import cache_dir_for, load_beir
from evals.finetune import RECORD, finetuned_for, held_out
from ingest.catalog import Catalog
from ingest.errors import SocitmError
from ingest.pipeline import Ingestor
from ingest.settings import Settings
from ingest.tokens import BUNDLED, model_dir, model_identity

TINY = Path(__file__).resolve().parents[2] / "evals" / "fixtures" / "tiny-beir"


@pytest.fixture(scope="module")
def tuned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:  # type: ignore[type-arg]
    """A model fine-tuned on 8 of the fixture's 10 test queries (2 held out), with the CLI."""
    root = tmp_path_factory.mktemp("finetune")
    out, cache = root / "model", root / "cache"
    code = main(["finetune", "--data", str(TINY), "--split", "test", "--out", str(out), "--cache", str(cache),
                 "--epochs", "3", "--lr", "1e-4", "--batch", "4", "--hold-out", "0.3", "--quiet", "--json"])
    assert code == 0
    return out, cache, json.loads((out / RECORD).read_text(encoding="utf-8"))


def test_held_out_queries_are_a_fixed_share():
    ids = [f"q{i}" for i in range(2000)]
    share = sum(held_out(q, 0.2) for q in ids) / len(ids)
    assert 0.17 < share < 0.23 and [held_out(q, 0.2) for q in ids] == [held_out(q, 0.2) for q in ids]
    assert not any(held_out(q, 0.0) for q in ids)


@pytest.mark.slow
def test_finetuning_moves_queries_towards_their_passages(tuned, monkeypatch):  # type: ignore[no-untyped-def]
    out, _, record = tuned
    assert record["dataset"] == "tiny-beir" and record["split"] == "test" and record["epochs"] == 3
    held = sorted(q for q in load_beir(TINY, "test").queries if held_out(q, 0.3))
    assert record["held_out"] == held and len(held) == 2 and record["queries"] == 8 and record["examples"] >= 8
    assert record["steps"] == 3 * 3 and 0 < record["last_loss"] < 10  # 3 epochs of 3 batches (8 examples in 4s)
    assert (out / "model.safetensors").is_file() and model_identity(str(out)) != BUNDLED

    from sentence_transformers import SentenceTransformer

    data = load_beir(TINY, "test")
    corpus = {json.loads(line)["_id"]: json.loads(line)["text"]
              for line in (TINY / "corpus.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()}
    trained = [q for q in data.queries if q not in record["held_out"]]

    def loss(model: SentenceTransformer) -> float:
        """The training objective on the whole corpus: softmax loss of each trained query's relevant documents
        against all documents (cosine times 20)."""
        docs = sorted(corpus)
        d = model.encode([corpus[k] for k in docs], normalize_embeddings=True)
        q = model.encode([data.queries[k] for k in trained], normalize_embeddings=True)
        logits = 20 * (q @ d.T)
        logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        rel = np.array([[k in data.qrels[qid] for k in docs] for qid in trained])
        return float(-logp[rel].mean())

    before = loss(SentenceTransformer(str(model_dir()), device="cpu", local_files_only=True))
    after = loss(SentenceTransformer(str(out), device="cpu", local_files_only=True))
    assert after < before * 0.8, (before, after)


@pytest.mark.slow
def test_beir_with_the_tuned_model_scores_only_held_out_queries(tuned, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    out, cache, record = tuned
    monkeypatch.setenv("SOCITM_EMBED_BACKEND", "torch")  # no ONNX export of a throwaway model
    assert main(["beir", "--data", str(TINY), "--split", "test", "--model", str(out), "--cache", str(cache),
                 "--mode", "dense", "--no-report"]) == 0
    printed = capsys.readouterr().out
    assert f"model {model_identity(str(out))}" in printed and "(test, 2 queries)" in printed
    assert "8 queries the model learnt from are left out" in printed

    data = load_beir(TINY, "test")
    bundled_dir = cache_dir_for(data, cache)
    tuned_dir = cache_dir_for(data, cache, Settings(embed_model=str(out)))
    assert tuned_dir != bundled_dir and (tuned_dir / "catalog.sqlite3").is_file()
    assert Catalog(tuned_dir / "catalog.sqlite3").embed_model() == model_identity(str(out))
    assert Catalog(bundled_dir / "catalog.sqlite3").embed_model() == BUNDLED

    # an index never mixes two models' vectors: reading or writing it with the other model is refused
    with pytest.raises(SocitmError, match="embedding model"):
        Index(Settings(data_dir=bundled_dir, embed_model=str(out), embed_backend="torch")).catalog.chunk_count()
    with pytest.raises(SocitmError, match="embedding model"):
        Ingestor(Settings(data_dir=tuned_dir, embed_backend="torch"))


def test_a_model_folder_must_read_text_as_the_bundled_model_does(tmp_path):
    with pytest.raises(SocitmError, match="not a sentence-transformers model folder"):
        model_dir(tmp_path)
    odd = tmp_path / "odd"
    shutil.copytree(model_dir(), odd)
    config = json.loads((odd / "config.json").read_text(encoding="utf-8"))
    (odd / "config.json").write_text(json.dumps({**config, "hidden_size": 768}), encoding="utf-8")
    with pytest.raises(SocitmError, match="768-d"):
        model_dir(odd)
    other = tmp_path / "other"
    shutil.copytree(model_dir(), other)
    tokenizer = json.loads((other / "tokenizer.json").read_text(encoding="utf-8"))
    tokenizer["model"]["vocab"]["zzzunseen"] = len(tokenizer["model"]["vocab"])
    (other / "tokenizer.json").write_text(json.dumps(tokenizer), encoding="utf-8")
    with pytest.raises(SocitmError, match="tokenizer differs"):
        model_dir(other)


def test_the_newest_model_fine_tuned_on_the_other_split_is_found(tmp_path):
    data = load_beir(TINY, "test")

    def model(name: str, **record: object) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        (folder / RECORD).write_text(json.dumps({"dataset": data.name, "split": "train", "held_out": [], **record}))
        return folder

    assert finetuned_for(data, tmp_path) is None
    model("old", date="2026-11-20 10:00:00")
    newest = model("new", date="2026-11-21 10:00:00")
    model("same-split", split="test", date="2026-11-22 10:00:00")  # trained on the scored queries
    model("held-out", held_out=["q1"], date="2026-11-22 10:00:00")  # a model for choosing settings
    model("other-data", dataset="nfcorpus", date="2026-11-22 10:00:00")
    assert finetuned_for(data, tmp_path) == newest
