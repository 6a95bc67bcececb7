"""The case-file checker accepts the project's three case files and names what is wrong in a bad one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _check(cases: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "evals.check_cases", str(ROOT / "corpus"), "--cases", str(cases)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


CASE_FILES = sorted(p.name for p in (ROOT / "evals").glob("*.jsonl"))


def test_every_eval_set_is_checked():
    assert "cases.jsonl" in CASE_FILES and "holdout.jsonl" in CASE_FILES
    assert len(CASE_FILES) >= 145  # cases.jsonl, holdout.jsonl, holdout2 ... holdout144


@pytest.mark.parametrize("name", CASE_FILES)
def test_the_case_files_are_valid(name):
    done = _check(ROOT / "evals" / name)
    assert done.returncode == 0, done.stdout + done.stderr


def test_an_out_of_scope_case_needs_a_question_or_turns(tmp_path):
    lines = [json.loads(line) for line in (ROOT / "evals" / "cases.jsonl").read_text(encoding="utf-8").splitlines()]
    bad = next(c for c in lines if c["id"].startswith("u"))
    bad.pop("question")
    cases = tmp_path / "cases.jsonl"
    cases.write_text("\n".join(json.dumps(c) for c in lines if c["id"] != bad["id"]) + "\n" + json.dumps(bad) + "\n",
                     encoding="utf-8")
    done = _check(cases)
    assert done.returncode == 1
    assert f"({bad['id']}): an out-of-scope case needs a question or turns" in done.stdout + done.stderr
