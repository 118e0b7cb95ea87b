"""The FAISS adapter: inner-product search over normalized vectors (cosine similarity).

The index type is chosen by size (see docs/design.md, "Vector index"): exact `IndexFlatIP` up to
EXACT_LIMIT vectors, where one query scans the whole matrix in about a millisecond; above it an inverted
file (`IndexIVFFlat`, √n lists) whose `nprobe` is tuned at build time until recall@10 against exact
search reaches TARGET_RECALL on a sample. IVF keeps the full vectors (no compression), so memory stays at
the raw vector bytes plus 8 bytes per row; HNSW is available on request (`kind="hnsw"`) for more speed at
the price of a slower build and ~1.2× memory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import faiss
import numpy as np

from .errors import CorruptIndexError

Kind = Literal["auto", "flat", "ivf", "hnsw"]
EXACT_LIMIT = 50_000
TARGET_RECALL = 0.97
TUNE_QUERIES = 200
EXACT_FILTER_LIMIT = 20_000  # filtered searches over at most this many rows are done exactly
HNSW_M = 32
TRAIN_PER_LIST = 40  # k-means sample per list; with √n lists and 10 iterations 1M vectors train in seconds


class VectorStore:
    """Row i of the store is chunk i of the index."""

    def __init__(self, index: faiss.Index) -> None:
        self._index = index

    @classmethod
    def build(cls, vectors: np.ndarray, dimension: int, kind: Kind = "auto", seed: int = 0) -> VectorStore:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, dimension)
        chosen = choose_kind(len(vectors)) if kind == "auto" else kind
        index: Any  # faiss's SWIG stubs type neither the index classes' common base nor their parameters
        if chosen == "flat":
            index = faiss.IndexFlatIP(dimension)
            index.add(vectors)
        elif chosen == "ivf":
            index = _build_ivf(vectors, dimension, seed)
        elif chosen == "hnsw":
            index = _build_hnsw(vectors, dimension, seed)
        else:
            raise ValueError(f"Unknown vector index kind {kind!r}; use auto, flat, ivf or hnsw.")
        return cls(index)

    @classmethod
    def load(cls, path: Path) -> VectorStore:
        if not path.is_file():
            raise CorruptIndexError(f"Missing vector file {str(path)!r}.")
        try:
            index = faiss.read_index(str(path))
        except RuntimeError as exc:
            raise CorruptIndexError(f"Cannot read vector file {str(path)!r}: {str(exc).splitlines()[0]}") from exc
        if isinstance(index, faiss.IndexIVF):
            index.make_direct_map()  # the map is not stored; rows must be reconstructible for filters and re-ingest
        return cls(index)

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    @property
    def dimension(self) -> int:
        return int(self._index.d)

    @property
    def kind(self) -> str:
        if isinstance(self._index, faiss.IndexIVF):
            return "ivf"
        if isinstance(self._index, faiss.IndexHNSW):
            return "hnsw"
        return "flat"

    @property
    def params(self) -> dict[str, int]:
        """The search parameters in use (nprobe for IVF, efSearch for HNSW)."""
        if isinstance(self._index, faiss.IndexIVF):
            return {"nlist": int(self._index.nlist), "nprobe": int(self._index.nprobe)}
        if isinstance(self._index, faiss.IndexHNSW):
            return {"M": HNSW_M, "efSearch": int(self._index.hnsw.efSearch)}
        return {}

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def vectors(self, rows: list[int] | np.ndarray | None = None) -> np.ndarray:
        """Stored vectors (all, or the given rows), for re-using unchanged chunks on re-ingest."""
        if not len(self):
            return np.zeros((0, self.dimension), dtype=np.float32)
        if rows is None:
            return self._index.reconstruct_n(0, len(self))
        rows = np.asarray(rows, dtype=np.int64)
        if isinstance(self._index, faiss.IndexFlat):
            return self._matrix()[rows]
        return self._index.reconstruct_batch(rows)

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-k rows and cosine scores for one normalized query vector; `allowed` restricts the rows."""
        k = min(k, len(self))
        if allowed is not None:
            k = min(k, len(allowed))
        if k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        query = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        if allowed is not None and (self.kind == "flat" or len(allowed) <= EXACT_FILTER_LIMIT):
            return self._exact_subset(query[0], k, np.asarray(allowed, dtype=np.int64))
        params = None
        if allowed is not None:
            params = self._params(faiss.IDSelectorBatch(allowed.astype(np.int64)))
        scores, rows = self._index.search(query, k, params=params)
        keep = rows[0] >= 0
        return rows[0][keep], scores[0][keep]

    def _exact_subset(self, query: np.ndarray, k: int, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Exact search over a subset: approximate indexes lose recall under selective filters."""
        scores = self.vectors(rows) @ query
        top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        top = top[np.argsort(-scores[top], kind="stable")]
        return rows[top], scores[top].astype(np.float32)

    def _params(self, selector: faiss.IDSelector) -> Any:
        faiss_: Any = faiss  # the stubs lack SearchParametersHNSW and the parameters' keyword arguments
        if isinstance(self._index, faiss.IndexIVF):
            return faiss_.SearchParametersIVF(sel=selector, nprobe=self._index.nprobe)
        if isinstance(self._index, faiss.IndexHNSW):
            return faiss_.SearchParametersHNSW(sel=selector, efSearch=self._index.hnsw.efSearch)
        return faiss_.SearchParameters(sel=selector)

    def _matrix(self) -> np.ndarray:
        """The vectors of a flat index as a read-only view (no copy)."""
        flat: Any = faiss.downcast_index(self._index)
        view = faiss.rev_swig_ptr(flat.get_xb(), len(self) * self.dimension)
        return np.asarray(view).reshape(len(self), self.dimension)


def choose_kind(n: int) -> str:
    """Exact search while it is fast enough; an inverted file above EXACT_LIMIT vectors."""
    return "flat" if n <= EXACT_LIMIT else "ivf"


def tuning_queries(vectors: np.ndarray, count: int = TUNE_QUERIES, seed: int = 0) -> np.ndarray:
    """Queries as far from the data as real questions are (best cosine ~0.5, not ~0.9): normalized sums of
    three random stored vectors plus noise. Tuned on easier queries (pairs of stored vectors), nprobe came out
    4× too small for real MultiHop-RAG questions (recall 0.87 instead of 0.97); see bench/README.md."""
    rng = np.random.default_rng(seed)
    queries = np.sum([vectors[rng.integers(0, len(vectors), count)] for _ in range(3)], axis=0)
    queries = queries + (2 / np.sqrt(vectors.shape[1])) * rng.standard_normal(queries.shape)
    return (queries / np.linalg.norm(queries, axis=1, keepdims=True)).astype(np.float32)


def recall_at(index: faiss.Index, exact: np.ndarray, queries: np.ndarray, k: int = 10) -> float:
    """Mean share of the exact top-k that `index` returns in its top-k."""
    _, found = index.search(queries, k)
    return recall(found.tolist(), exact)


def recall(found: list[list[int]], exact: np.ndarray) -> float:
    """Mean share of each row of `exact` (the true top-k) among the first k of the same row of `found`."""
    k = exact.shape[1]
    return float(np.mean([len(set(f[:k]) & set(e)) / k for f, e in zip(found, exact.tolist())]))


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int = 10) -> np.ndarray:
    """Rows of the true top-k by inner product, by brute force."""
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    return flat.search(queries, k)[1]


def _build_ivf(vectors: np.ndarray, dimension: int, seed: int) -> faiss.Index:
    n = len(vectors)
    nlist = max(1, min(int(np.sqrt(n)), n // TRAIN_PER_LIST))
    quantizer = faiss.IndexFlatIP(dimension)
    index = faiss.IndexIVFFlat(quantizer, dimension, nlist, faiss.METRIC_INNER_PRODUCT)
    index.cp.seed = seed
    index.cp.niter = 10
    rng = np.random.default_rng(seed)
    size = TRAIN_PER_LIST * nlist
    sample = vectors[rng.choice(n, size=size, replace=False)] if n > size else vectors
    index.train(sample)
    index.add(vectors)
    index.make_direct_map()
    queries = tuning_queries(vectors, seed=seed)
    exact = exact_top(vectors, queries, 10)
    nprobe = 1
    while True:
        index.nprobe = nprobe
        if nprobe >= nlist or recall_at(index, exact, queries) >= TARGET_RECALL:
            break
        nprobe = min(nlist, nprobe * 2 if nprobe < 8 else int(nprobe * 1.5))
    return index


def _build_hnsw(vectors: np.ndarray, dimension: int, seed: int) -> faiss.Index:
    index = faiss.IndexHNSWFlat(dimension, HNSW_M, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = 80
    index.add(vectors)
    queries = tuning_queries(vectors, seed=seed)
    exact = exact_top(vectors, queries, 10)
    for ef in (16, 32, 48, 64, 96, 128, 192, 256, 384, 512):
        index.hnsw.efSearch = ef
        if recall_at(index, exact, queries) >= TARGET_RECALL:
            break
    return index
