"""The benchmark harness end to end at toy sizes: real SciFact text, real model, real Chroma, real app;
its cache and report go to a temp folder, never to the project's BENCHMARKS.md."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.common import stats
from bench.data import SCIFACT

ROOT = Path(__file__).resolve().parents[2]
needs_scifact = pytest.mark.skipif(not (SCIFACT / "corpus.jsonl").is_file(), reason="BEIR SciFact not available")


def run_bench(tmp_path: Path, *args: str, timeout: float = 900) -> dict[str, dict]:  # type: ignore[type-arg]
    env = {**os.environ, "SOCITM_BENCH_CACHE": str(tmp_path / "cache"), "PYTHONUNBUFFERED": "1"}
    done = subprocess.run([sys.executable, "-m", "bench", *args, "--out", str(tmp_path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    results = tmp_path / "cache" / "results"
    return {p.stem: json.loads(p.read_text()) for p in results.glob("*.json")}


def test_stats_are_median_and_p95_in_ms():
    s = stats([0.001 * i for i in range(1, 101)])
    assert s["n"] == 100 and s["median_ms"] == pytest.approx(50.5) and s["p95_ms"] == pytest.approx(95.05)


def test_unknown_section_is_a_usage_error():
    done = subprocess.run([sys.executable, "-m", "bench", "everything"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2 and "unknown section" in done.stderr


@pytest.mark.slow
@needs_scifact
def test_reingest_query_and_server_sections_at_toy_sizes(tmp_path):
    results = run_bench(tmp_path, "reingest", "query", "server", "--base-docs", "12", "--reingest-docs", "12",
                        "--sizes", "60,200", "--queries", "6", "--answers", "2", "--ef-sweep", "40")
    re = results["reingest"]["data"]
    assert re["counts"]["unchanged"] == 12 and re["counts"]["added"] == 0
    q = results["query"]["data"]
    assert set(q["sizes"]) == {"60", "200"}
    for r in q["sizes"].values():
        assert r["retrieve"]["n"] == 6 and r["retrieve"]["median_ms"] > 0
        assert 0.0 <= r["recall_at_10"]["mean"] <= 1.0 and r["peak_rss_mb"] > 100
        assert r["answer"]["n"] == 2 and r["answer_cached_sentences"]["n"] == 2
        assert r["answer_embedded_texts"] == 0  # every candidate sentence's vector was stored by the build
        assert r["answer_no_stored_sentences"]["n"] == 2 and r["answer_no_stored_sentences_embedded_texts"] > 0
    assert q["sizes"]["200"]["chunks"] == 200 and "40" in q["ef_sweep"]["results"]
    server = results["server"]["data"]
    assert server["size"] == 60 and server["server"]["recall_at_10"]["mean"] > 0.5
    assert server["server"]["retrieve"]["n"] == 6
    report = (tmp_path / "BENCHMARKS.md").read_text()
    assert "## Re-ingest of an unchanged corpus" in report and "## Query latency" in report
    assert "## Embedded Chroma vs a Chroma server" in report
    assert "python -m bench reingest query server" in report and "median" in report and "p95" in report
    assert (tmp_path / "docs" / "latency.png").stat().st_size > 10_000


@pytest.mark.slow
def test_load_script_against_the_real_app(tmp_path):
    """Starts app.py over a copy of the corpus index, times its cold start, then 2 users for 5 seconds."""
    env = {**os.environ, "SOCITM_BENCH_CACHE": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-m", "bench.load", "--start", "--users", "2", "--seconds", "5"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["cold_start"]["ok"] and out["cold_start"]["first_answer_s"] > out["cold_start"]["page_s"] > 0
    load = out["load"]
    assert load["errors"] == 0, load["error_samples"]
    assert load["completed"] >= 2 and load["latency"]["median_ms"] > 0
    assert 0 < load["answered"] <= load["completed"]
