"""Feedback store: the fixed schema the evals read, ratings, comments, personal data redacted."""

from __future__ import annotations

import sqlite3

import pytest

from assistant.feedback import FeedbackStore, redact

SCHEMA = [("id", "INTEGER", 1), ("created_at", "TEXT", 0), ("question", "TEXT", 0), ("answer", "TEXT", 0),
          ("rating", "INTEGER", 0), ("comment", "TEXT", 0), ("chunk_ids", "TEXT", 0), ("answered", "INTEGER", 0)]


def test_schema_is_exactly_what_evals_read(tmp_path):
    FeedbackStore(tmp_path / "feedback.sqlite3")
    with sqlite3.connect(tmp_path / "feedback.sqlite3") as db:
        cols = [(r[1], r[2], r[5]) for r in db.execute("PRAGMA table_info(feedback)")]
    assert cols == SCHEMA


def test_add_rate_and_comment(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    fid = store.add("What are the missions?", "Five missions [1].", 1, ["d:1", "d:2"], True)
    store.rate(fid, -1)
    store.comment(fid, "  Missed the point  ")
    store.add("Weather?", "Not covered.", -1, [], False)
    rows = store.all()
    assert [r["rating"] for r in rows] == [-1, -1]
    assert rows[0]["comment"] == "Missed the point" and rows[0]["chunk_ids"] == ["d:1", "d:2"]
    assert rows[0]["answered"] == 1 and rows[1]["answered"] == 0 and rows[0]["created_at"]
    with pytest.raises(ValueError):
        store.add("q", "a", 0, [], True)


def test_personal_data_is_redacted_before_storing(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    fid = store.add("I'm jo.bloggs@council.gov.uk, call 07700 900123 or +44 20 7946 0958, NI AB 12 34 56 C",
                    "answer", 1, [], True)
    store.comment(fid, "email me at x@y.org")
    raw = (tmp_path / "feedback.sqlite3").read_bytes()
    for secret in (b"jo.bloggs", b"900123", b"7946", b"AB 12 34 56 C", b"x@y.org"):
        assert secret not in raw
    row = store.all()[0]
    assert "[email]" in row["question"] and "[phone]" in row["question"] and "[NI number]" in row["question"]
    assert row["comment"] == "email me at [email]"


def test_redact_leaves_ordinary_text_alone():
    text = "The 2023 strategy has 5 missions and costs £1,200,000 over 3 years (page 12)."
    assert redact(text) == text
