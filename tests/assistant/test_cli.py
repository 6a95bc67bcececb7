"""python -m assistant ask, run as a user would: JSON lines per turn, and one clear line on errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True, timeout=180,
                          env={**os.environ, "SOCITM_LLM_BASE_URL": ""})


def test_ask_json_prints_one_object_per_turn(corpus_index):
    done = run("ask", "--json", "--data-dir", str(corpus_index), "What are CSPs?", "Who sits on them?",
               "What is the best lasagne recipe?")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(rows) == 3
    for row in rows:
        assert {"question", "answer", "answered", "citations"} <= set(row)
    first, follow, off = rows
    assert first["question"] == "What are CSPs?" and first["answered"] is True
    cite = first["citations"][0]
    assert {"n", "doc_id", "title", "source", "section", "page", "text", "score"} <= set(cite)
    assert cite["n"] == 1 and "[1]" in first["answer"] and "CSPs" in cite["text"]
    assert follow["answered"] and "CSPs" in follow["search_query"]
    assert off["answered"] is False and off["citations"] == [] and off["suggestions"]


def test_plain_output_lists_sources(corpus_index):
    done = run("ask", "--data-dir", str(corpus_index), "What is Silicon Sands?")
    assert done.returncode == 0, done.stderr
    assert "Sources:" in done.stdout and "[1]" in done.stdout and "Blackpool" in done.stdout


def test_errors_are_one_clear_line_and_a_non_zero_exit(tmp_path, corpus_index):
    missing = run("ask", "--json", "--data-dir", str(tmp_path / "nothing-here"), "What is net zero?")
    assert missing.returncode != 0 and missing.stdout == ""
    lines = [line for line in missing.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: No index in") and "python -m ingest" in lines[0]

    too_long = run("ask", "--data-dir", str(corpus_index), "why " * 400)
    lines = [line for line in too_long.stderr.splitlines() if line.strip() and "Loading weights" not in line]
    assert too_long.returncode != 0 and lines[-1].startswith("error: That question is")
