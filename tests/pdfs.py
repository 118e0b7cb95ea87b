"""Real PDF files for the tests, written by hand (PDF 1.4, Helvetica text), so no PDF-writing library is needed:
pypdf then reads them as it reads any text PDF; pypdf's writer adds properties and encryption."""

from __future__ import annotations

import textwrap
from io import BytesIO


def text_pdf(
    pages: list[str], title: str | None = None, created: str | None = None, password: str | None = None
) -> bytes:
    """A PDF with one text page per item (wrapped at 90 characters); `created` as D:YYYYMMDD."""
    from pypdf import PdfReader, PdfWriter

    raw = _raw_pdf([_content(text) for text in pages])
    writer = PdfWriter(clone_from=PdfReader(BytesIO(raw)))
    meta = {}
    if title:
        meta["/Title"] = title
    if created:
        meta["/CreationDate"] = created
    if meta:
        writer.add_metadata(meta)
    if password:
        writer.encrypt(user_password=password, owner_password=password, algorithm="RC4-128")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def image_only_pdf(pages: int = 2) -> bytes:
    """A PDF whose pages hold no text (what a scan without OCR looks like to a text extractor)."""
    return _raw_pdf([b"0 0 1 rg 72 72 200 200 re f" for _ in range(pages)])


def _content(text: str) -> bytes:
    lines = [line for para in text.split("\n") for line in (textwrap.wrap(para, 90) or [""])]
    ops = ["BT", "/F1 11 Tf", "14 TL", "72 770 Td"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({escaped}) Tj T*")
    ops.append("ET")
    return "\n".join(ops).encode("latin-1", "replace")


def _raw_pdf(streams: list[bytes]) -> bytes:
    n = len(streams)
    objects: list[bytes] = []
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for i, stream in enumerate(streams):
        content = 5 + 2 * i
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {content} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
