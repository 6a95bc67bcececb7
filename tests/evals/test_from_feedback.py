"""Draft eval cases from poorly rated answers in the app's feedback store."""

from __future__ import annotations

import json

from assistant.feedback import FeedbackStore
from evals.__main__ import main


def test_from_feedback_writes_drafts_for_poorly_rated_answers(tmp_path, capsys):
    data = tmp_path / "app-data"
    store = FeedbackStore(data / "feedback.sqlite3")
    store.add("What is place-based leadership?", "It is ... [1]", 1, ["doc:aaa"], True)
    bad = store.add("Who funds the five missions?", "Sorry, the guidance does not cover that.", -1, [], False,
                    comment="It should know this")
    store.add("How do councils use AI?", "Councils ... [1] [2]", -1, ["doc:bbb", "doc:ccc"], True)
    store.add("who funds the five  missions?", "again", -1, [], False)  # the same question twice: one draft
    out = tmp_path / "drafts.jsonl"

    assert main(["from-feedback", "--data-dir", str(data), "--out", str(out)]) == 0
    assert "2 draft cases from 4 feedback rows" in capsys.readouterr().out
    drafts = [json.loads(line) for line in out.read_text().splitlines()]
    assert [d["id"] for d in drafts] == ["fb001", "fb002"]
    first = drafts[0]
    assert first["question"] == "Who funds the five missions?"
    assert first["needs_review"] is True and first["answerable"] is True and first["relevant"] == []
    assert first["hints"]["comment"] == "It should know this" and first["hints"]["feedback_id"] == bad
    assert drafts[1]["hints"]["cited_chunks"] == ["doc:bbb", "doc:ccc"]

    assert main(["from-feedback", "--data-dir", str(data), "--out", str(out), "--max-rating", "1"]) == 0
    assert len(out.read_text().splitlines()) == 3


def test_from_feedback_without_a_store_says_where_it_looked(tmp_path, capsys):
    assert main(["from-feedback", "--data-dir", str(tmp_path / "nothing")]) == 2
    err = capsys.readouterr().err
    assert "No feedback store at" in err and "feedback.sqlite3" in err
