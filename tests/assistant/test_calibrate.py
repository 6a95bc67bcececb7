"""The decline threshold on the assistant's own cases: every answerable one answered, every other declined."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.calibrate import evaluate, load_cases, report, sweep

pytestmark = pytest.mark.slow

OWN = Path(__file__).with_name("own_cases.jsonl")


def test_own_cases_are_answered_or_declined_correctly_at_the_setting(assistant):
    cases = load_cases(OWN, "own")
    assert len(cases) >= 30 and any("turns" in c for c in cases)
    results = [evaluate(assistant, c) for c in cases]
    threshold = assistant.settings.decline_threshold
    [(_, answered, declined)] = sweep(results, [threshold])
    assert (answered, declined) == (1.0, 1.0), report(results, threshold)
    assert all(r.cited for r in results if r.answerable)
    follow_ups = [r for r in results if r.turns > 1]
    assert follow_ups and all(r.rank is not None and r.rank < 5 for r in follow_ups)
    text = report(results, threshold)
    assert "**(setting)**" in text and "Multi-turn cases: 3" in text
