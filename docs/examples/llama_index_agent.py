"""The article assistant inside LlamaIndex, offline: our retriever and verified answers as LlamaIndex components,
llama-index's own query engine on our retriever, and both as an agent's tools.

    make index                                      # the demo index at .qa/index (or: qa ingest data/articles)
    python docs/examples/llama_index_agent.py [--index DIR] [--question "..."]
    python docs/examples/llama_index_agent.py --base-url http://127.0.0.1:8080/v1 --model NAME   # a tool-calling LLM

Offline, the agent's LLM is the packaged SmolLM2-135M. It is too small to follow an agent's tool-calling format: in
our runs it answers on its own, without calling a tool (and invents the answer); the script says so when that
happens and then calls the tools itself, as an agent would. With --base-url a FunctionAgent runs on an
OpenAI-compatible server whose model can call tools (not run offline here: no such model ships with the project).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import textwrap

from llama_index.core.agent.workflow import FunctionAgent, ReActAgent, ToolCallResult
from llama_index.core.llms import LLM
from llama_index.core.query_engine import RetrieverQueryEngine
from llama_index.core.tools import QueryEngineTool, RetrieverTool

from qa import QAError, Settings
from qa.llama_index import AssistantQueryEngine, AssistantRetriever, local_llm

QUESTION = "Who is building Vietnam's 5G network?"


def show(title: str, text: str) -> None:
    print(f"\n== {title}\n" + textwrap.indent(textwrap.fill(text, 110), "   "))


async def use_retriever(retriever: AssistantRetriever, question: str) -> None:
    """1. Our hybrid retrieval as a LlamaIndex retriever: NodeWithScore, chunk id, fused score, metadata."""
    print("\n== 1. AssistantRetriever.aretrieve")
    for node in await retriever.aretrieve(question):
        meta = node.node.metadata
        print(f"   {node.score:6.3f}  {node.node.node_id:22}  {meta['source']}  {meta['date'] or ''}")


async def use_query_engine(engine: AssistantQueryEngine, question: str) -> None:
    """2. Our verified answer as a LlamaIndex Response: cited nodes in [n] order, the direct answer in metadata."""
    response = await engine.aquery(question)
    metadata = response.metadata or {}
    show("2. AssistantQueryEngine.aquery (verified)", str(response))
    print(f"   short: {metadata['short']!r}  kind: {metadata['kind']}  refused: {metadata['refused']}")
    for node in response.source_nodes:
        print(f"   [{node.node.metadata['n']}] {node.node.metadata['source']}: {node.node.metadata['quote'][:90]}…")


async def use_llama_index_engine(retriever: AssistantRetriever, llm: LLM, question: str) -> None:
    """3. llama-index's own RetrieverQueryEngine on our retriever: its synthesizer writes with the given LLM, and
    nothing checks what it writes (compare with 2)."""
    response = await RetrieverQueryEngine.from_args(retriever, llm=llm).aquery(question)
    show("3. RetrieverQueryEngine over AssistantRetriever, written by the LLM (unverified)", str(response))


async def use_agent(tools: list, llm: LLM, tool_calling: bool, question: str) -> None:
    """4. Both as an agent's tools."""
    agent = (
        FunctionAgent(tools=tools, llm=llm)
        if tool_calling
        else ReActAgent(tools=tools, llm=llm, system_prompt="Answer with the articles tool.")
    )
    handler = agent.run(user_msg=question, max_iterations=4)
    calls = [event async for event in handler.stream_events() if isinstance(event, ToolCallResult)]
    reply = str(await handler)
    for call in calls:
        show(f"4. the agent called {call.tool_name}({call.tool_kwargs})", call.tool_output.content)
    show(f"4. the agent's reply ({type(agent).__name__})", reply)
    if not calls:
        print("   The agent's model called no tool: the reply above is its own, unchecked. The tools, called as an")
        print("   agent calls them:")
        for tool in tools:
            output = await tool.acall(input=question)
            show(f"4. {tool.metadata.name}.acall(input=…)", output.content[:600])


def agent_llm(args: argparse.Namespace) -> tuple[LLM, bool]:
    """(the agent's LLM, whether it calls tools natively)."""
    if not args.base_url:
        return local_llm(), False
    from llama_index.llms.openai_like import OpenAILike

    llm = OpenAILike(
        model=args.model,
        api_base=args.base_url,
        api_key=args.api_key,
        is_chat_model=True,
        is_function_calling_model=True,
    )
    return llm, True


async def run(args: argparse.Namespace) -> None:
    # one event loop for the whole run: llama-index's synchronous synthesizers open an event loop of their own
    # (to count tokens) and never close it; their async forms, used here, do not
    try:
        retriever = AssistantRetriever(args.index, top_k=3)
    except QAError as exc:  # no index yet: the message names the command that builds one
        sys.exit(str(exc))
    engine = AssistantQueryEngine(retriever.assistant)  # extractive, verified; generator="local" also works
    await use_retriever(retriever, args.question)
    await use_query_engine(engine, args.question)
    llm, tool_calling = agent_llm(args)
    await use_llama_index_engine(retriever, llm, args.question)
    tools = [
        QueryEngineTool.from_defaults(
            engine,
            name="articles",
            description="Answers a question from the news articles, with verified [n] citations.",
        ),
        RetrieverTool.from_defaults(
            retriever, name="passages", description="The news-article passages most relevant to a query."
        ),
    ]
    await use_agent(tools, llm, tool_calling, args.question)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", default=str(Settings().index.dir), help="index folder (default: QA_INDEX_DIR)")
    parser.add_argument("--question", default=QUESTION)
    parser.add_argument("--base-url", help="an OpenAI-compatible server whose model calls tools, for the agent")
    parser.add_argument("--model", default="default", help="the model name on that server")
    parser.add_argument("--api-key", default="none", help="that server's key, if it needs one")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
