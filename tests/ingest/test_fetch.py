"""Documents by web address, against a real HTTP server on 127.0.0.1: pages and PDFs are ingested;
slow, unreachable, oversized and redirecting addresses are refused with a clear reason."""

from __future__ import annotations

import http.server
import threading
import time
import urllib.request

import pytest
from ingest_checks import assert_consistent
from pdfs import text_pdf

from ingest.errors import BadDocument
from ingest.fetch import SafeRedirect, check_url, fetch_url, guarded_connection, is_public_address
from ingest.loaders import LoadLimits
from ingest.pipeline import Ingestor
from ingest.settings import Settings

PAGE = b"""<!doctype html><html><head><title>Net zero briefing</title><script>var tracker = 1;</script></head>
<body><h1>Net zero briefing</h1><p>Councils map heat loss from homes with thermal imaging data.</p>
<h2>Transport</h2><p>Electric bus routes cut emissions in the city centre.</p></body></html>"""
PDF = text_pdf([["Flood resilience plan", "Sensors on rivers warn residents two hours before flooding."],
                ["Recovery", "Grants help households replace damaged boilers."]], title="Flood resilience plan")


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):  # noqa: ANN002 - keep test output quiet
        pass

    def _send(self, body: bytes, ctype: str, status: int = 200, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 - http.server's naming
        try:
            self._route()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _route(self) -> None:
        path = self.path
        if path == "/briefing.html":
            self._send(PAGE, "text/html; charset=utf-8")
        elif path == "/flood-plan":
            self._send(PDF, "application/pdf")
        elif path == "/slow":
            time.sleep(3)
            self._send(PAGE, "text/html")
        elif path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b"word ")
                self.wfile.flush()
                time.sleep(0.2)
        elif path == "/huge-declared":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(50 * 1024 * 1024))
            self.end_headers()
            self.wfile.write(b"x" * 10)
        elif path == "/huge-streamed":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(64):
                self.wfile.write(b"lorem ipsum " * 8192)
        elif path == "/to-file":
            self._send(b"", "text/plain", 302, {"Location": "file:///etc/passwd"})
        elif path == "/to-gopher":
            self._send(b"", "text/plain", 301, {"Location": "gopher://127.0.0.1/"})
        elif path == "/to-page":
            self._send(b"", "text/plain", 302, {"Location": "/briefing.html"})
        elif path == "/loop":
            self._send(b"", "text/plain", 302, {"Location": "/loop"})
        else:
            self._send(b"not here", "text/plain", 404)


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


LOOPBACK = LoadLimits(max_bytes=1024 * 1024, timeout=0.5, allow_private=True)
PUBLIC_ONLY = LoadLimits(max_bytes=1024 * 1024, timeout=0.5, allow_private=False)


def _refused(url: str, limits: LoadLimits = LOOPBACK) -> str:
    t0 = time.monotonic()
    with pytest.raises(BadDocument) as err:
        fetch_url(url, limits)
    assert err.value.source == url
    assert time.monotonic() - t0 < 4 * limits.timeout + 2
    return err.value.reason


@pytest.mark.slow
def test_a_page_and_a_pdf_are_ingested_by_address(server, tmp_path):
    settings = Settings(data_dir=tmp_path / "data", allow_private_urls=True, fetch_timeout=1)
    page, pdf, slow = f"{server}/briefing.html", f"{server}/flood-plan", f"{server}/slow"
    report = Ingestor(settings).ingest([page, slow, pdf])
    assert [r.status for r in report.results] == ["failed", "added", "added"], report.summary()
    assert report.failed[0].source == slow and report.failed[0].reason == "did not answer within 1 s"
    ingestor = Ingestor(settings)
    docs = {d["url"]: d for d in ingestor.list()}
    assert set(docs) == {page, pdf}
    assert docs[page]["title"] == "Net zero briefing" and docs[page]["kind"] == "html"
    assert docs[pdf]["title"] == "Flood resilience plan" and docs[pdf]["kind"] == "pdf"
    chunks = ingestor.catalog.chunks(doc_id=docs[pdf]["doc_id"])
    assert {c.page for c in chunks} == {1, 2} and all(c.url == pdf for c in chunks)
    html_text = ingestor.catalog.document_text(docs[page]["doc_id"])
    assert "thermal imaging" in html_text and "tracker" not in html_text
    assert assert_consistent(settings.data_dir) == len(ingestor.catalog.chunk_ids())
    again = Ingestor(settings).ingest([page, pdf])
    assert [r.status for r in again.results] == ["unchanged", "unchanged"]


