"""Follow-up detection and condensing without an LLM, and reading histories in either form."""

from __future__ import annotations

import pytest

from assistant.condense import Turn, condense, history_turns, is_dependent
from assistant.records import Answer, Citation
from ingest.records import Chunk


@pytest.mark.parametrize("question", [
    "Any examples?", "What about in health?", "How long has it been doing that?", "Who sits on them?",
    "And their funding?", "Which ones use data?", "Why?", "So what approaches does it reject?",
    "Is there a city example of that?",
])
def test_dependent_follow_ups_are_detected(question):
    assert is_dependent(question)


@pytest.mark.parametrize("question", [
    "How many members does Socitm have?", "What are CSPs?", "What does Socitm say about net zero?",
    "Is there an example of social prescribing to tackle loneliness?", "Which council has a plan that runs to 2050?",
])
def test_self_contained_questions_are_left_alone(question):
    assert not is_dependent(question)
    assert condense(question, [Turn("What does Socitm say about net zero?")]).query == question


def _answer(section: tuple[str, ...]) -> Answer:
    chunk = Chunk(chunk_id="d:1", doc_id="d", text="t", start=0, end=1, section=section, page=None, title="Doc")
    return Answer("q", "Some text. [1]", True, [Citation(1, chunk, 0.9, ["Some text."])], search_query="q")


def test_condensed_query_carries_the_previous_topic_and_section():
    prev = Turn("What does Socitm say about net zero?", "…", _answer(("2. Make Britain a clean energy superpower",)))
    prev.answer.search_query = prev.question  # type: ignore[union-attr]
    c = condense("Any examples?", [prev])
    assert c.dependent
    assert c.query.startswith("Any examples?")
    for word in ("net", "zero", "clean", "energy"):
        assert word in c.query.split()
    assert "already working" in c.query  # how the guidance words its examples


def test_a_chain_of_follow_ups_keeps_its_topic_without_piling_up_expansions():
    first = Turn("Does Socitm cover net zero?", "", _answer(("Net zero",)))
    first.answer.search_query = first.question  # type: ignore[union-attr]
    second_query = condense("Any examples?", [first]).query
    second = Turn("Any examples?", "", _answer(("Net zero", "How it's already working")))
    second.answer.search_query = second_query  # type: ignore[union-attr]
    third = condense("What about one aimed at small communities?", [first, second])
    assert "zero" in third.carried and "examples" not in third.carried


def test_history_in_either_form_becomes_turns():
    answer = _answer(("Net zero",))
    recent = {"remembered text": answer}
    pairs = history_turns([("q1", answer), ("q2", "remembered text"), ("q3", "unknown text")], recent)
    assert [t.question for t in pairs] == ["q1", "q2", "q3"]
    assert pairs[0].answer is answer and pairs[1].answer is answer and pairs[2].answer is None
    messages = history_turns([{"role": "user", "content": "q1"}, {"role": "assistant", "content": "remembered text"},
                              {"role": "user", "content": "q2"}], recent)
    assert [(t.question, t.answer is answer) for t in messages] == [("q1", True), ("q2", False)]
    assert history_turns(None) == []
