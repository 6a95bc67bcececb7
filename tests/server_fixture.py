"""A real Chroma server for the `server` tests: `chroma run` on a free loopback port, one per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ingest.chroma_server import free_port, start, stop  # noqa: F401 - free_port is used by tests/server


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory) -> Iterator[str]:
    """URL of a Chroma server started for this test session (its data in a temp folder)."""
    path = tmp_path_factory.mktemp("chroma-server")
    log = (path / "server.log").open("wb")
    proc, url = start(path / "data", log)
    try:
        yield url
    finally:
        stop(proc)
        log.close()
