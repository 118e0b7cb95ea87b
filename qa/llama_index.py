"""LlamaIndex components over the Assistant: its retriever, its verified answers, and the packaged model as an LLM.

`import qa` does not import this module (llama-index takes about a second to import); import it by name:

>>> from qa.llama_index import AssistantQueryEngine, AssistantRetriever           # doctest: +SKIP
>>> retriever = AssistantRetriever(".qa/index", top_k=5)                          # doctest: +SKIP
>>> nodes = retriever.retrieve("Nokia Ericsson 5G")  # NodeWithScore: chunk, fused score  # doctest: +SKIP
>>> engine = AssistantQueryEngine(retriever.assistant)                            # doctest: +SKIP
>>> response = engine.query("Who is building Vietnam's 5G network?")  # verified, cited   # doctest: +SKIP

Fields on each side: docs/api.md "From LlamaIndex". Filters: `date` (EQ, GT, GTE, LT, LTE) and `source` (EQ, IN)
map onto qa.Filters; any other filter raises FilterNotSupportedError rather than being ignored.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncGenerator, Generator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from llama_index.core.base.base_query_engine import BaseQueryEngine
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.response.schema import RESPONSE_TYPE, AsyncStreamingResponse, Response, StreamingResponse
from llama_index.core.callbacks import CallbackManager
from llama_index.core.prompts.mixin import PromptMixinType
from llama_index.core.schema import NodeRelationship, NodeWithScore, QueryBundle, RelatedNodeInfo, TextNode
from llama_index.core.vector_stores.types import (
    FilterCondition,
    FilterOperator,
    MetadataFilter,
    MetadataFilters,
)

import index as idx

from .assistant import Assistant, _web_url
from .errors import FilterNotSupportedError
from .generators.llm import local_generator
from .generators.xllamacpp_llm import XLlamaCppLLM
from .records import Answer, Citation, Hit
from .retrieval import Filters, Mode
from .settings import Settings

__all__ = [
    "AssistantQueryEngine",
    "AssistantRetriever",
    "answer_response",
    "cited_node",
    "hit_node",
    "local_llm",
    "to_filters",
]

# what an LLM synthesizer reads beside a node's text; the rest (ids, scores, offsets) is for code
LLM_METADATA = ("source", "title", "date")
SUPPORTED = "`date` with EQ, GT, GTE, LT, LTE and `source` with EQ, IN, joined by AND (OR between `source` filters)"


class AssistantRetriever(BaseRetriever):
    """A LlamaIndex retriever over an Assistant (or the index folder it loads): our hybrid ranking, one
    `NodeWithScore` a hit, score = the fused score. `top_k`, `filters` and `mode` are as for Assistant.retrieve;
    `filters` may be LlamaIndex `MetadataFilters` (mapped by `to_filters`) or qa.Filters."""

    def __init__(
        self,
        assistant: Assistant | str | Path,
        *,
        top_k: int | None = None,
        filters: MetadataFilters | Filters | None = None,
        mode: Mode | None = None,
        callback_manager: CallbackManager | None = None,
        verbose: bool = False,
    ) -> None:
        super().__init__(callback_manager=callback_manager, verbose=verbose)
        self.assistant = _assistant(assistant)
        self.top_k = top_k
        self.filters = to_filters(filters, self.assistant.store)
        self.mode: Mode | None = mode

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        hits = self.assistant.retrieve(query_bundle.query_str, self.top_k, self.filters, self.mode)
        return [hit_node(hit) for hit in hits]

    async def _aretrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        # the encoder and FAISS hold the thread for tens of milliseconds: an agent's event loop keeps running
        return await asyncio.to_thread(self._retrieve, query_bundle)


class AssistantQueryEngine(BaseQueryEngine):
    """A LlamaIndex query engine whose response is the Assistant's verified answer: `response` the text with
    its [n] markers, `source_nodes` the cited passages in [n] order (for a refusal, the closest passages),
    `metadata` short, kind, refused, parts, differ, as_of, support, generator and each citation's quote.

    With `streaming=True` a query returns a StreamingResponse (an AsyncStreamingResponse from `aquery`) that
    yields the verified answer a few words at a time once it is verified, as the HTTP API streams: the
    generator's unverified draft is never streamed (Assistant.stream's Token events carry it)."""

    def __init__(
        self,
        assistant: Assistant | str | Path,
        *,
        generator: str | None = None,
        top_k: int | None = None,
        filters: MetadataFilters | Filters | None = None,
        streaming: bool = False,
        callback_manager: CallbackManager | None = None,
    ) -> None:
        super().__init__(callback_manager)
        self.assistant = _assistant(assistant)
        self.generator = generator
        self.top_k = top_k
        self.filters = to_filters(filters, self.assistant.store)
        self.streaming = streaming

    def _get_prompt_modules(self) -> PromptMixinType:
        return {}  # no prompt a caller could change: the grounding rules are the Assistant's

    def ask(self, question: str) -> Answer:
        """The Assistant's Answer with this engine's generator, top_k and filters."""
        return self.assistant.ask(question, generator=self.generator, top_k=self.top_k, filters=self.filters)

    def _query(self, query_bundle: QueryBundle) -> RESPONSE_TYPE:
        response = answer_response(self.ask(query_bundle.query_str))
        if not self.streaming:
            return response
        return StreamingResponse(_pieces(response.response or ""), response.source_nodes, response.metadata)

    async def _aquery(self, query_bundle: QueryBundle) -> RESPONSE_TYPE:
        answer = await asyncio.to_thread(self.ask, query_bundle.query_str)
        response = answer_response(answer)
        if not self.streaming:
            return response
        return AsyncStreamingResponse(_apieces(response.response or ""), response.source_nodes, response.metadata)


def local_llm(settings: Settings | None = None) -> XLlamaCppLLM:
    """The packaged local model (SmolLM2-135M by default, QA_MODEL_PATH otherwise) as a LlamaIndex LLM, for a
    synthesizer or an agent that must run offline; the model loads at its first request."""
    llm = local_generator((settings or Settings()).llm).llm
    assert isinstance(llm, XLlamaCppLLM)  # local_generator makes one
    return llm


# -- records → nodes and responses ---------------------------------------------------------------------------


def hit_node(hit: Hit) -> NodeWithScore:
    """A retrieved chunk as LlamaIndex sees it: `id_` the chunk id, score the fused score; `page` is the page the
    chunk starts on (PDFs), `rank`/`dense_score`/`keyword_score` as in Hit."""
    chunk = hit.chunk
    metadata = {
        **_chunk_metadata(chunk.source, chunk.title, chunk.date, chunk.url, chunk.chunk_id, chunk.doc_id),
        "page": chunk.page_at(0),
        "rank": hit.rank,
        "dense_score": hit.dense_score,
        "keyword_score": hit.keyword_score,
    }
    return NodeWithScore(node=_node(chunk.chunk_id, chunk.text, metadata, chunk.start, chunk.doc_id), score=hit.score)


def cited_node(citation: Citation) -> NodeWithScore:
    """Citation [n] as a node: the chunk, with `n`, `quote` (the supporting sentence, verbatim in the text at
    quote_start:quote_end), `support` and `page` (the quote's page) in its metadata; score the fused score."""
    c = citation
    metadata = {
        **_chunk_metadata(c.source, c.title, c.date, c.url, c.chunk_id, c.doc_id),
        "page": c.page,
        "n": c.n,
        "quote": c.quote,
        "quote_start": c.quote_start,
        "quote_end": c.quote_end,
        "support": c.support,
        "quarantined": c.quarantined,
    }
    return NodeWithScore(node=_node(c.chunk_id, c.text, metadata, c.chunk_start, c.doc_id), score=c.score)


def answer_response(answer: Answer) -> Response:
    """An Answer as a LlamaIndex Response (see AssistantQueryEngine)."""
    metadata = {
        "short": answer.short,
        "kind": answer.kind,
        "refused": answer.refused,
        "parts": [part.to_dict() for part in answer.parts],
        "differ": answer.differ,
        "as_of": answer.as_of,
        "support": answer.support,
        "generator": answer.generator,
        "quotes": [c.quote for c in answer.citations],
    }
    return Response(answer.text, [cited_node(c) for c in answer.citations], metadata)


def _chunk_metadata(
    source: str, title: str | None, day: str | None, url: str | None, chunk_id: str, doc_id: str
) -> dict[str, Any]:
    # a URL as citations hand it out (http(s) only): node metadata ends up in the caller's UI and prompts
    return {"source": source, "title": title, "date": day, "url": _web_url(url), "chunk_id": chunk_id, "doc_id": doc_id}


def _node(chunk_id: str, text: str, metadata: dict[str, Any], start: int, doc_id: str) -> TextNode:
    hidden = [key for key in metadata if key not in LLM_METADATA or metadata[key] is None]
    return TextNode(
        id_=chunk_id,
        text=text,
        metadata=metadata,
        start_char_idx=start,
        end_char_idx=start + len(text),
        relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=doc_id)},
        excluded_llm_metadata_keys=hidden,
        excluded_embed_metadata_keys=list(metadata),
    )


