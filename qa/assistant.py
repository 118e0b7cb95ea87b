"""The Assistant: retrieve → rank evidence → refuse or generate → attribute → cited Answer."""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterator
from collections.abc import Generator as Generator_
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

import index as idx

from .attribution import Claim, attribute, declines
from .errors import InvalidQuestionError
from .evidence import Evidence, EvidencePool, Lead, opening
from .fit import LONG, Asked, Misfit, aligned, disagrees, held_only, local_misfit, misfit, period_of, states_relation
from .fit import asked as read_question
from .generators import Generator, make_generator
from .generators.extractive import ExtractiveGenerator
from .markup import terminal_text
from .query_plan import QueryPlan
from .recency import recency_note
from .records import Answer, Citation, Done, Event, Hit, PartAnswer, Retrieved, Token
from .retrieval import Filters, Mode, Retriever
from .rewrite import as_question, rewrite_question, spell_out_periods
from .settings import Settings
from .short import (
    INSUFFICIENT,
    Disagreement,
    Order,
    Short,
    agreement_topic,
    as_option,
    asks_person,
    category,
    category_asked,
    contradicts,
    date_span,
    disagreement,
    entity,
    in_full,
    mentions,
    on_agreement,
    ordering,
    place_asked,
    quantity,
    quantity_unit,
    reports,
    role,
    spelled_out,
    stated,
    unstated,
    when,
    with_frames,
)
from .text import kind_of

Turn = tuple[str, str]  # (question, answer) of an earlier exchange
FITTED = 6  # the best-supported sentences a direct answer that fits the question (qa/fit.py) is chosen from,
FURTHER = 12  # and, where none of them holds one, the sentences after them up to this rank
FOLLOWING_SCOPE = 40  # the best-ranked sentences a sentence right after a supported one is looked for among
DIFFER_LIMIT = 8  # the best-supported evidence sentences the disagreement check compares, pair by pair
FULL_NAME_HITS = 20  # passages of the publisher read for the full form of a one-word name (a surname is written
# alone in most of an article, in full once: the best few keyword matches rarely hold that once)
_WHERE = re.compile(r"\s*where\b", re.I)
_WHICH_SOURCE = re.compile(r"\bwhich\s+(?:news\s+)?(?:source|outlet|publication|publisher)(?:'s|’s)?\b", re.I)


