"""Typed records that cross the index boundary: Document and Chunk."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Document:
    """One article. `key` identifies it across re-ingests (file path or record URL)."""

    doc_id: str
    key: str
    source: str
    text: str
    content_hash: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    publisher: str | None = None
    pages: tuple[int, ...] = ()  # where each page starts in `text` (PDFs of several pages); () otherwise

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def page_at(self, offset: int) -> int | None:
        """The page (from 1) that the character at `offset` is on; None for a document without pages."""
        return bisect_right(self.pages, offset) if self.pages else None


@dataclass(frozen=True)
class Chunk:
    """A passage of a document; `start`/`end` are character offsets into the document text."""

    chunk_id: str
    doc_id: str
    text: str
    start: int
    end: int
    source: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    publisher: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # "page_starts": [[offset in text, page], …] for PDFs

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Chunk:
        return cls(**data)

    def page_at(self, offset: int) -> int | None:
        """The page of the character at `offset` of this chunk's text (None: the document has no pages)."""
        page = None
        for start, number in self.extra.get("page_starts", ()):
            if start > offset:
                break
            page = number
        return page
