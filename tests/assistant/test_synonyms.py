"""The search thesaurus: everyday phrases get the guidance's words for keyword search and the decline signals."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.synonyms import FILE, alternatives, for_keywords, search_words
from ingest.lexical import tokenize


def test_everyday_phrases_get_the_guidance_words():
    assert set(search_words("Our villages have dreadful mobile signal.").split()) >= {"rural", "digital", "coverage"}
    assert "digitising" in search_words("can we just put our paper forms online?")
    assert search_words("What does Socitm mean by connected places?") == ""
    assert search_words("money for blade-violence projects") == search_words("money for blade violence projects") != ""
    # whole words only: "signalling" is not "signal"
    assert search_words("railway signalling upgrades") == ""
    # words the question already holds are not repeated
    assert "rural" not in search_words("rural villages and broadband").split()


def test_the_keyword_query_keeps_the_question_first():
    q = "should whitehall loosen its grip?"
    assert for_keywords(q).startswith(q) and "central" in for_keywords(q)
    assert for_keywords("what are the five missions?") == "what are the five missions?"


def test_alternatives_are_search_terms():
    alts = alternatives("does it say anything about elections?")
    assert alts == {tokenize("elections")[0]: frozenset(tokenize("democracy"))}
    assert alternatives("what are the five missions?") == {}


def test_a_file_of_groups(tmp_path: Path):
    f = tmp_path / "syn.txt"
    f.write_text("# a comment\nbin lorry, bin lorries => refuse collection\nno arrow here\n", encoding="utf-8")
    assert search_words("when does the bin lorry come?", f) == "refuse collection"
    assert search_words("nothing to see", f) == ""


def test_every_line_of_the_shipped_file_is_a_group():
    lines = [ln for ln in FILE.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    assert lines and all("=>" in ln and ln.split("=>")[1].strip() for ln in lines)


CITED = [  # a member's everyday words, and the guidance's passage the answer must cite
    ("is just putting our paper forms on the web as they are what socitm wants?", "Digitising existing processes"),
    ("should whitehall loosen its grip on places, in socitm's view?", "instinct to control"),
    ("what does the prospectus say about keeping elections safe?", "Defend democracy"),
    ("what does socitm want done about poor broadband in remote villages?", "poor digital coverage"),
    ("what funding deal does socitm want for councils instead of year-to-year budgets?", "three-year funding settlements"),
    # answered at all because the best sentence is also scored against the guidance's words (neighbourhood policing)
    ("what does socitm say about bobbies on the beat?", "Neighbourhood policing"),
    ("is there anything on plug-in car chargers or cycle lanes?", "electric vehicle charging infrastructure"),
]


@pytest.mark.parametrize(("question", "phrase"), CITED)
def test_everyday_words_find_the_guidance_passage(assistant, question, phrase):  # type: ignore[no-untyped-def]
    answer = assistant.ask(question)
    assert answer.answered, answer.text
    assert any(phrase in c.chunk.shown for c in answer.citations), [c.chunk.section_path for c in answer.citations]


def test_the_sentence_in_the_guidance_words_opens_the_answer(assistant):  # type: ignore[no-untyped-def]
    # sentences are scored against the question as asked and in the guidance's words: "getting in early" is
    # answered by "By an emphasis on early intervention and prevention.", which shares no word with it
    answer = assistant.ask("do they favour getting in early or picking up the pieces later?")
    assert answer.answered and "early intervention and prevention" in answer.text.split("[1]")[0], answer.text
