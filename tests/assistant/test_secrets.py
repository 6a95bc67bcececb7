"""Privacy (#7.7): personal data in questions and secrets in configuration never reach logs or stores."""

from __future__ import annotations

import logging
import socket

import pytest

from assistant.core import Assistant
from assistant.feedback import FeedbackStore
from assistant.staff import StaffDesk, StaffRefused, hash_password
from ingest.settings import Settings

pytestmark = pytest.mark.slow

API_KEY = "sk-test-7f3a9c1e5b"
PASSWORD = "correct horse battery staple 42"
EMAIL, PHONE, NINO = "jo.bloggs@example.org", "07700 900123", "QQ 12 34 56 C"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_llm_key_and_personal_data_stay_out_of_logs(corpus_copy, caplog):
    settings = Settings(data_dir=corpus_copy, llm_base_url=f"http://127.0.0.1:{_closed_port()}/v1",
                        llm_model="any", llm_api_key=API_KEY, llm_timeout=2)
    assert API_KEY not in repr(settings)
    caplog.set_level(logging.DEBUG)
    answer = Assistant(settings).ask(f"I am {EMAIL}, call {PHONE}, NI {NINO}: how many members does Socitm have?")
    assert answer.notices  # the LLM was down (fallback notice) and personal data was flagged
    logged = caplog.text
    assert "socitm.assistant" in logged  # the question was logged, redacted
    for secret in (API_KEY, EMAIL, PHONE, NINO, "07700900123"):
        assert secret not in logged


def test_feedback_store_and_audit_log_hold_no_personal_data_or_passwords(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.add(question=f"Email me at {EMAIL}", answer="An answer", rating=-1, comment=f"ring {PHONE}",
              chunk_ids=["a:1"], answered=True)
    import sqlite3

    dump = "\n".join(str(r) for r in sqlite3.connect(tmp_path / "feedback.sqlite3").execute("SELECT * FROM feedback"))
    assert EMAIL not in dump and PHONE not in dump
    desk = StaffDesk(f"alice:{hash_password(PASSWORD, iterations=1000)}", 30, tmp_path / "audit.log")
    with pytest.raises(StaffRefused):
        desk.sign_in("alice", PASSWORD + "x", "127.0.0.1")
    desk.sign_in("alice", PASSWORD, "127.0.0.1")
    audit = (tmp_path / "audit.log").read_text(encoding="utf-8")
    assert "alice" in audit and PASSWORD not in audit and "horse" not in audit
