"""Shared fixtures: offline guards, a temp data directory for every test, a built corpus index."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
from pathlib import Path

import pytest
from server_fixture import chroma_server  # noqa: F401  (a real Chroma server, tests/server)

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
OUTPUT = ROOT / "test-output"

_real_connect = socket.socket.connect


def _loopback_only(self, address):  # type: ignore[no-untyped-def]
    """Network beyond loopback is blocked in tests: nothing may reach for the internet."""
    if isinstance(address, tuple) and self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        if host not in ("127.0.0.1", "::1", "localhost", "0.0.0.0"):
            raise OSError(f"test tried to reach {host}: only loopback is allowed")
    return _real_connect(self, address)


socket.socket.connect = _loopback_only  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    """No test touches the user's index: the data directory is a temp folder."""
    monkeypatch.setenv("SOCITM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SOCITM_CHROMA_URL", raising=False)
    yield


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory) -> Path:
    """A data directory holding the real corpus, ingested once per session (copy it before changing it)."""
    from ingest.pipeline import Ingestor
    from ingest.settings import Settings

    data = tmp_path_factory.mktemp("corpus-index")
    report = Ingestor(Settings(data_dir=data)).ingest([CORPUS])
    assert not report.failed, report.summary()
    return data


@pytest.fixture
def corpus_copy(corpus_index, tmp_path) -> Path:
    """A private, writable copy of the corpus index."""
    from ingest.pipeline import Ingestor
    from ingest.settings import Settings

    target = tmp_path / "corpus-data"
    target.mkdir()
    src, dst = sqlite3.connect(corpus_index / "catalog.sqlite3"), sqlite3.connect(target / "catalog.sqlite3")
    src.backup(dst)  # consistent copy, write-ahead log included
    src.close()
    dst.close()
    shutil.copytree(corpus_index / "files", target / "files")
    Ingestor(Settings(data_dir=target)).reconcile()  # vectors come back from the catalog's cache
    return target


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT
