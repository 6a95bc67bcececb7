"""Extractive answers over the real corpus: verbatim citations, honest declines, follow-ups, streaming, threads."""

from __future__ import annotations

import logging
import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from assistant.records import Answer
from ingest.errors import BadQuestion

pytestmark = pytest.mark.slow

# Written for these tests (not taken from the eval set): (question, words the cited text must contain).
ANSWERABLE = [
    ("What is Silicon Sands?", "Blackpool"),
    ("Who is Mariana Mazzucato to the prospectus?", "Mazzucato"),
    ("Which organisations make up a Community Safety Partnership?", "Probation Service"),
    ("What does Socitm say about digital inequality?", "Digital inequality"),
    ("How is Bristol investing in renewable heat?", "Bristol"),
    ("What is the Lichfield carbon baseline tool for?", "Lichfield"),
    ("What are the three principles of Planting the Flag from 2011?", "Collaborate, share and re-use assets"),
    ("What does the Leeds healthy schools toolkit do?", "Leeds"),
    ("How does Islington's social prescribing work?", "Islington"),
    ("What is the RSC narrative?", "Regeneration, Sustainability, Connectivity"),
    ("What can we learn from the vaccine roll out?", "vaccine"),
    ("What does Socitm say about neighbourhood policing?", "Neighbourhood policing"),
    ("What is the Greater Manchester Baccalaureate?", "Baccalaureate"),
    ("How should councils use data to fight crime?", "crime"),
    ("What is Socitm's view on controls versus freedoms?", "trust"),
    ("How big is Socitm's membership?", "2,500"),
    ("What does Camden's mission say about young people?", "young person"),
    ("What does the Cornwall Plan aim for?", "Cornwall"),
]

OUT_OF_SCOPE = [
    "What's the best recipe for a Victoria sponge?",
    "Who won the 2018 football World Cup?",
    "How do I renew my passport?",
    "What is the boiling point of water at sea level?",
    "What is the salary of Socitm's chief executive?",
    "When is Socitm's annual conference in 2027?",
    "Which CRM should our council buy, Salesforce or Dynamics?",
    "Who is the current chair of the Local CIO Council?",
]

_SEGMENT = re.compile(r"(.+?) \[(\d+)\](?:\s+|$)", re.S)


def assert_cited_verbatim(answer: Answer) -> None:
    """Every sentence is followed by [n]; each appears verbatim in the chunk [n] names; only cited sources."""
    assert answer.answered and answer.citations
    numbers = [c.n for c in answer.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    segments = _SEGMENT.findall(answer.text)
    assert "".join(m.group(0) for m in _SEGMENT.finditer(answer.text)).strip() == answer.text.strip(), \
        f"text outside a cited sentence: {answer.text!r}"
    used = set()
    for sentence, n in segments:
        cite = answer.citations[int(n) - 1]
        assert sentence.strip() in cite.chunk.shown, (sentence, cite.chunk.chunk_id)
        assert sentence.strip() in cite.sentences
        used.add(int(n))
    assert used == set(numbers), "a source is listed that no sentence cites"
    for cite in answer.citations:
        assert all(s in cite.chunk.shown for s in cite.sentences)


@pytest.mark.parametrize("question, expected", ANSWERABLE)
def test_answers_quote_the_guidance_verbatim_with_citations(assistant, question, expected):
    answer = assistant.ask(question)
    assert_cited_verbatim(answer)
    assert 2 <= sum(len(c.sentences) for c in answer.citations) <= 5 or len(answer.citations[0].chunk.shown) < 200
    cited_text = " ".join(c.chunk.shown for c in answer.citations)
    assert expected.lower() in cited_text.lower(), (question, answer.text)
    assert answer.search_query == question and answer.mode == "extractive"


@pytest.mark.parametrize("question", OUT_OF_SCOPE)
def test_out_of_scope_questions_are_declined_plainly(assistant, question):
    answer = assistant.ask(question)
    assert not answer.answered, (question, answer.text, answer.confidence)
    assert answer.citations == []
    assert "does not cover" in answer.text
    assert answer.suggestions and len(set(answer.suggestions)) == len(answer.suggestions)


def test_follow_ups_retrieve_like_the_complete_question(assistant):
    first = assistant.ask("What are Community Safety Partnerships?")
    follow = assistant.ask("Who sits on them?", [(first.question, first)])
    complete = assistant.ask("Who sits on Community Safety Partnerships?")
    assert_cited_verbatim(follow)
    assert "Community" in follow.search_query and follow.search_query != "Who sits on them?"
    assert complete.citations[0].chunk.chunk_id in {c.chunk.chunk_id for c in follow.citations}

    net_zero = assistant.ask("Does Socitm cover net zero?")
    examples = assistant.ask("Any examples?", [(net_zero.question, net_zero)])
    assert examples.answered
    sections = [c.chunk.section_path for c in examples.citations]
    assert any("already working" in s and "clean energy" in s for s in sections), sections


def test_follow_ups_work_from_chat_messages_holding_only_text(assistant):
    first = assistant.ask("What is the Edinburgh City Mobility Plan?")
    history = [{"role": "user", "content": first.question}, {"role": "assistant", "content": first.text}]
    follow = assistant.ask("What challenges does it address?", history)
    assert "Edinburgh" in follow.search_query
    assert any("Edinburgh" in c.chunk.shown for c in follow.citations)


def test_stream_yields_the_text_in_pieces_then_the_answer(assistant):
    items = list(assistant.stream("What does Socitm say about data-driven health insights?"))
    assert isinstance(items[-1], Answer)
    pieces = items[:-1]
    assert len(pieces) >= 2 and all(isinstance(p, str) for p in pieces)
    assert "".join(pieces) == items[-1].text


def test_concurrent_callers_get_consistent_answers(assistant):
    questions = [q for q, _ in ANSWERABLE[:6]] + OUT_OF_SCOPE[:2]
    alone = {q: assistant.ask(q).text for q in questions}
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda q: (q, assistant.ask(q).text), questions * 2))
    assert all(text == alone[q] for q, text in together)


def test_personal_data_is_flagged_and_never_logged(assistant, caplog):
    caplog.set_level(logging.INFO, logger="socitm.assistant")
    answer = assistant.ask("I'm jane.doe@council.gov.uk, 07700 900123: what is Silicon Sands?")
    assert answer.notices and "personal data" in answer.notices[0]
    assert answer.answered
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "[email]" in logged and "[phone]" in logged
    assert "jane.doe" not in logged and "900123" not in logged


def test_bad_questions_raise_a_clear_error(assistant):
    with pytest.raises(BadQuestion, match="limit is"):
        assistant.ask("net zero " * 200)
    with pytest.raises(BadQuestion):
        assistant.ask("\u200b\u202e")
