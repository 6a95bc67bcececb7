"""Shared bench plumbing: paths, offline environment, timing statistics, machine facts, saved results."""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("SOCITM_BENCH_CACHE") or ROOT / ".cache" / "bench")
RESULTS = CACHE / "results"
OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1",
               "GRADIO_ANALYTICS_ENABLED": "False", "ANONYMIZED_TELEMETRY": "False", "TOKENIZERS_PARALLELISM": "false"}


def offline() -> None:
    """Nothing in a benchmark may reach for the network."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


def stats(seconds: list[float]) -> dict[str, float]:
    """Median, p95, mean and max of a list of durations, in milliseconds."""
    ms = np.asarray(seconds, dtype=np.float64) * 1000.0
    if not len(ms):
        return {"n": 0, "median_ms": float("nan"), "p95_ms": float("nan"), "mean_ms": float("nan"), "max_ms": float("nan")}
    return {"n": int(len(ms)), "median_ms": round(float(np.median(ms)), 2), "p95_ms": round(float(np.percentile(ms, 95)), 2),
            "mean_ms": round(float(ms.mean()), 2), "max_ms": round(float(ms.max()), 2)}


def time_calls(fn: Callable[[Any], Any], args: list[Any], warmup: int = 3) -> list[float]:
    """Wall time of fn(a) for each a after the first `warmup` ones (called untimed, to warm caches)."""
    for a in args[:warmup]:
        fn(a)
    out = []
    for a in args[warmup:]:
        t0 = time.perf_counter()
        fn(a)
        out.append(time.perf_counter() - t0)
    return out


@contextmanager
def timer() -> Iterator[dict[str, float]]:
    box = {"seconds": 0.0, "load_before": os.getloadavg()[0]}
    t0 = time.perf_counter()
    try:
        yield box
    finally:
        box["seconds"] = time.perf_counter() - t0
        box["load_after"] = os.getloadavg()[0]


def peak_rss_mb() -> float:
    """Peak resident memory of this process. VmHWM, not ru_maxrss: Linux carries the parent's peak into
    ru_maxrss across fork and exec, so a worker started by a big process would report the parent's."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024 ** 3
    import torch

    return {"cpu": model or "unknown", "cores": os.cpu_count(), "memory_gb": round(mem_gb, 1),
            "python": platform.python_version(), "os": f"{platform.system()} {platform.release()}",
            "torch_threads": torch.get_num_threads()}


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def save(section: str, data: dict[str, Any], command: str) -> Path:
    """Keep one section's numbers with the command and date that produced them."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{section}.json"
    record = {"section": section, "command": command, "date": now(), "load": os.getloadavg()[0], "data": data}
    path.write_text(json.dumps(record, indent=1, default=float), encoding="utf-8")
    return path


def load_results() -> dict[str, dict[str, Any]]:
    if not RESULTS.is_dir():
        return {}
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(RESULTS.glob("*.json"))}


def run_json(module: str, args: list[str], timeout: float) -> dict[str, Any]:
    """Run `python -m module args` (or, with module "-c", `python -c args[0]`) in a fresh process (own
    memory, own settings) and read the last JSON line it prints."""
    env = {**os.environ, **OFFLINE_ENV}
    command = [sys.executable, "-c", *args] if module == "-c" else [sys.executable, "-m", module, *args]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{module} {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1])


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)
