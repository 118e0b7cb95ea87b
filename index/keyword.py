"""The bm25s adapter: keyword (BM25) scores over chunks, English stop words, Snowball stemming."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

from .errors import CorruptIndexError
from .records import Chunk


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def terms(text: str) -> list[str]:
    """Stemmed, lower-cased content words of `text` (the same analysis the index uses)."""
    return bm25s.tokenize([text], stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False)[0]


class KeywordIndex:
    """BM25 over chunk texts; row i is chunk i, like the vector store."""

    def __init__(self, retriever: bm25s.BM25 | None, n_docs: int) -> None:
        self._bm25 = retriever
        self.n_docs = n_docs

    @classmethod
    def build(cls, texts: list[str]) -> KeywordIndex:
        if not texts:
            return cls(None, 0)
        retriever = bm25s.BM25()
        tokens = bm25s.tokenize(texts, stopwords="en", stemmer=_stemmer(), show_progress=False)
        retriever.index(tokens, show_progress=False)
        return cls(retriever, len(texts))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "meta.json").write_text(json.dumps({"n_docs": self.n_docs}))
        if self._bm25 is not None:
            self._bm25.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex:
        try:
            n_docs = json.loads((folder / "meta.json").read_text())["n_docs"]
            retriever = bm25s.BM25.load(str(folder), show_progress=False) if n_docs else None
        except (OSError, ValueError, KeyError) as exc:
            raise CorruptIndexError(f"Cannot read keyword index in {str(folder)!r}: {exc}") from exc
        return cls(retriever, n_docs)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk for `query` (zeros when no query term is in the index)."""
        if self._bm25 is None:
            return np.zeros(0, dtype=np.float32)
        words = terms(query)
        if not words:
            return np.zeros(self.n_docs, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(words), dtype=np.float32)

    def idf(self, term: str) -> float:
        """Inverse document frequency of a stemmed term over chunks; unseen terms get the highest."""
        df = 0
        if self._bm25 is not None:
            column = self._bm25.vocab_dict.get(term)
            if column is not None:
                indptr = self._bm25.scores["indptr"]
                df = int(indptr[column + 1] - indptr[column])
        return math.log(1 + (self.n_docs - df + 0.5) / (df + 0.5))


def keyword_text(chunk: Chunk) -> str:
    """BM25 sees title, publisher and passage, so names in headlines match."""
    return "\n".join(part for part in (chunk.title, chunk.publisher, chunk.text) if part)
