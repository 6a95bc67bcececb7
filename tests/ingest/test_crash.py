"""Issue #7.2: `python -m ingest` killed with SIGKILL at several points never leaves a broken index.

After each kill the index opens and answers; a re-run finishes with exactly the expected chunks, and
the catalog, Chroma and the keyword index hold the same ids (no duplicate, orphan or missing chunk).
Two ingests at once: the second refuses with a clear message, or waits with --wait.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ingest_checks import ROOT, assert_consistent, cli_env, index_ids, run_json

from ingest.lock import IngestLock
from ingest.pipeline import Ingestor
from ingest.settings import Settings

pytestmark = pytest.mark.slow

WORDS = ("council digital data leadership place residents service housing transport energy skills care health "
         "security resilience network budget partner library school climate waste planning community").split()


def _documents(folder: Path, n: int = 40) -> None:
    rng = random.Random(42)
    folder.mkdir(parents=True)
    for i in range(n):
        sections = []
        for s in range(2):
            sentences = [" ".join(rng.choice(WORDS) for _ in range(14)).capitalize() + "." for _ in range(7)]
            sections.append(f"## Topic {i}-{s}\n\n" + " ".join(sentences))
        (folder / f"doc-{i:02d}.md").write_text(f"# Document {i}\n\n" + "\n\n".join(sections) + "\n", encoding="utf-8")


def _count(catalog: Path, table: str) -> int:
    try:
        with sqlite3.connect(f"file:{catalog}?mode=ro", uri=True, timeout=1) as db:
            return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    except sqlite3.Error:
        return -1


def _start(data: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "ingest", *args], cwd=ROOT, env=cli_env(data),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _kill_when(proc: subprocess.Popen[str], ready, limit: float = 120.0) -> bool:  # type: ignore[no-untyped-def]
    """SIGKILL the process as soon as `ready()` holds; False if it finished first."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if ready():
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=30)
            return True
        time.sleep(0.02)
    proc.kill()
    raise AssertionError("the trigger never fired")


def _index_answers(data: Path) -> None:
    """The assistant's view of the index opens and answers (fresh Chroma client: another process wrote)."""
    from chromadb.api.shared_system_client import SharedSystemClient

    from assistant.index import Index
    from assistant.retriever import HybridRetriever

    SharedSystemClient.clear_system_cache()
    index = Index(Settings(data_dir=data))
    hits = HybridRetriever(index).retrieve("base document about council resilience", k=5)
    assert hits and hits[0].chunk.doc_id == "base"
    known = set(index.catalog.chunk_ids())
    assert all(h.chunk.chunk_id in known for h in hits)
    catalog_ids, chroma_ids, keyword_ids = index_ids(data)
    assert catalog_ids == keyword_ids  # one transaction: these can never disagree
    assert catalog_ids <= chroma_ids  # a crash may leave orphan vectors (ignored, removed next run), never gaps


def test_sigkill_at_any_point_then_rerun_gives_the_exact_index(tmp_path):
    docs, data = tmp_path / "docs", tmp_path / "data"
    _documents(docs)
    base = tmp_path / "base.md"
    base.write_text("# Base\n\nThe base document about council resilience is always in the index.\n", encoding="utf-8")
    Ingestor(Settings(data_dir=data)).ingest([base])
    expected = Ingestor(Settings(data_dir=data)).preview([docs])
    assert {r.status for r in expected.results} == {"added"} and len(expected.results) == 40
    want = sum(r.chunks for r in expected.results) + 1
    catalog = data / "catalog.sqlite3"
    cached = _count(catalog, "embeddings")

    kills = []
    # 1. while Python is still importing and loading the model
    proc = _start(data, str(docs))
    t0 = time.monotonic()
    kills.append(_kill_when(proc, lambda: time.monotonic() - t0 > 1.0))
    _index_answers(data)
    # 2. part-way through embedding (some vectors cached, nothing written yet)
    proc = _start(data, str(docs))
    kills.append(_kill_when(proc, lambda: _count(catalog, "embeddings") > cached))
    assert _count(catalog, "chunks") == 1
    _index_answers(data)
    # 3. part-way through writing documents (Chroma and catalog)
    proc = _start(data, str(docs))
    kills.append(_kill_when(proc, lambda: _count(catalog, "chunks") > 1))
    assert 1 < _count(catalog, "chunks") < want
    _index_answers(data)
    assert kills == [True, True, True]

    code, out, stderr = run_json(data, str(docs))
    assert code == 0, stderr
    assert out["counts"]["failed"] == 0 and out["counts"]["added"] + out["counts"]["unchanged"] == 40
    assert assert_consistent(data) == want
    docs_now = Ingestor(Settings(data_dir=data)).list()
    assert sum(d["n_chunks"] for d in docs_now) == want and len(docs_now) == 41
    assert sorted(p.name for p in (data / "files").iterdir()) == sorted(d["doc_id"] for d in docs_now)
    _index_answers(data)


def test_a_second_ingest_refuses_or_waits(tmp_path):
    data = tmp_path / "data"
    doc = tmp_path / "note.md"
    doc.write_text("# Note\n\nA short note about shared services.\n", encoding="utf-8")
    Ingestor(Settings(data_dir=data)).ingest([doc])
    with IngestLock(data):  # another ingest holds the index
        code, out, stderr = run_json(data, str(doc))
        assert code == 2 and out["kind"] == "IngestBusy"
        assert f"Another ingest is running on {data}" in stderr and "wait for it to finish and try again" in stderr
        waiting = _start(data, str(doc), "--wait", "120", "--json")
        time.sleep(3)
        assert waiting.poll() is None, waiting.communicate()
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert '"unchanged": 1' in out
