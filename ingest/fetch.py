"""Fetching web addresses safely: http(s) only, no private or local networks (checked on every redirect
and on the address actually connected to), a timeout per read and for the whole download, a size cap."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

from .errors import BadDocument
from .loaders import LoadLimits, load_bytes, too_big
from .records import LoadedDocument


class SafeRedirect(urllib.request.HTTPRedirectHandler):
    """Checks every redirect target like the first address: http(s) only, no private ranges."""

    max_redirections = 5

    def __init__(self, limits: LoadLimits):
        self.limits = limits

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        try:
            check_url(newurl, self.limits)
        except BadDocument as e:
            raise BadDocument(req.full_url, f"was redirected to {newurl[:120]}, which {e.reason}") from None
        return super().redirect_request(req, fp, code, msg, headers, newurl)

    def http_error_302(self, req, fp, code, msg, headers):  # type: ignore[no-untyped-def]
        location = headers.get("location") or headers.get("uri")
        if location:  # checked here, before urllib's own (vaguer) refusal of other schemes
            self.redirect_request(req, fp, code, msg, headers, urllib.parse.urljoin(req.full_url, location))
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def is_public_address(address: str) -> bool:
    """True for globally routable addresses; IPv4 hidden inside IPv6 forms is judged as IPv4."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif int(ip) < 2**32 or ip in _NAT64:  # IPv4-compatible ::a.b.c.d and NAT64 64:ff9b::a.b.c.d
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.is_global and not ip.is_multicast



def check_url(url: str, limits: LoadLimits, original: str | None = None) -> None:
    """Refuse non-HTTP schemes, credentials in the address and, unless allowed, hosts that resolve to
    private, loopback, link-local or otherwise non-public addresses."""
    name = original or url
    try:
        parsed = urllib.parse.urlparse(url)
        scheme = parsed.scheme.lower()
        host = parsed.hostname or ""
        port = parsed.port
    except ValueError:
        raise BadDocument(name, "is not a valid web address") from None
    if scheme not in {"http", "https"}:
        raise BadDocument(name, f"leads to a '{scheme}:' address; only http and https are allowed")
    if not host:
        raise BadDocument(name, "is not a valid web address")
    if parsed.username or parsed.password:
        raise BadDocument(name, "has a user name or password in it; refused")
    if limits.allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, port or (443 if scheme == "https" else 80))
    except (socket.gaierror, UnicodeError):
        raise BadDocument(name, f"cannot be reached (host '{host}' not found)") from None
    for info in infos:
        address = str(info[4][0])
        if not is_public_address(address):
            raise BadDocument(name, f"leads to a private or local network address ({address}); refused")


class _GuardedHTTPConnection(http.client.HTTPConnection):
    """Checks the address actually connected to, so DNS that changes its answer cannot slip through."""

    limits = LoadLimits()

    def connect(self) -> None:
        super().connect()
        _check_peer(self.sock, self.host, self.limits)


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    limits = LoadLimits()

    def connect(self) -> None:
        super().connect()
        _check_peer(self.sock, self.host, self.limits)


def _check_peer(sock: socket.socket, host: str, limits: LoadLimits) -> None:
    if limits.allow_private:
        return
    address = str(sock.getpeername()[0])
    if not is_public_address(address):
        sock.close()
        raise BadDocument(host, f"leads to a private or local network address ({address}); refused")


def guarded_connection(limits: LoadLimits, https: bool = False) -> type[http.client.HTTPConnection]:
    """A connection class bound to `limits` (used by the opener; tests call it directly)."""
    base = _GuardedHTTPSConnection if https else _GuardedHTTPConnection
    return type(base.__name__, (base,), {"limits": limits})


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, limits: LoadLimits):
        super().__init__()
        self._conn = guarded_connection(limits)

    def http_open(self, req):  # type: ignore[no-untyped-def]
        return self.do_open(self._conn, req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, limits: LoadLimits):
        super().__init__()
        self._conn = guarded_connection(limits, https=True)

    def https_open(self, req):  # type: ignore[no-untyped-def]
        return self.do_open(self._conn, req, context=self._context)


def fetch_url(url: str, limits: LoadLimits) -> LoadedDocument:
    """Fetch an http(s) page or PDF with a timeout per read and for the whole download, a size cap and
    checks on every address it is sent to (redirects included)."""
    check_url(url, limits)
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.UnknownHandler(), urllib.request.HTTPDefaultErrorHandler(),
                    urllib.request.HTTPErrorProcessor(), SafeRedirect(limits),
                    _GuardedHTTPHandler(limits), _GuardedHTTPSHandler(limits)):
        opener.add_handler(handler)
    request = urllib.request.Request(url, headers={"User-Agent": "socitm-assistant/0.1 (+ingest)"})
    deadline = time.monotonic() + limits.timeout * 4
    try:
        with opener.open(request, timeout=limits.timeout) as response:
            ctype = response.headers.get("Content-Type", "").lower()
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > limits.max_bytes:
                raise too_big(url, int(length), limits)
            parts: list[bytes] = []
            size = 0
            while size <= limits.max_bytes:
                if time.monotonic() > deadline:
                    raise BadDocument(url, f"took longer than {limits.timeout * 4:g} s to download; refused")
                part = response.read1(64 * 1024)
                if not part:
                    break
                parts.append(part)
                size += len(part)
            data = b"".join(parts)
    except BadDocument as e:
        raise BadDocument(url, e.reason) from None
    except urllib.error.HTTPError as e:
        raise BadDocument(url, f"returned HTTP {e.code} {e.reason}") from None
    except TimeoutError:
        raise BadDocument(url, f"did not answer within {limits.timeout:g} s") from None
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, BadDocument):
            raise BadDocument(url, reason.reason) from None
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise BadDocument(url, f"did not answer within {limits.timeout:g} s") from None
        raise BadDocument(url, f"cannot be reached ({reason})") from None
    except (OSError, ValueError, http.client.HTTPException) as e:
        raise BadDocument(url, f"cannot be reached ({type(e).__name__}: {e})") from None
    declared = "pdf" if "pdf" in ctype else ("html" if "html" in ctype else None)
    doc = load_bytes(data, url, limits, declared)
    doc.url = url
    return doc
