"""Retrieval: dense and keyword (BM25) search over one index, fused, boosted, reranked, diversified.

The index is an `index.Store` (FAISS + bm25s in memory, or a Milvus collection): the stores give candidates,
scores and stored vectors; every stage below is this module's, the same on both.

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
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from index import Embedder, IndexData, KeywordScores, LocalStore, Scope, Store, normalize_date

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


_FILE_OR_URL = re.compile(r"://|[/\\#]|\.(?:txt|md|markdown|pdf|html?|docx?|json|jsonl|csv|rst)$", re.I)


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
        store: Store | IndexData,
        embedder: Embedder,
        settings: RetrievalSettings | None = None,
        encode: Encode | None = None,
    ) -> None:
        single_threaded_blas()
        self.store: Store = LocalStore(store) if isinstance(store, IndexData) else store
        self.embedder = embedder
        self.settings = settings or RetrievalSettings()
        self.encode = encode or embedder.encode
        self.matcher = SourceMatcher(self.store.sources())
        self._sample = self.store.sample()

    def understand(self, query: str, settings: RetrievalSettings | None = None) -> QueryPlan:
        """What the query names (publishers, dates) and its sub-questions, as the settings' stages need."""
        settings = settings or self.settings
        return understand(query, self.matcher, decompose=settings.decompose != "off", metadata=settings.metadata_boost)

    def unheld_publishers(self, plan: QueryPlan) -> tuple[str, ...]:
        """The publishers the question asks about whose articles the index does not hold: a name asked as a news
        article's publisher ("a Bloomberg article") when the index knows its publishers, or any named outlet that
        no indexed passage mentions ("a report by the World Bank" is kept when articles discuss that report)."""
        if not plan.outlets:
            return ()
        knows_publishers = any(not _FILE_OR_URL.search(s) for s in self.store.sources())
        return tuple(
            name for name, article in plan.outlets if (article and knows_publishers) or not self._mentions(name)
        )

    def _mentions(self, name: str) -> bool:
        """Does a passage of the index write `name` (its best keyword matches are read)?"""
        written = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.I)
        rows = self.store.keyword([name])[0].top(20)
        return any(written.search(f"{c.title or ''}\n{c.text}") for c in self.store.chunks(rows.tolist()))

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
        scope = None if filters is None else self.store.scope(filters.date_from, filters.date_to, filters.sources)
        if scope is not None and scope.empty:
            return []
        stages = settings or self.settings
        top_k = top_k or stages.top_k
        mode = mode or stages.mode
        if mode == "dense":
            vector = query_vector if query_vector is not None else self.embed(query)
            rows, scores = self.store.dense(vector, top_k, scope)
            return self._hits(list(zip(rows.tolist(), scores.tolist())), {}, {}, top_k)
        if mode == "keyword":
            keyword = self.store.keyword([query], scope)[0]
            best = keyword.top(top_k)
            top = [(int(r), float(s)) for r, s in zip(best, keyword.at(best)) if s > 0]
            return self._hits(top, {}, dict(top), top_k)
        vector = query_vector if query_vector is not None else self.embed(query)
        return self._hybrid(plan or self.understand(query, stages), vector, top_k, scope, stages)

    def embed(self, text: str) -> np.ndarray:
        return self.encode([text])[0]

    # -- hybrid ---------------------------------------------------------------------------------------------

    def _hybrid(
        self, qp: QueryPlan, vector: np.ndarray, top_k: int, scope: Scope | None, stages: RetrievalSettings
    ) -> list[Hit]:
        keyword, *clause_scores = self.store.keyword([qp.text, *qp.clauses], scope)
        dense_rows, _ = self.store.dense(vector, POOL, scope)
        candidates = [dense_rows, keyword.top(POOL), *(s.top(POOL) for s in clause_scores)]
        for source in qp.publishers:
            within = self.store.within_source(scope, source)
            if not within.empty:
                candidates.append(keyword.top(10, within))
                candidates.append(self.store.dense(vector, 10, within)[0])
        rows = np.unique(np.concatenate([np.asarray(c, dtype=np.int64) for c in candidates]))
        if not len(rows):
            return []
        facts = Facts(rows, *self.store.facts(rows))
        dense = self.store.similarities(rows, vector)
        if stages.fusion == "rrf":
            score = _rrf(rows, dense, keyword.at(rows))
        else:
            score = DENSE_WEIGHT * self._dense_z(dense, vector) + (1 - DENSE_WEIGHT) * keyword.z(keyword.at(rows))
        if clause_scores:
            score = score + CLAUSE_WEIGHT * np.max([s.z(s.at(rows)) for s in clause_scores], axis=0)
        score = score + _metadata_boost(facts.sources, facts.dates, qp)
        order = np.argsort(-score, kind="stable")
        rows, score = rows[order], score[order]
        dense_of = dict(zip(rows.tolist(), dense[order].tolist()))
        similarity = None
        if stages.rerank == "maxsim" and self.store.has_sentences:
            rows, score, similarity = self._rerank(rows, score, qp, vector)
        parts = _parts(qp, self.matcher) if stages.interleave else []
        if len(parts) > 1:
            ranked = _interleave(rows, score, parts, clause_scores, similarity, facts, stages.per_article, top_k)
        else:  # only multi-part questions need facts from several articles; a plain one keeps its best chunks
            limit = stages.per_article if (qp.clauses or len(qp.publishers) > 1) else 0
            ranked = _diversify(rows.tolist(), score.tolist(), facts.doc_of, limit, top_k)
        picked = np.asarray([r for r, _ in ranked], dtype=np.int64)
        return self._hits(ranked, dense_of, dict(zip(picked.tolist(), keyword.at(picked).tolist())), top_k)

    def _dense_z(self, dense: np.ndarray, vector: np.ndarray) -> np.ndarray:
        """Standardise cosines by the query's score distribution over a fixed sample of the index."""
        if self._sample is None or len(self._sample) < 2:
            return dense
        reference = self._sample @ vector
        return (dense - reference.mean()) / (reference.std() + 1e-9)

    def _rerank(
        self, rows: np.ndarray, score: np.ndarray, qp: QueryPlan, vector: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Max-sim: the pool's best sentence cosine with the question or any sub-question, added to its z-score.
        Also returns each reranked head chunk's best sentence cosine per query (column 0: the question, then
        one per sub-question), for the per-part ranking."""
        head, tail = rows[:RERANK_POOL], rows[RERANK_POOL:]
        queries = np.vstack([vector[None, :], self.encode(list(qp.clauses))]) if qp.clauses else vector[None, :]
        sentences, owners = self.store.sentences_of(head)
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

    def _hits(
        self, ranked: list[tuple[int, float]], dense: dict[int, float], keyword: dict[int, float], top_k: int
    ) -> list[Hit]:
        ranked = ranked[:top_k]
        chunks = self.store.chunks([row for row, _ in ranked])
        return [
            Hit(chunk, float(score), rank, _opt(dense.get(row)), _opt(keyword.get(row)))
            for rank, (chunk, (row, score)) in enumerate(zip(chunks, ranked), start=1)
        ]


@dataclass(frozen=True)
class Facts:
    """Source, date and article of each candidate row (the metadata the stages use), by position in `rows`."""

    rows: np.ndarray
    sources: np.ndarray
    dates: np.ndarray
    docs: np.ndarray

    @property
    def doc_of(self) -> dict[int, str]:
        return dict(zip(self.rows.tolist(), self.docs.tolist()))

    def at(self, rows: np.ndarray) -> Facts:
        where = {int(r): i for i, r in enumerate(self.rows)}
        picks = np.asarray([where[int(r)] for r in rows], dtype=np.int64)
        return Facts(rows, self.sources[picks], self.dates[picks], self.docs[picks])


def _interleave(
    rows: np.ndarray,
    score: np.ndarray,
    parts: list[Part],
    clause_scores: list[KeywordScores],
    similarity: np.ndarray | None,
    facts: Facts,
    per_article: int,
    top_k: int,
) -> list[tuple[int, float]]:
    """Each part's best chunks first, in turn (an article not chosen yet preferred), then the rest."""
    pool = rows[:PART_POOL]
    base = score[: len(pool)]
    base = (base - base.mean()) / (base.std() + 1e-9)
    own_facts = facts.at(pool)
    columns = []
    for part in parts:
        own = base.copy()
        if part.clause is not None:
            bm25 = clause_scores[part.clause]
            own += CLAUSE_WEIGHT * bm25.z(bm25.at(pool))
            if similarity is not None:
                own[: len(similarity)] += RERANK_WEIGHT * similarity[: len(pool), 1 + part.clause]
        own += SOURCE_BOOST * np.isin(own_facts.sources, part.sources) + DATE_BOOST * np.isin(
            own_facts.dates, part.days
        )
        columns.append(own)
    chosen: list[int] = []
    docs: set[str] = set()
    doc_of = facts.doc_of
    columns.sort(key=lambda c: -c.max() if len(c) else 0.0)  # the part with the strongest best chunk first
    orders = [np.argsort(-c, kind="stable").tolist() for c in columns]
    for order in orders:  # one round: a second one measured worse (docs/retrieval.md)
        free = [i for i in order if i not in chosen]
        fresh = [i for i in free if doc_of[int(pool[i])] not in docs]
        if fresh or free:
            pick = (fresh or free)[0]
            chosen.append(pick)
            docs.add(doc_of[int(pool[pick])])
    first = [(int(pool[i]), float(score[i])) for i in chosen]
    taken = {r for r, _ in first}
    rest = [(r, s) for r, s in zip(rows.tolist(), score.tolist()) if r not in taken]
    tail = _diversify([r for r, _ in rest], [s for _, s in rest], doc_of, per_article, top_k)
    return (first + tail)[:top_k]


def _metadata_boost(sources: np.ndarray, dates: np.ndarray, qp: QueryPlan) -> np.ndarray:
    boost = np.zeros(len(sources))
    if qp.publishers:
        boost += SOURCE_BOOST * np.isin(sources, qp.publishers)
    if qp.days:
        boost += DATE_BOOST * np.isin(dates, qp.days)
    if qp.months:
        boost += DATE_BOOST / 2 * np.isin([d[:7] for d in dates], qp.months)
    return boost


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


def _rrf(rows: np.ndarray, dense: np.ndarray, keyword: np.ndarray) -> np.ndarray:
    score = np.zeros(len(rows))
    for values in (dense, np.where(keyword > 0, keyword, -np.inf)):
        order = np.argsort(-values, kind="stable")
        ranks = np.empty(len(rows))
        ranks[order] = np.arange(1, len(rows) + 1)
        score += np.where(np.isfinite(values), 1.0 / (RRF_K + ranks), 0.0)
    return score


def _diversify(
    rows: list[int], scores: list[float], docs: dict[int, str], per_article: int, top_k: int
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
