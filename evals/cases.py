"""The eval set: one JSON object per line (evals/cases.jsonl; `evals/check_cases.py` validates it).

    {"id": "q001", "split": "dev", "section": "...", "question": "...", "answerable": true,
     "relevant": [{"doc": "<doc id>", "quote": "<exact words of the document>"}]}

Multi-turn cases carry "turns" (the last one is judged, the others are the conversation so far);
out-of-scope cases have "answerable": false and no quotes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.errors import SocitmError

from .metrics import Quote

DEFAULT_SET = Path(__file__).resolve().parent / "cases.jsonl"
SPLITS = ("dev", "test", "all")


@dataclass
class EvalCase:
    id: str
    split: str
    question: str  # the question judged: the last turn of a conversation
    answerable: bool
    quotes: list[Quote] = field(default_factory=list)
    section: str = ""
    history: list[str] = field(default_factory=list)  # earlier turns, oldest first

    @property
    def kind(self) -> str:
        """single | followup | unanswerable"""
        if not self.answerable:
            return "unanswerable"
        return "followup" if self.history else "single"

    @property
    def turns(self) -> list[str]:
        return [*self.history, self.question]


def parse_case(obj: dict[str, Any], where: str) -> EvalCase:
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
        raise SocitmError(f"{where}: each line must be a JSON object with a string 'id'")
    turns = obj.get("turns")
    if turns is not None:
        if not (isinstance(turns, list) and turns and all(isinstance(t, str) and t.strip() for t in turns)):
            raise SocitmError(f"{where} ({obj['id']}): 'turns' must be a list of non-empty strings")
        question, history = turns[-1], list(turns[:-1])
    else:
        question, history = obj.get("question"), []
        if not isinstance(question, str) or not question.strip():
            raise SocitmError(f"{where} ({obj['id']}): needs a non-empty 'question' (or 'turns')")
    quotes = []
    for r in obj.get("relevant") or []:
        if not (isinstance(r, dict) and isinstance(r.get("doc"), str) and isinstance(r.get("quote"), str)):
            raise SocitmError(f"{where} ({obj['id']}): each 'relevant' item needs 'doc' and 'quote'")
        quotes.append(Quote(r["doc"], r["quote"]))
    answerable = obj.get("answerable", True)
    if obj.get("needs_review"):
        raise SocitmError(f"{where} ({obj['id']}): a draft (needs_review): add its quotes and drop the flag first")
    if answerable is True and not quotes:
        raise SocitmError(f"{where} ({obj['id']}): an answerable case needs at least one quote in 'relevant'")
    return EvalCase(id=obj["id"], split=str(obj.get("split", "dev")), question=question,
                    answerable=answerable is True, quotes=quotes, section=str(obj.get("section") or ""),
                    history=history)


def load_cases(path: Path = DEFAULT_SET, split: str = "all") -> list[EvalCase]:
    """Cases of one split ("all" for every case), in file order."""
    path = Path(path)
    if split not in SPLITS:
        raise SocitmError(f"split must be one of {', '.join(SPLITS)}, not '{split}'")
    if not path.is_file():
        raise SocitmError(f"Eval set {path} not found. Pass one with --set FILE.")
    cases: list[EvalCase] = []
    seen: set[str] = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise SocitmError(f"{path}:{n}: not valid JSON ({e.msg})") from None
        case = parse_case(obj, f"{path}:{n}")
        if case.id in seen:
            raise SocitmError(f"{path}:{n}: id '{case.id}' is used twice")
        seen.add(case.id)
        if split == "all" or case.split == split:
            cases.append(case)
    if not cases:
        raise SocitmError(f"{path} has no cases in split '{split}'")
    return cases
