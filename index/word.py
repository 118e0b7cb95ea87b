"""Word files (python-docx): paragraphs and tables in document order, title and date from the core properties."""

from __future__ import annotations

import zipfile
from io import BytesIO

from .errors import DocumentError
from .paged import Paged


def read_docx(path: str, data: bytes) -> Paged:
    """The text of a .docx file: paragraphs and tables in order; title, date and author of its properties."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(BytesIO(data))
        blocks = [_text(block) for block in document.iter_inner_content()]
        properties = document.core_properties
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise DocumentError(
            path, f"the Word file cannot be read ({type(exc).__name__}: {exc}); is it complete, and a .docx (not .doc)?"
        ) from exc
    text = "\n".join(b for b in blocks if b.strip())
    title = (properties.title or "").strip() or None
    date = properties.created.date().isoformat() if properties.created else None
    return Paged(pages=[text], title=title, date=date, author=(properties.author or "").strip() or None)


def _text(block: object) -> str:
    """A paragraph's text, or a table's rows as `cell | cell` lines."""
    rows = getattr(block, "rows", None)
    if rows is None:
        return str(getattr(block, "text", ""))
    return "\n".join(" | ".join(cell.text.strip() for cell in row.cells) for row in rows)
