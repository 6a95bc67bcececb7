"""Input care: length cap, invisible characters, personal data warnings and redaction."""

from __future__ import annotations

import pytest

from assistant.guard import check_question, clean, personal_data, redact, without_personal
from ingest.errors import BadQuestion


def test_too_long_and_empty_questions_are_refused_with_a_clear_message():
    with pytest.raises(BadQuestion, match="1001 characters long; the limit is 1000"):
        check_question("x" * 1001, 1000)
    with pytest.raises(BadQuestion, match="Please type a question"):
        check_question(" \u200b\n\t ", 1000)
    assert check_question("What is net zero?", 1000).text == "What is net zero?"


def test_invisible_tag_bidi_and_control_characters_are_stripped():
    hidden = "What\u200b is\u202e net\u2066 zero\U000e0041\U000e0042?\x07\x00 "
    assert clean(hidden) == "What is net zero?"
    assert clean("caf\u0065\u0301  au   lait") == "caf\u00e9 au lait"  # NFC, single spaces


@pytest.mark.parametrize("text, kind", [
    ("write to jane.doe@council.gov.uk please", "email address"),
    ("my NI number is QQ 12 34 56 C", "National Insurance number"),
    ("my NI number is AB123456D", "National Insurance number"),
    ("call me on 07700 900123", "phone number"),
    ("ring +44 20 7946 0958", "phone number"),
    ("office (020) 7946 0958", "phone number"),
])
def test_personal_data_is_spotted_and_redacted(text, kind):
    assert kind in personal_data(text)
    cleaned = redact(text)
    assert cleaned != text
    assert not personal_data(cleaned)
    taken_out = without_personal(text)
    assert not personal_data(taken_out) and "[" not in taken_out and taken_out.split()[0] == text.split()[0]


def test_what_is_searched_leaves_personal_data_out():
    assert without_personal("I'm jane.doe@council.gov.uk, 07700 900123: what is Silicon Sands?") == \
        "I'm,: what is Silicon Sands?"
    assert without_personal("what is Silicon Sands?") == "what is Silicon Sands?"
    assert without_personal("jane.doe@council.gov.uk") == "jane.doe@council.gov.uk"  # nothing else to ask


def test_ordinary_questions_carry_no_personal_data_warning():
    for q in ("How many members does Socitm have?", "What happened in 2011?", "Is £1.4 million a lot?",
              "What does the Cornwall Plan 2020-2050 say?"):
        assert personal_data(q) == []
        assert check_question(q, 1000).notices == []


def test_notice_names_the_kinds_found():
    checked = check_question("I am QQ123456C, email me at a@b.co", 1000)
    assert checked.personal == ["email address", "National Insurance number"]
    assert "email address" in checked.notices[0] and "National Insurance number" in checked.notices[0]
