"""Turn poorly rated answers from the app's feedback store into draft eval cases for a person to finish.

A draft keeps the member's question, the chunks the answer cited and the comment as hints; it is
flagged `needs_review` because nobody has yet said whether the guidance answers it, or with which words.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from ingest.errors import SocitmError

DRAFTS = Path(__file__).resolve().parent / "drafts.jsonl"


def read_feedback(path: Path) -> list[dict[str, Any]]:
    """Rows of the `feedback` table (read-only), chunk_ids decoded."""
    path = Path(path)
    if not path.is_file():
        raise SocitmError(f"No feedback store at {path}: members' ratings are kept there by the app "
                          "(pass the app's folder with --data-dir).")
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    try:
        rows = [dict(r) for r in db.execute("SELECT * FROM feedback ORDER BY id")]
    except sqlite3.OperationalError as e:
        raise SocitmError(f"{path} has no readable feedback table ({e})") from None
    finally:
        db.close()
    for r in rows:
        try:
            ids = json.loads(r.get("chunk_ids") or "[]")
        except ValueError:
            ids = []
        r["chunk_ids"] = [str(i) for i in ids] if isinstance(ids, list) else []
    return rows


def draft_cases(rows: list[dict[str, Any]], max_rating: int = 0) -> list[dict[str, Any]]:
    """Draft cases for rows rated at or below `max_rating`, one per distinct question, ids fb001..."""
    drafts: list[dict[str, Any]] = []
    seen: set[str] = set()
    for r in rows:
        question = (r.get("question") or "").strip()
        if r.get("rating") is None or int(r["rating"]) > max_rating or not question:
            continue
        key = " ".join(question.lower().split())
        if key in seen:
            continue
        seen.add(key)
        drafts.append({
            "id": f"fb{len(drafts) + 1:03d}",
            "split": "dev",
            "question": question,
            "answerable": True,
            "needs_review": True,
            "relevant": [],
            "hints": {"feedback_id": r.get("id"), "created_at": r.get("created_at"), "rating": r.get("rating"),
                      "answered": bool(r.get("answered")), "cited_chunks": r.get("chunk_ids", []),
                      "comment": r.get("comment") or "", "answer": r.get("answer") or ""},
        })
    return drafts


def write_drafts(drafts: list[dict[str, Any]], out: Path = DRAFTS) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in drafts), encoding="utf-8")
    return out
