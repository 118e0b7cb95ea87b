"""Typed records that cross the index boundary: Document and Chunk."""

from __future__ import annotations

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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Chunk:
        return cls(**data)
