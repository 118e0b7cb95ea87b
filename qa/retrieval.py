"""Retrieval: dense (FAISS) and keyword (BM25) search over one index, fused, boosted, reranked, diversified.

Hybrid retrieval runs these stages, each a setting (see docs/retrieval.md for the measurements behind them):

1. candidates: the top POOL rows of dense search, of BM25 for the question and for each sub-question, and
   of BM25 and dense search within each publisher the question names;
2. fusion: `zscore` (default) adds DENSE_WEIGHT·z(cosine) + (1 − DENSE_WEIGHT)·z(BM25), each standardised over
   the whole index; `rrf` is reciprocal-rank fusion (k = 60);
3. decomposition: + CLAUSE_WEIGHT · the best z(BM25) of any sub-question (`clauses` in the QueryPlan);
4. metadata: + SOURCE_BOOST for chunks from a publisher the question names, + DATE_BOOST for chunks
   published on a day it names (half for a month);
5. rerank (`maxsim`): the top RERANK_POOL are re-scored by their best sentence's cosine with the question or
   a sub-question (sentence vectors from `qa ingest --sentence-vectors`);
6. parts: a multi-part question (sub-questions, or several publishers named) ranks the pool once per part —
   the fused score plus that part's own BM25, sentence similarity and publisher/date boosts — and the final
   ranking interleaves the parts: every part's best chunk (from an article not yet chosen) comes before the
   second-best chunk of any part; then at most `per_article` chunks of one article before the others'.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from index import Embedder, IndexData, normalize_date

from .errors import InvalidQuestionError
from .query_plan import QueryPlan, SourceMatcher, named_dates, understand
from .records import Hit
from .settings import RetrievalSettings

RRF_K = 60
POOL = 100
DENSE_WEIGHT = 0.3
CLAUSE_WEIGHT = 0.5
SOURCE_BOOST = 2.0
DATE_BOOST = 2.0
RERANK_POOL = 20
RERANK_WEIGHT = 5.0
PART_POOL = 30
STATS_SAMPLE = 2_000
Mode = Literal["hybrid", "dense", "keyword"]
Encode = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class Filters:
    """Metadata filters: ISO date range (inclusive) and sources (a chunk matches any given substring)."""

    date_from: str | None = None
    date_to: str | None = None
    sources: tuple[str, ...] = ()

    @classmethod
    def make(
        cls,
        date_from: str | None = None,
        date_to: str | None = None,
        sources: list[str] | tuple[str, ...] | None = None,
    ) -> Filters | None:
        if not (date_from or date_to or sources):
            return None
        dates = []
        for label, given in (("from", date_from), ("to", date_to)):
            value = normalize_date(given) if given else None
            if given and value is None:
                raise InvalidQuestionError(
                    f"Cannot read the {label} date {given!r}. Write it as 2026-01-29, "
                    "29 January 2026 or January 29, 2026."
                )
            dates.append(value)
        return cls(dates[0], dates[1], tuple(s for s in sources or () if s))


@functools.cache
def single_threaded_blas() -> None:
    """Retrieval's matrix-vector products are small; OpenBLAS threads that spin after each one steal the two
    cores from the encoder's next query (measured: hybrid p50 32 → 17 ms, p95 120 → 21 ms on MultiHop-RAG)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


