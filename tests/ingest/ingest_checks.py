"""Shared checks for the ingest tests: the three views of the index agree, and the CLI run as staff run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def index_ids(data_dir: Path) -> tuple[set[str], set[str], set[str]]:
    """Chunk ids in the catalog, in Chroma and in the keyword index of a data directory. The Chroma
    client is opened afresh: embedded Chroma caches its state per process, and a CLI run may have written."""
    from chromadb.api.shared_system_client import SharedSystemClient

    from ingest.catalog import Catalog
    from ingest.lexical import LiveBM25
    from ingest.store import VectorStore

    SharedSystemClient.clear_system_cache()
    catalog = Catalog(data_dir / "catalog.sqlite3")
    try:
        store = VectorStore(data_dir)
        return set(catalog.chunk_ids()), store.ids(), set(LiveBM25(catalog).known_ids())
    finally:
        catalog.close()


def assert_consistent(data_dir: Path) -> int:
    """Catalog, Chroma and keyword index hold exactly the same chunks; returns how many."""
    catalog_ids, chroma_ids, keyword_ids = index_ids(data_dir)
    assert catalog_ids == keyword_ids, "keyword index differs from the catalog"
    assert chroma_ids == catalog_ids, (f"Chroma has {len(chroma_ids - catalog_ids)} orphans and misses "
                                       f"{len(catalog_ids - chroma_ids)} chunks")
    return len(catalog_ids)


def cli_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "SOCITM_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "ANONYMIZED_TELEMETRY": "False", "TOKENIZERS_PARALLELISM": "false", "PYTHONUNBUFFERED": "1"}
    env.update(extra)
    return env


def run_cli(data_dir: Path, *args: str, timeout: float = 180, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m ingest ARGS` in a subprocess, from the project folder, as staff would run it."""
    return subprocess.run([sys.executable, "-m", "ingest", *args], cwd=ROOT, env=cli_env(data_dir, **env),
                          capture_output=True, text=True, timeout=timeout)


def run_json(data_dir: Path, *args: str, timeout: float = 180, **env: str) -> tuple[int, Any, str]:
    """(exit code, parsed --json output, stderr)."""
    done = run_cli(data_dir, *args, "--json", timeout=timeout, **env)
    try:
        out = json.loads(done.stdout)
    except ValueError:
        raise AssertionError(f"no JSON from the CLI (exit {done.returncode}):\n{done.stdout}\n{done.stderr}") from None
    return done.returncode, out, done.stderr
