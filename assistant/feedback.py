"""Member feedback on answers, kept in SQLite (data_dir/feedback.sqlite3) with personal data redacted.

`python -m evals from-feedback` reads the `feedback` table, so its schema is fixed. Questions, answers and
comments pass through `guard.redact` (emails, phone and NI numbers) before they are written.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .guard import redact

SCHEMA = """CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    created_at TEXT,
    question TEXT,
    answer TEXT,
    rating INTEGER,
    comment TEXT,
    chunk_ids TEXT,
    answered INTEGER
)"""

MAX_COMMENT = 2000

class FeedbackStore:
    """Ratings (1 up, -1 down) and comments, one row per rated answer."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10)
        db.row_factory = sqlite3.Row
        try:
            with db:  # commits, or rolls back on error
                yield db
        finally:
            db.close()

    def add(self, question: str, answer: str, rating: int, chunk_ids: Iterable[str], answered: bool,
            comment: str = "") -> int:
        if rating not in (1, -1):
            raise ValueError("rating must be 1 (up) or -1 (down)")
        row = (datetime.now(UTC).isoformat(timespec="seconds"), redact(question), redact(answer), rating,
               redact(comment[:MAX_COMMENT]), json.dumps(list(chunk_ids)), int(answered))
        with self._lock, self._connect() as db:
            cur = db.execute("INSERT INTO feedback (created_at, question, answer, rating, comment, chunk_ids, answered)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?)", row)
            return int(cur.lastrowid or 0)

    def rate(self, feedback_id: int, rating: int) -> None:
        if rating not in (1, -1):
            raise ValueError("rating must be 1 (up) or -1 (down)")
        with self._lock, self._connect() as db:
            db.execute("UPDATE feedback SET rating = ? WHERE id = ?", (rating, feedback_id))

    def comment(self, feedback_id: int, comment: str) -> None:
        with self._lock, self._connect() as db:
            db.execute("UPDATE feedback SET comment = ? WHERE id = ?", (redact(comment.strip()[:MAX_COMMENT]), feedback_id))

    def all(self) -> list[dict[str, Any]]:
        with self._connect() as db:
            rows = db.execute("SELECT * FROM feedback ORDER BY id").fetchall()
        out = []
        for r in rows:
            d = dict(r)
            d["chunk_ids"] = json.loads(d["chunk_ids"] or "[]")
            out.append(d)
        return out
