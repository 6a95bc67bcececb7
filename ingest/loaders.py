"""Loaders: bytes from a file or a web address to a LoadedDocument, type checked by content."""

from __future__ import annotations

import codecs
import io
import re
import time
import urllib.parse
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
    max_seconds: float = 120.0  # to read one PDF's text


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


def sniff(data: bytes, max_unzipped: int = 100 * 1024 * 1024) -> str:
    """What the bytes are, by content: pdf, docx, zip, html, text or binary."""
    head = data[:2048]
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                if sum(i.file_size for i in z.infolist()) > max_unzipped:
                    return "bomb"
                return "docx" if "word/document.xml" in z.namelist() else "zip"
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
            return "binary"
    try:
        text = decode_text(data[:4096], "probe", partial=True)
    except BadDocument:
        return "binary"
    low = text.lstrip().lower()
    if low.startswith(("<!doctype html", "<html")) or re.search(r"<(html|head|body|p|div|h[1-6])[\s>]", low[:2048]):
        return "html"
    return "text"


def _is_html_page(data: bytes) -> bool:
    """A whole HTML page (not Markdown or text that merely holds a few tags)."""
    low = decode_text(data[:4096], "probe", partial=True).lstrip().lower()
    return low.startswith(("<!doctype html", "<html", "<?xml")) and "<html" in low


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # control characters other than tab, newlines, form feed


def decode_text(data: bytes, name: str, partial: bool = False) -> str:
    """Decode UTF-8 / UTF-16 (by BOM or shape) or Windows-1252; refuse what is really binary.
    `partial`: `data` is a prefix, so a character cut at the end is not an error."""
    errors = "replace" if partial else "strict"
    try:
        if data.startswith(codecs.BOM_UTF16_LE):
            text = data[2:].decode("utf-16-le", errors=errors)
        elif data.startswith(codecs.BOM_UTF16_BE):
            text = data[2:].decode("utf-16-be", errors=errors)
        elif len(data) >= 4 and data[1:4:2] == b"\x00\x00" and data[0:4:2] != b"\x00\x00":
            text = data.decode("utf-16-le", errors="replace")
        elif len(data) >= 4 and data[0:4:2] == b"\x00\x00" and data[1:4:2] != b"\x00\x00":
            text = data.decode("utf-16-be", errors="replace")
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as e:
                if partial and e.start >= len(data) - 4:
                    text = data[: e.start].decode("utf-8-sig", errors="replace")
                else:
                    text = data.decode("cp1252", errors="replace")
    except UnicodeDecodeError:
        raise BadDocument(name, "is not readable text (its UTF-16 encoding is broken)") from None
    controls = len(_CONTROLS.findall(text))
    if "\x00" in text or (text and (controls + text.count("\ufffd")) / len(text) > 0.02):
        raise BadDocument(name, "is not readable text (it looks like binary data)")
    return text


def _mb(n: float) -> str:
    return f"{n / 1048576:.1f}".removesuffix(".0") + " MB"


def too_big(name: str, size: int, limits: LoadLimits) -> BadDocument:
    return BadDocument(name, f"is {_mb(size)}, over the {_mb(limits.max_bytes)} limit (SOCITM_MAX_FILE_MB)")


