"""A local Chroma server (`chroma run` from this environment) on a free loopback port: started and
stopped by PID, for the `server` tests and the server benchmark. Production servers run `make chroma`."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import IO

HEARTBEAT_TIMEOUT = 60.0


def chroma_executable() -> str:
    """The `chroma` command of this interpreter's environment (falls back to PATH)."""
    beside = Path(sys.executable).with_name("chroma")
    return str(beside) if beside.is_file() else (shutil.which("chroma") or "chroma")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(path: Path, log: IO[bytes], timeout: float = HEARTBEAT_TIMEOUT) -> tuple[subprocess.Popen[bytes], str]:
    """Start `chroma run` with its data in `path`; return the process and its URL once it answers."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    proc = subprocess.Popen([chroma_executable(), "run", "--path", str(path), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)
    try:
        wait_for_heartbeat(url, proc, timeout)
    except BaseException:
        stop(proc)
        raise
    return proc, url


def wait_for_heartbeat(url: str, proc: subprocess.Popen[bytes], timeout: float = HEARTBEAT_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"chroma run exited with code {proc.returncode} before answering")
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no heartbeat from the Chroma server at {url} within {timeout:.0f} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server by its PID: SIGTERM, then SIGKILL if it does not go."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
