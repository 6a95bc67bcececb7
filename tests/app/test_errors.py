"""Failures a member may meet: the index (Chroma server) unreachable, the LLM down. Each shows a friendly
message and the conversation carries on."""

from __future__ import annotations

import re
import urllib.request
from html import unescape

import pytest
from apphelpers import copy_index, free_port, start_app, stop_app  # type: ignore[import-not-found]
from gradio_client import Client
from gradio_client.exceptions import AppError

pytestmark = pytest.mark.slow


def ask(c: Client, question: str) -> tuple[list, str]:
    chat = c.predict(question, api_name="/ask")[0]
    value = chat[-1]["content"]
    html = "".join(p.get("text", "") for p in value) if isinstance(value, list) else str(value)
    return chat, unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.fixture(scope="module")
def app_without_index(corpus_index, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("no-index")
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    app = start_app(copy_index(corpus_index, tmp / "data"), tmp, {"SOCITM_CHROMA_URL": dead, "SOCITM_STAFF_USERS": ""})
    yield app
    stop_app(app)


@pytest.fixture(scope="module")
def app_without_llm(corpus_index, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("no-llm")
    dead = f"http://127.0.0.1:{free_port()}/v1"
    app = start_app(copy_index(corpus_index, tmp / "data"), tmp,
                    {"SOCITM_LLM_BASE_URL": dead, "SOCITM_LLM_MODEL": "stand-in", "SOCITM_LLM_TIMEOUT": "3"})
    yield app
    stop_app(app)


def test_unreachable_index_gives_a_friendly_message_and_the_chat_goes_on(app_without_index):
    c = Client(app_without_index.url, verbose=False, analytics_enabled=False, download_files=False)
    _, text = ask(c, "What are Socitm's five missions?")
    assert "not available" in text and "try again" in text.lower()
    assert "Traceback" not in text and "127.0.0.1" not in text
    chat, text = ask(c, "And the levelling up response?")  # same session: the conversation continues
    assert "not available" in text
    assert app_without_index.process.poll() is None


def test_llm_down_falls_back_to_quoting_the_guidance_with_a_notice(app_without_llm):
    c = Client(app_without_llm.url, verbose=False, analytics_enabled=False, download_files=False)
    _, text = ask(c, "What are Socitm's five missions?")
    assert "language model was not available" in text
    assert re.search(r"\[\d+\]", text) and "Sources" in text
    _, text = ask(c, "What did Socitm say about levelling up?")
    assert "Sources" in text


def test_without_staff_accounts_the_desk_is_off_and_says_how_to_turn_it_on(app_without_index):
    with urllib.request.urlopen(app_without_index.url + "/config") as r:
        config = r.read().decode()
    assert "The staff desk is off" in config and "hash-password" in config
    c = Client(app_without_index.url, verbose=False, analytics_enabled=False, download_files=False)
    out = c.predict("admin", "admin", api_name="/staff_sign_in")
    assert any("staff desk is off" in str(o) for o in out)
    with pytest.raises(AppError, match="sign in"):
        c.predict(api_name="/staff_documents")