class Assistant:
    """Answers questions over one index. Load once; ask many times, from many threads: the caches and the
    lazily created generators are guarded by a lock, the encoder by its own."""

    def __init__(
        self, store: idx.Store | idx.IndexData, settings: Settings, embedder: idx.Embedder | None = None
    ) -> None:
        self.settings = settings
        self.store: idx.Store = idx.LocalStore(store) if isinstance(store, idx.IndexData) else store
        self.embedder = embedder or idx.Embedder(self.store.manifest.embedding_model, threads=settings.index.threads)
        self._generators: dict[str, Generator] = {}
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.RLock()  # guards the caches and the lazily created generators
        self._quarantined: dict[str, int] = {}
        self.retriever = Retriever(self.store, self.embedder, settings.retrieval, self._encode)

    @classmethod
    def load(cls, index_dir: str | Path | None = None, settings: Settings | None = None, **overrides: Any) -> Assistant:
        """Open the index at `index_dir` (default: settings.index.dir) and check it matches the settings.
        `overrides` are settings by their flat names (`top_k=8`, `generator="local"`), validated."""
        settings = (settings or Settings()).updated(**overrides)
        if index_dir is not None:
            settings = settings.updated(index_dir=Path(index_dir))
        assistant = cls(open_index(settings), settings)
        assistant.embedder.encode(["warm-up"])  # load the encoder now, not inside the first question's timings
        return assistant

    def reopen(self, store: idx.Store) -> Assistant:
        """The same assistant over another version of its index (`qa ingest` wrote a new one): the encoder, the
        generators with their loaded models and the vector cache are shared, so nothing is loaded twice."""
        fresh = type(self)(store, self.settings, self.embedder)
        with self._lock:
            fresh._lock = self._lock
            fresh._generators = self._generators
            fresh._vectors = self._vectors
        return fresh

    # -- public API -------------------------------------------------------------------------------------

    def retrieve(
        self, question: str, top_k: int | None = None, filters: Filters | None = None, mode: Mode | None = None
    ) -> list[Hit]:
        """Ranked chunks with scores, for evaluators and developers."""
        question = self._check(question)
        vector = self.embedder.encode([question])[0]  # not cached: a later ask() times its own encoding
        return self.retriever.search(question, top_k, mode, filters, vector)

    def ask(self, question: str, **options: Any) -> Answer:
        """The verified answer to `question` (options as for `stream`)."""
        for event in self.stream(question, **options):
            if isinstance(event, Done):
                return event.answer
        raise AssertionError("stream() ended without a Done event")  # pragma: no cover

    def stream(
        self,
        question: str,
        *,
        history: list[Turn] | None = None,
        generator: str | None = None,
        top_k: int | None = None,
        filters: Filters | None = None,
    ) -> Iterator[Event]:
        """Events: Retrieved, then Token deltas of the draft, then Done with the verified Answer."""
        started = time.perf_counter()
        question = self._check(question)
        name = generator or self.settings.answer.generator
        query = spell_out_periods(as_question(rewrite_question(question, history or [])))
        timings: dict[str, float] = {}
        plan, hits, pool, evidence = self._evidence(query, name, top_k, filters, timings)
        understood = _understood(plan) if self.settings.retrieval.mode == "hybrid" else {}
        yield Retrieved(hits, query)
        best = evidence[0].support if evidence else 0.0
        kind = kind_of(query)
        threshold = (
            self.settings.answer.multipart_refusal_threshold
            if len(plan.clauses) > 1
            else self.settings.answer.refusal_threshold
        )
        order = ordering(query) if kind == "yesno" else None
        unheld = self.retriever.unheld_publishers(plan)
        answerable = best >= threshold and not unheld
        parts = self._parts(plan, hits, pool, order, top_k, filters) if answerable else []
        missing = 0
        if not answerable and not unheld and len(plan.clauses) > 1 and kind in ("who", "which", "yesno"):
            # a name (or a yes/no) described by several facts: no one sentence covers the question, each part may
            parts = self._parts(plan, hits, pool, order, top_k, filters)
            missing = sum(item is None for _, item in parts)
            answerable = bool(parts) and (missing == 0 or kind != "yesno" and missing == 1 and len(parts) >= 4)
        short = self._short(kind, query, pool, evidence, parts, plan, threshold, order, filters) if answerable else None
        if answerable and (short is None or not short.text) and _asks_a_name(query, kind):
            # "Which Slack boss …": no phrase in the wh-word's place; a name of the kind asked, where one is found
            named = self._short("which", query, pool, evidence, parts, plan, threshold, order, filters)
            if named is not None and named.text not in ("", INSUFFICIENT):
                kind, short = "which", named
        if short is not None and missing and not self._described(short, parts):
            short = None
        checked = len(plan.clauses) <= 1 or kind in ("number", "date")  # a name described by several facts: not
        unfit = _misfit(kind, query, short, plan.publishers, pool.lead, whole=checked) if short is not None else None
        yes_no = short is not None and kind == "yesno" and not plan.clauses and short.text in ("Yes", "No")
        yes_no = yes_no and order is None and len(query.split()) <= LONG  # long ones are checked part by part
        if (
            yes_no
            and agreement_topic(query) == query
            and not states_relation(read_question(query, kind), evidence[0].sentence.clean)
        ):
            short = Short(INSUFFICIENT)  # "Was it cancelled?" is not answered Yes by a sentence saying it was elevated
        if unfit is not None and unfit.what == "type" and _WHERE.match(query):
            short, unfit = Short(""), None  # "where are the details listed?": no place, the passages answer
        if unfit is not None:
            short = None
        elif short is not None and short.evidence is not None and kind == "number":
            period = period_of(read_question(query, kind), short.evidence.sentence.clean)
            short = replace(short, text=f"{short.text} ({period})") if period else short
        if short is None:
            timings["total"] = time.perf_counter() - started
            reason = ""
            if unheld:
                reason = self._unheld_reason(unheld)
            elif unfit is not None:
                reason = unfit.reason
            elif best >= threshold:
                reason = _no_short_reason(kind, query)
            refusal = self._refusal(question, query, name, hits, evidence, best, timings, reason)
            as_of = recency_note(query, [h.chunk.date for h in hits])
            yield Done(
                replace(
                    refusal,
                    text=f"{refusal.text} {as_of}" if as_of else refusal.text,
                    as_of=as_of,
                    understood=understood,
                    kind=kind,
                )
            )
            return
        draft = yield from self._draft(name, query, evidence, timings)
        t0 = time.perf_counter()
        claims = self._attribute(draft, query, evidence, pool)
        if name != "extractive":
            claims = _agreeing(claims, short, kind, query)
        dropped = [c.text for c in claims if not c.kept]
        if not any(c.kept for c in claims) or declines(draft):
            fallback = ExtractiveGenerator().select(query, evidence)
            claims = [Claim(e.sentence.clean, e, e.support) for e in fallback]
        differ = self._disagreement(evidence, pool)
        if kind == "yesno":
            topic = agreement_topic(query)
            if differ is None and topic != query:  # "… contradict each other about X?": X's sentences, unframed
                differ = self._disagreement(pool.rank(topic, hits), pool)
            short = on_agreement(short, query, differ is not None)
        elif differ is not None and kind in ("who", "which") and _sides_unanswered(short.text, differ, evidence):
            short = Short(f"The sources differ: {differ[2][1]} vs {differ[2][2]}", differ[0], differ[1])
        short = as_option(short, query)
        claims = _cite_support(claims, short, parts, differ)
        timings["attribute"] = time.perf_counter() - t0
        timings["total"] = time.perf_counter() - started
        answer = self._compose(question, query, name, draft, claims, dropped, hits, timings)
        text = _with_differ(_with_dates(_with_missing(answer.text, parts), order, parts, answer), differ, answer)
        as_of = recency_note(query, [c.date for c in answer.citations], cited=[c.quote for c in answer.citations])
        yield Done(
            replace(
                answer,
                understood=understood,
                short=terminal_text(short.text),  # an index built before ingest removed controls
                kind=kind,
                text=f"{text} {as_of}" if as_of else text,
                parts=_part_answers(parts, answer),
                differ=differ_note(differ, answer) if differ else "",
                as_of=as_of,
            )
        )

    def verify(
        self, question: str, draft: str, *, top_k: int | None = None, filters: Filters | None = None
    ) -> list[Claim]:
        """Check an answer written elsewhere (another model, a reporter's draft) against the articles: each of its
        sentences with the evidence sentence that grounds it, or with `evidence=None` and the reason it fails
        ("unsupported", "quantity", "date", "name", "polarity", "stitched"; qa/grounding.py). A grounded sentence
        that would not be shown as an answer keeps its evidence and says why ("kind", "echo", "off-topic");
        `Claim.kept` is true only for the rest."""
        query = self._check(question)
        _, _, pool, evidence = self._evidence(query, "extractive", top_k, filters, {})
        return self._attribute(draft, query, evidence, pool)

    def _evidence(
        self, query: str, name: str, top_k: int | None, filters: Filters | None, timings: dict[str, float]
    ) -> tuple[QueryPlan, list[Hit], EvidencePool, list[Evidence]]:
        """Retrieve for `query`, read the hits into the question's evidence pool and rank their sentences
        (timings["retrieve"], ["evidence"] set)."""
        started = time.perf_counter()
        qvec = self._encode([query])[0]
        plan = self._understand(query, name)
        hits = self.retriever.search(query, top_k, None, filters, qvec, plan=plan)
        timings["retrieve"] = time.perf_counter() - started
        pool = EvidencePool(self._encode, self.store.idf, self.store.chunk_sentences, self._lead)  # (None each
        # without them)
        evidence = pool.rank(query, hits, qvec)
        timings["evidence"] = time.perf_counter() - started - timings["retrieve"]
        return plan, hits, pool, evidence

    def _lead(self, doc_id: str) -> str:
        document = self.store.documents.get(doc_id)
        return opening(document.text) if document is not None else ""

    def _attribute(self, draft: str, query: str, evidence: list[Evidence], pool: EvidencePool) -> list[Claim]:
        return attribute(
            draft,
            query,
            evidence,
            pool,
            self.settings.answer.attribution_threshold,
            self.settings.answer.refusal_threshold,
        )

    def generator(self, name: str) -> Generator:
        """The generator called `name`, created (and its model loaded) once."""
        with self._lock:
            if name not in self._generators:
                self._generators[name] = make_generator(name, self.settings.llm)
            return self._generators[name]

    def clear_cache(self) -> None:
        """Forget cached sentence and query vectors (benchmarks use this to time cold queries)."""
        with self._lock:
            self._vectors.clear()

    # -- steps ------------------------------------------------------------------------------------------

    def _check(self, question: str) -> str:
        if not isinstance(question, str):
            raise InvalidQuestionError(
                f"The question must be text (str), not {type(question).__name__}. Decode it "
                "first, e.g. question.decode('utf-8')."
            )
        if not question.strip():
            raise InvalidQuestionError("The question is empty. Ask something about the articles.")
        try:
            question.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InvalidQuestionError(
                f"The question has characters that are not valid text (position {exc.start}: a lone surrogate or "
                "undecodable bytes). Retype it, or check the terminal's or client's encoding (UTF-8)."
            ) from exc
        question = " ".join(question.split())
        limit = self.settings.answer.max_question_chars
        if len(question) > limit:
            raise InvalidQuestionError(
                f"The question is {len(question):,} characters; the limit is {limit:,} (QA_MAX_QUESTION_CHARS). "
                "Shorten it to the question itself."
            )
        return question

    def _draft(
        self, name: str, query: str, evidence: list[Evidence], timings: dict[str, float]
    ) -> Generator_[Event, None, str]:
        t0 = time.perf_counter()
        parts: list[str] = []
        for delta in self.generator(name).generate(query, evidence):
            if not parts:
                timings["first_token"] = time.perf_counter() - t0
            parts.append(delta)
            yield Token(delta)
        timings["generate"] = time.perf_counter() - t0
        return "".join(parts).strip()

    def _understand(self, query: str, name: str) -> QueryPlan:
        """What the query names, planned once; with decompose=llm and an LLM generator, the LLM's
        sub-questions replace the rule-based ones (kept when the LLM gives none)."""
        plan = self.retriever.understand(query)
        if self.settings.retrieval.decompose == "llm" and name != "extractive":
            subquestions = self.generator(name).decompose(query)
            if subquestions:
                plan = replace(plan, clauses=subquestions)
        return plan

    def _parts(
        self,
        plan: QueryPlan,
        hits: list[Hit],
        pool: EvidencePool,
        order: Order | None = None,
        top_k: int | None = None,
        filters: Filters | None = None,
    ) -> list[tuple[str, Evidence | None]]:
        """Each sub-question with its best-supporting evidence sentence (None: the sources don't cover it). An
        ordering question's parts are its two sides, each from the publisher it names when it names one. A part
        that no sentence of the question's hits supports is searched for on its own (within the publisher it
        names): the question's top hits often all serve its other part. A clause that only names a report is
        joined to the claim it frames, and a part's agreement words ("a consistent account of …") are not looked
        for."""
        clauses = [order.first, order.second] if order else with_frames(plan.clauses, plan.publishers)
        if len(clauses) < 2:
            return []
        found: list[tuple[str, Evidence | None]] = []
        for clause in clauses:
            if not order and unstated(clause) == "absence":  # what an article leaves out: no sentence shows it
                found.append((clause, None))
                continue
            named = [p for p in plan.publishers if p.lower() in clause.lower()]
            own = [h for h in hits if order and (h.chunk.source or "") in named]
            topic = agreement_topic(stated(clause))  # "did Fortune give a consistent account of X": X is what it says
            best = self._part_evidence(topic, own or hits, pool, order)
            allowed = _allowed(filters, named)
            if best is None and (allowed or not named):  # not when the filters exclude every publisher it names
                scope = replace(filters or Filters(), sources=allowed) if named else filters
                best = self._part_evidence(topic, self.retriever.search(topic, top_k, None, scope), pool, order)
            found.append((clause, best))
        return found

    def _part_evidence(self, clause: str, hits: list[Hit], pool: EvidencePool, order: Order | None) -> Evidence | None:
        """The sentence of `hits` that best supports `clause`, if any reaches the part threshold."""
        ranked = pool.rank(clause, hits)
        ranked = [e for e in ranked if e.support >= self.settings.answer.part_threshold]
        if order and not reports(clause):  # an event: the best sentence that dates it
            ranked = sorted(ranked, key=lambda e: not idx.find_dates(e.sentence.clean))
        return ranked[0] if ranked else None

    def _short(
        self,
        kind: str,
        query: str,
        pool: EvidencePool,
        evidence: list[Evidence],
        parts: list[tuple[str, Evidence | None]],
        plan: QueryPlan,
        threshold: float,
        order: Order | None = None,
        filters: Filters | None = None,
    ) -> Short | None:
        """The direct answer (None, a refusal: an amount was asked and no supported sentence states one of that
        kind, a date was asked and none writes one about what the question names, or an office was asked and none
        names its holder). A yes/no is decided by the parts an article could state: the asker's reading of them
        ("…, indicating a difference in scope") counts only when found, and what an article leaves out ("without
        mentioning X") not at all."""
        supported = [e for e in evidence if e.support >= threshold]
        if not supported and parts:  # answerable part by part: each part's sentence is the evidence
            supported = sorted((item for _, item in parts if item is not None), key=lambda e: -e.support)
        if kind == "yesno":
            checks = [(text, item) for text, item in parts if item is not None or order or not unstated(text)]
            checks = checks or [(query, evidence[0])]
            covered = [(text, item) for text, item in checks if item is not None]
            if len(covered) < len(checks):
                return Short(INSUFFICIENT)
            if order is not None:  # before/after: from the dates, not from word overlap
                dates = [when(text, item) for text, item in covered]
                if dates[0] and dates[1]:
                    return Short(order.decide(dates[0], dates[1]))
            no = any(contradicts(stated(text), item.sentence.clean) for text, item in covered)
            return Short("No" if no else "Yes")
        single = len(plan.clauses) <= 1
        question = read_question(query, kind) if single or kind in ("number", "date") else None
        if question is not None and question.words > LONG:
            question = None  # a name described by several facts: chosen as before, its type checked after
        # below the threshold the check is all there is: only for an answer of a known type
        below = _below(query, question, evidence, supported, threshold, pool) if question and question.type else []
        typed = _fits(question, supported + below, plan.publishers, pool.lead) if question else None
        # where none fits, the closest of the right type and relation, for the refusal to say what it lacks
        local = (lambda span, sentence: local_misfit(question, span, sentence) is None) if question else None
        if kind == "number":
            if question is None:
                return quantity(query, supported)
            fitted, further = supported[:FITTED], supported[FITTED:FURTHER]
            fits = quantity(query, fitted, typed) or quantity(query, further, typed) or quantity(query, below, typed)
            return fits or quantity(query, fitted, local) or quantity(query, supported)
        if kind == "date":
            fits = None
            if typed is not None and local is not None:
                fits = date_span(query, supported[:FITTED], typed) or date_span(query, supported[FITTED:FURTHER], typed)
                fits = fits or date_span(query, below, typed)
                fits = fits or date_span(query, supported[:FITTED], local)
            return fits or date_span(query, supported)
        if kind in ("who", "which", "open") and category_asked(query):
            return category(query, supported[:12]) or Short("")
        slotted = _aligned(query, supported[:5]) if kind in ("which", "open") else None
        if slotted is None and kind in ("which", "open") and question is not None and not question.type:
            # no type to check: only the phrase in the wh-word's place answers, and it may be looked for lower: in
            # the supported sentences below the best five (as far down as those right after one are), then below
            slotted = _aligned(query, supported[5:FOLLOWING_SCOPE]) or _aligned(
                query, _below(query, question, evidence, supported, threshold, pool)
            )
        asked = _WHICH_SOURCE.search(query)
        if asked and len(plan.publishers) > 1 and kind in ("who", "which", "open"):
            return self._which_source(query[asked.end() :], plan.publishers, pool, evidence)
        if kind in ("who", "which"):
            articles = [self.store.documents[e.chunk.doc_id].text for _, e in parts if e is not None]
            found = None
            if question is not None and question.type == "person":  # a name spaCy calls a person first
                strict = replace(question, type="person-strict")
                found = entity(query, supported[:FITTED], set(plan.publishers), evidence, articles,
                               _fits(strict, supported, plan.publishers, pool.lead))  # fmt: skip
            scope = supported[:FITTED] if typed else supported[:12]
            found = found or entity(query, scope, set(plan.publishers), evidence, articles, typed)
            if found is None and slotted is None and typed is not None:  # none fits in the best: in the next ones
                found = entity(query, supported[FITTED:FURTHER], set(plan.publishers), evidence, articles, typed)
                found = found or entity(query, below, set(plan.publishers), evidence, articles, typed)
            if found is None and slotted is None and local is not None:  # none fits: the closest, to say why not
                found = entity(query, supported[:FITTED], set(plan.publishers), evidence, articles, local)
                found = found or entity(query, supported[:12], set(plan.publishers), evidence, articles)
            if found is None and (role(query) is not None or place_asked(query)):
                return None  # the office asked about: no sentence names its holder; no country is named
            person = kind == "who" or asks_person(query)
            if found is not None and person and found.evidence and " " not in found.text:
                found = self._full_name(found.text, found.evidence, pool, filters)
            return found or slotted or Short("")
        return slotted or Short("")

    def _described(self, short: Short, parts: list[tuple[str, Evidence | None]]) -> bool:
        """A name answered with one of its facts unfound must be the one the found facts' articles all write."""
        if not short.text or short.text == INSUFFICIENT:
            return True
        articles = [self.store.documents[item.chunk.doc_id].text for _, item in parts if item is not None]
        return all(mentions(short.text, text) for text in articles)

    def _full_name(self, name: str, item: Evidence, pool: EvidencePool, filters: Filters | None) -> Short:
        """A person named by one word ("Bankman-Fried", "Altman") or by initials ("SBF") whose full name no
        retrieved sentence writes: the name is searched for in its article's publisher, and the sentence that
        writes it in full is cited."""
        scope = replace(filters or Filters(), sources=(item.chunk.source,)) if item.chunk.source else filters
        ranked = pool.rank(name, self.retriever.search(name, FULL_NAME_HITS, None, scope))
        return spelled_out(name, item, ranked) or in_full(name, item, ranked)

    def _which_source(
        self, asked: str, publishers: tuple[str, ...], pool: EvidencePool, evidence: list[Evidence]
    ) -> Short:
        """ "Between the report by A … and the article by B …, which news source detailed X?": of the publishers
        the question names, the one with the sentence that best supports X."""
        hits = list({id(e.hit): e.hit for e in evidence if e.chunk.source in publishers}.values())
        best = self._part_evidence(asked, hits, pool, None)
        return Short(best.chunk.source or "", best) if best is not None else Short(INSUFFICIENT)

    def _unheld_reason(self, unheld: tuple[str, ...]) -> str:
        sources = sorted(self.store.sources(), key=str.lower)
        shown = ", ".join(sources[:8]) + (f" and {len(sources) - 8} more" if len(sources) > 8 else "")
        return (
            f": the index holds no articles from {' or '.join(unheld)} (its sources: {shown}). Add those articles "
            "with `qa ingest`, or ask about the sources it holds"
        )

    def _disagreement(self, evidence: list[Evidence], pool: EvidencePool) -> Disagreement | None:
        """Two well-supported sentences of different articles that state conflicting facts."""
        supported = [e for e in evidence if e.support >= self.settings.answer.refusal_threshold][:DIFFER_LIMIT]
        articles = {
            e.chunk.doc_id: self.store.documents[e.chunk.doc_id].text
            for e in supported
            if e.chunk.doc_id in self.store.documents
        }
        return disagreement(supported, articles, pool.vectors(supported) if supported else None, DIFFER_LIMIT)

    def _encode(self, texts: list[str]) -> np.ndarray:
        """Encode with a small cache: evidence sentences recur across questions. Vectors are kept at the index's
        float16 precision, so a sentence encoded here and the same sentence stored in the index score alike."""
        with self._lock:
            found = {t: self._vectors[t] for t in dict.fromkeys(texts) if t in self._vectors}
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            fresh = {t: v.astype(np.float16).astype(np.float32) for t, v in zip(missing, self.embedder.encode(missing))}
            with self._lock:
                for text, vector in fresh.items():  # a vector another thread stored meanwhile wins: same value,
                    found[text] = self._vectors.setdefault(text, vector)  # or the index's stored one
                while len(self._vectors) > 20_000:
                    self._vectors.popitem(last=False)
        return np.stack([found[t] for t in texts])

    def _cite(self, n: int, evidence: Evidence) -> Citation:
        """Citation [n]; it counts the paragraphs of its article addressed to an AI assistant, for the card."""
        doc_id = evidence.chunk.doc_id
        if doc_id not in self._quarantined:
            document = self.store.documents.get(doc_id)
            self._quarantined[doc_id] = len(idx.quarantined(document.text)) if document else 0
        entry = self.store.manifest.documents.get(doc_id)
        title = (entry.title or entry.heading) if entry else None  # an untitled article: its first sentence
        return _citation(n, evidence, self._quarantined[doc_id], title)

    def _compose(
        self,
        question: str,
        query: str,
        name: str,
        draft: str,
        claims: list[Claim],
        dropped: list[str],
        hits: list[Hit],
        timings: dict[str, float],
    ) -> Answer:
        numbers: dict[str, int] = {}
        citations: list[Citation] = []
        parts: list[str] = []
        kept = [c for c in claims if c.kept]
        for claim in kept:
            evidence = claim.evidence
            assert evidence is not None  # kept: every claim has its evidence
            chunk_id = evidence.chunk.chunk_id
            if chunk_id not in numbers:
                numbers[chunk_id] = len(numbers) + 1
                citations.append(self._cite(numbers[chunk_id], evidence))
            parts.append(f"{claim.text.rstrip()} [{numbers[chunk_id]}]")
        support = sum(c.score for c in kept) / len(kept) if kept else 0.0
        return Answer(
            question=question,
            text=" ".join(parts),
            refused=False,
            citations=citations,
            support=min(support, 1.0),
            generator=name,
            timings=timings,
            query=query,
            dropped=dropped,
            draft=draft,
            retrieved=hits,
        )

    def _refusal(
        self,
        question: str,
        query: str,
        name: str,
        hits: list[Hit],
        evidence: list[Evidence],
        best: float,
        timings: dict[str, float],
        reason: str = "",
    ) -> Answer:
        closest: dict[str, Evidence] = {}
        for item in evidence:
            closest.setdefault(item.chunk.chunk_id, item)
        citations = [self._cite(n, item) for n, item in enumerate(list(closest.values())[:3], start=1)]
        articles = len({h.chunk.doc_id for h in hits})
        text = (
            f"The articles don't say. I searched {len(self.store.documents)} articles and read the "
            f"{len(hits)} closest passages (from {articles} of them), but none of them answers this question"
            f"{reason}. The closest passages are listed below."
        )
        return Answer(
            question=question,
            text=text,
            refused=True,
            citations=citations,
            support=best,
            generator=name,
            timings=timings,
            query=query,
            retrieved=hits,
            short=INSUFFICIENT,
        )


