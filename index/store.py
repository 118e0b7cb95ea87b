"""The FAISS adapter: exact inner-product search over normalized vectors (cosine similarity)."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

from .errors import CorruptIndexError


class VectorStore:
    """Row i of the store is chunk i of the index."""

    def __init__(self, index: faiss.Index) -> None:
        self._index = index

    @classmethod
    def build(cls, vectors: np.ndarray, dimension: int) -> VectorStore:
        index = faiss.IndexFlatIP(dimension)
        if len(vectors):
            index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return cls(index)

    @classmethod
    def load(cls, path: Path) -> VectorStore:
        if not path.is_file():
            raise CorruptIndexError(f"Missing vector file {str(path)!r}.")
        try:
            return cls(faiss.read_index(str(path)))
        except RuntimeError as exc:
            raise CorruptIndexError(f"Cannot read vector file {str(path)!r}: {str(exc).splitlines()[0]}") from exc

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    @property
    def dimension(self) -> int:
        return int(self._index.d)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def vectors(self, rows: list[int] | None = None) -> np.ndarray:
        """Stored vectors (all, or the given rows), for re-using unchanged chunks on re-ingest."""
        if not len(self):
            return np.zeros((0, self.dimension), dtype=np.float32)
        every = self._index.reconstruct_n(0, len(self))
        return every if rows is None else every[rows]

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-k rows and cosine scores for one normalized query vector; `allowed` restricts the rows."""
        k = min(k, len(self))
        if k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        query = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        params = None
        if allowed is not None:
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(allowed.astype(np.int64)))
            k = min(k, len(allowed))
            if k <= 0:
                return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        scores, rows = self._index.search(query, k, params=params)
        keep = rows[0] >= 0
        return rows[0][keep], scores[0][keep]
