"""The manifest: what built an index (model, dimension, chunking) and which documents it holds."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .corpus import CorpusStats

FORMAT_VERSION = 1


class DocumentEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str
    source: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    publisher: str | None = None
    # what names it on cards and in citations: the title, else its first sentence shortened, else the file name
    # (None in versions written before: index.corpus.complete fills it when the version is read)
    heading: str | None = None
    content_hash: str
    chunk_ids: list[str]
    chars: int


class Manifest(BaseModel):
    """`manifest.json` of one index version."""

    model_config = ConfigDict(extra="forbid")

    format_version: int = FORMAT_VERSION
    embedding_model: str
    dimension: int
    chunk_size: int
    chunk_overlap: int
    vector_index: str = "flat"
    sentence_vectors: bool = False
    created: str = Field(default_factory=lambda: now())
    updated: str = Field(default_factory=lambda: now())
    documents: dict[str, DocumentEntry] = Field(default_factory=dict)
    # the summary of `documents` (index/corpus.py), written at ingest; None in versions written before
    corpus: CorpusStats | None = None
    # example questions for the chat UI, by the folder whose `.qa-examples` gave them at ingest
    examples: dict[str, list[str]] = Field(default_factory=dict)
    # sha256 of every other file of the version, by path relative to it; checked on load and before ingest
    checksums: dict[str, str] = Field(default_factory=dict)
    # sha256 of this manifest's own fields (all but this one), so an edited title, date or checksum is noticed;
    # "" in versions written before it existed
    digest: str = ""

    def seal(self) -> None:
        """Set `digest` from the fields as they are now (the last step before the manifest is written)."""
        self.digest = self.own_digest()

    def own_digest(self) -> str:
        """sha256 of the fields, leaving out empty values (None, False or 0, {}, []): a field added later with such a
        default leaves the digest of a manifest written before it as it was (else every new field would make old
        indexes 'edited')."""
        fields = _pruned(self.model_dump(mode="json", exclude={"digest"}))
        return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    def edited(self) -> bool:
        """The fields differ from what was sealed (a version written before digests were is never 'edited')."""
        return bool(self.digest) and self.digest != self.own_digest()

    @model_validator(mode="after")
    def _summary_matches(self) -> Manifest:
        """A summary that contradicts the document list is a manifest changed since it was written."""
        corpus = self.corpus
        if corpus is not None and (corpus.articles, corpus.chunks) != (len(self.documents), self.chunk_count):
            raise ValueError(
                f"its corpus summary says {corpus.articles} articles and {corpus.chunks} chunks, its document list "
                f"{len(self.documents)} and {self.chunk_count}"
            )
        return self

    @property
    def examples_list(self) -> list[str]:
        """Every example question recorded, in folder order, each once."""
        return list(dict.fromkeys(q for folder in sorted(self.examples) for q in self.examples[folder]))

    @property
    def chunk_count(self) -> int:
        return sum(len(entry.chunk_ids) for entry in self.documents.values())

    def build_settings(self) -> dict[str, object]:
        return {
            "embedding_model": self.embedding_model,
            "dimension": self.dimension,
            "chunk_size": self.chunk_size,
            "chunk_overlap": self.chunk_overlap,
        }


def _pruned(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _pruned(v) for k, v in value.items() if v not in (None, False, {}, [])}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