def _allowed(filters: Filters | None, named: list[str]) -> tuple[str, ...]:
    """The publishers a part names that the question's source filters let through (all, with none)."""
    if filters is None or not filters.sources:
        return tuple(named)
    return tuple(p for p in named if any(s.lower() in p.lower() for s in filters.sources))


def _below(
    query: str,
    question: Asked,
    evidence: list[Evidence],
    supported: list[Evidence],
    threshold: float,
    pool: EvidencePool,
) -> list[Evidence]:
    """The last places a direct answer is looked for, below the support threshold: the sentences right after a
    supported one, then those that reach it read with their article's title and the sentence before — not for a
    question that says no more than "where was it held" (the title names the event for every sentence under it)."""
    following = _following(evidence, supported, threshold)
    if held_only(question):
        return following
    return following + _with_context(query, evidence, supported + following, threshold, pool)


def _following(evidence: list[Evidence], supported: list[Evidence], threshold: float) -> list[Evidence]:
    """The sentences below the threshold right after a supported one in its passage, which goes on about what it
    said ("This effectively makes Cubic Telecom a consolidated subsidiary of SoftBank. *Barry Napier will stay on
    as CEO*"): searched below the threshold, each read with that sentence before it."""
    in_passage: dict[str, list[Evidence]] = defaultdict(list)
    for item in evidence:
        in_passage[item.chunk.chunk_id].append(item)
    after: dict[int, Evidence] = {}  # a sentence (by id) -> the one before it in its passage
    for items in in_passage.values():
        items.sort(key=lambda e: e.sentence.start)
        after.update((id(later), earlier) for earlier, later in zip(items, items[1:]))
    said = {id(e) for e in supported}
    below = [e for e in evidence[:FOLLOWING_SCOPE] if e.support < threshold and id(e) in after]
    return [e for e in below if id(after[id(e)]) in said][:FITTED]


