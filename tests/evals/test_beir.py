"""The BEIR runner end to end on the project's tiny fixture: indexing through ingest, caching, scoring."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.__main__ import main
from evals.beir import BeirSearcher, RetrievalConfig, cache_dir_for, evaluate_beir, load_beir
from ingest.catalog import Catalog
from ingest.errors import SocitmError

TINY = Path(__file__).resolve().parents[2] / "evals" / "fixtures" / "tiny-beir"


def test_load_beir_reads_judged_queries_only_and_checks_the_folder(tmp_path):
    data = load_beir(TINY, "test")
    assert len(data.queries) == 10 and data.qrels["q5"] == {"d08": 1, "d29": 1}
    with pytest.raises(SocitmError, match="qrels/train.tsv"):
        load_beir(TINY, "train")


@pytest.mark.slow
def test_beir_end_to_end_with_cache_reuse_and_self_ids_ignored(tmp_path, capsys):
    cache, reports = tmp_path / "cache", tmp_path / "reports"
    args = ["beir", "--data", str(TINY), "--cache", str(cache), "--reports", str(reports), "--json", "--quiet"]
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["dataset"] == "tiny-beir" and first["split"] == "test"
    assert set(first["results"]) == {"dense", "bm25", "hybrid"}
    for scores in first["results"].values():
        assert set(scores) == {"ndcg@10", "recall@100", "mrr@10"}
    assert first["results"]["hybrid"]["ndcg@10"] >= 0.8 and first["results"]["dense"]["recall@100"] >= 0.9

    data = load_beir(TINY)
    index_dir = cache_dir_for(data, cache)
    assert index_dir.name.startswith("tiny-beir-")
    catalog = Catalog(index_dir / "catalog.sqlite3")
    assert len(catalog.documents()) == 31 and catalog.chunk_count() >= 32  # the long document has two chunks
    before = catalog.generation()

    second = evaluate_beir(data, ["hybrid"], cache_root=cache, progress=False)  # reuses the index: no embedding
    assert second["config"]["reused"] is True and catalog.generation() == before
    assert second["results"]["hybrid"] == first["results"]["hybrid"]

    searcher = BeirSearcher(index_dir)
    run = searcher.search(data.queries, RetrievalConfig(mode="dense"), progress=False)
    assert "d07" not in dict(run["d07"])  # the query whose id is a document's id never retrieves itself
    assert run["d07"][0][0] == "d08"
    kept = searcher.search({"d07": data.queries["d07"]}, RetrievalConfig(mode="dense"), progress=False,
                           ignore_self=False)
    assert kept["d07"][0][0] == "d07"
    odd = searcher.search({"x": "wind turbines kinetic energy of moving air"}, RetrievalConfig(mode="bm25"), progress=False)
    assert odd["x"][0][0] == "d/30 odd id"  # ids that are not folder names map back to the BEIR id

    reports_made = sorted(reports.iterdir())
    assert len(reports_made) == 1
    assert {"report.md", "results.json", "modes.png", "recall_at_k.png"} <= {p.name for p in reports_made[0].iterdir()}


def test_the_cached_index_follows_the_corpus_content_not_its_file_time(tmp_path):
    import os
    import shutil

    copy = tmp_path / "tiny-beir"
    shutil.copytree(TINY, copy)
    first = cache_dir_for(load_beir(copy))
    os.utime(copy / "corpus.jsonl", (1, 1))  # a fresh copy of the same data: the index is reused
    assert cache_dir_for(load_beir(copy)) == first
    with (copy / "corpus.jsonl").open("a", encoding="utf-8") as fh:
        fh.write('{"_id": "d99", "title": "New", "text": "A document added to the corpus."}\n')
    assert cache_dir_for(load_beir(copy)) != first
