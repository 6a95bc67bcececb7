"""Loaders: bytes from a file or a web address to a LoadedDocument, type checked by content."""

from __future__ import annotations

import codecs
import io
import ipaddress
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import BadDocument
from .records import LoadedDocument, Page

SUPPORTED = {".pdf": "pdf", ".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown",
             ".txt": "text", ".text": "text", ".docx": "docx"}


@dataclass(frozen=True)
class LoadLimits:
    max_bytes: int = 20 * 1024 * 1024
    max_pdf_pages: int = 2000
    timeout: float = 15.0
    allow_private: bool = False


def slugify(text: str, limit: int = 80) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return text[:limit].strip("-") or "document"


def doc_id_for(source: str) -> str:
    """Stable id: the file's stem, or for a URL the last path segment plus a short hash of the URL."""
    if is_url(source):
        import hashlib

        parsed = urllib.parse.urlparse(source)
        tail = [p for p in parsed.path.split("/") if p]
        base = slugify(tail[-1] if tail else parsed.netloc, 60)
        return f"{base}-{hashlib.sha1(source.encode()).hexdigest()[:6]}"
    return slugify(Path(source).stem)


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def sniff(data: bytes) -> str:
    """What the bytes are, by content: pdf, docx, zip, html, text or binary."""
    head = data[:2048]
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                return "docx" if "word/document.xml" in z.namelist() else "zip"
        except zipfile.BadZipFile:
            return "binary"
    try:
        text = decode_text(data[:4096], "probe", partial=True)
    except BadDocument:
        return "binary"
    low = text.lstrip().lower()
    if low.startswith(("<!doctype html", "<html")) or re.search(r"<(html|head|body|p|div|h[1-6])[\s>]", low[:2048]):
        return "html"
    return "text"