def _pieces(text: str) -> Generator[str, None, None]:
    yield from re.findall(r"\S+\s*|\s+", text)


async def _apieces(text: str) -> AsyncGenerator[str, None]:
    for piece in _pieces(text):
        yield piece


def _assistant(given: Assistant | str | Path) -> Assistant:
    return given if isinstance(given, Assistant) else Assistant.load(given)


# -- MetadataFilters → qa.Filters --------------------------------------------------------------------------------


def to_filters(given: MetadataFilters | Filters | None, store: idx.Store) -> Filters | None:
    """qa.Filters for LlamaIndex metadata filters: `date` EQ/GT/GTE/LT/LTE (ISO or any date qa reads; several
    narrow the range) and `source` EQ/IN (exact: a value the source filter would also find in another chunk's
    source, publisher or URL is refused), joined by AND; an OR of `source` filters only. Anything else raises
    FilterNotSupportedError: a filter that is ignored would widen the search without saying so."""
    if given is None or isinstance(given, Filters):
        return given
    flat = _flatten(given)
    date_from: str | None = None
    date_to: str | None = None
    sources: list[str] | None = None
    for item in flat:
        if item.key == "date":
            low, high = _date_bounds(item)
            date_from = max(filter(None, (date_from, low)), default=None)
            date_to = min(filter(None, (date_to, high)), default=None)
        elif item.key == "source":
            if sources is not None and given.condition != FilterCondition.OR:
                raise FilterNotSupportedError(
                    f"Two filters on `source` joined by AND ({_show(item)} and another): give one, with IN for "
                    "several sources."
                )
            sources = [*(sources or []), *_exact_sources(item, store)]
        else:
            raise FilterNotSupportedError(f"No filter on {item.key!r} ({_show(item)}): the index filters {SUPPORTED}.")
    return Filters.make(date_from, date_to, sources)  # dates that exclude each other keep no chunk