def test_redirects_within_http_are_followed(server):
    assert fetch_url(f"{server}/to-page", LOOPBACK).title == "Net zero briefing"


def test_slow_unreachable_missing_and_oversized_addresses_are_refused(server):
    assert "did not answer within 0.5 s" in _refused(f"{server}/slow")
    assert "took longer than 2 s to download" in _refused(f"{server}/trickle")
    assert "returned HTTP 404" in _refused(f"{server}/nothing-here")
    assert "over the 1 MB limit" in _refused(f"{server}/huge-declared")
    assert "over the 1 MB limit" in _refused(f"{server}/huge-streamed")
    assert "redirect" in _refused(f"{server}/loop")
    port = server.rsplit(":", 1)[1]
    closed = f"http://127.0.0.1:{int(port) + 1 if int(port) < 65000 else 1}/x"
    assert "cannot be reached" in _refused(closed)


def test_redirects_to_other_schemes_are_refused(server):
    reason = _refused(f"{server}/to-file")
    assert "was redirected to file:///etc/passwd" in reason and "only http and https" in reason
    assert "only http and https" in _refused(f"{server}/to-gopher")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "javascript:alert(1)",
                                 "http://user:pw@example.org/", "http://[::1/", "http:///nohost"])
def test_bad_addresses_are_refused_before_any_request(url):
    with pytest.raises(BadDocument):
        check_url(url, PUBLIC_ONLY)


@pytest.mark.parametrize("url", ["http://127.0.0.1/", "http://localhost:8000/", "http://10.1.2.3/",
                                 "http://192.168.0.1/", "http://169.254.169.254/latest/meta-data/",
                                 "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://0x7f000001/",
                                 "http://2130706433/", "http://100.64.0.1/", "http://0.0.0.0/"])
def test_private_and_local_addresses_are_refused(url):
    with pytest.raises(BadDocument, match="private or local network address"):
        check_url(url, PUBLIC_ONLY)


def test_the_test_server_itself_is_refused_when_private_addresses_are_not_allowed(server):
    assert "private or local network address" in _refused(f"{server}/briefing.html", PUBLIC_ONLY)


def test_a_redirect_to_a_private_address_is_refused():
    """What a public site redirecting to the internal network meets: the redirect handler's check."""
    handler = SafeRedirect(PUBLIC_ONLY)
    request = urllib.request.Request("https://www.socitm.net/resource")
    for target in ("http://10.0.0.5/admin", "http://127.0.0.1:8000/", "http://169.254.169.254/latest/",
                   "http://[fd00::1]/", "file:///etc/passwd"):
        with pytest.raises(BadDocument, match="was redirected to") as err:
            handler.redirect_request(request, None, 302, "Found", {}, target)
        assert err.value.source == "https://www.socitm.net/resource"


def test_the_connected_address_is_checked_too(server):
    """Even if DNS answered differently at check time, a connection that lands on a private address fails."""
    port = int(server.rsplit(":", 1)[1])
    conn = guarded_connection(PUBLIC_ONLY)("127.0.0.1", port, timeout=1)
    with pytest.raises(BadDocument, match=r"private or local network address \(127.0.0.1\)"):
        conn.connect()
    allowed = guarded_connection(LOOPBACK)("127.0.0.1", port, timeout=1)
    allowed.connect()
    allowed.close()


def test_public_address_rules():
    assert is_public_address("93.184.216.34") and is_public_address("2606:2800:220:1:248:1893:25c8:1946")
    for private in ("10.0.0.1", "172.16.5.4", "192.168.1.1", "127.0.0.1", "::1", "fe80::1", "fc00::1",
                    "::ffff:10.0.0.1", "64:ff9b::7f00:1", "::127.0.0.1", "100.64.1.1", "224.0.0.1", "0.0.0.0"):
        assert not is_public_address(private), private
