"""What retrieval asks of an index, whichever engine holds it: the `Store` protocol, and `LocalStore`, the one
over a version loaded into memory (FAISS + bm25s). `index/milvus.py` is the other, over a Milvus collection.

Rows are the chunks' positions in the version (0 … n−1) on both. The stages above candidate generation
(fusion, boosts, decomposition, rerank, interleaving; qa/retrieval.py) see only this protocol, so they are the
same code on both engines.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from .manifest import Manifest
from .records import Chunk, Document
from .storage import IndexData

STATS_SAMPLE = 2_000


@dataclass(frozen=True)
class Scope:
    """The rows a search may return: those a filter keeps; each store fills its own form (`rows` for LocalStore,
    a filter expression for Milvus; neither: every row). `size` is how many rows it holds; `source`, when the
    scope is exactly one source's rows (a store may then pick them from rows it already fetched)."""

    size: int
    rows: np.ndarray | None = None
    expr: str | None = None
    source: str | None = None

    @property
    def empty(self) -> bool:
        return self.size == 0


class KeywordScores(Protocol):
    """BM25 scores of one query over the rows of a scope."""

    def at(self, rows: np.ndarray) -> np.ndarray:
        """Scores of `rows` (0 for a row without a query term)."""
        ...

    def top(self, n: int, scope: Scope | None = None) -> np.ndarray:
        """Rows of the n best scores (within `scope`, a narrower one than the scores were made for)."""
        ...

    def z(self, values: np.ndarray) -> np.ndarray:
        """`values` standardised by the mean and deviation of the scores of every row in the scope."""
        ...