def _with_context(
    query: str, evidence: list[Evidence], taken: list[Evidence], threshold: float, pool: EvidencePool
) -> list[Evidence]:
    """The sentences below the threshold that reach it read with their article's stated context (title and the
    sentence before), best first: after the sentences right after a supported one, the last place looked."""
    said = {id(e) for e in taken}
    candidates = [e for e in evidence[:FOLLOWING_SCOPE] if id(e) not in said]
    scored = [(s, e) for s, e in zip(pool.in_context(query, candidates), candidates) if s >= threshold]
    return [e for s, e in sorted(scored, key=lambda x: -x[0])][:FITTED]


def _aligned(query: str, supported: list[Evidence]) -> Short | None:
    """The phrase a supported sentence has where the question has its wh-word (qa.fit.aligned): "tungsten" for
    "Which metal is Vietnam a major supplier of?" — a common noun the name rules never find."""
    for item in supported:
        phrase = aligned(query, item.sentence.clean)
        if phrase:
            return Short(phrase, item)
    return None


def _agreeing(claims: list[Claim], short: Short, kind: str, query: str) -> list[Claim]:
    """A drafted sentence shown beside a direct answer agrees with it (qa.fit.disagrees; issue 37): an LLM's
    sentence naming another entity of the kind asked, restating the question or repeating itself is dropped,
    with the reason, like any sentence its cited sentence does not support."""
    answer = (
        "" if short.text in ("Yes", "No", INSUFFICIENT) or short.text.startswith("The sources differ") else short.text
    )
    asked = read_question(query, kind)
    out = []
    for claim in claims:
        why = (
            disagrees(asked, answer, claim.text, claim.evidence.sentence.clean) if claim.kept and claim.evidence else ""
        )
        out.append(replace(claim, reason=why) if why else claim)
    return out