def load_bytes(data: bytes, name: str, limits: LoadLimits, declared: str | None = None) -> LoadedDocument:
    """Turn bytes into a document; `declared` is the type the name or server claims (checked against content)."""
    if not data or not data.strip():
        raise BadDocument(name, "is empty")
    if len(data) > limits.max_bytes:
        raise too_big(name, len(data), limits)
    actual = sniff(data, max_unzipped=5 * limits.max_bytes)
    if actual == "bomb":
        raise BadDocument(name, "unpacks to far more than the size limit (a compressed 'zip bomb'); refused")
    if declared == "pdf" and actual != "pdf":
        raise BadDocument(name, "is named as a PDF but its content is not a PDF (corrupt or mislabelled)")
    if declared == "docx" and actual != "docx":
        raise BadDocument(name, "is named as a Word document but its content is not one")
    if actual in {"binary", "zip"}:
        raise BadDocument(name, "is not a supported document type (PDF, HTML, Markdown, text or Word)")
    if actual == "html" and declared in {"text", "markdown"} and not _is_html_page(data):
        actual = "text"  # Markdown and text may hold a few tags; only a whole page is read as HTML
    # Content wins over the name: a PDF named .txt is read as a PDF.
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

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # damaged files are reported by our own reasons
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))  # an owner password alone still lets anyone read it
            except Exception:  # noqa: BLE001 - pypdf raises assorted errors for unsupported crypto
                opened = False
            if not opened:
                raise BadDocument(name, "is encrypted (password protected); save an unprotected copy")
        count = len(reader.pages)
        if count > limits.max_pdf_pages:
            raise BadDocument(name, f"has {count} pages, over the {limits.max_pdf_pages}-page limit")
        deadline = time.monotonic() + limits.max_seconds
        pages = []
        for i, page in enumerate(reader.pages):
            if time.monotonic() > deadline:  # a small file can hold pages that take seconds each to parse
                raise BadDocument(name, f"takes too long to read (over {limits.max_seconds:g} s at page {i + 1}); "
                                        "refused")
            pages.append(Page(page.extract_text() or "", i + 1))
        title = ""
        try:
            info = reader.metadata
            title = str(info.get("/Title") or "").strip() if info is not None else ""
        except Exception:  # noqa: BLE001 - metadata of damaged files
            title = ""
    except BadDocument:
        raise
    except RecursionError:
        raise BadDocument(name, "is malformed (objects nested too deeply)") from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, AssertionError) as e:
        raise BadDocument(name, f"is a corrupt PDF ({type(e).__name__}: {str(e)[:120]})") from None
    except Exception as e:  # noqa: BLE001 - pypdf can raise almost anything on hostile input
        if type(e).__name__ == "LimitReachedError":
            raise BadDocument(name, "unpacks to more than the safety limits allow (a compressed or "
                                    "oversized PDF); refused") from None
        raise BadDocument(name, f"could not be read as a PDF ({type(e).__name__})") from None
    return pages, title


def _docx_pages(data: bytes, name: str) -> tuple[list[Page], str]:
    """Word text in reading order: headings as '#' lines, list items as '- ', tables as pipe rows."""
    try:
        import docx
        from docx.table import Table

        document = docx.Document(io.BytesIO(data))
        parts: list[str] = []
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                rows = []
                for row in item.rows:
                    cells: list[str] = []
                    for cell in row.cells:  # a merged cell repeats: keep it once
                        text = re.sub(r"\s+", " ", cell.text).strip()
                        if not cells or text != cells[-1]:
                            cells.append(text)
                    if any(cells):
                        rows.append(" | ".join(cells) + " |")
                if rows:
                    parts.append("\n".join(rows))
                continue
            text = item.text.strip()
            if not text:
                continue
            style = (item.style.name or "").lower() if item.style is not None else ""
            m = re.match(r"heading (\d)", style)
            if m:
                parts.append("#" * int(m.group(1)) + " " + text)
            elif style == "title":
                parts.append("# " + text)
            elif style.startswith("list"):
                parts.append("- " + text)
            else:
                parts.append(text)
        title = document.core_properties.title or ""
    except Exception as e:  # noqa: BLE001 - python-docx and lxml raise many types on damaged files
        raise BadDocument(name, f"is a corrupt Word document ({type(e).__name__})") from None
    return [Page("\n\n".join(parts))], title


def load_path(path: Path, limits: LoadLimits, name: str | None = None) -> LoadedDocument:
    """Load a file; `name` (e.g. the name it was uploaded as) is used for messages, id and type."""
    name = name or str(path)
    declared = SUPPORTED.get(Path(name).suffix.lower())
    if declared is None:
        raise BadDocument(name, f"has an unsupported type '{Path(name).suffix or 'none'}' (use PDF, HTML, Markdown, text or .docx)")
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise too_big(name, size, limits)
        data = path.read_bytes()
    except FileNotFoundError:
        raise BadDocument(name, "does not exist") from None
    except IsADirectoryError:
        raise BadDocument(name, "is a folder, not a file") from None
    except PermissionError:
        raise BadDocument(name, "cannot be read (permission denied)") from None
    return load_bytes(data, name, limits, declared)