class Store(Protocol):
    """One index version as retrieval and answering use it."""

    @property
    def manifest(self) -> Manifest: ...

    @property
    def version(self) -> str:
        """The version's name, v-000007."""
        ...

    @property
    def documents(self) -> Mapping[str, Document]: ...

    def __len__(self) -> int: ...

    def ping(self) -> None:
        """StoreUnavailableError when the store stops answering (a server store); nothing for one in memory."""
        ...

    @property
    def has_sentences(self) -> bool: ...

    def sources(self) -> list[str]: ...

    def chunks(self, rows: Sequence[int]) -> list[Chunk]: ...

    def facts(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Source, date ("" when unknown) and doc id of each row: the metadata the ranking stages use."""
        ...

    def all_chunks(self) -> Iterator[Chunk]: ...

    def scope(self, date_from: str | None, date_to: str | None, sources: Sequence[str]) -> Scope: ...

    def within_source(self, scope: Scope | None, source: str) -> Scope: ...

    def dense(self, vector: np.ndarray, k: int, scope: Scope | None = None) -> tuple[np.ndarray, np.ndarray]: ...

    def keyword(self, queries: Sequence[str], scope: Scope | None = None) -> list[KeywordScores]: ...

    def similarities(self, rows: np.ndarray, vector: np.ndarray) -> np.ndarray:
        """Inner product of each row's stored vector with `vector` (cosine: both are normalized)."""
        ...

    def sentences_of(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]: ...

    def chunk_sentences(self, chunk_ids: Sequence[str]) -> list[np.ndarray | None]: ...

    def sample(self) -> np.ndarray | None: ...

    def idf(self, term: str) -> float: ...

    def describe(self) -> dict[str, Any]: ...


def bm25_idf(n_docs: int, df: int) -> float:
    """The BM25 (Lucene) inverse document frequency both stores use for evidence ranking."""
    return math.log(1 + (n_docs - df + 0.5) / (df + 0.5))


class ArrayScores:
    """Keyword scores as a full array over the index (LocalStore): rows outside the scope hold −1."""

    def __init__(self, scores: np.ndarray, scope: Scope | None) -> None:
        if scope is not None and scope.rows is not None and len(scores):
            masked = np.full_like(scores, -1.0)
            masked[scope.rows] = scores[scope.rows]
            scores = masked
        self._scores = scores
        self._masked = scope is not None and scope.rows is not None

    def at(self, rows: np.ndarray) -> np.ndarray:
        return self._scores[rows]

    def top(self, n: int, scope: Scope | None = None) -> np.ndarray:
        if scope is not None and scope.rows is not None:
            return scope.rows[top_rows(self._scores[scope.rows], n)]
        found = top_rows(self._scores, n)
        return found[self._scores[found] >= 0] if self._masked else found

    def z(self, values: np.ndarray) -> np.ndarray:
        return standardise(values, self._scores)


class LocalStore:
    """An index version loaded into memory: FAISS vectors, the bm25s matrix, chunks as Python objects."""

    def __init__(self, data: IndexData) -> None:
        self.data = data
        self.manifest = data.manifest
        self.version = data.path.name
        self.documents = data.documents
        self.path = data.path
        self._chunks = data.chunks
        rows_of_source: dict[str, list[int]] = {}
        for row, chunk in enumerate(data.chunks):
            rows_of_source.setdefault(chunk.source, []).append(row)
        self._rows_of_source = {k: np.asarray(v, dtype=np.int64) for k, v in rows_of_source.items()}
        self._row_of = {c.chunk_id: row for row, c in enumerate(data.chunks)}
        self._sources = np.asarray([c.source for c in data.chunks])
        self._dates = np.asarray([c.date or "" for c in data.chunks])
        self._docs = np.asarray([c.doc_id for c in data.chunks])

    def __len__(self) -> int:
        return len(self._chunks)

    def ping(self) -> None:
        """Nothing to ask: the version is in this process's memory."""

    @property
    def has_sentences(self) -> bool:
        return self.data.sentences is not None

    def sources(self) -> list[str]:
        return list(self._rows_of_source)

    def chunks(self, rows: Sequence[int]) -> list[Chunk]:
        return [self._chunks[int(r)] for r in rows]

    def facts(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self._sources[rows], self._dates[rows], self._docs[rows]

    def all_chunks(self) -> Iterator[Chunk]:
        return iter(self._chunks)

    def scope(self, date_from: str | None, date_to: str | None, sources: Sequence[str]) -> Scope:
        needles = [s.lower() for s in sources]
        rows = [row for row, chunk in enumerate(self._chunks) if keeps(chunk, date_from, date_to, needles)]
        return Scope(len(rows), rows=np.asarray(rows, dtype=np.int64))

    def within_source(self, scope: Scope | None, source: str) -> Scope:
        rows = self._rows_of_source.get(source, np.zeros(0, dtype=np.int64))
        if scope is not None and scope.rows is not None:
            rows = np.intersect1d(rows, scope.rows)
        return Scope(len(rows), rows=rows)

    def dense(self, vector: np.ndarray, k: int, scope: Scope | None = None) -> tuple[np.ndarray, np.ndarray]:
        return self.data.vectors.search(vector, k, None if scope is None else scope.rows)

    def keyword(self, queries: Sequence[str], scope: Scope | None = None) -> list[KeywordScores]:
        return [ArrayScores(self.data.keywords.scores(q), scope) for q in queries]

    def similarities(self, rows: np.ndarray, vector: np.ndarray) -> np.ndarray:
        return self.data.vectors.vectors(rows) @ vector

    def sentences_of(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        assert self.data.sentences is not None  # callers check has_sentences
        return self.data.sentences.of(rows)

    def chunk_sentences(self, chunk_ids: Sequence[str]) -> list[np.ndarray | None]:
        sentences = self.data.sentences
        rows = [self._row_of.get(c) for c in chunk_ids]
        return [None if sentences is None or r is None else sentences.for_chunk(r) for r in rows]

    def sample(self) -> np.ndarray | None:
        return sample_rows(len(self), self.data.vectors.vectors)

    def idf(self, term: str) -> float:
        return self.data.keywords.idf(term)

    def describe(self) -> dict[str, Any]:
        return {
            "store": "faiss",
            "index": str(self.path.parent),
            "vector_index": {"kind": self.data.vectors.kind, **self.data.vectors.params},
            "size_bytes": index_size(self.path),
        }


def keeps(chunk: Chunk, date_from: str | None, date_to: str | None, needles: list[str]) -> bool:
    """Whether a chunk passes the filters: an ISO date range (inclusive) and any of the source substrings."""
    if date_from and (not chunk.date or chunk.date < date_from):
        return False
    if date_to and (not chunk.date or chunk.date > date_to):
        return False
    return not needles or any(n in haystack(chunk) for n in needles)


def haystack(chunk: Chunk) -> str:
    """What a source filter looks in: the source, publisher and URL, lower-cased."""
    return " ".join(filter(None, (chunk.source, chunk.publisher, chunk.url))).lower()


def sample_rows(n: int, vectors: Any) -> np.ndarray | None:
    """The stored vectors of a fixed random sample of rows (the dense score's reference distribution)."""
    rng = np.random.default_rng(0)
    sample = rng.choice(n, size=min(STATS_SAMPLE, n), replace=False)
    return vectors(np.sort(sample)) if len(sample) else None


def top_rows(scores: np.ndarray, n: int) -> np.ndarray:
    """Positions of the n largest scores, best first (ties in position order)."""
    if len(scores) <= n:
        return np.argsort(-scores, kind="stable")
    top = np.argpartition(-scores, n)[:n]
    return top[np.argsort(-scores[top], kind="stable")]


def standardise(values: np.ndarray, population: np.ndarray) -> np.ndarray:
    """z-scores of `values` against the population's valid (non-negative) entries."""
    valid = population[population >= 0]
    if not len(valid):
        return np.zeros(len(values))
    return (values - valid.mean()) / (valid.std() + 1e-9)


def index_size(path: Path) -> int:
    """Bytes on disk of a file, or of every file under a folder."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