def _no_lead(doc_id: str) -> str:
    """No article lead: a check made without the question's evidence pool."""
    return ""


def _misfit(
    kind: str, query: str, short: Short, publishers: tuple[str, ...] = (), lead: Lead = _no_lead, whole: bool = True
) -> Misfit | None:
    """Why the direct answer does not answer this question (qa/fit.py), or None when it does; only names,
    amounts and dates are checked (a Yes/No is decided part by part, an open question has none). A name described
    by several facts (not `whole`: each is found in its own sentence) has only a place's or a title's type checked
    (a person's or a company's name is checked as the parts find it). A publisher the question names ("as
    reported by TechCrunch") says where to look, not what the sentence must name."""
    item = short.evidence
    if kind not in ("who", "which", "number", "date", "open") or item is None or short.text in ("", INSUFFICIENT):
        return None
    asked = read_question(query, kind)
    if not whole:  # the type alone, as for a question of more than LONG words
        if asked.type not in _TYPED_WHEN_DESCRIBED:
            return None
        return misfit(replace(asked, words=LONG + 1), short.text, item.sentence.clean)
    return _in_context(asked, short.text, item, publishers, lead)


def _in_context(asked: Asked, answer: str, item: Evidence, publishers: tuple[str, ...], lead: Lead) -> Misfit | None:
    """`misfit` of an answer in its evidence sentence, read with the sentence's stated context and date, and its
    article's lead (`lead`: a document id -> its opening paragraphs)."""
    named = [p.lower() for p in publishers]
    asked = replace(
        asked, entities=tuple(e for e in asked.entities if not any(e.lower() in p or p in e.lower() for p in named))
    )
    return misfit(
        asked,
        answer,
        item.sentence.clean,
        item.context,
        item.chunk.date,
        before=item.before,
        lead=lead(item.chunk.doc_id),
    )


