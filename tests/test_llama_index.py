"""qa.llama_index with the real llama-index-core on the demo corpus: the retriever's nodes are Assistant.retrieve's
hits, the query engine's response is Assistant.ask's answer, LlamaIndex filters map onto qa.Filters or are refused,
and llama-index's own RetrieverQueryEngine and agents run on them.

One fake: the agent test scripts a function-calling LLM (llama-index's MockFunctionCallingLLM); the packaged 135M
model does not call tools (docs/examples/llama_index_agent.py shows what it does instead)."""

from __future__ import annotations

import asyncio
import runpy
import sys

import pytest
from llama_index.core.agent.workflow import FunctionAgent, ToolCallResult
from llama_index.core.base.llms.types import ChatMessage, MessageRole, ToolCallBlock
from llama_index.core.base.response.schema import AsyncStreamingResponse, Response, StreamingResponse
from llama_index.core.llms.mock import MockFunctionCallingLLM
from llama_index.core.query_engine import RetrieverQueryEngine
from llama_index.core.response_synthesizers.no_text import NoText
from llama_index.core.schema import MetadataMode, NodeWithScore
from llama_index.core.tools import QueryEngineTool, RetrieverTool
from llama_index.core.vector_stores.types import (
    ExactMatchFilter,
    FilterOperator,
    MetadataFilter,
    MetadataFilters,
)

from qa import FilterNotSupportedError, Filters, IndexNotFoundError, InvalidQuestionError
from qa.llama_index import AssistantQueryEngine, AssistantRetriever, local_llm, to_filters

from .conftest import ROOT

FIVE_G = "Who is building Vietnam's 5G network?"
DATED = "2026-01-30"  # the date of the demo's EU-Vietnam article; the other article has none
EU_ARTICLE, SEMI_ARTICLE = "000_caad304b0dc37de2.txt", "001_433e1422a287cbc7.txt"


def hits_of(nodes: list[NodeWithScore]) -> list[tuple[str, float]]:
    return [(n.node.node_id, n.score) for n in nodes]


def as_hits(hits) -> list[tuple[str, float]]:
    return [(h.chunk.chunk_id, h.score) for h in hits]


def date_filter(op: FilterOperator, value: str = DATED) -> MetadataFilters:
    return MetadataFilters(filters=[MetadataFilter(key="date", value=value, operator=op)])


@pytest.fixture(scope="module")
def questions(gold) -> list[str]:
    return [g["question"] for g in gold]


@pytest.fixture(scope="module")
def retriever(assistant) -> AssistantRetriever:
    return AssistantRetriever(assistant)


@pytest.fixture(scope="module")
def engine(assistant) -> AssistantQueryEngine:
    return AssistantQueryEngine(assistant)


# -- the retriever -----------------------------------------------------------------------------------------------


def test_retriever_nodes_are_assistant_retrieve_hits_in_order_with_fused_scores(assistant, retriever, questions):
    for question in questions:
        nodes = retriever.retrieve(question)
        assert hits_of(nodes) == as_hits(assistant.retrieve(question)), question
        assert [n.node.get_content() for n in nodes] == [h.chunk.text for h in assistant.retrieve(question)]


def test_retriever_passes_top_k_and_mode(assistant):
    nodes = AssistantRetriever(assistant, top_k=3, mode="keyword").retrieve(FIVE_G)
    assert len(nodes) == 3 and hits_of(nodes) == as_hits(assistant.retrieve(FIVE_G, top_k=3, mode="keyword"))


def test_node_carries_the_chunk_metadata_and_offsets(assistant, retriever):
    hit = assistant.retrieve(FIVE_G)[0]
    node = retriever.retrieve(FIVE_G)[0].node
    chunk = hit.chunk
    assert node.node_id == chunk.chunk_id and node.ref_doc_id == chunk.doc_id
    assert node.metadata == {
        "source": chunk.source,
        "title": chunk.title,
        "date": chunk.date,
        "url": chunk.url,
        "chunk_id": chunk.chunk_id,
        "doc_id": chunk.doc_id,
        "page": None,
        "rank": 1,
        "dense_score": hit.dense_score,
        "keyword_score": hit.keyword_score,
    }
    assert (node.start_char_idx, node.end_char_idx) == (chunk.start, chunk.start + len(chunk.text))


