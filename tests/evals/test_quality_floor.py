"""CI quality floor: the test split of the eval set, on the real corpus, must not fall below evals/floors.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.cases import DEFAULT_SET, load_cases
from evals.runner import run_eval
from ingest.settings import Settings

FLOORS = Path(__file__).resolve().parents[2] / "evals" / "floors.json"


def _value(summary: dict, dotted: str) -> float | None:
    group, key = dotted.split(".", 1)
    return summary[group][key]


@pytest.mark.slow
def test_test_split_stays_above_the_floors(corpus_index, output_dir):
    spec = json.loads(FLOORS.read_text(encoding="utf-8"))
    cases = load_cases(DEFAULT_SET, spec["split"])
    result = run_eval(Settings.from_env(data_dir=corpus_index, llm_base_url=""), cases, spec["mode"], progress=False)
    summary = result.summary()
    (output_dir / "quality-floor.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    assert result.config["assistant"], "assistant.core is needed to judge answers"
    below = {name: (_value(summary, name), floor) for name, floor in spec["floors"].items()
             if (_value(summary, name) or 0.0) < floor}
    misses = [c.id for c in result.cases if c.kind != "unanswerable" and not c.metrics(spec["mode"])["hit@5"]]
    assert not below, f"below the floor (measured, floor): {below}; cases missing from the top 5: {misses}"
