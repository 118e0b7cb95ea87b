"""PDF files (pypdf): the text layer page by page, title and date from the document properties."""

from __future__ import annotations

import logging
import re
from io import BytesIO
from typing import Any

from .errors import DocumentError
from .paged import MAX_TEXT_CHARS, Paged

logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed-but-readable files log warnings per object


MAX_PAGES = 2000  # a report or a book; more is a bomb or not an article


def read_pdf(path: str, data: bytes) -> Paged:
    """The pages' text, with the title and creation date of the PDF's properties when it has them."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted and not _opens_without_password(reader):
            raise DocumentError(path, "the PDF is encrypted (password-protected); save a copy without the password")
        if len(reader.pages) > MAX_PAGES:  # a 2 KB PDF can declare 90,000 pages that share one content stream
            raise DocumentError(path, f"it has {len(reader.pages):,} pages (limit {MAX_PAGES:,})")
        pages = _pages_text(path, reader.pages)
        info = reader.metadata
    except DocumentError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise DocumentError(path, f"the PDF cannot be read ({type(exc).__name__}: {exc}); is it complete?") from exc
    if not any(text.strip() for text in pages):
        raise DocumentError(
            path,
            f"the PDF has no text layer ({len(pages)} page(s) of images, e.g. a scan); OCR is not supported: "
            "run it through an OCR tool (e.g. ocrmypdf) and ingest the result",
        )
    title = _clean(info.title) if info else None
    return Paged(pages=pages, title=title, date=_created(info))


def _opens_without_password(reader: object) -> bool:
    """Encrypted with an empty user password (common: only editing is restricted) opens as is."""
    try:
        return bool(reader.decrypt(""))  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - any failure means: it needs a password
        return False


def _pages_text(path: str, pages: Any) -> list[str]:
    """Each page's text; a DocumentError as soon as their sum passes MAX_TEXT_CHARS."""
    texts, total = [], 0
    for page in pages:
        texts.append(_page_text(page))
        total += len(texts[-1])
        if total > MAX_TEXT_CHARS:
            raise DocumentError(path, f"its text passes {MAX_TEXT_CHARS:,} characters by page {len(texts):,}")
    return texts


def _page_text(page: object) -> str:
    text = page.extract_text() or ""  # type: ignore[attr-defined]
    return re.sub(r"[ \t]+\n", "\n", text).strip()


def _created(info: object) -> str | None:
    """The creation date of the properties as YYYY-MM-DD (None when absent or unreadable)."""
    try:
        created = getattr(info, "creation_date", None)
    except (ValueError, TypeError):  # a date string pypdf cannot parse
        return None
    return created.date().isoformat() if created is not None else None


def _clean(value: object) -> str | None:
    text = str(value).strip() if value else ""
    return text or None