def test_an_llm_reads_source_title_and_date_beside_the_text_not_ids_or_scores(retriever):
    dated = next(n.node for n in retriever.retrieve(FIVE_G) if n.node.metadata["date"])
    seen = dated.get_content(metadata_mode=MetadataMode.LLM)
    assert f"date: {DATED}" in seen and f"source: {EU_ARTICLE}" in seen and "title: EU Elevates" in seen
    assert "keyword_score" not in seen and "chunk_id" not in seen
    assert dated.get_content(metadata_mode=MetadataMode.EMBED) == dated.get_content()


def test_retriever_over_an_index_folder_loads_the_assistant(demo_index, assistant):
    retriever = AssistantRetriever(demo_index, top_k=4)
    assert hits_of(retriever.retrieve(FIVE_G)) == as_hits(assistant.retrieve(FIVE_G, top_k=4))


def test_retriever_over_a_missing_folder_says_how_to_build_one(tmp_path):
    with pytest.raises(IndexNotFoundError, match="qa ingest"):
        AssistantRetriever(tmp_path / "none")


def test_async_retrieve_gives_the_same_nodes(retriever):
    assert hits_of(asyncio.run(retriever.aretrieve(FIVE_G))) == hits_of(retriever.retrieve(FIVE_G))


# -- filters ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "filters, ours",
    [
        (date_filter(FilterOperator.GTE), Filters(date_from=DATED)),
        (date_filter(FilterOperator.EQ), Filters(date_from=DATED, date_to=DATED)),
        (date_filter(FilterOperator.LT, "2026-01-31"), Filters(date_to=DATED)),
        (date_filter(FilterOperator.GT, "2026-01-29"), Filters(date_from=DATED)),
        (
            MetadataFilters(filters=[ExactMatchFilter(key="source", value=SEMI_ARTICLE)]),
            Filters(sources=(SEMI_ARTICLE,)),
        ),
    ],
    ids=["date>=", "date==", "date<", "date>", "source=="],
)
def test_a_llama_index_filter_gives_the_hits_of_our_filter(assistant, filters, ours):
    nodes = AssistantRetriever(assistant, filters=filters).retrieve(FIVE_G)
    assert nodes and hits_of(nodes) == as_hits(assistant.retrieve(FIVE_G, filters=ours))
    assert len(nodes) < len(assistant.retrieve(FIVE_G))  # the filter removed something


@pytest.mark.parametrize(
    "operator, ours",
    [
        (FilterOperator.EQ, Filters(DATED, DATED)),
        (FilterOperator.GTE, Filters(date_from=DATED)),
        (FilterOperator.GT, Filters(date_from="2026-01-31")),
        (FilterOperator.LTE, Filters(date_to=DATED)),
        (FilterOperator.LT, Filters(date_to="2026-01-29")),
    ],
)
def test_date_operators_become_inclusive_days(assistant, operator, ours):
    assert to_filters(date_filter(operator), assistant.store) == ours


def test_after_the_only_date_keeps_nothing(assistant):
    assert AssistantRetriever(assistant, filters=date_filter(FilterOperator.GT)).retrieve(FIVE_G) == []


def test_a_date_range_and_a_source_list_map_together(assistant):
    filters = MetadataFilters(
        filters=[
            MetadataFilter(key="date", value="2026-01-01", operator=FilterOperator.GTE),
            MetadataFilter(key="date", value="January 31, 2026", operator=FilterOperator.LTE),
            MetadataFilter(key="source", value=[EU_ARTICLE, SEMI_ARTICLE], operator=FilterOperator.IN),
        ]
    )
    mapped = to_filters(filters, assistant.store)
    assert mapped == Filters("2026-01-01", "2026-01-31", (EU_ARTICLE, SEMI_ARTICLE))
    nodes = AssistantRetriever(assistant, filters=filters).retrieve(FIVE_G)
    assert {n.node.metadata["source"] for n in nodes} == {EU_ARTICLE}  # the undated article is outside the range


def test_sources_joined_by_or_are_one_source_list(assistant):
    either = MetadataFilters(
        filters=[MetadataFilter(key="source", value=s) for s in (EU_ARTICLE, SEMI_ARTICLE)], condition="or"
    )
    assert to_filters(either, assistant.store) == Filters(sources=(EU_ARTICLE, SEMI_ARTICLE))


