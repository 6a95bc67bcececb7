"""A tiny PDF writer for tests: real, valid PDFs with text on several pages, and hostile ones.

Text is drawn with the standard Helvetica font in WinAnsiEncoding, one `Tj` per line and `T*` between
lines, so pypdf extracts it line by line the way it does for ordinary office-made PDFs.
"""

from __future__ import annotations

import io
import zlib


def _literal(text: str) -> bytes:
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _assemble(objects: list[bytes], root: int = 1, info: int | None = None) -> bytes:
    """Objects numbered from 1, a correct cross-reference table and trailer."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    trailer = f"<< /Size {len(objects) + 1} /Root {root} 0 R".encode()
    if info:
        trailer += f" /Info {info} 0 R".encode()
    out.write(b"trailer\n" + trailer + b" >>\nstartxref\n" + str(xref).encode() + b"\n%%EOF\n")
    return out.getvalue()


def _stream(content: bytes, compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(content)
        return f"<< /Length {len(data)} /Filter /FlateDecode >>\nstream\n".encode() + data + b"\nendstream"
    return f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream"


def text_pdf(pages: list[list[str]], title: str = "", extra_page_entry: bytes = b"") -> bytes:
    """A PDF with one page per list of lines (lines may hold any cp1252 character)."""
    n_pages = len(pages)
    first_page = 4
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(n_pages))
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, lines in enumerate(pages):
        content = b"BT /F1 11 Tf 14 TL 56 780 Td\n" + b"\nT*\n".join(_literal(ln) + b" Tj" for ln in lines) + b"\nET"
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
                       f" /Contents {first_page + 2 * i + 1} 0 R".encode() + extra_page_entry + b" >>")
        objects.append(_stream(content, compress=i % 2 == 1))
    info = None
    if title:
        objects.append(b"<< /Title " + _literal(title) + b" /Producer (tests) >>")
        info = len(objects)
    return _assemble(objects, info=info)


def image_only_pdf(n_pages: int = 2) -> bytes:
    """Pages that only draw an image: no text layer at all (like a scan)."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", b""]
    kids = []
    pixels = bytes(range(0, 256, 4)) * 64  # 64 x 64 grey ramp
    objects[2] = (f"<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray "
                  f"/BitsPerComponent 8 /Length {len(pixels)} >>\nstream\n").encode() + pixels + b"\nendstream"
    for _ in range(n_pages):
        page_no = len(objects) + 1
        kids.append(f"{page_no} 0 R")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 3 0 R >> >>"
                       f" /Contents {page_no + 1} 0 R >>".encode())
        objects.append(_stream(b"q 400 0 0 400 96 300 cm /Im1 Do Q"))
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {n_pages} >>".encode()
    return _assemble(objects)


def encrypted_pdf(pdf: bytes, user_password: str = "s3cret", owner_password: str = "owner") -> bytes:
    """The same PDF protected with a password (RC4, which pypdf supports without extra libraries)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def many_pages_pdf(n_pages: int) -> bytes:
    """A page-count bomb: many (tiny) pages sharing one content stream."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        _stream(b"BT /F1 11 Tf 56 780 Td (Page) Tj ET"),
    ]
    kids = " ".join(f"{5 + i} 0 R" for i in range(n_pages))
    objects[1] = f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode()
    for _ in range(n_pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
                       b" /Contents 4 0 R >>")
    return _assemble(objects)


def lying_count_pdf(declared: int = 10**9) -> bytes:
    """One real page but a page tree that claims a huge page count."""
    pdf = text_pdf([["Hello"]])
    return pdf.replace(b"/Count 1 >>", f"/Count {declared} >>".encode(), 1)


def nested_array_pdf(depth: int = 5000) -> bytes:
    """A page whose dictionary holds an array nested `depth` deep (a parser stack bomb)."""
    return text_pdf([["Nested"]], extra_page_entry=b" /Junk " + b"[" * depth + b"1" + b"]" * depth)


def nested_pages_pdf(depth: int = 3000) -> bytes:
    """A page tree `depth` levels deep (/Pages inside /Pages...), with one page at the bottom."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        n = level + 2
        parent = f" /Parent {n - 1} 0 R" if level else ""
        objects.append(f"<< /Type /Pages /Kids [{n + 1} 0 R] /Count 1{parent} >>".encode())
    page_no = depth + 2
    objects.append(f"<< /Type /Page /Parent {page_no - 1} 0 R /MediaBox [0 0 595 842] /Contents {page_no + 1} 0 R"
                   f" /Resources << /Font << /F1 {page_no + 2} 0 R >> >> >>".encode())
    objects.append(_stream(b"BT /F1 11 Tf 56 780 Td (Deep) Tj ET"))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return _assemble(objects)


def zip_bomb_pdf(megabytes: int = 200) -> bytes:
    """A page whose content stream inflates to `megabytes` MB of spaces (a decompression bomb)."""
    comp = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    data = b"".join(comp.compress(chunk) for _ in range(megabytes)) + comp.flush()
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
        f"<< /Length {len(data)} /Filter /FlateDecode >>\nstream\n".encode() + data + b"\nendstream",
    ]
    return _assemble(objects)


def truncated(pdf: bytes, keep: float = 0.5) -> bytes:
    """The first part of a PDF only (an interrupted download)."""
    return pdf[: int(len(pdf) * keep)]


def garbled(pdf: bytes, seed: int = 7) -> bytes:
    """A PDF with bytes overwritten all through its body (a damaged file)."""
    import random

    rng = random.Random(seed)
    data = bytearray(pdf)
    for _ in range(len(data) // 8):
        i = rng.randrange(16, len(data))
        data[i] = rng.randrange(256)
    return bytes(data)


def slow_pdf(n_pages: int = 4, operators: int = 40_000) -> bytes:
    """A small file whose pages each hold many thousands of text operators (slow to parse, tiny to send)."""
    content = zlib.compress(b"BT /F1 11 Tf 56 780 Td " + b"(word) Tj " * operators + b"ET", 9)
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{' '.join(f'{5 + i} 0 R' for i in range(n_pages))}] /Count {n_pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(content)} /Filter /FlateDecode >>\nstream\n".encode() + content + b"\nendstream",
    ]
    for _ in range(n_pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
                       b" /Contents 4 0 R >>")
    return _assemble(objects)