def _fits(
    question: Asked, supported: list[Evidence], publishers: tuple[str, ...], lead: Lead = _no_lead
) -> Callable[[str, str], bool]:
    """Does a span of a supported sentence answer the question — of the right type, stating the relation, and
    meeting its constraints in the sentence's stated context (as the direct answer is checked after)? The
    best-supported span that does is chosen over a closer one that does not."""
    items = {item.sentence.clean: item for item in reversed(supported)}

    def fits(span: str, sentence: str) -> bool:
        item = items.get(sentence)
        if item is None:
            return local_misfit(question, span, sentence) is None
        return _in_context(question, span, item, publishers, lead) is None

    return fits


def _asks_a_name(query: str, kind: str) -> bool:
    """Does a question the patterns leave open ask for a kind of named thing by its noun ("In which *city* …",
    "Which IPL *franchise* …", "Which Slack *boss* …"), as "which company" does?"""
    return kind == "open" and read_question(query, kind).type in _NAMED_TYPES


_NAMED_TYPES = {"person", "organisation", "team", "place", "title"}
_TYPED_WHEN_DESCRIBED = {"place", "title"}  # a name described by several facts: these types are checked


def _no_short_reason(kind: str, query: str) -> str:
    if kind == "number":
        unit = quantity_unit(query)
        return f": they state no amount{' in ' + unit + 's' if unit and unit != 'percent' else ''} for it"
    if kind == "date":
        return ": they give no date for it"
    office, place = role(query), place_asked(query)
    if office:
        return f": they do not name the {office[0]} of the {office[1]}"
    return f": they name no {place} for it" if place else ""


