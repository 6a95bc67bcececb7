"""The app under load: N concurrent chat users against the running app over HTTP (gradio_client), for a
bounded time and a bounded number of questions, on 127.0.0.1. Also the cold start of `python app.py`
to its first answer.

    python -m bench.load --url http://127.0.0.1:7860/ --users 20 --seconds 60
    python -m bench.load --start   # starts app.py on a free port over a copy of the corpus index
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from .common import CACHE, OFFLINE_ENV, ROOT, log, offline, stats

API = "/ask"
ERROR_MARK = 'class="answer error"'


def questions() -> list[str]:
    """Real member questions: the single-turn questions of the eval set (fallback: a few fixed ones)."""
    path = ROOT / "evals" / "cases.jsonl"
    out: list[str] = []
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if row.get("question"):
                    out.append(row["question"])
    return out or ["How many members does Socitm have?", "What does Socitm say about net zero?",
                   "What are the five missions?", "What is levelling up?"]


def _reply(result: Any) -> str:
    """The last assistant message of the chatbot output."""
    chat = result[0] if isinstance(result, (list, tuple)) and result and isinstance(result[0], list) else result
    for msg in reversed(chat or []):
        if isinstance(msg, dict) and msg.get("role") == "assistant":
            return _text(msg.get("content"))
    return ""


def _text(content: Any) -> str:
    """Message content as HTML text: a string, or (gradio 6) a list of {"type": "text", "text": ...} parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or content.get("value") or "")
    if isinstance(content, list):
        return "".join(_text(part) for part in content)
    return ""


def ask(client: Any, question: str, timeout: float) -> tuple[float, float, str]:
    """(seconds to the first streamed update, seconds to the final answer, reply html)."""
    t0 = time.perf_counter()
    job = client.submit(question, [], api_name=API)
    first = 0.0
    deadline = t0 + timeout
    while not job.done():
        if not first and job.outputs():
            first = time.perf_counter() - t0
        if time.perf_counter() > deadline:
            job.cancel()
            raise TimeoutError(f"no answer within {timeout:.0f} s")
        time.sleep(0.01)
    result = job.result(timeout=max(1.0, deadline - time.perf_counter()))
    total = time.perf_counter() - t0
    return first or total, total, _reply(result)


def run_load(url: str, users: int, seconds: float, max_requests: int, timeout: float = 120.0) -> dict[str, Any]:
    from gradio_client import Client

    qs = questions()
    lock = threading.Lock()
    latencies: list[float] = []
    firsts: list[float] = []
    errors: list[str] = []
    answered = [0]
    issued = [0]
    clients = [Client(url, verbose=False) for _ in range(users)]
    start = time.perf_counter()
    stop_at = start + seconds

    def user(n: int) -> None:
        i = n
        while time.perf_counter() < stop_at:
            with lock:
                if issued[0] >= max_requests:
                    return
                issued[0] += 1
            q = qs[i % len(qs)]
            i += users
            try:
                first, total, reply = ask(clients[n], q, timeout)
            except Exception as e:  # noqa: BLE001 - every failure is counted, the user carries on
                with lock:
                    errors.append(f"{type(e).__name__}: {e}"[:200])
                continue
            with lock:
                if ERROR_MARK in reply or not reply:
                    errors.append(f"error reply to {q!r}: {reply[:160]}")
                else:
                    latencies.append(total)
                    firsts.append(first)
                    answered[0] += 'class="answer declined"' not in reply

    threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + timeout + 30)
    wall = time.perf_counter() - start
    for c in clients:
        try:
            c.close()
        except Exception:  # noqa: BLE001 - closing is best effort
            pass
    done = len(latencies)
    return {"url": url, "users": users, "seconds": seconds, "wall_s": wall, "requests": done + len(errors),
            "completed": done, "errors": len(errors), "error_samples": errors[:5], "answered": answered[0],
            "requests_per_s": done / wall if wall else 0.0, "latency": stats(latencies),
            "first_update": stats(firsts)}


# starting the app ----------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def app_data_dir() -> Path:
    """A private copy of the corpus index (built once with the project's ingest, then copied)."""
    from ingest.pipeline import Ingestor
    from ingest.settings import Settings

    base = CACHE / "socitm-corpus"
    if not (base / "catalog.sqlite3").is_file():
        Ingestor(Settings(data_dir=base)).ingest([ROOT / "corpus"])
    target = CACHE / "runs" / "app-data"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(base, target)
    return target


def start_app(port: int, data_dir: Path, log_path: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, **OFFLINE_ENV, "SOCITM_PORT": str(port), "SOCITM_DATA_DIR": str(data_dir),
           "SOCITM_HOST": "127.0.0.1", "GRADIO_TEMP_DIR": str(CACHE / "runs" / "gradio-tmp")}
    env.pop("SOCITM_CHROMA_URL", None)
    env.pop("SOCITM_LLM_BASE_URL", None)
    return subprocess.Popen([sys.executable, "app.py", "--port", str(port), "--data-dir", str(data_dir)], cwd=ROOT,
                            env=env, stdout=log_path.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)


def cold_start(proc: subprocess.Popen[bytes], url: str, t0: float, limit: float = 300.0) -> dict[str, Any]:
    """Seconds from launching `python app.py` to the page answering and to the first answer."""
    from gradio_client import Client

    page = 0.0
    while time.perf_counter() - t0 < limit:
        if proc.poll() is not None:
            raise RuntimeError(f"app.py exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    page = time.perf_counter() - t0
                    break
        except OSError:
            time.sleep(0.2)
    if not page:
        raise RuntimeError(f"app.py did not serve {url} within {limit:.0f} s")
    _, _, reply = ask(Client(url, verbose=False), questions()[0], 120)
    return {"page_s": page, "first_answer_s": time.perf_counter() - t0, "ok": ERROR_MARK not in reply and bool(reply)}


def stop_app(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=20)


def run(url: str | None, users: int, seconds: float, max_requests: int) -> dict[str, Any]:
    """Against `url`, or (url None) against app.py started here: cold start first, then the load."""
    if url:
        return {"load": run_load(url, users, seconds, max_requests)}
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    data_dir = app_data_dir()
    log_path = CACHE / "runs" / "app.log"
    t0 = time.perf_counter()
    proc = start_app(port, data_dir, log_path)
    try:
        cold = cold_start(proc, url, t0)
        log(f"app up: page {cold['page_s']:.1f} s, first answer {cold['first_answer_s']:.1f} s; load test follows")
        return {"cold_start": cold, "load": run_load(url, users, seconds, max_requests)}
    finally:
        stop_app(proc)


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", help="the running app (default: start app.py here on a free port)")
    p.add_argument("--start", action="store_true", help="start app.py here (the default when --url is not given)")
    p.add_argument("--users", type=int, default=20)
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--max-requests", type=int, default=2000)
    args = p.parse_args()
    offline()
    if args.url and urllib.parse.urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("bench.load only runs against an app on this machine (127.0.0.1)")
    print(json.dumps(run(None if args.start else args.url, args.users, args.seconds, args.max_requests), default=float))


if __name__ == "__main__":
    main()
