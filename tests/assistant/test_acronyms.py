"""Acronyms the guidance defines are searched with their words: pure functions first, then the real assistant
over the real corpus (the questions are in no eval set)."""

from __future__ import annotations

from assistant.acronyms import defined, expand


def test_acronyms_are_read_where_the_guidance_defines_them():
    found = defined(["Community Safety Partnerships (CSPs)", "The Local CIO Council (LCIOC) meets.",
                     "We met Socitm (the society) and the Place Team (XYZ).",
                     "a narrative of Regeneration, Sustainability and Connectivity (RSC) for places"])
    assert found == {"CSP": "Community Safety Partnerships", "LCIOC": "Local CIO Council",
                     "RSC": "Regeneration Sustainability Connectivity"}  # XYZ: wrong initials


def test_a_question_is_searched_with_the_words_of_its_acronyms():
    known = {"CSP": "Community Safety Partnerships", "LU": "Levelling Up"}
    assert expand("who sits on a CSP?", known) == "who sits on a CSP? (community safety partnerships)"
    assert expand("are CSPs statutory?", known) == "are CSPs statutory? (community safety partnerships)"
    assert expand("what does levelling up (LU) need?", known) == "what does levelling up (LU) need?"  # spelt out
    assert expand("what is the NHS doing?", known) == "what is the NHS doing?"  # not defined here


def test_the_index_knows_the_corpus_acronyms(assistant):  # type: ignore[no-untyped-def]
    known = assistant.index.acronyms()
    assert known["CSP"] == "Community Safety Partnerships" and known["LCIOC"] == "Local CIO Council"


def test_an_acronym_question_finds_its_passage(assistant):  # type: ignore[no-untyped-def]
    answer = assistant.ask("who sits round the table in a CSP?")
    assert answer.answered, answer.text
    assert any("Community Safety Partnership" in " ".join([*c.chunk.section, c.chunk.text]) for c in answer.citations[:2])
