"""A question that names a section ("what does Socitm mean by connected places?") is answered from that
section's opening sentences, not from table cells that merely repeat its name."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("question", "section", "opening"), [
    ("What does Socitm mean by connected places?", "3. Connected places",
     "Technology can work as an enabler for those able to access and use it."),
    ("what is practical placemaking?", "2. Practical placemaking", "This is more than infrastructure."),
    ("Tell me about place-based leadership", "1. Place-based leadership",
     "We stand for strong, collaborative, localised leadership."),
])
def test_a_named_section_opens_the_answer(assistant, question, section, opening):  # type: ignore[no-untyped-def]
    answer = assistant.ask(question)
    assert answer.answered
    first = answer.citations[0]
    assert first.chunk.section[-1] == section
    assert answer.text.startswith(opening)
    assert all(s in c.chunk.shown for c in answer.citations for s in c.sentences)


def test_a_question_naming_no_section_is_unchanged(assistant):  # type: ignore[no-untyped-def]
    answer = assistant.ask("How can councils use data to tackle knife crime?")
    assert answer.answered
    assert not any(c.chunk.section and c.chunk.section[-1].startswith(("1. Place", "2. Practical", "3. Connected"))
                   for c in answer.citations)
