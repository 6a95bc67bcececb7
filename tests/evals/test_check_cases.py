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


@pytest.mark.parametrize("name", ["cases.jsonl", "holdout.jsonl", "holdout2.jsonl", "holdout3.jsonl", "holdout4.jsonl",
                                  "holdout5.jsonl", "holdout6.jsonl", "holdout7.jsonl", "holdout8.jsonl",
                                  "holdout9.jsonl", "holdout10.jsonl", "holdout11.jsonl", "holdout12.jsonl",
                                  "holdout13.jsonl", "holdout14.jsonl", "holdout15.jsonl", "holdout16.jsonl",
                                  "holdout17.jsonl", "holdout18.jsonl", "holdout19.jsonl", "holdout20.jsonl",
                                  "holdout21.jsonl", "holdout22.jsonl", "holdout23.jsonl", "holdout24.jsonl",
                                  "holdout25.jsonl", "holdout26.jsonl", "holdout27.jsonl", "holdout28.jsonl",
                                  "holdout29.jsonl", "holdout30.jsonl", "holdout31.jsonl", "holdout32.jsonl",
                                  "holdout33.jsonl", "holdout34.jsonl", "holdout35.jsonl", "holdout36.jsonl",
                                  "holdout37.jsonl", "holdout38.jsonl", "holdout39.jsonl", "holdout40.jsonl",
                                  "holdout41.jsonl", "holdout42.jsonl", "holdout43.jsonl", "holdout44.jsonl",
                                  "holdout45.jsonl", "holdout46.jsonl", "holdout47.jsonl", "holdout48.jsonl",
                                  "holdout49.jsonl", "holdout50.jsonl", "holdout51.jsonl", "holdout52.jsonl",
                                  "holdout53.jsonl", "holdout54.jsonl", "holdout55.jsonl", "holdout56.jsonl",
                                  "holdout57.jsonl", "holdout58.jsonl"])
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
