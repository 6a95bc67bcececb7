"""Run the eval set: retrieval in every mode on each case's search query, and the Assistant's answers.

Single questions score retrieval; multi-turn cases are asked turn by turn and judged on the last turn,
whose search query is the Assistant's condensed one (`Answer.search_query`); out-of-scope questions
check that the Assistant declines.
"""

from __future__ import annotations

import sys
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from ingest.errors import IndexUnavailable
from ingest.settings import Settings

from .cases import EvalCase
from .metrics import (
    Quote,
    chunk_holds,
    citation_checks,
    first_rank,
    hit_at,
    mean,
    mrr_flags,
    ndcg_flags,
    quote_recall,
    quote_span,
    quotes_held,
)

MODES = ("dense", "bm25", "hybrid")
DEPTH = 20  # chunks kept per query: enough for the recall@k curve (k = 1..20)
RETRIEVAL_KEYS = ("hit@1", "hit@5", "recall@10", "mrr@10", "ndcg@10")


@dataclass
class Ranking:
    """One mode's ranked chunks for a case and which quotes each holds."""

    chunk_ids: list[str]
    held: list[list[int]]

    def flags(self) -> list[bool]:
        return [bool(h) for h in self.held]


@dataclass
class CaseResult:
    id: str
    split: str
    kind: str  # single | followup | unanswerable
    section: str
    question: str
    search_query: str
    n_quotes: int
    n_relevant: int  # chunks in the whole index that hold one of the quotes
    rankings: dict[str, Ranking] = field(default_factory=dict)
    answered: bool | None = None  # None when no Assistant answered
    cited: list[str] = field(default_factory=list)
    citation_flags: list[bool] = field(default_factory=list)
    answer: str = ""

    def metrics(self, mode: str) -> dict[str, Any]:
        """hit@1, hit@5, recall@10, mrr@10, ndcg@10, rank of the first relevant chunk, recall@1..20."""
        r = self.rankings.get(mode)
        if r is None or self.kind == "unanswerable":
            return {}
        flags, held = r.flags(), [set(h) for h in r.held]
        return {"hit@1": hit_at(flags, 1), "hit@5": hit_at(flags, 5),
                "recall@10": quote_recall(held, self.n_quotes, 10), "mrr@10": mrr_flags(flags, 10),
                "ndcg@10": round(ndcg_flags(flags, 10, max(self.n_relevant, 1)), 4), "rank": first_rank(flags),
                "recall_curve": [quote_recall(held, self.n_quotes, k) for k in range(1, DEPTH + 1)]}

    def to_dict(self, mode: str) -> dict[str, Any]:
        d = asdict(self)
        d["metrics"] = self.metrics(mode)
        return d


@dataclass
class RunResult:
    config: dict[str, Any]
    cases: list[CaseResult]
    missing_docs: list[str] = field(default_factory=list)

    @property
    def mode(self) -> str:
        return str(self.config["mode"])

    def summary(self, mode: str | None = None) -> dict[str, Any]:
        """The headline numbers in the shape `--json` prints."""
        mode = mode or self.mode
        single = [c.metrics(mode) for c in self.cases if c.kind == "single"]
        follow = [c.metrics(mode) for c in self.cases if c.kind == "followup"]
        answerable = [c for c in self.cases if c.kind != "unanswerable"]
        unanswerable = [c for c in self.cases if c.kind == "unanswerable"]
        flags = [f for c in self.cases if c.answered for f in c.citation_flags]
        asked = any(c.answered is not None for c in self.cases)
        return {
            "n": len(self.cases),
            "retrieval": {k: mean(m.get(k) for m in single) for k in RETRIEVAL_KEYS},
            "answers": {
                "answered_when_answerable": mean(float(bool(c.answered)) for c in answerable) if asked else None,
                "declined_when_unanswerable": mean(float(not c.answered) for c in unanswerable) if asked else None,
                "citation_precision": mean(float(f) for f in flags) if asked else None,
            },
            "followups": {"hit@5": mean(m.get("hit@5") for m in follow), "mrr@10": mean(m.get("mrr@10") for m in follow)},
        }

    def recall_curve(self, mode: str) -> list[float]:
        curves = [c.metrics(mode)["recall_curve"] for c in self.cases if c.kind == "single"]
        return [round(sum(c[k] for c in curves) / len(curves), 4) if curves else 0.0 for k in range(DEPTH)]

    def by_section(self, mode: str) -> dict[str, float]:
        """hit@5 of the answerable cases (single and follow-up) per section."""
        groups: dict[str, list[float]] = {}
        for c in self.cases:
            if c.kind != "unanswerable":
                groups.setdefault(c.section or "(none)", []).append(c.metrics(mode)["hit@5"])
        return {s: round(sum(v) / len(v), 4) for s, v in groups.items()}

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "run", "config": self.config, **self.summary(),
                "modes": {m: self.summary(m)["retrieval"] for m in MODES if any(m in c.rankings for c in self.cases)},
                "followups_by_mode": {m: self.summary(m)["followups"] for m in MODES
                                      if any(m in c.rankings for c in self.cases)},
                "recall_curve": {m: self.recall_curve(m) for m in MODES if any(m in c.rankings for c in self.cases)},
                "by_section": self.by_section(self.mode), "missing_docs": self.missing_docs,
                "per_case": [c.to_dict(self.mode) for c in self.cases]}


