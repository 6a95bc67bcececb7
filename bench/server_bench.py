"""Embedded Chroma vs a Chroma server (`chroma run` on 127.0.0.1) on the same index: what the HTTP hop costs."""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import numpy as np

from .common import CACHE, log, run_json
from .synth import build


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(path: Path, log_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    chroma = Path(sys.executable).with_name("chroma")
    proc = subprocess.Popen([str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log_path.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"chroma run exited ({proc.returncode}); see {log_path}")
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError("the Chroma server did not answer within 60 s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def run_server(size: int, base_docs: int, n_queries: int, n_answers: int, timeout: float = 1200) -> dict[str, Any]:
    from ingest.store import HNSW, VectorStore

    data_dir = build(size, dict(HNSW), base_docs)
    folder = CACHE / "runs" / "chroma-server"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    proc, url = start_server(folder / "data", folder / "server.log")
    try:
        store = VectorStore(folder, url, "socitm")
        ids = json.loads((data_dir / "bench-ids.json").read_text(encoding="utf-8"))
        vectors = np.load(data_dir / "bench-vectors.npy")
        t0 = time.perf_counter()
        store.upsert(ids, vectors, [{"doc_id": cid.split(":")[0]} for cid in ids], batch=2000)
        upload = time.perf_counter() - t0
        log(f"server: {size} vectors sent in {upload:.0f} s; measuring the same queries embedded and via the server")
        args = [str(data_dir), "--queries", str(n_queries), "--answers", str(n_answers)]
        embedded = run_json("bench.query_worker", args, timeout)
        server = run_json("bench.query_worker", [*args, "--chroma-url", url], timeout)
    finally:
        stop_server(proc)
    keys = ("dense_search", "retrieve", "answer_cached_sentences", "recall_at_10", "peak_rss_mb", "store_open_s")
    return {"size": size, "upload_s": upload, "embedded": {k: embedded.get(k) for k in keys},
            "server": {k: server.get(k) for k in keys}}