def _cite_support(
    claims: list[Claim], short: Short, parts: list[tuple[str, Evidence | None]], differ: Disagreement | None = None
) -> list[Claim]:
    """The sentences the short answer and each found part rest on are cited ahead of the others; the two sides
    of a disagreement after them."""
    have = {c.evidence.sentence.clean for c in claims if c.kept and c.evidence is not None}

    def missing(items: list[Evidence | None]) -> list[Claim]:
        added = []
        for item in items:
            if item is not None and item.sentence.clean not in have:
                added.append(Claim(item.sentence.clean, item, item.support))
                have.add(item.sentence.clean)
        return added

    # the sentence that writes a name in full first (it is the one quoted when both are in one passage)
    leading = [short.also, short.evidence, *(item for _, item in parts)]
    present = {c.evidence.sentence.clean: c for c in claims if c.kept and c.evidence is not None}
    first: list[Claim] = []
    for item in leading:
        if item is not None and all(
            f.evidence is None or f.evidence.sentence.clean != item.sentence.clean for f in first
        ):
            first.append(present.get(item.sentence.clean) or Claim(item.sentence.clean, item, item.support))
    have.update(c.evidence.sentence.clean for c in first if c.evidence is not None)
    rest = [c for c in claims if all(c is not f for f in first)]
    return first + rest + missing(list((differ or ())[:2]))