def decode_text(data: bytes, name: str, partial: bool = False) -> str:
    """Decode UTF-8 / UTF-16 (by BOM or shape) or Windows-1252; refuse what is really binary."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace" if partial else "strict")
    elif len(data) >= 4 and data[1:4:2] == b"\x00\x00" and data[0:4:2] != b"\x00\x00":
        text = data.decode("utf-16-le", errors="replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            if partial and e.start >= len(data) - 4:
                text = data[: e.start].decode("utf-8")
            else:
                text = data.decode("cp1252", errors="replace")
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    if "\x00" in text or (text and (controls + text.count("\ufffd")) / len(text) > 0.02):
        raise BadDocument(name, "is not readable text (it looks like binary data)")
    return text


def load_bytes(data: bytes, name: str, limits: LoadLimits, declared: str | None = None) -> LoadedDocument:
    """Turn bytes into a document; `declared` is the type the name or server claims (checked against content)."""
    if not data or not data.strip():
        raise BadDocument(name, "is empty")
    if len(data) > limits.max_bytes:
        raise BadDocument(name, f"is {len(data) / 1e6:.1f} MB, over the {limits.max_bytes / 1e6:.0f} MB limit")
    actual = sniff(data)
    if declared == "pdf" and actual != "pdf":
        raise BadDocument(name, "is named as a PDF but its content is not a PDF (corrupt or mislabelled)")
    if declared == "docx" and actual != "docx":
        raise BadDocument(name, "is named as a Word document but its content is not one")
    if actual in {"binary", "zip"}:
        raise BadDocument(name, "is not a supported document type (PDF, HTML, Markdown, text or Word)")
    if declared in {"text", "markdown", "html"} and actual in {"pdf", "docx"}:
        actual = actual  # content wins: a PDF named .txt is read as a PDF
    kind = actual if actual in {"pdf", "docx", "html"} else (declared if declared == "markdown" else "text")
    if kind == "pdf":
        pages, title = _pdf_pages(data, name, limits)
    elif kind == "docx":
        pages, title = _docx_pages(data, name)
    elif kind == "html":
        from .html import html_to_text

        text, title = html_to_text(decode_text(data, name))
        pages = [Page(text)]
    else:
        text = decode_text(data, name)
        pages, title = [Page(text)], ""
    if not any(p.text.strip() for p in pages):
        if kind == "pdf":
            raise BadDocument(name, "has no text layer (image-only or scanned PDF); run OCR on it first")
        raise BadDocument(name, "has no readable text")
    return LoadedDocument(doc_id=doc_id_for(name), title=title, source=name, kind=kind, pages=pages, raw=data)


def _pdf_pages(data: bytes, name: str, limits: LoadLimits) -> tuple[list[Page], str]:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:  # noqa: BLE001 - pypdf raises assorted errors for unsupported crypto
                ok = 0
            if not ok:
                raise BadDocument(name, "is encrypted (password protected); save an unprotected copy")
        count = len(reader.pages)
        if count > limits.max_pdf_pages:
            raise BadDocument(name, f"has {count} pages, over the {limits.max_pdf_pages}-page limit")
        pages = [Page(page.extract_text() or "", i + 1) for i, page in enumerate(reader.pages)]
        title = ""
        try:
            title = str((reader.metadata or {}).get("/Title") or "").strip()
        except Exception:  # noqa: BLE001 - metadata of damaged files
            title = ""
    except BadDocument:
        raise
    except RecursionError:
        raise BadDocument(name, "is malformed (objects nested too deeply)") from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, AssertionError) as e:
        raise BadDocument(name, f"is a corrupt PDF ({type(e).__name__}: {str(e)[:120]})") from None
    except Exception as e:  # noqa: BLE001 - pypdf can raise almost anything on hostile input
        raise BadDocument(name, f"could not be read as a PDF ({type(e).__name__})") from None
    return pages, title


def _docx_pages(data: bytes, name: str) -> tuple[list[Page], str]:
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # noqa: BLE001
        raise BadDocument(name, f"is a corrupt Word document ({type(e).__name__})") from None
    lines = []
    for para in document.paragraphs:
        style = (para.style.name or "").lower() if para.style is not None else ""
        text = para.text.strip()
        if not text:
            continue
        m = re.match(r"heading (\d)", style)
        lines.append(("#" * int(m.group(1)) + " " + text) if m else ("# " + text if style == "title" else text))
    title = document.core_properties.title or ""
    return [Page("\n\n".join(lines))], title


def load_path(path: Path, limits: LoadLimits, name: str | None = None) -> LoadedDocument:
    """Load a file; `name` (e.g. the name it was uploaded as) is used for messages, id and type."""
    name = name or str(path)
    declared = SUPPORTED.get(Path(name).suffix.lower())
    if declared is None:
        raise BadDocument(name, f"has an unsupported type '{Path(name).suffix or 'none'}' (use PDF, HTML, Markdown, text or .docx)")
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise BadDocument(name, f"is {size / 1e6:.1f} MB, over the {limits.max_bytes / 1e6:.0f} MB limit")
        data = path.read_bytes()
    except FileNotFoundError:
        raise BadDocument(name, "does not exist") from None
    except IsADirectoryError:
        raise BadDocument(name, "is a folder, not a file") from None
    except PermissionError:
        raise BadDocument(name, "cannot be read (permission denied)") from None
    return load_bytes(data, name, limits, declared)


class _SafeRedirect(urllib.request.HTTPRedirectHandler):
    def __init__(self, limits: LoadLimits):
        self.limits = limits

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        check_url(newurl, self.limits, original=req.full_url)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def check_url(url: str, limits: LoadLimits, original: str | None = None) -> None:
    """Refuse non-HTTP schemes and, unless allowed, hosts that resolve to private or local addresses."""
    name = original or url
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme not in {"http", "https"}:
        raise BadDocument(name, f"leads to a '{parsed.scheme}:' address; only http and https are allowed")
    host = parsed.hostname or ""
    if not host:
        raise BadDocument(name, "is not a valid web address")
    if limits.allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, parsed.port or (443 if parsed.scheme == "https" else 80))
    except (socket.gaierror, UnicodeError):
        raise BadDocument(name, f"cannot be reached (host '{host}' not found)") from None
    for info in infos:
        ip = ipaddress.ip_address(info[4][0])
        if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified:
            raise BadDocument(name, f"leads to a private or local network address ({ip}); refused")


def fetch_url(url: str, limits: LoadLimits) -> LoadedDocument:
    """Fetch an http(s) page or PDF with a timeout, a size cap and redirect checks."""
    check_url(url, limits)
    opener = urllib.request.build_opener(_SafeRedirect(limits))
    request = urllib.request.Request(url, headers={"User-Agent": "socitm-assistant/0.1 (+ingest)"})
    try:
        with opener.open(request, timeout=limits.timeout) as response:
            ctype = response.headers.get("Content-Type", "").lower()
            data = response.read(limits.max_bytes + 1)
    except BadDocument:
        raise
    except urllib.error.HTTPError as e:
        raise BadDocument(url, f"returned HTTP {e.code} {e.reason}") from None
    except (TimeoutError, socket.timeout):
        raise BadDocument(url, f"did not answer within {limits.timeout:.0f} s") from None
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise BadDocument(url, f"did not answer within {limits.timeout:.0f} s") from None
        raise BadDocument(url, f"cannot be reached ({reason})") from None
    except (OSError, ValueError) as e:
        raise BadDocument(url, f"cannot be reached ({e})") from None
    declared = "pdf" if "pdf" in ctype else ("html" if "html" in ctype else None)
    doc = load_bytes(data, url, limits, declared)
    doc.url = url
    return doc
