"""The Assistant: a question and the conversation so far in, a cited answer (or an honest decline) out.

    assistant = Assistant(Settings.from_env())
    answer = assistant.ask("What does Socitm say about net zero?")
    for piece in assistant.stream("Any examples?", [(answer.question, answer)]):
        ...  # str pieces (concatenated, the text so far), then the final Answer

One Assistant serves many threads: the model, the index and the sentence-vector cache are shared and
guarded. Without an LLM the answer quotes the guidance (extractive.py); with one, the LLM writes it from
the same passages and every citation is checked (verify.py), falling back to quoting on any failure.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ingest.chunker import embed_text
from ingest.errors import LLMUnavailable
from ingest.lexical import tokenize
from ingest.settings import Settings

from . import decline as dl
from .acronyms import expand
from .condense import Condensed, Turn, condense, history_turns
from .doubt import features, judgeable, model_for
from .extractive import SentenceScorer, Unit, VectorCache, compose, pick, rerank
from .guard import check_question, redact, without_personal
from .index import Index
from .kinds import LIST_Q, asks_for_product, list_size_told, wanted_kinds
from .lexicon import name_groups
from .llm import NOT_COVERED, LLMClient, answer_messages, rewrite_messages
from .records import Answer
from .retriever import Hit, HybridRetriever
from .synonyms import for_keywords
from .verify import check

log = logging.getLogger("socitm.assistant")

DECLINE_TEXT = ("The Socitm guidance I can search does not cover this question, so I cannot answer it from "
                "the guidance.")
DECLINE_HINT = " The nearest topics it does cover are listed below: try one of them, or rephrase your question."
FALLBACK_NOTICE = "The language model was not available ({why}), so this answer quotes the guidance directly."
UNCHECKED_NOTICE = "The generated answer could not be matched to the guidance, so the guidance is quoted instead."
DROPPED_NOTICE = ("{n} sentence(s) of the generated answer were left out because the cited guidance did not "
                  "support them.")
CONDENSED_WEIGHT = 0.6  # share of the condensed query when a follow-up is searched both ways
CONDENSED_ONLY_WEIGHT = 0.9  # ... when the follow-up has no topic words of its own ("Any examples?")
PREFERRED_BOOST = 0.2  # added to chunks under the headings a follow-up asks for (examples)
FOLLOW_UP_SENTENCE_WEIGHT = 0.6  # elliptical questions match sentences weakly: lean more on retrieval
NAMED_SECTION_BOOST = 0.15  # added to sentences under a heading that names everything the question is about
OPENING_SENTENCES = 2  # ... whose first sentences always open the answer
OWN_TOPIC_WORDS = 3  # a follow-up with this many topic words of its own is judged on them first
KEYWORD_SENTENCES = 0.5  # weight of the question in the guidance's words when sentences are scored (thesaurus rewrites only)
CANDIDATES = 16  # chunks scored sentence by sentence before the best `top_k` are kept
RECENT_ANSWERS = 512  # answers remembered by text, for histories that keep only the text
LLM_BACKOFF = 60.0  # seconds the LLM is left alone after it failed, so members do not wait on a dead endpoint


@dataclass
class Evidence:
    """What retrieval found for one question: ranked hits, their scored sentences, the decline signals."""

    search: Condensed
    hits: list[Hit]
    units: list[Unit]
    signals: dl.Signals
    lead: list[Unit] = field(default_factory=list)  # opening sentences of a section the question names
    vector: np.ndarray | None = field(default=None, repr=False)  # the question's vector
    search_vector: np.ndarray | None = field(default=None, repr=False)  # a follow-up's condensed query's vector

    def units_by_hit(self) -> dict[int, list[Unit]]:
        out: dict[int, list[Unit]] = {}
        for u in self.units:
            out.setdefault(u.rank, []).append(u)
        return out


class Assistant:
    """Answers questions from the indexed guidance, with every sentence cited."""

    def __init__(self, settings: Settings, index: Index | None = None):
        self.settings = settings
        self.index = index if index is not None else Index(settings)
        self.retriever = HybridRetriever(self.index, fusion=settings.fusion, alpha=settings.fusion_alpha,
                                         heading_weight=settings.heading_weight)
        self.llm = (LLMClient(settings.llm_base_url, settings.llm_model, settings.llm_api_key, settings.llm_timeout)
                    if settings.llm_base_url and settings.llm_model else None)
        # Open everything now, once, so concurrent first questions do not race to load the model or the index.
        _ = self.index.catalog, self.index.store
        self.index.bm25.current()
        self.cache = VectorCache(self.index.embedder, self.index.catalog)
        self.scorer = SentenceScorer(self.cache)
        self._recent: OrderedDict[str, Answer] = OrderedDict()
        self._lock = threading.Lock()
        self._llm_failed_at = -LLM_BACKOFF
        self.doubt = model_for(settings.learned_check)

    # public API ---------------------------------------------------------------------------------
    def ask(self, question: str, history: list[Any] | None = None) -> Answer:
        """Answer one question; `history` holds earlier (question, Answer | answer text) pairs."""
        answer = None
        for piece in self.stream(question, history):
            if isinstance(piece, Answer):
                answer = piece
        assert answer is not None
        return answer

    def stream(self, question: str, history: list[Any] | None = None) -> Iterator[str | Answer]:
        """Yield text pieces as the answer grows (joined, they are the text so far), then the final Answer.

        The final Answer's text is authoritative: an LLM's streamed text is checked once it is complete.
        `history` may also be chat messages ({"role": "user" | "assistant", "content": ...}).
        """
        checked = check_question(question, self.settings.max_question_chars)
        with self._lock:
            recent = dict(self._recent)
        turns = history_turns(history, recent)
        notices = list(checked.notices)
        asked = without_personal(checked.text)  # an email address or phone number is no part of what is asked
        search, llm_error = self.search_query(asked, turns)
        evidence = self.gather(asked, search)
        reason = evidence.signals.decline_reason(self.settings.decline_threshold)
        if reason:
            answer = self._decline(checked.text, evidence, notices)
            yield answer.text
        elif self.llm is not None and not llm_error:
            answer = yield from self._generate(checked.text, asked, evidence, notices)
        else:
            if llm_error:
                notices.append(FALLBACK_NOTICE.format(why=llm_error))
            answer = self._extract(checked.text, evidence, notices)
            yield from _pieces(answer.text)
        log.info("question=%r search=%r answered=%s mode=%s confidence=%.3f%s", redact(checked.text),
                 redact(search.query), answer.answered, answer.mode, answer.confidence,
                 f" declined: {reason}" if reason else "")
        self._remember(answer)
        yield answer

    # steps ----------------------------------------------------------------------------------------
    def search_query(self, question: str, turns: list[Turn]) -> tuple[Condensed, str]:
        """The self-contained query to search, and why the LLM cannot be used ("" when it can)."""
        resting = self.llm is not None and time.monotonic() - self._llm_failed_at < LLM_BACKOFF
        why = "it failed moments ago" if resting else ""
        if not turns:
            return Condensed(question, False), why
        if self.llm is None or resting:
            return condense(question, turns), why
        try:
            text = self.llm.complete(rewrite_messages(question, [(t.question, t.answer_text) for t in turns]),
                                     timeout=min(self.settings.llm_timeout, 15.0), max_tokens=80)
        except LLMUnavailable as e:
            log.warning("LLM rewrite failed: %s", e)
            self._llm_failed_at = time.monotonic()
            return condense(question, turns), _short_reason(e)
        rewritten = " ".join(text.strip().strip('"').split("\n")[0].split())[: self.settings.max_question_chars]
        if not rewritten:
            return condense(question, turns), ""
        return Condensed(rewritten, rewritten.lower() != question.lower()), ""

    def gather(self, question: str, search: Condensed) -> Evidence:
        """Retrieve, score every candidate sentence, keep the best `top_k` chunks, compute decline signals."""
        embedder = self.index.embedder
        depth = max(CANDIDATES, self.settings.top_k)
        known = self.index.acronyms()  # "a CSP" is searched with "community safety partnerships"
        asked = expand(question, known)
        qv = embedder.encode_query(asked)
        cv: np.ndarray | None = None
        keywords = for_keywords(asked)  # the question in the guidance's words (synonyms.txt)
        hits = self._candidates(asked, depth, qv, keywords)
        queries, weights, sw = [qv], [1.0], None
        # when the thesaurus rewrites a question ("getting in early": "early intervention prevention"), sentences are
        # scored against the rewrite too, so the one that answers can open the answer
        kv = embedder.encode_query(keywords) if keywords != asked and not search.dependent else None
        if kv is not None:
            queries, weights = [qv, kv], [1 - KEYWORD_SENTENCES, KEYWORD_SENTENCES]
        dense = max((h.dense for h in hits), default=0.0)
        if search.dependent:
            condensed = expand(search.query, known)
            cv = embedder.encode_query(condensed)
            more = self._candidates(condensed, depth, cv)
            w = CONDENSED_WEIGHT if search.own_words else CONDENSED_ONLY_WEIGHT
            hits = _merge(hits, more, w)[:depth]
            for h in hits:
                h.score += PREFERRED_BOOST * _preferred(h, search)
            hits.sort(key=lambda h: -h.score)
            queries, weights, sw = [qv, cv], [1 - w, w], FOLLOW_UP_SENTENCE_WEIGHT
            dense = max((h.dense for h in more), default=0.0)
        # "What does Socitm mean by connected places?": the section "3. Connected places" says
        subject = dl.subject_terms(search.query if search.dependent else question)
        named = {h.chunk.chunk_id for h in hits if _names_section(h, subject)}
        for h in hits:
            h.score += NAMED_SECTION_BOOST * (h.chunk.chunk_id in named)
        units = self.scorer.score(hits, queries, weights, sw)
        hits = [hits[i] for i in rerank(hits, units)[: self.settings.top_k]]
        hits.sort(key=lambda h: h.chunk.chunk_id not in named)  # the section the question names is source [1]
        units = self.scorer.score(hits, queries, weights, sw)  # vectors are cached: this only renumbers
        for u in units:
            chunk = hits[u.rank].chunk
            u.score += PREFERRED_BOOST * _preferred(hits[u.rank], search) + NAMED_SECTION_BOOST * (chunk.chunk_id in named)
        units.sort(key=lambda u: -u.score)
        # ... and is defined by its opening sentences, which open the answer.
        lead = sorted((u for u in units if u.rank == 0), key=lambda u: u.start)[:OPENING_SENTENCES] \
            if hits and hits[0].chunk.chunk_id in named else []
        ev = Evidence(search, hits, units, self._signals(question, search, hits, units, dense, kv), lead, qv, cv)
        if self.doubt is not None and hits and judgeable(ev):
            doc = self.index.catalog.document(hits[0].chunk.doc_id)
            if doc and self.doubt.judges(doc["doc_id"], doc["content_hash"]):
                ev.signals.doubt = self.doubt.probability(features(ev))
                ev.signals.doubt_limit = self.doubt.threshold
        return ev

    def _candidates(self, query: str, depth: int, vector: np.ndarray, keywords: str | None = None) -> list[Hit]:
        """Hybrid hits with keyword search given the guidance's words for everyday phrases (synonyms.txt, or
        `keywords` when the caller has them), then the hits of the query as asked that those displaced."""
        keywords = for_keywords(query) if keywords is None else keywords
        if keywords == query:
            return self.retriever.retrieve(query, depth, vector=vector)
        hits, asked = self.retriever.retrieve_many([keywords, query], depth, vector=vector)  # one dense search
        seen = {h.chunk.chunk_id for h in hits}
        return hits + [h for h in asked if h.chunk.chunk_id not in seen]

    def _signals(self, question: str, search: Condensed, hits: list[Hit], units: list[Unit],
                 dense: float, keywords: np.ndarray | None = None) -> dl.Signals:
        bm25 = self.index.bm25.current()
        top = [embed_text(h.chunk) for h in hits[:3]]
        signals = dl.Signals(dense=dense, sentence=self._best_sentence(units, keywords),
                             coverage=dl.coverage(search.query, bm25, top),
                             unknown_names=dl.unknown_names(question, bm25, " ".join(top),
                                                           [h.chunk.text for h in hits[3:]]))
        kinds = wanted_kinds(question)
        signals.wanted = ", ".join(k for k, _ in kinds)
        context = [h.chunk.section[-1] if h.chunk.section else h.chunk.title for h in hits]
        for kind, detail in kinds:
            if kind == "product" and search.told and asks_for_product(question):  # a name not already given
                detail = " ".join(sorted(set(detail.split()) | set(tokenize(" ".join(name_groups(search.told))))))
            if kind == "list":
                ok = self._listed(question, search, hits[:3], detail)
            else:
                # a follow-up's own words suffice when they say what it is about ("when does it aim to reach net
                # zero?"); "did they achieve it?" must be answered about the earlier turn's topic
                found = None
                if not search.dependent or search.own_words >= OWN_TOPIC_WORDS:
                    found = dl.typed_evidence(units, kind, detail, question, context, bm25)
                if found is None and search.dependent:
                    found = dl.typed_evidence(units, kind, detail, search.query, context, bm25, asked=question)
                signals.found = signals.found or found
                ok = found is not None
            if not ok:
                signals.missing = kind if kind != "list" else f"list of {detail}"
                break
        return signals

    def _best_sentence(self, units: list[Unit], keywords: np.ndarray | None) -> float:
        """The best sentence's cosine with the question, or with the question in the guidance's words when the
        thesaurus rewrites it (`keywords`, its vector: "stepping in sooner" with "early intervention prevention"):
        the small model puts a member's everyday words far from the sentence that answers them."""
        best = units[0].sim if units else 0.0
        if not units or keywords is None:
            return best
        return max(best, *(float(np.dot(u.vector, keywords)) for u in units if u.vector is not None))

    def _listed(self, question: str, search: Condensed, top: list[Hit], detail: str) -> bool:
        """Do the top hits give a list as long as the question asks for?"""
        if detail == "3" and search.told and not LIST_Q.search(question):  # "name them all" after "12 missions"
            detail = str(list_size_told(search.told))
        size = int(detail)
        rest = bool(dl.REST.search(question))  # "the other three": a sentence's or the sections' list is not the rest
        if dl.listed(size, [h.chunk.shown for h in top], inline=not rest):
            return True
        if rest:
            return False
        # "what are the five missions?": the prospectus gives them as five numbered sections
        sections = [c.section for d in {h.chunk.doc_id for h in top} for c in self.index.catalog.chunks(doc_id=d)]
        return dl.numbered_sections(size, [h.chunk.section for h in top], sections)

    def _decline(self, question: str, ev: Evidence, notices: list[str]) -> Answer:
        suggestions = _topics(ev.hits)
        text = DECLINE_TEXT + (DECLINE_HINT if suggestions else "")
        return Answer(question, text, False, [], ev.search.query, suggestions, notices, "extractive",
                      ev.signals.confidence)

    def _extract(self, question: str, ev: Evidence, notices: list[str]) -> Answer:
        must = [*ev.lead, *([ev.signals.found] if ev.signals.found and ev.signals.found not in ev.lead else [])]
        picked = pick(ev.units, must=must or None)
        text, citations = compose(picked, ev.hits)
        return Answer(question, text, True, citations, ev.search.query, [], notices, "extractive",
                      ev.signals.confidence)

    def _generate(self, question: str, typed: str, ev: Evidence, notices: list[str]) -> Generator[str, None, Answer]:
        """Stream the LLM's answer, then check it; returns the Answer (via StopIteration). The LLM is sent
        `typed`, the question without personal data (guard.without_personal), never `question` as it came."""
        assert self.llm is not None
        asked = ev.search.query if ev.search.dependent else typed
        parts: list[str] = []
        try:
            for piece in self.llm.stream(answer_messages(asked, [h.chunk for h in ev.hits], asked_as=typed)):
                parts.append(piece)
                yield piece
        except LLMUnavailable as e:
            log.warning("LLM answer failed: %s", e)
            self._llm_failed_at = time.monotonic()
            answer = self._extract(question, ev, [*notices, FALLBACK_NOTICE.format(why=_short_reason(e))])
            yield from _pieces(("\n\n" if parts else "") + answer.text)
            return answer
        raw = "".join(parts)
        checked = check(raw, ev.hits, ev.units_by_hit(), self.cache)
        if checked.bad_markers or checked.dropped:
            log.info("LLM answer checked: %d bad markers, %d unsupported sentences dropped",
                     checked.bad_markers, len(checked.dropped))
        if not checked.claims:
            if NOT_COVERED in raw.lower():
                return self._decline(question, ev, notices)
            answer = self._extract(question, ev, [*notices, UNCHECKED_NOTICE])
            yield from _pieces("\n\n" + answer.text)
            return answer
        if checked.dropped:
            notices = [*notices, DROPPED_NOTICE.format(n=len(checked.dropped))]
        return Answer(question, checked.text, True, checked.citations, ev.search.query, [], notices, "llm",
                      ev.signals.confidence)

    def _remember(self, answer: Answer) -> None:
        with self._lock:
            self._recent[answer.text] = answer
            self._recent.move_to_end(answer.text)
            while len(self._recent) > RECENT_ANSWERS:
                self._recent.popitem(last=False)