def _part_answers(parts: list[tuple[str, Evidence | None]], answer: Answer) -> list[PartAnswer]:
    number = {c.chunk_id: c.n for c in answer.citations}
    return [
        PartAnswer(text, False, unstated=unstated(text))
        if item is None
        else PartAnswer(
            text,
            True,
            number.get(item.chunk.chunk_id),
            item.sentence.text,
            contradicts(stated(text), item.sentence.clean),
            unstated(text),
        )
        for text, item in parts
    ]


def _with_missing(text: str, parts: list[tuple[str, Evidence | None]]) -> str:
    """The parts no source covers, named; the asker's reading ("…, indicating X") and what an article leaves out
    ("without mentioning X") are named as such: no sentence could state them."""
    notes = {
        "": "The sources don't say",
        "reading": "No source states the question's reading",
        "absence": "What an article leaves out is not shown by a sentence; not checked",
    }
    for kind, note in notes.items():
        missing = [p for p, item in parts if item is None and unstated(p) == kind]
        if missing:
            text = f"{text} {note}: " + "; ".join(f"“{p}”" for p in missing) + "."
    return text


def _with_dates(text: str, order: Order | None, parts: list[tuple[str, Evidence | None]], answer: Answer) -> str:
    """An ordering question's answer says when each side happened, so the Yes/No can be checked."""
    if order is None or any(item is None for _, item in parts):
        return text
    number = {c.chunk_id: c.n for c in answer.citations}
    dated = [(side, when(side, item), number.get(item.chunk.chunk_id)) for side, item in parts if item is not None]
    if any(day is None for _, day, _ in dated):
        return text
    said = "; ".join(f"“{side}”: {day}" + (f" [{n}]" if n else "") for side, day, n in dated)
    return f"{text} When: {said}."


def _with_differ(text: str, differ: Disagreement | None, answer: Answer) -> str:
    if differ is None:
        return text
    return f"{text} {differ_note(differ, answer)}"


def _sides_unanswered(name: str, differ: Disagreement, evidence: list[Evidence]) -> bool:
    """Two articles name different parties in the question's three best evidence sentences, and the name chosen
    is neither's: the question asks who, and the sources do not agree ("Who is building Vietnam's 5G network?")."""
    what, a, b = differ[2]
    parties = [p.strip() for side in (a, b) for p in side.split(",")]
    best = {e.sentence.clean for e in evidence[:3]}
    on_top = differ[0].sentence.clean in best and differ[1].sentence.clean in best
    return what == "parties" and on_top and not any(p and p in name for p in parties)


def differ_note(differ: Disagreement, answer: Answer) -> str:
    """ "The sources differ on the parties: Huawei [2] vs Ericsson, Nokia [1]." """
    number = {c.chunk_id: c.n for c in answer.citations}
    first, second, (what, a, b) = differ
    return (
        f"The sources differ on the {what}: {a} [{number[first.chunk.chunk_id]}] vs "
        f"{b} [{number[second.chunk.chunk_id]}]."
    )


def _understood(plan: QueryPlan) -> dict[str, list[str]]:
    """What retrieval recognised in the query, for the UI's search details and `qa ask --json`."""
    return {
        "publishers": list(plan.publishers),
        "dates": [*plan.days, *plan.months],
        "sub_questions": list(plan.clauses),
    }


def _citation(n: int, evidence: Evidence, quarantined: int = 0, title: str | None = None) -> Citation:
    chunk = evidence.chunk
    return Citation(
        n=n,
        source=chunk.source,
        title=title or chunk.title,
        date=chunk.date,
        chunk_id=chunk.chunk_id,
        doc_id=chunk.doc_id,
        text=chunk.text,
        quote=evidence.sentence.text,
        quote_start=evidence.sentence.start,
        quote_end=evidence.sentence.end,
        score=round(evidence.hit.score, 4),
        support=round(evidence.support, 4),
        url=_web_url(chunk.url),
        chunk_start=chunk.start,
        quarantined=quarantined,
        page=chunk.page_at(evidence.sentence.start),
    )


def _web_url(url: str | None) -> str | None:
    """An article's URL as a citation hands it out: http(s) only (a `javascript:` or `data:` URL from an
    article's metadata would run in whatever client links it)."""
    return url if url and re.match(r"https?://[^\s\"'<>]+\Z", url, re.I) else None


def open_index(settings: Settings) -> idx.Store:
    """The live version of the index the settings name (a folder, or a Milvus collection with
    QA_STORE=milvus), checked against the settings' embedding model."""
    store = idx.open_store(settings.index)
    built = store.manifest.embedding_model
    if built != settings.index.embedding_model:
        raise idx.IndexMismatchError(
            f"The index at {settings.index.location!r} was built with {built!r}, but the settings ask for "
            f"{settings.index.embedding_model!r}. Rebuild it with: qa ingest <paths> --index "
            f"{settings.index.dir} --rebuild, or set QA_EMBEDDING_MODEL={built}."
        )
    return store
