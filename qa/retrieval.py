"""Retrieval: dense (FAISS) and keyword (BM25) search over one index, fused by reciprocal rank."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from index import Embedder, IndexData
from index.dates import normalize_date

from .records import Hit

RRF_K = 60
Mode = Literal["hybrid", "dense", "keyword"]


@dataclass(frozen=True)
class Filters:
    """Metadata filters: ISO date range (inclusive) and sources (a chunk matches any given substring)."""

    date_from: str | None = None
    date_to: str | None = None
    sources: tuple[str, ...] = ()

    @classmethod
    def make(cls, date_from: str | None = None, date_to: str | None = None,
             sources: list[str] | tuple[str, ...] | None = None) -> Filters | None:
        if not (date_from or date_to or sources):
            return None
        return cls(normalize_date(date_from), normalize_date(date_to), tuple(s for s in sources or () if s))


class Retriever:
    """Ranks the chunks of an index for a query."""

    def __init__(self, data: IndexData, embedder: Embedder) -> None:
        self.data = data
        self.embedder = embedder

    def search(self, query: str, top_k: int, mode: Mode = "hybrid", filters: Filters | None = None,
               query_vector: np.ndarray | None = None) -> list[Hit]:
        allowed = self._allowed(filters)
        if allowed is not None and not len(allowed):
            return []
        pool = max(top_k * 4, 20)
        dense: dict[int, float] = {}
        keyword: dict[int, float] = {}
        if mode in ("hybrid", "dense"):
            vector = query_vector if query_vector is not None else self.embed(query)
            rows, scores = self.data.vectors.search(vector, pool, allowed)
            dense = dict(zip(rows.tolist(), scores.tolist()))
        if mode in ("hybrid", "keyword"):
            keyword = self._keyword(query, pool, allowed)
        fused = _fuse(dense, keyword, mode)
        ranked = sorted(fused.items(), key=lambda item: -item[1])[:top_k]
        return [
            Hit(self.data.chunks[row], score, rank, dense.get(row), keyword.get(row))
            for rank, (row, score) in enumerate(ranked, start=1)
        ]

    def embed(self, text: str) -> np.ndarray:
        return self.embedder.encode([text])[0]

    def _keyword(self, query: str, pool: int, allowed: np.ndarray | None) -> dict[int, float]:
        scores = self.data.keywords.scores(query)
        if not len(scores):
            return {}
        if allowed is not None:
            masked = np.full_like(scores, -1.0)
            masked[allowed] = scores[allowed]
            scores = masked
        top = np.argsort(-scores)[:pool]
        return {int(row): float(scores[row]) for row in top if scores[row] > 0}

    def _allowed(self, filters: Filters | None) -> np.ndarray | None:
        if filters is None:
            return None
        needles = [s.lower() for s in filters.sources]
        rows = []
        for row, chunk in enumerate(self.data.chunks):
            if filters.date_from and (not chunk.date or chunk.date < filters.date_from):
                continue
            if filters.date_to and (not chunk.date or chunk.date > filters.date_to):
                continue
            if needles:
                hay = " ".join(filter(None, (chunk.source, chunk.publisher, chunk.url))).lower()
                if not any(n in hay for n in needles):
                    continue
            rows.append(row)
        return np.asarray(rows, dtype=np.int64)


def _fuse(dense: dict[int, float], keyword: dict[int, float], mode: Mode) -> dict[int, float]:
    if mode == "dense":
        return dense
    if mode == "keyword":
        return keyword
    fused: dict[int, float] = {}
    for scores in (dense, keyword):
        for rank, row in enumerate(sorted(scores, key=lambda r: -scores[r]), start=1):
            fused[row] = fused.get(row, 0.0) + 1.0 / (RRF_K + rank)
    return fused