def test_dates_that_exclude_each_other_keep_nothing(assistant):
    filters = MetadataFilters(
        filters=[
            MetadataFilter(key="date", value="2026-02-01", operator=FilterOperator.GTE),
            MetadataFilter(key="date", value="2026-01-01", operator=FilterOperator.LTE),
        ]
    )
    assert AssistantRetriever(assistant, filters=filters).retrieve(FIVE_G) == []


@pytest.mark.parametrize(
    "filters, says",
    [
        (MetadataFilters(filters=[MetadataFilter(key="title", value="EU")]), "No filter on 'title'"),
        (date_filter(FilterOperator.NE), "No NE on `date`"),
        (MetadataFilters(filters=[MetadataFilter(key="source", value="txt")]), "cannot be matched exactly"),
        (MetadataFilters(filters=[MetadataFilter(key="source", value="caad", operator="text_match")]), "No TEXT_MATCH"),
        (MetadataFilters(filters=[MetadataFilter(key="source", value=[], operator="in")]), "no values"),
        (date_filter(FilterOperator.GTE, "soon"), "Cannot read the date 'soon'"),
        (MetadataFilters(filters=[MetadataFilter(key="date", value=20260130)]), "one date as text"),
        (MetadataFilters(filters=[MetadataFilter(key="source", value=EU_ARTICLE)], condition="not"), "NOT"),
        (
            MetadataFilters(
                filters=[MetadataFilter(key="source", value=EU_ARTICLE), MetadataFilter(key="date", value=DATED)],
                condition="or",
            ),
            "OR joins only `source`",
        ),
        (
            MetadataFilters(filters=[MetadataFilter(key="source", value=s) for s in (EU_ARTICLE, SEMI_ARTICLE)]),
            "joined by AND",
        ),
    ],
    ids=["key", "operator", "substring", "text-match", "empty-in", "unreadable", "number", "not", "or", "and"],
)
def test_a_filter_that_does_not_map_is_refused_with_what_does(assistant, filters, says):
    with pytest.raises(FilterNotSupportedError, match=says) as raised:
        AssistantRetriever(assistant, filters=filters)
    assert isinstance(raised.value, InvalidQuestionError)  # the HTTP API's 400, the CLI's message
    assert "date" in str(raised.value) or "source" in str(raised.value)


def test_nested_and_groups_are_flattened(assistant):
    nested = MetadataFilters(
        filters=[
            date_filter(FilterOperator.GTE),
            MetadataFilters(filters=[MetadataFilter(key="source", value=EU_ARTICLE)]),
        ]
    )
    assert to_filters(nested, assistant.store) == Filters(date_from=DATED, sources=(EU_ARTICLE,))


# -- the query engine ---------------------------------------------------------------------------------------------


def test_query_engine_response_is_the_verified_answer_with_its_citations_in_order(assistant, engine, questions):
    for question in questions:
        answer = assistant.ask(question)
        response = engine.query(question)
        assert isinstance(response, Response)
        assert response.response == answer.text, question
        assert [(n.node.node_id, n.score) for n in response.source_nodes] == [
            (c.chunk_id, c.score) for c in answer.citations
        ]
        assert [n.node.metadata["n"] for n in response.source_nodes] == list(range(1, len(answer.citations) + 1))
        assert [n.node.get_content() for n in response.source_nodes] == [c.text for c in answer.citations]


@pytest.mark.parametrize(
    "question", [FIVE_G, "Which companies run chip assembly, testing and packaging operations in Vietnam?"]
)
def test_response_metadata_holds_short_kind_refused_parts_differ_and_quotes(assistant, engine, question):
    answer = assistant.ask(question)
    metadata = engine.query(question).metadata
    assert metadata is not None
    assert (metadata["short"], metadata["kind"], metadata["refused"]) == (answer.short, answer.kind, False)
    assert metadata["parts"] == [p.to_dict() for p in answer.parts]
    assert metadata["differ"] == answer.differ and metadata["quotes"] == [c.quote for c in answer.citations]
    assert metadata["differ"] or metadata["parts"]  # the two questions exercise a disagreement and parts