def load_assistant(settings: Settings, index: Any = None) -> Any:
    """The Assistant, or None while assistant.core does not exist yet (answers are then not judged)."""
    try:
        from assistant.core import Assistant
    except ImportError:
        return None
    return Assistant(settings, index)


def ask(assistant: Any, case: EvalCase) -> Any:
    """Ask the case's turns in order, as a member would; the last Answer is judged."""
    history: list[tuple[str, Any]] = []
    answer = None
    for turn in case.turns:
        answer = assistant.ask(turn, list(history))
        history.append((turn, answer))
    return answer


class Runner:
    """Scores one index against an eval set."""

    def __init__(self, settings: Settings, mode: str = "hybrid", modes: tuple[str, ...] = MODES,
                 use_assistant: bool = True):
        from assistant.index import Index

        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not '{mode}'")
        self.settings, self.mode = settings, mode
        self.modes = tuple(dict.fromkeys((mode, *modes)))
        self.index = Index(settings)
        if self.index.catalog.chunk_count() == 0:
            raise IndexUnavailable(f"The index in {settings.data_dir} holds no documents. "
                                   "Build it with: python -m ingest corpus/")
        self.assistant = load_assistant(settings, self.index) if use_assistant else None
        self._chunks_of: dict[str, list[Any]] = {}

    def retriever(self, mode: str):  # type: ignore[no-untyped-def]
        from assistant.retriever import HybridRetriever

        return HybridRetriever(self.index, mode, self.settings.fusion, self.settings.fusion_alpha,
                               heading_weight=self.settings.heading_weight)

    def _doc_chunks(self, doc_id: str) -> list[Any]:
        if doc_id not in self._chunks_of:
            self._chunks_of[doc_id] = self.index.catalog.chunks(doc_id=doc_id)
        return self._chunks_of[doc_id]

    def locate(self, quotes: list[Quote]) -> list[Quote]:
        """The quotes with their spans in the indexed text of their documents."""
        return [Quote(q.doc, q.text, quote_span(self.index.catalog.document_text(q.doc), q.text)) for q in quotes]

    def run(self, cases: list[EvalCase], config: dict[str, Any] | None = None, progress: bool = True) -> RunResult:
        from tqdm import tqdm

        t0 = time.perf_counter()
        retrievers = {m: self.retriever(m) for m in self.modes}
        known = {d["doc_id"] for d in self.index.catalog.documents()}
        missing = sorted({q.doc for c in cases for q in c.quotes} - known)
        results = []
        for case in tqdm(cases, desc="Cases", unit="case", file=sys.stderr, disable=not progress,
                         dynamic_ncols=True, mininterval=0.5):
            results.append(self._case(case, retrievers))
        cfg = {"mode": self.mode, "modes": list(self.modes), "fusion": self.settings.fusion,
               "alpha": self.settings.fusion_alpha, "data_dir": str(self.settings.data_dir),
               "assistant": self.assistant is not None, "date": time.strftime("%Y-%m-%d %H:%M:%S"),
               "seconds": round(time.perf_counter() - t0, 1), **(config or {})}
        return RunResult(cfg, results, missing)

    def _case(self, case: EvalCase, retrievers: dict[str, Any]) -> CaseResult:
        quotes = self.locate(case.quotes)
        answer = ask(self.assistant, case) if self.assistant is not None else None
        if answer is not None:
            query = answer.search_query or case.question
        else:  # no Assistant yet: the turns joined stand in for a condensed query
            query = " ".join(case.turns)
        relevant = {c.chunk_id for q in quotes for c in self._doc_chunks(q.doc) if chunk_holds(c, q)}
        result = CaseResult(case.id, case.split, case.kind, case.section, case.question, query,
                            len({(q.doc, q.text) for q in quotes}), len(relevant))
        vector = self.index.embedder.encode_query(query) if set(self.modes) - {"bm25"} else None
        for mode, retriever in retrievers.items():
            hits = retriever.retrieve(query, DEPTH, vector=vector)
            held = quotes_held([h.chunk for h in hits], quotes)
            result.rankings[mode] = Ranking([h.chunk.chunk_id for h in hits], [sorted(h) for h in held])
        if answer is not None:
            result.answered = bool(answer.answered)
            result.cited = [c.chunk.chunk_id for c in answer.citations]
            result.citation_flags = citation_checks(answer) if answer.answered else []
            result.answer = answer.text
        return result


def run_eval(settings: Settings, cases: list[EvalCase], mode: str = "hybrid", use_assistant: bool = True,
             config: dict[str, Any] | None = None, progress: bool = True) -> RunResult:
    return Runner(settings, mode, use_assistant=use_assistant).run(cases, config, progress)
