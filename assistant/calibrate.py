"""Calibrate the decline threshold and measure follow-up condensing on an eval set (JSON lines).

    python -m assistant calibrate --cases evals/cases.jsonl --split dev

Each case has "question" (or "turns"), "answerable", "split" and "relevant" [{"doc", "quote"}]. For every
case the evidence is gathered once; the threshold is then swept offline. Multi-turn cases also compare
hit@5 of the condensed search query with the last turn searched alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from .condense import Condensed, history_turns
from .core import Assistant, Evidence
from .doubt import DoubtModel, features, judgeable, train
from .records import Answer
from .retriever import Hit


@dataclass
class CaseResult:
    id: str
    answerable: bool
    turns: int
    confidence: float
    rule: str  # a decline rule that fired regardless of the threshold ("" when none)
    rank: int | None = None  # position of the first hit holding a relevant quote (condensed query)
    raw_rank: int | None = None  # the same for the last turn searched alone (multi-turn cases)
    cited: bool = False  # an extractive answer would cite a chunk holding a relevant quote
    question: str = ""
    signals: dict[str, Any] = field(default_factory=dict)


def load_cases(path: Path, split: str = "") -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if not split or r.get("split") == split]


def _rank(hits: list[Hit], relevant: list[dict[str, str]]) -> int | None:
    for i, h in enumerate(hits):
        if any(r["doc"] == h.chunk.doc_id and (r["quote"] in h.chunk.text or r["quote"] in h.chunk.shown)
               for r in relevant):
            return i
    return None


def evaluate(assistant: Assistant, case: dict[str, Any]) -> CaseResult:
    turns: list[str] = case.get("turns") or [case["question"]]
    history: list[tuple[str, Answer]] = []
    for turn in turns[:-1]:
        history.append((turn, assistant.ask(turn, history)))
    last = turns[-1]
    search, _ = assistant.search_query(last, history_turns(history))
    ev: Evidence = assistant.gather(last, search)
    s = ev.signals
    rule = "names" if s.unknown_names else ("kind" if s.missing else ("learned" if s.doubt > s.doubt_limit else ""))
    out = CaseResult(case.get("id", ""), bool(case.get("answerable")), len(turns), s.confidence, rule,
                     question=" / ".join(turns))
    out.signals = {"dense": round(s.dense, 3), "sentence": round(s.sentence, 3), "coverage": round(s.coverage, 3),
                   "unknown": s.unknown_names, "wanted": s.wanted}
    relevant = case.get("relevant") or []
    if relevant:
        out.rank = _rank(ev.hits, relevant)
        answer = assistant._extract(last, ev, [])
        out.cited = _rank([Hit(c.chunk, c.score) for c in answer.citations], relevant) is not None
        if len(turns) > 1:
            raw = assistant.gather(last, Condensed(last, False))
            out.raw_rank = _rank(raw.hits, relevant)
    return out


def learn(assistant: Assistant, files: list[Path], progress: bool = True) -> DoubtModel:
    """Train the learned decline check (doubt.py) on every case of `files`, answered without it."""
    x, oos, ruled, judged, groups = case_features(assistant, files, progress)
    docs = {d["doc_id"]: d["content_hash"] for d in assistant.index.catalog.documents()}
    info = {"trained": date.today().isoformat(), "case_files": sorted(set(groups))}
    return train(x, oos, ruled, judged, groups, docs, info)


def case_features(assistant: Assistant, files: list[Path], progress: bool = True
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For every case of `files`, answered without the learned check: its features, whether it is out of scope,
    whether the rules decline it, whether the check may judge it, and its case file's name."""
    cases = [(f.stem, c) for f in files for c in load_cases(f, "")]
    xs, oos, ruled, judged, groups = [], [], [], [], []
    check, assistant.doubt = assistant.doubt, None  # the rules' decisions, as the check will see them
    try:
        for group, case in tqdm(cases, desc="answering the eval cases", unit="case", disable=not progress):
            turns: list[str] = case.get("turns") or [case["question"]]
            history: list[tuple[str, Answer]] = []
            for turn in turns[:-1]:
                history.append((turn, assistant.ask(turn, history)))
            search, _ = assistant.search_query(turns[-1], history_turns(history))
            ev = assistant.gather(turns[-1], search)
            xs.append(features(ev))
            oos.append(not case.get("answerable"))
            ruled.append(bool(ev.signals.decline_reason(assistant.settings.decline_threshold)))
            judged.append(judgeable(ev))
            groups.append(group)
    finally:
        assistant.doubt = check
    return np.vstack(xs), np.array(oos), np.array(ruled), np.array(judged), np.array(groups)


def sweep(results: list[CaseResult], thresholds: list[float]) -> list[tuple[float, float, float]]:
    """(threshold, share of answerable answered, share of unanswerable declined) for each threshold."""
    pos = [r for r in results if r.answerable]
    neg = [r for r in results if not r.answerable]
    rows = []
    for t in thresholds:
        answered = sum(1 for r in pos if not r.rule and r.confidence >= t) / max(len(pos), 1)
        declined = sum(1 for r in neg if r.rule or r.confidence < t) / max(len(neg), 1)
        rows.append((t, answered, declined))
    return rows


def report(results: list[CaseResult], threshold: float) -> str:
    """A markdown summary: the sweep, retrieval and citation rates, follow-up hit@5, the misses."""
    lines = ["| threshold | answerable answered | out-of-scope declined |", "|---|---|---|"]
    steps = sorted({round(0.20 + 0.02 * i, 2) for i in range(21)} | {round(threshold, 2)})
    for t, a, d in sweep(results, steps):
        mark = " **(setting)**" if abs(t - threshold) < 1e-9 else ""
        lines.append(f"| {t:.2f}{mark} | {a:.1%} | {d:.1%} |")
    pos = [r for r in results if r.answerable]
    n = max(len(pos), 1)
    lines += ["", f"Answerable cases: {len(pos)}; out-of-scope: {len(results) - len(pos)}.",
              f"Relevant chunk in the top 5 hits: {sum(1 for r in pos if r.rank is not None and r.rank < 5) / n:.1%}; "
              f"among all kept hits (top_k): {sum(1 for r in pos if r.rank is not None) / n:.1%}; "
              f"cited by the extractive answer: {sum(1 for r in pos if r.cited) / n:.1%}."]
    multi = [r for r in pos if r.turns > 1]
    if multi:
        m = len(multi)
        cond = sum(1 for r in multi if r.rank is not None and r.rank < 5) / m
        raw = sum(1 for r in multi if r.raw_rank is not None and r.raw_rank < 5) / m
        lines.append(f"Multi-turn cases: {m}; hit@5 condensed query {cond:.1%} vs last turn alone {raw:.1%}.")
    misses = [r for r in results if (r.answerable and (r.rule or r.confidence < threshold))
              or (not r.answerable and not r.rule and r.confidence >= threshold)]
    if misses:
        lines += ["", "Wrong decisions at the setting:", ""]
        for r in misses:
            what = "declined" if r.answerable else "answered"
            lines.append(f"- {r.id} {what} (confidence {r.confidence:.3f}{', rule ' + r.rule if r.rule else ''}): "
                         f"{r.question}")
    return "\n".join(lines)