def _merge(first: list[Hit], second: list[Hit], weight: float) -> list[Hit]:
    """Two ranked lists as one: scores mixed with `weight` on the second, best first."""
    merged: dict[str, Hit] = {}
    for hits, w in ((first, 1 - weight), (second, weight)):
        for h in hits:
            m = merged.get(h.chunk.chunk_id)
            if m is None:
                merged[h.chunk.chunk_id] = Hit(h.chunk, w * h.score, h.dense, h.lexical)
            else:
                m.score += w * h.score
                m.dense, m.lexical = max(m.dense, h.dense), max(m.lexical, h.lexical)
    return sorted(merged.values(), key=lambda h: -h.score)


def _names_section(hit: Hit, terms: set[str]) -> bool:
    """Does the chunk's own heading hold every term the question is about?"""
    return bool(terms) and bool(hit.chunk.section) and terms <= set(tokenize(hit.chunk.section[-1]))


def _preferred(hit: Hit, search: Condensed) -> bool:
    return bool(search.prefer and re.search(search.prefer, hit.chunk.section_path, re.IGNORECASE))


def _topics(hits: list[Hit], most: int = 4) -> list[str]:
    """Distinct section headings (or titles) of the nearest chunks, for a decline."""
    out: list[str] = []
    for h in hits:
        c = h.chunk
        label = f"{c.section_path} ({c.title})" if c.section else c.title
        if label and label not in out:
            out.append(label)
        if len(out) >= most:
            break
    return out


def _pieces(text: str) -> Iterator[str]:
    """A finished text in sentence-sized pieces, for streaming."""
    for m in re.finditer(r".*?(?:\]\s*|\n\n|$)", text, re.S):
        if m.group(0):
            yield m.group(0)


def _short_reason(error: Exception) -> str:
    text = str(error)
    return "it timed out" if "did not answer" in text else ("it returned an error" if "HTTP" in text else
                                                             "it could not be reached")

