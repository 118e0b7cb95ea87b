"""The Assistant: retrieve → rank evidence → refuse or generate → attribute → cited Answer."""

from __future__ import annotations

import time
from dataclasses import replace
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

import index as idx

from .attribution import Claim, attribute, declines
from .errors import IndexMismatchError, InvalidQuestionError
from .evidence import Evidence, rank_evidence
from .generators import make_generator
from .generators.extractive import ExtractiveGenerator
from .query_plan import QueryPlan
from .records import Answer, Citation, Done, Event, Hit, Retrieved, Token
from .retrieval import Filters, Retriever, stages_from
from .rewrite import rewrite_question
from .settings import Settings
from .text import prose_sentences

Turn = tuple[str, str]  # (question, answer) of an earlier exchange


class Assistant:
    """Answers questions over one index. Load once; ask many times (thread-safe for reading)."""

    def __init__(self, data: idx.IndexData, settings: Settings, embedder: idx.Embedder | None = None) -> None:
        self.settings = settings
        self.data = data
        self.embedder = embedder or idx.Embedder(data.manifest.embedding_model, threads=settings.threads)
        self._generators: dict[str, Any] = {}
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._row_of = {c.chunk_id: row for row, c in enumerate(data.chunks)}
        self.retriever = Retriever(data, self.embedder, stages_from(settings), self._encode)

    @classmethod
    def load(cls, index_dir: str | Path | None = None, settings: Settings | None = None, **overrides: Any) -> Assistant:
        """Open the index at `index_dir` (default: settings.index_dir) and check it matches the settings."""
        settings = (settings or Settings()).model_copy(update=overrides)
        if index_dir is not None:
            settings = settings.model_copy(update={"index_dir": Path(index_dir)})
        data = idx.load(settings.index_dir)
        built = data.manifest.embedding_model
        if built != settings.embedding_model:
            raise IndexMismatchError(
                f"The index at {str(settings.index_dir)!r} was built with {built!r}, but the settings ask for "
                f"{settings.embedding_model!r}. Rebuild it with: qa ingest <paths> --index {settings.index_dir} "
                f"--rebuild, or set QA_EMBEDDING_MODEL={built}."
            )
        assistant = cls(data, settings)
        assistant.embedder.encode(["warm-up"])  # load the encoder now, not inside the first question's timings
        return assistant

    # -- public API -------------------------------------------------------------------------------------

    def retrieve(self, question: str, top_k: int | None = None, filters: Filters | None = None,
                 mode: str | None = None) -> list[Hit]:
        """Ranked chunks with scores, for evaluators and developers."""
        question = self._check(question)
        vector = self.embedder.encode([question])[0]  # not cached: a later ask() times its own encoding
        return self.retriever.search(question, top_k or self.settings.top_k, mode or self.settings.retrieval, filters,
                                     vector)

    def ask(self, question: str, **options: Any) -> Answer:
        """The verified answer to `question` (options as for `stream`)."""
        for event in self.stream(question, **options):
            if isinstance(event, Done):
                return event.answer
        raise AssertionError("stream() ended without a Done event")  # pragma: no cover

    def stream(self, question: str, *, history: list[Turn] | None = None, generator: str | None = None,
               top_k: int | None = None, filters: Filters | None = None) -> Iterator[Event]:
        """Events: Retrieved, then Token deltas of the draft, then Done with the verified Answer."""
        started = time.perf_counter()
        question = self._check(question)
        name = generator or self.settings.generator
        query = rewrite_question(question, history or [])
        timings: dict[str, float] = {}
        qvec = self._encode([query])[0]
        plan = self._plan(query, name)
        hits = self.retriever.search(query, top_k or self.settings.top_k, self.settings.retrieval, filters, qvec,
                                     plan=plan)
        understood = _understood(plan) if self.settings.retrieval == "hybrid" else {}
        timings["retrieve"] = time.perf_counter() - started
        self._seed_sentences(hits)
        evidence = rank_evidence(query, hits, self._encode, self.data.keywords.idf, qvec)
        timings["evidence"] = time.perf_counter() - started - timings["retrieve"]
        yield Retrieved(hits, query)
        best = evidence[0].support if evidence else 0.0
        if best < self.settings.refusal_threshold:
            timings["total"] = time.perf_counter() - started
            yield Done(replace(self._refusal(question, query, name, hits, evidence, best, timings),
                               understood=understood))
            return
        draft = yield from self._draft(name, query, evidence, timings)
        t0 = time.perf_counter()
        claims = attribute(draft, query, evidence, self._encode, self.data.keywords.idf,
                           self.settings.attribution_threshold, self.settings.refusal_threshold)
        dropped = [c.text for c in claims if c.evidence is None]
        if not any(c.evidence for c in claims) or declines(draft):
            fallback = ExtractiveGenerator().select(query, evidence)
            claims = [Claim(e.sentence.clean, e, e.support) for e in fallback]
        timings["attribute"] = time.perf_counter() - t0
        timings["total"] = time.perf_counter() - started
        yield Done(replace(self._compose(question, query, name, draft, claims, dropped, hits, timings),
                           understood=understood))

    def generator(self, name: str) -> Any:
        """The generator called `name`, created (and its model loaded) once."""
        if name not in self._generators:
            self._generators[name] = make_generator(name, self.settings)
        return self._generators[name]

    def clear_cache(self) -> None:
        """Forget cached sentence and query vectors (benchmarks use this to time cold queries)."""
        self._vectors.clear()

    def info(self) -> dict[str, Any]:
        return describe_index(self.data)

    # -- steps ------------------------------------------------------------------------------------------

    def _check(self, question: str) -> str:
        if not isinstance(question, str) or not question.strip():
            raise InvalidQuestionError("The question is empty. Ask something about the articles.")
        question = " ".join(question.split())
        limit = self.settings.max_question_chars
        if len(question) > limit:
            raise InvalidQuestionError(
                f"The question is {len(question):,} characters; the limit is {limit:,} (QA_MAX_QUESTION_CHARS). "
                "Shorten it to the question itself."
            )
        return question

    def _draft(self, name: str, query: str, evidence: list[Evidence], timings: dict[str, float]) -> Iterator[Event]:
        t0 = time.perf_counter()
        parts: list[str] = []
        for delta in self.generator(name).generate(query, evidence):
            if not parts:
                timings["first_token"] = time.perf_counter() - t0
            parts.append(delta)
            yield Token(delta)
        timings["generate"] = time.perf_counter() - t0
        return "".join(parts).strip()

    def _plan(self, query: str, name: str) -> QueryPlan:
        """What the query names, planned once; with decompose=llm and an LLM generator, the LLM's
        sub-questions replace the rule-based ones (kept when the LLM gives none)."""
        plan = self.retriever.plan(query)
        if self.settings.decompose == "llm" and name != "extractive":
            subquestions = self.generator(name).decompose(query)
            if subquestions:
                plan = replace(plan, clauses=subquestions)
        return plan

    def _seed_sentences(self, hits: list[Hit]) -> None:
        """With sentence vectors in the index, evidence ranking encodes nothing: they go into the cache."""
        sentences = self.data.sentences
        if sentences is None:
            return
        for hit in hits:
            row = self._row_of.get(hit.chunk.chunk_id)
            texts = [s.clean for s in prose_sentences(hit.chunk.text, hit.chunk.title)]
            vectors = sentences.for_chunk(row) if row is not None else ()
            if len(vectors) == len(texts):
                for text, vector in zip(texts, vectors):
                    self._vectors.setdefault(text, vector.astype(np.float32))

    def _encode(self, texts: list[str]) -> np.ndarray:
        """Encode with a small cache: evidence sentences recur across questions."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            for text, vector in zip(missing, self.embedder.encode(missing)):
                self._vectors[text] = vector
            while len(self._vectors) > 20_000:
                self._vectors.popitem(last=False)
        return np.stack([self._vectors[t] for t in texts])

    def _compose(self, question: str, query: str, name: str, draft: str, claims: list[Claim], dropped: list[str],
                 hits: list[Hit], timings: dict[str, float]) -> Answer:
        numbers: dict[str, int] = {}
        citations: list[Citation] = []
        parts: list[str] = []
        kept = [c for c in claims if c.evidence is not None]
        for claim in kept:
            evidence = claim.evidence
            chunk_id = evidence.chunk.chunk_id
            if chunk_id not in numbers:
                numbers[chunk_id] = len(numbers) + 1
                citations.append(_citation(numbers[chunk_id], evidence))
            parts.append(f"{claim.text.rstrip()} [{numbers[chunk_id]}]")
        support = sum(c.score for c in kept) / len(kept) if kept else 0.0
        return Answer(
            question=question, text=" ".join(parts), refused=False, citations=citations,
            support=min(support, 1.0), generator=name, timings=timings, query=query,
            dropped=dropped, draft=draft, retrieved=hits,
        )

    def _refusal(self, question: str, query: str, name: str, hits: list[Hit], evidence: list[Evidence],
                 best: float, timings: dict[str, float]) -> Answer:
        closest: dict[str, Evidence] = {}
        for item in evidence:
            closest.setdefault(item.chunk.chunk_id, item)
        citations = [_citation(n, item) for n, item in enumerate(list(closest.values())[:3], start=1)]
        articles = len({h.chunk.doc_id for h in hits})
        text = (
            f"The articles don't say. I searched {len(self.data.documents)} articles and read the "
            f"{len(hits)} closest passages (from {articles} of them), but none of them answers this question. "
            "The closest passages are listed below."
        )
        return Answer(question=question, text=text, refused=True, citations=citations, support=best,
                      generator=name, timings=timings, query=query, retrieved=hits)


def _understood(plan: QueryPlan) -> dict[str, list[str]]:
    """What retrieval recognised in the query, for the UI's search details and `qa ask --json`."""
    return {"publishers": list(plan.sources), "dates": [*plan.days, *plan.months], "sub_questions": list(plan.clauses)}


