"""Helpers for the app tests: start the real app in a subprocess on a free loopback port with its own index."""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STAFF_USER, STAFF_PASSWORD = "alice", "correct-horse-battery"
STARTUP_SECONDS = 180


def load_pdfs():  # type: ignore[no-untyped-def]
    """tests/ingest/pdfs.py (a tiny PDF writer), loaded by path: test folders are not packages."""
    spec = importlib.util.spec_from_file_location("test_pdfs", ROOT / "tests" / "ingest" / "pdfs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def copy_index(source: Path, target: Path) -> Path:
    """A private, writable copy of a built index (catalog by SQLite backup, originals, Chroma rebuilt)."""
    from ingest.pipeline import Ingestor
    from ingest.settings import Settings

    target.mkdir(parents=True)
    src, dst = sqlite3.connect(source / "catalog.sqlite3"), sqlite3.connect(target / "catalog.sqlite3")
    src.backup(dst)
    src.close()
    dst.close()
    shutil.copytree(source / "files", target / "files")
    Ingestor(Settings(data_dir=target)).reconcile()
    return target


@dataclass
class RunningApp:
    url: str
    data_dir: Path
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def start_app(data_dir: Path, tmp: Path, extra_env: dict[str, str] | None = None) -> RunningApp:
    from assistant.staff import hash_password

    port = free_port()
    env = dict(os.environ)
    env.update({
        "SOCITM_DATA_DIR": str(data_dir), "SOCITM_HOST": "127.0.0.1", "SOCITM_PORT": str(port),
        "SOCITM_STAFF_USERS": f"{STAFF_USER}:{hash_password(STAFF_PASSWORD, 20_000)};"
                              f"bob:{hash_password('bobs-password-1', 20_000)}",
        "SOCITM_MAX_UPLOAD_MB": "2", "GRADIO_TEMP_DIR": str(tmp / "gradio"), "TMPDIR": str(tmp),
        "SOCITM_CORPUS_DIR": str(ROOT / "corpus"), "PYTHONUNBUFFERED": "1",
    })
    env.update(extra_env or {})
    log = tmp / "app.log"
    out = log.open("w")
    process = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, stdout=out,
                               stderr=subprocess.STDOUT)
    app = RunningApp(f"http://127.0.0.1:{port}", data_dir, process, log)
    deadline = time.time() + STARTUP_SECONDS
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"app exited with {process.returncode}:\n{app.output()[-3000:]}")
        try:
            with urllib.request.urlopen(app.url + "/gradio_api/info", timeout=2) as r:
                if r.status == 200:
                    return app
        except OSError:
            time.sleep(0.5)
    stop_app(app)
    raise RuntimeError(f"app did not start within {STARTUP_SECONDS} s:\n{app.output()[-3000:]}")


def stop_app(app: RunningApp) -> None:
    app.process.terminate()
    try:
        app.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        app.process.kill()
        app.process.wait()
