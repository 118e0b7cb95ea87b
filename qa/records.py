"""Public records of the answering layer: Hit, Citation, Answer and the stream events."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from index import Chunk


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score and the scores of each retriever (None: not found by it)."""

    chunk: Chunk
    score: float
    rank: int
    dense_score: float | None = None
    keyword_score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "score": self.score,
            "dense_score": self.dense_score,
            "keyword_score": self.keyword_score,
            **self.chunk.to_dict(),
        }


@dataclass(frozen=True)
class Citation:
    """Passage [n] of an answer: the chunk, and `quote`, the sentence of it that supports the answer."""

    n: int
    source: str
    title: str | None
    date: str | None
    chunk_id: str
    doc_id: str
    text: str
    quote: str
    quote_start: int
    quote_end: int
    score: float
    support: float
    url: str | None = None
    chunk_start: int = 0
    quarantined: int = 0  # paragraphs of its article addressed to an AI assistant (never used as evidence)
    page: int | None = None  # the page of the quote, for PDFs of several pages

    @property
    def where(self) -> str:
        """ "p. 4" for a quote on a page of a PDF, else ""."""
        return f"p. {self.page}" if self.page else ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PartAnswer:
    """One part of a multi-part question: found (with the citation that supports it) or not in the sources."""

    text: str
    found: bool
    n: int | None = None  # the citation that supports it
    quote: str | None = None
    contradicted: bool = False  # its best sentence states the opposite (decides a "No")
    # a claim no sentence can state, not needed for a Yes/No: "reading", the asker's reading of the other parts
    # ("…, indicating X"); "absence", what an article leaves out ("without mentioning X"); "" for a claim
    unstated: str = ""

    @property
    def not_found(self) -> str:
        """How a part no source covers is shown."""
        return {
            "reading": "the question's reading; no source states it",
            "absence": "what an article leaves out; not checked",
        }.get(self.unstated, "not in the sources")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    """The answer to one question. `text` carries [n] markers that index `citations` (n starts at 1)."""

    question: str
    text: str
    refused: bool
    citations: list[Citation]
    support: float
    generator: str
    timings: dict[str, float] = field(default_factory=dict)
    query: str | None = None
    dropped: list[str] = field(default_factory=list)
    draft: str | None = None
    retrieved: list[Hit] = field(default_factory=list)
    understood: dict[str, list[str]] = field(default_factory=dict)  # publishers, dates, sub_questions recognised
    short: str = ""  # the direct answer: a name, number, date, Yes/No, or "Insufficient information."; "" for open
    kind: str = "open"  # what the question asks for: yesno, who, which, number, date, open
    parts: list[PartAnswer] = field(default_factory=list)  # multi-part questions, part by part
    differ: str = ""  # why two cited articles disagree ("different parties (Huawei vs Nokia, Ericsson)"); "" if not
    as_of: str = ""  # the newest source is older than the question assumes (qa/recency.py); "" if not

    def to_dict(self) -> dict[str, Any]:
        """The `qa ask --json` schema: answer, refused, citations, timings, plus diagnostics."""
        return {
            "question": self.question,
            "short": self.short,
            "kind": self.kind,
            "answer": self.text,
            "refused": self.refused,
            "citations": [c.to_dict() for c in self.citations],
            "parts": [p.to_dict() for p in self.parts],
            "differ": self.differ,
            "as_of": self.as_of,
            "support": round(self.support, 4),
            "generator": self.generator,
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
            "query": self.query,
            "understood": self.understood,
            "dropped": self.dropped,
            "draft": self.draft,
            "retrieved": [
                {"rank": h.rank, "chunk_id": h.chunk.chunk_id, "source": h.chunk.source, "score": round(h.score, 4)}
                for h in self.retrieved
            ],
        }


@dataclass(frozen=True)
class Retrieved:
    """Stream event: retrieval finished; these are the passages the answer may cite."""

    hits: list[Hit]
    query: str


@dataclass(frozen=True)
class Token:
    """Stream event: generated text, as it comes (before verification)."""

    text: str


@dataclass(frozen=True)
class Done:
    """Stream event: the final, verified answer (markers may be renumbered against the draft)."""

    answer: Answer


Event = Retrieved | Token | Done
