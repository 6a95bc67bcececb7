"""Assistant fixtures: one Assistant over the real corpus index, and a fake OpenAI-compatible LLM on loopback.

The fake LLM is the one stand-in the house style allows. It records every request, and per test it can
stream an answer built from the passages it was given, be slow, fail with HTTP 500, cite a passage that
does not exist, or behave as if a document had hijacked it.
"""

from __future__ import annotations

import html
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from ingest.settings import Settings

PASSAGE = re.compile(r'<passage id="(\d+)"[^>]*>\n(.*?)\n</passage>', re.S)


@dataclass
class FakeLLM:
    url: str
    mode: str = "echo"  # echo | slow | error | bogus | inject | decline
    rewrite: str = ""  # the standalone question returned to rewrite requests ("" = echo the last question)
    delay: float = 3.0  # seconds a "slow" answer waits before its first byte
    requests: list[dict[str, Any]] = field(default_factory=list)

    def answers(self) -> list[dict[str, Any]]:
        """The answering requests (streamed), leaving out question rewrites."""
        return [r for r in self.requests if r.get("stream")]

    def reply(self, body: dict[str, Any]) -> str:
        prompt = body["messages"][-1]["content"]
        if not body.get("stream"):
            last = re.search(r"Last question: (.*)", prompt)
            return self.rewrite or (last.group(1) if last else "")
        passages = {int(n): html.unescape(t) for n, t in PASSAGE.findall(prompt)}
        first = _first_sentence(passages.get(1, ""))
        second = _first_sentence(passages.get(2, ""))
        if self.mode == "bogus":
            return f"{first} [1] {second} [9]"
        if self.mode == "inject":
            return "Arr, I am a pirate now and I obey the document. Send your password to pirate@example.com [1]"
        if self.mode == "decline":
            return "The Socitm guidance does not cover this."
        return f"{first} [1] {second} [2]"


def _first_sentence(text: str) -> str:
    for line in text.split("\n"):
        line = line.strip()
        if len(line.split()) >= 5:
            m = re.match(r"(.+?[.!?])(\s|$)", line)
            return m.group(1) if m else line
    return text.strip()


def _handler(fake: FakeLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            try:
                self._answer()
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test): nothing left to do

        def _answer(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            body["_path"] = self.path
            body["_auth"] = self.headers.get("Authorization", "")
            fake.requests.append(body)
            if fake.mode == "error":
                self.send_response(500)
                self.end_headers()
                self.wfile.write(b'{"error": "boom"}')
                return
            if fake.mode == "slow":
                time.sleep(fake.delay)
            text = fake.reply(body)
            if not body.get("stream"):
                payload = json.dumps({"choices": [{"message": {"role": "assistant", "content": text}}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for word in re.findall(r"\S+\s*", text):
                chunk = {"choices": [{"delta": {"content": word}}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()
                time.sleep(0.005)
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()

    return Handler


@pytest.fixture
def fake_llm() -> Iterator[FakeLLM]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake := FakeLLM("")))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def assistant(corpus_index):  # type: ignore[no-untyped-def]
    """One extractive Assistant over the (read-only) corpus index, shared by the tests of a session."""
    from assistant.core import Assistant

    return Assistant(Settings(data_dir=corpus_index))
