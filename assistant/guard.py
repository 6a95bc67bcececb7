"""Input care: questions are length-capped and stripped of invisible characters; personal data is spotted,
gently pointed out, and redacted from anything logged."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ingest.clean import strip_invisible
from ingest.errors import BadQuestion

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# UK National Insurance number: two letters, six digits, A-D; spaces allowed. Any letters are matched, so
# HMRC's example prefix QQ (never issued, often typed) is caught too: a false alarm costs only a notice.
_NI = re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.IGNORECASE)
# UK phone numbers: +44 or 0, then 9-10 more digits with spaces, dots, dashes or brackets between.
_PHONE = re.compile(r"(?<![\w+])(?:\+\s?44\s?\(?0?\)?|\(?0)\s?\d(?:[\s.\-()]*\d){8,9}(?!\d)")
_PATTERNS = ((_EMAIL, "email address", "[email]"), (_NI, "National Insurance number", "[NI number]"),
             (_PHONE, "phone number", "[phone]"))
_BIDI_AND_FORMAT = {"Cf", "Cc", "Co", "Cs"}

PERSONAL_DATA_NOTICE = ("Your question seems to contain personal data ({kinds}). There is no need to share it: "
                        "the guidance is general, and it is left out of our logs.")


@dataclass
class CheckedQuestion:
    text: str  # the cleaned question that is answered
    personal: list[str] = field(default_factory=list)  # kinds of personal data found, e.g. "email address"

    @property
    def notices(self) -> list[str]:
        return [PERSONAL_DATA_NOTICE.format(kinds=", ".join(self.personal))] if self.personal else []


def clean(text: str) -> str:
    """NFC, no control/bidi/tag/zero-width characters, single spaces."""
    text = unicodedata.normalize("NFC", strip_invisible(str(text)))
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in _BIDI_AND_FORMAT)
    return " ".join(text.split())


def check_question(text: str, max_chars: int) -> CheckedQuestion:
    """Clean a question and check it can be answered as typed; raises BadQuestion with a clear message."""
    cleaned = clean(text or "")
    if not cleaned:
        raise BadQuestion("Please type a question about the Socitm guidance.")
    if len(cleaned) > max_chars:
        raise BadQuestion(f"That question is {len(cleaned)} characters long; the limit is {max_chars}. "
                          "Please ask a shorter, single question.")
    return CheckedQuestion(cleaned, personal_data(cleaned))


def personal_data(text: str) -> list[str]:
    """The kinds of personal data that appear in `text` (email address, NI number, phone number)."""
    return [kind for pattern, kind, _ in _PATTERNS if pattern.search(text)]


def redact(text: str, placeholders: bool = True) -> str:
    """`text` with email addresses, NI numbers and phone numbers replaced by placeholders (for logs), or by
    spaces (`placeholders=False`)."""
    for pattern, _, label in _PATTERNS:
        text = pattern.sub(label if placeholders else " ", text)
    return text


def without_personal(text: str) -> str:
    """`text` with personal data taken out: what is searched, judged and sent to an LLM (an address is no part
    of the question). A question that is nothing but personal data stays as it is."""
    out = re.sub(r"\s+([,.:;?!])", r"\1", " ".join(redact(text, placeholders=False).split()))
    return re.sub(r"^[,.:;\s]+", "", out) or text