def test_a_cited_node_holds_its_quote_and_where_it_is(assistant, engine):
    node = engine.query(FIVE_G).source_nodes[0].node
    citation = assistant.ask(FIVE_G).citations[0]
    assert node.metadata["quote"] == citation.quote
    start, end = node.metadata["quote_start"], node.metadata["quote_end"]
    assert node.get_content()[start:end] == citation.quote
    assert node.metadata["support"] == citation.support and node.metadata["source"] == citation.source


def test_a_refusal_says_so_in_the_metadata(engine):
    response = engine.query("What is the population of Vietnam?")
    assert response.metadata is not None and response.metadata["refused"] is True
    assert response.metadata["short"] == "Insufficient information."
    assert str(response).startswith("The articles don't say.") and response.source_nodes  # the closest passages


def test_query_engine_passes_generator_top_k_and_filters(assistant):
    engine = AssistantQueryEngine(assistant, top_k=3, filters=date_filter(FilterOperator.GTE), generator="extractive")
    answer = assistant.ask(FIVE_G, top_k=3, filters=Filters(date_from=DATED), generator="extractive")
    response = engine.query(FIVE_G)
    assert response.response == answer.text and {n.node.metadata["date"] for n in response.source_nodes} == {DATED}


def test_streaming_yields_the_verified_text_a_few_words_at_a_time(assistant):
    answer = assistant.ask(FIVE_G)
    response = AssistantQueryEngine(assistant, streaming=True).query(FIVE_G)
    assert isinstance(response, StreamingResponse)
    assert [n.node.node_id for n in response.source_nodes] == [c.chunk_id for c in answer.citations]
    pieces = list(response.response_gen)
    assert len(pieces) > 10 and "".join(pieces) == answer.text
    assert response.metadata is not None and response.metadata["short"] == answer.short


def test_async_query_and_async_streaming(assistant):
    answer = assistant.ask(FIVE_G)
    response = asyncio.run(AssistantQueryEngine(assistant).aquery(FIVE_G))
    assert isinstance(response, Response) and response.response == answer.text

    async def streamed() -> tuple[AsyncStreamingResponse, list[str]]:
        response = await AssistantQueryEngine(assistant, streaming=True).aquery(FIVE_G)
        assert isinstance(response, AsyncStreamingResponse)
        return response, [piece async for piece in response.async_response_gen()]

    response, pieces = asyncio.run(streamed())
    assert "".join(pieces) == answer.text and len(response.source_nodes) == len(answer.citations)


def test_an_empty_question_is_the_assistants_typed_error(engine, retriever):
    with pytest.raises(InvalidQuestionError, match="empty"):
        engine.query("  ")
    with pytest.raises(InvalidQuestionError, match="empty"):
        retriever.retrieve("  ")


# -- llama-index's own components on ours ---------------------------------------------------------------------------


def test_llama_index_retriever_query_engine_runs_on_our_retriever_without_an_llm(assistant):
    """NoText synthesizes nothing: llama-index's engine retrieves through ours and returns our nodes. The packaged
    model is handed over only because llama-index's synthesizers want an LLM object (or fall back to OpenAI); it
    never loads."""
    llm = local_llm()
    retriever = AssistantRetriever(assistant, top_k=4)
    engine = RetrieverQueryEngine.from_args(retriever, llm=llm, response_synthesizer=NoText(llm=llm))
    response = engine.query(FIVE_G)
    assert hits_of(response.source_nodes) == as_hits(assistant.retrieve(FIVE_G, top_k=4))
    assert response.response == "" and llm._server is None  # no model was loaded or asked


@pytest.mark.slow
def test_llama_index_retriever_query_engine_synthesizes_with_the_packaged_model(assistant):
    """The unverified path: llama-index's compact synthesizer writes with SmolLM2 from our nodes."""
    llm = local_llm()
    retriever = AssistantRetriever(assistant, top_k=2)
    # aquery: the synchronous query opens an event loop to count tokens (llama-index's asyncio_run) and leaves it open
    response = asyncio.run(RetrieverQueryEngine.from_args(retriever, llm=llm).aquery(FIVE_G))
    assert hits_of(response.source_nodes) == as_hits(assistant.retrieve(FIVE_G, top_k=2))
    assert isinstance(response.response, str) and len(response.response.split()) >= 3


