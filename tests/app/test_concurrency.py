"""The chat keeps answering while staff ingest a large batch (#7.3), with the app's own wiring."""

from __future__ import annotations

import threading
import time

import pytest

from app import Services
from ingest.settings import Settings

pytestmark = pytest.mark.slow

QUESTIONS = ["How many members does Socitm have?", "What is Blackpool's digital vision?",
             "How can councils help decarbonise their areas?", "What is social prescribing in Islington?"]


def _batch(folder, n: int = 150) -> None:
    folder.mkdir()
    for i in range(n):
        (folder / f"note-{i:03d}.md").write_text(
            f"# Council note {i}\n\n## Resilience planning {i}\n\n"
            + " ".join(f"Council {i} rehearses its incident plan number {j} with partners across the place."
                       for j in range(24)), encoding="utf-8")


def test_questions_asked_during_an_ingest_all_succeed(corpus_copy, tmp_path):
    services = Services(Settings(data_dir=corpus_copy))
    assistant = services.assistant()
    assistant.ask(QUESTIONS[0])  # warm: the model and indexes are loaded before the race starts
    _batch(tmp_path / "batch")
    result: dict[str, object] = {}

    def ingest() -> None:
        result["report"] = services.ingestor.ingest([tmp_path / "batch"])

    worker = threading.Thread(target=ingest)
    worker.start()
    answers, errors, during = [], [], 0
    deadline = time.monotonic() + 400
    while worker.is_alive() and time.monotonic() < deadline:
        question = QUESTIONS[len(answers) % len(QUESTIONS)]
        try:
            answers.append(assistant.ask(question))
        except Exception as e:  # noqa: BLE001 - any failure is what this test looks for
            errors.append(repr(e))
        during += worker.is_alive()
        time.sleep(0.05)
    worker.join()
    report = result["report"]
    assert not errors, errors
    assert during >= 3, "the ingest finished before questions could overlap it"
    assert not report.failed and report.count("added") == 150  # type: ignore[attr-defined]
    assert all(a.answered and a.citations for a in answers)
    # and the new batch is answerable at once, without a restart
    fresh = assistant.ask("What does council 17 rehearse with its partners?")  # (the notes give no frequency)
    assert any(c.chunk.doc_id.startswith("note-") for c in fresh.citations)