def _citation(n: int, evidence: Evidence) -> Citation:
    chunk = evidence.chunk
    return Citation(
        n=n, source=chunk.source, title=chunk.title, date=chunk.date, chunk_id=chunk.chunk_id,
        doc_id=chunk.doc_id, text=chunk.text, quote=evidence.sentence.text, quote_start=evidence.sentence.start,
        quote_end=evidence.sentence.end, score=round(evidence.hit.score, 4), support=round(evidence.support, 4),
        url=chunk.url, chunk_start=chunk.start,
    )


def describe_index(data: idx.IndexData) -> dict[str, Any]:
    """What `qa info` prints: documents, chunks, model, dimension, size on disk."""
    size = sum(p.stat().st_size for p in data.path.rglob("*") if p.is_file())
    manifest = data.manifest
    return {
        "index": str(data.path.parent),
        "version": data.path.name,
        "documents": len(manifest.documents),
        "chunks": manifest.chunk_count,
        "embedding_model": manifest.embedding_model,
        "dimension": manifest.dimension,
        "chunk_size": manifest.chunk_size,
        "chunk_overlap": manifest.chunk_overlap,
        "vector_index": {"kind": data.vectors.kind, **data.vectors.params},
        "size_bytes": size,
        "created": manifest.created,
        "updated": manifest.updated,
    }