def _flatten(given: MetadataFilters) -> list[MetadataFilter]:
    """The filters of `given`, nested AND groups inlined; NOT, and OR over anything but `source`, refused."""
    condition = given.condition or FilterCondition.AND
    if condition == FilterCondition.NOT:
        raise FilterNotSupportedError(f"The NOT condition has no equivalent: the index filters {SUPPORTED}.")
    flat: list[MetadataFilter] = []
    for item in given.filters:
        if isinstance(item, MetadataFilters):
            if condition != FilterCondition.AND or (item.condition or FilterCondition.AND) != FilterCondition.AND:
                raise FilterNotSupportedError(f"Nested filter groups map only when all are AND: {SUPPORTED}.")
            flat += _flatten(item)
        else:
            flat.append(item)
    if condition == FilterCondition.OR and any(item.key != "source" for item in flat):
        raise FilterNotSupportedError(f"OR joins only `source` filters (it is IN); the index filters {SUPPORTED}.")
    return flat


def _date_bounds(item: MetadataFilter) -> tuple[str | None, str | None]:
    """(date_from, date_to), inclusive ISO days, for one `date` filter."""
    if not isinstance(item.value, str):
        raise FilterNotSupportedError(f"A `date` filter takes one date as text, like '2026-01-29': {_show(item)}.")
    day = idx.normalize_date(item.value)
    if day is None:
        raise FilterNotSupportedError(
            f"Cannot read the date {item.value!r} ({_show(item)}). Write it as 2026-01-29, 29 January 2026 or "
            "January 29, 2026."
        )
    bounds = {
        FilterOperator.EQ: (day, day),
        FilterOperator.GTE: (day, None),
        FilterOperator.GT: (_next_day(day), None),
        FilterOperator.LTE: (None, day),
        FilterOperator.LT: (None, _next_day(day, -1)),
    }
    if item.operator not in bounds:
        raise FilterNotSupportedError(
            f"No {item.operator.name} on `date` ({_show(item)}): the index filters {SUPPORTED}."
        )
    return bounds[item.operator]


def _exact_sources(item: MetadataFilter, store: idx.Store) -> list[str]:
    """The values of a `source` EQ/IN filter, each checked to select exactly the chunks of that source."""
    if item.operator == FilterOperator.EQ and isinstance(item.value, str):
        values = [item.value]
    elif item.operator == FilterOperator.IN and isinstance(item.value, list):
        values = [str(v) for v in item.value]
    else:
        raise FilterNotSupportedError(
            f"No {item.operator.name} on `source` with {item.value!r} ({_show(item)}): the index filters {SUPPORTED}."
        )
    if not values:  # qa.Filters without sources keeps every chunk: the opposite of IN []
        raise FilterNotSupportedError("A `source` IN filter with no values would keep nothing; leave it out instead.")
    for value in values:
        wider = store.scope(None, None, [value]).size - store.within_source(None, value).size
        if wider:
            raise FilterNotSupportedError(
                f"`source` == {value!r} cannot be matched exactly: the index's source filter matches a part of the "
                f"source, publisher or URL, and {value!r} is part of {wider} other chunk(s)' too. Name a source as "
                "the index holds it (qa info --json lists them), or pass qa.Filters(sources=(...)) for that match."
            )
    return values


def _next_day(day: str, days: int = 1) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def _show(item: MetadataFilter) -> str:
    return f"{item.key} {item.operator.value} {item.value!r}"