# llama-index-workflows 2.26 lists an agent's members with inspect.getmembers, which reads pydantic's deprecated
# properties (`__fields__`, `model_computed_fields` on the instance) of the FunctionAgent model: llama-index's
# warnings, raised by constructing any agent, not by our tools
@pytest.mark.filterwarnings("ignore::pydantic.warnings.PydanticDeprecatedSince20")
@pytest.mark.filterwarnings("ignore::pydantic.warnings.PydanticDeprecatedSince211")
def test_an_agent_calls_the_query_engine_and_retriever_tools(assistant):
    """llama-index's FunctionAgent runs its real loop over our tools; the LLM is scripted (MockFunctionCallingLLM):
    it calls both tools with the question, then repeats the answer tool's output."""
    calls = [("articles", {"input": FIVE_G}), ("passages", {"input": FIVE_G})]

    def script(messages: list[ChatMessage], **kwargs) -> ChatMessage:
        done = sum(m.role == MessageRole.TOOL for m in messages)
        if done < len(calls):
            name, arguments = calls[done]
            return ChatMessage(
                role="assistant", blocks=[ToolCallBlock(tool_call_id=name, tool_name=name, tool_kwargs=arguments)]
            )
        answer = next(
            m for m in messages if m.role == MessageRole.TOOL and m.additional_kwargs.get("tool_call_id") == "articles"
        )
        return ChatMessage(role="assistant", content=answer.content)

    tools = [
        QueryEngineTool.from_defaults(
            AssistantQueryEngine(assistant), name="articles", description="Verified answers."
        ),
        RetrieverTool.from_defaults(AssistantRetriever(assistant, top_k=3), name="passages", description="Passages."),
    ]
    agent = FunctionAgent(tools=tools, llm=MockFunctionCallingLLM(response_generator=script))

    async def run() -> tuple[list[ToolCallResult], str]:
        handler = agent.run(user_msg=FIVE_G)
        results = [event async for event in handler.stream_events() if isinstance(event, ToolCallResult)]
        return results, str(await handler)

    results, final = asyncio.run(run())
    answer = assistant.ask(FIVE_G)
    by_name = {r.tool_name: r.tool_output for r in results}
    assert by_name["articles"].content == answer.text and final == answer.text
    assert [n.node.node_id for n in by_name["articles"].raw_output.source_nodes] == [
        c.chunk_id for c in answer.citations
    ]
    asked = by_name["passages"].raw_input["input"]  # RetrieverTool's own wording: "input is <question>"
    assert FIVE_G in asked and hits_of(by_name["passages"].raw_output) == as_hits(assistant.retrieve(asked, top_k=3))


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::pydantic.warnings.PydanticDeprecatedSince20")  # as in the agent test above
@pytest.mark.filterwarnings("ignore::pydantic.warnings.PydanticDeprecatedSince211")
# llama-index's ReActAgent asks its workflow context is_running() from inside a step (workflows 2.26 deprecates it)
@pytest.mark.filterwarnings("ignore:is_running called from within a step:DeprecationWarning")
def test_the_agent_example_runs_offline(demo_index, monkeypatch, capsys):
    """docs/examples/llama_index_agent.py, as the README tells a developer to run it (in this process)."""
    monkeypatch.setattr(sys, "argv", ["llama_index_agent.py", "--index", str(demo_index)])
    runpy.run_path(str(ROOT / "docs" / "examples" / "llama_index_agent.py"), run_name="__main__")
    printed = capsys.readouterr().out
    assert "Nokia and Ericsson" in printed.split("== 2.")[1].split("== 3.")[0]  # the verified answer
    assert "the agent's reply (ReActAgent)" in printed
    assert "articles.acall" in printed or "the agent called articles" in printed  # the tool ran, one way or the other


def test_the_overhead_benchmark_pairs_both_sides(assistant, questions):
    """bench/llama_index.py's measurement on three questions: its shape, not its times."""
    from bench.llama_index import markdown, measure

    rows = measure(assistant, questions[:3], 1, "demo", answers=True)
    assert [r["compare"].split()[0] for r in rows] == [
        "Assistant.retrieve",
        "AssistantRetriever.retrieve",
        "AssistantQueryEngine.query",
    ]
    assert all(r["calls"] == 3 and r["baseline_p50_ms"] > 0 and r["adapter_p50_ms"] > 0 for r in rows)
    assert rows[1]["conversion_us"] > 0 and "paired Δ p50 ms" in markdown({"rows": rows})