class Retriever:
    """Ranks the chunks of an index for a query."""

    def __init__(
        self,
        data: IndexData,
        embedder: Embedder,
        settings: RetrievalSettings | None = None,
        encode: Encode | None = None,
    ) -> None:
        single_threaded_blas()
        self.data = data
        self.embedder = embedder
        self.settings = settings or RetrievalSettings()
        self.encode = encode or embedder.encode
        self.matcher = SourceMatcher(c.source for c in data.chunks)
        rows_of_source: dict[str, list[int]] = {}
        for row, chunk in enumerate(data.chunks):
            rows_of_source.setdefault(chunk.source, []).append(row)
        self._rows_of_source = {k: np.asarray(v, dtype=np.int64) for k, v in rows_of_source.items()}
        self._dates = np.asarray([c.date or "" for c in data.chunks])
        self._docs = [c.doc_id for c in data.chunks]
        rng = np.random.default_rng(0)
        sample = rng.choice(len(data.chunks), size=min(STATS_SAMPLE, len(data.chunks)), replace=False)
        self._sample = data.vectors.vectors(np.sort(sample)) if len(sample) else None

    def understand(self, query: str, settings: RetrievalSettings | None = None) -> QueryPlan:
        """What the query names (publishers, dates) and its sub-questions, as the settings' stages need."""
        settings = settings or self.settings
        return understand(query, self.matcher, decompose=settings.decompose != "off", metadata=settings.metadata_boost)

    def search(
        self,
        query: str,
        top_k: int | None = None,
        mode: Mode | None = None,
        filters: Filters | None = None,
        query_vector: np.ndarray | None = None,
        settings: RetrievalSettings | None = None,
        plan: QueryPlan | None = None,
    ) -> list[Hit]:
        """Top-k hits (top_k, mode and the stages from `settings`, default the retriever's own); `plan` (what
        the query names, its sub-questions) is made here when not given."""
        allowed = self._allowed(filters)
        if allowed is not None and not len(allowed):
            return []
        stages = settings or self.settings
        top_k = top_k or stages.top_k
        mode = mode or stages.mode
        if mode == "dense":
            vector = query_vector if query_vector is not None else self.embed(query)
            rows, scores = self.data.vectors.search(vector, top_k, allowed)
            return self._hits(list(zip(rows.tolist(), scores.tolist())), {}, {}, top_k)
        if mode == "keyword":
            keyword = self._masked(self.data.keywords.scores(query), allowed)
            top = [(int(r), float(keyword[r])) for r in _top(keyword, top_k) if keyword[r] > 0]
            return self._hits(top, {}, dict(top), top_k)
        vector = query_vector if query_vector is not None else self.embed(query)
        return self._hybrid(plan or self.understand(query, stages), vector, top_k, allowed, stages)

    def embed(self, text: str) -> np.ndarray:
        return self.encode([text])[0]

    # -- hybrid ---------------------------------------------------------------------------------------------

    def _hybrid(
        self, qp: QueryPlan, vector: np.ndarray, top_k: int, allowed: np.ndarray | None, stages: RetrievalSettings
    ) -> list[Hit]:
        keyword = self._masked(self.data.keywords.scores(qp.text), allowed)
        dense_rows, _ = self.data.vectors.search(vector, POOL, allowed)
        clause_scores = [self._masked(self.data.keywords.scores(c), allowed) for c in qp.clauses]
        candidates = [dense_rows, _top(keyword, POOL), *(_top(s, POOL) for s in clause_scores)]
        for source in qp.publishers:
            rows = self._rows_of_source[source]
            rows = rows if allowed is None else np.intersect1d(rows, allowed)
            if len(rows):
                candidates.append(rows[_top(keyword[rows], 10)])
                candidates.append(self.data.vectors.search(vector, 10, rows)[0])
        rows = np.unique(np.concatenate([np.asarray(c, dtype=np.int64) for c in candidates]))
        rows = rows[keyword[rows] >= 0] if allowed is not None else rows
        if not len(rows):
            return []
        dense = self.data.vectors.vectors(rows) @ vector
        if stages.fusion == "rrf":
            score = _rrf(rows, dense, keyword[rows])
        else:
            score = DENSE_WEIGHT * self._dense_z(dense, vector) + (1 - DENSE_WEIGHT) * _z(keyword[rows], keyword)
        if clause_scores:
            score = score + CLAUSE_WEIGHT * np.max([_z(s[rows], s) for s in clause_scores], axis=0)
        score = score + self._metadata_boost(rows, qp)
        order = np.argsort(-score, kind="stable")
        rows, score = rows[order], score[order]
        dense_of = dict(zip(rows.tolist(), dense[order].tolist()))
        similarity = None
        if stages.rerank == "maxsim" and self.data.sentences is not None:
            rows, score, similarity = self._rerank(rows, score, qp, vector)
        parts = _parts(qp, self.matcher) if stages.interleave else []
        if len(parts) > 1:
            ranked = self._interleave(rows, score, parts, clause_scores, similarity, stages.per_article, top_k)
        else:  # only multi-part questions need facts from several articles; a plain one keeps its best chunks
            limit = stages.per_article if (qp.clauses or len(qp.publishers) > 1) else 0
            ranked = _diversify(rows.tolist(), score.tolist(), self._docs, limit, top_k)
        return self._hits(ranked, dense_of, {int(r): float(keyword[r]) for r, _ in ranked}, top_k)

    def _interleave(
        self,
        rows: np.ndarray,
        score: np.ndarray,
        parts: list[Part],
        clause_scores: list[np.ndarray],
        similarity: np.ndarray | None,
        per_article: int,
        top_k: int,
    ) -> list[tuple[int, float]]:
        """Each part's best chunks first, in turn (an article not chosen yet preferred), then the rest."""
        pool = rows[:PART_POOL]
        base = score[: len(pool)]
        base = (base - base.mean()) / (base.std() + 1e-9)
        sources = np.asarray([self.data.chunks[r].source for r in pool])
        dates = self._dates[pool]
        columns = []
        for part in parts:
            own = base.copy()
            if part.clause is not None:
                bm25 = clause_scores[part.clause]
                own += CLAUSE_WEIGHT * _z(bm25[pool], bm25)
                if similarity is not None:
                    own[: len(similarity)] += RERANK_WEIGHT * similarity[: len(pool), 1 + part.clause]
            own += SOURCE_BOOST * np.isin(sources, part.sources) + DATE_BOOST * np.isin(dates, part.days)
            columns.append(own)
        chosen: list[int] = []
        docs: set[str] = set()
        columns.sort(key=lambda c: -c.max() if len(c) else 0.0)  # the part with the strongest best chunk first
        orders = [np.argsort(-c, kind="stable").tolist() for c in columns]
        for order in orders:  # one round: a second one measured worse (docs/retrieval.md)
            free = [i for i in order if i not in chosen]
            fresh = [i for i in free if self._docs[pool[i]] not in docs]
            if fresh or free:
                pick = (fresh or free)[0]
                chosen.append(pick)
                docs.add(self._docs[pool[pick]])
        first = [(int(pool[i]), float(score[i])) for i in chosen]
        taken = {r for r, _ in first}
        rest = [(r, s) for r, s in zip(rows.tolist(), score.tolist()) if r not in taken]
        tail = _diversify([r for r, _ in rest], [s for _, s in rest], self._docs, per_article, top_k)
        return (first + tail)[:top_k]

    def _dense_z(self, dense: np.ndarray, vector: np.ndarray) -> np.ndarray:
        """Standardise cosines by the query's score distribution over a fixed sample of the index."""
        if self._sample is None or len(self._sample) < 2:
            return dense
        reference = self._sample @ vector
        return (dense - reference.mean()) / (reference.std() + 1e-9)

    def _metadata_boost(self, rows: np.ndarray, qp: QueryPlan) -> np.ndarray:
        boost = np.zeros(len(rows))
        if qp.publishers:
            boost += SOURCE_BOOST * np.isin([self.data.chunks[r].source for r in rows], qp.publishers)
        if qp.days:
            boost += DATE_BOOST * np.isin(self._dates[rows], qp.days)
        if qp.months:
            boost += DATE_BOOST / 2 * np.isin([d[:7] for d in self._dates[rows]], qp.months)
        return boost

    def _rerank(
        self, rows: np.ndarray, score: np.ndarray, qp: QueryPlan, vector: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Max-sim: the pool's best sentence cosine with the question or any sub-question, added to its z-score.
        Also returns each reranked head chunk's best sentence cosine per query (column 0: the question, then
        one per sub-question), for the per-part ranking."""
        head, tail = rows[:RERANK_POOL], rows[RERANK_POOL:]
        queries = np.vstack([vector[None, :], self.encode(list(qp.clauses))]) if qp.clauses else vector[None, :]
        assert self.data.sentences is not None  # rerank runs only on an index with sentence vectors
        sentences, owners = self.data.sentences.of(head)
        per_query = np.zeros((len(head), len(queries)))
        if len(sentences):
            sims = sentences.astype(np.float32) @ queries.T
            index_of = {int(r): i for i, r in enumerate(head)}
            np.maximum.at(per_query, np.asarray([index_of[int(o)] for o in owners]), sims)
        best = per_query.max(axis=1) if len(queries) else np.zeros(len(head))
        first = score[:RERANK_POOL]
        new = (first - first.mean()) / (first.std() + 1e-9) + RERANK_WEIGHT * best
        order = np.argsort(-new, kind="stable")
        low = new.min() - 1.0 if len(new) else 0.0
        return (
            np.concatenate([head[order], tail]),
            np.concatenate([new[order], low - np.arange(len(tail))]),
            per_query[order],
        )

    # -- helpers --------------------------------------------------------------------------------------------

    def _hits(
        self, ranked: list[tuple[int, float]], dense: dict[int, float], keyword: dict[int, float], top_k: int
    ) -> list[Hit]:
        return [
            Hit(self.data.chunks[row], float(score), rank, _opt(dense.get(row)), _opt(keyword.get(row)))
            for rank, (row, score) in enumerate(ranked[:top_k], start=1)
        ]

    @staticmethod
    def _masked(scores: np.ndarray, allowed: np.ndarray | None) -> np.ndarray:
        if allowed is None or not len(scores):
            return scores
        masked = np.full_like(scores, -1.0)
        masked[allowed] = scores[allowed]
        return masked

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


@dataclass(frozen=True)
class Part:
    """One part of a multi-part question: a sub-question (index into the plan's clauses) or a named publisher,
    with the publishers and days it names."""

    clause: int | None
    sources: tuple[str, ...] = ()
    days: tuple[str, ...] = ()


def _parts(qp: QueryPlan, matcher: SourceMatcher) -> list[Part]:
    """The parts of a question: its sub-questions; or, with none, each publisher it names."""
    if qp.clauses:
        return [
            Part(i, tuple(s for s in matcher.find(c) if s in qp.publishers) or (), named_dates(c)[0])
            for i, c in enumerate(qp.clauses)
        ]
    return [Part(None, (source,)) for source in qp.publishers] if len(qp.publishers) > 1 else []


def _opt(value: float | None) -> float | None:
    return None if value is None else float(value)


def _top(scores: np.ndarray, n: int) -> np.ndarray:
    if len(scores) <= n:
        return np.argsort(-scores, kind="stable")
    top = np.argpartition(-scores, n)[:n]
    return top[np.argsort(-scores[top], kind="stable")]


def _z(values: np.ndarray, population: np.ndarray) -> np.ndarray:
    valid = population[population >= 0]
    if not len(valid):
        return np.zeros(len(values))
    return (values - valid.mean()) / (valid.std() + 1e-9)


def _rrf(rows: np.ndarray, dense: np.ndarray, keyword: np.ndarray) -> np.ndarray:
    score = np.zeros(len(rows))
    for values in (dense, np.where(keyword > 0, keyword, -np.inf)):
        order = np.argsort(-values, kind="stable")
        ranks = np.empty(len(rows))
        ranks[order] = np.arange(1, len(rows) + 1)
        score += np.where(np.isfinite(values), 1.0 / (RRF_K + ranks), 0.0)
    return score


def _diversify(
    rows: list[int], scores: list[float], docs: list[str], per_article: int, top_k: int
) -> list[tuple[int, float]]:
    """At most `per_article` chunks of one article first; the rest keep their order after them."""
    pairs = list(zip(rows, scores))
    if per_article <= 0:
        return pairs[:top_k]
    seen: dict[str, int] = {}
    first: list[tuple[int, float]] = []
    rest: list[tuple[int, float]] = []
    for row, score in pairs:
        doc = docs[row]
        (first if seen.get(doc, 0) < per_article else rest).append((row, score))
        seen[doc] = seen.get(doc, 0) + 1
        if len(first) >= top_k:
            break
    return (first + rest)[:top_k]
