"""The LlamaIndex adapter's overhead: AssistantRetriever.retrieve beside Assistant.retrieve, and
AssistantQueryEngine.query beside Assistant.ask, on one loaded Assistant in the same run (goal: < 5% more).

    python -m bench.llama_index               # the 60 demo gold questions, 7 passes; MultiHop-RAG too if indexed
    python -m bench.llama_index --quick       # 2 passes, demo only

Each pass asks every question of both sides back to back, which one first alternating by question and pass, so
drift in the machine's speed falls on both. Figures: each side's median call; the median of the paired
differences (adapter − Assistant, same question, same moment: the robust estimate of the overhead, as a share of
the Assistant's median call); the ratio of the pass totals (median over passes: outliers from a busy machine land
on either side); the conversion alone (hits → NodeWithScore, Answer → Response) timed apart. A row that compares
Assistant.retrieve with itself gives the noise floor of the same run. Both sides encode the question every time
(Assistant.retrieve does not cache it).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from qa import Answer, Assistant, Hit
from qa.llama_index import AssistantQueryEngine, AssistantRetriever, answer_response, hit_node

from .common import DEMO, MULTIHOP, ROOT, table, write

GOLD = ROOT / "eval" / "gold" / "demo.jsonl"
MULTIHOP_INDEX = ROOT / ".qa" / "multihop-index"  # as in bench/query.py


def paired(
    baseline: Callable[[str], Any], adapter: Callable[[str], Any], questions: list[str], repeats: int
) -> dict[str, Any]:
    """Each call's seconds, paired by question and pass, and each side's total per pass."""
    for question in questions:  # warm-up: caches, lazily built structures, first-call costs
        baseline(question), adapter(question)
    calls: dict[str, list[float]] = {"baseline": [], "adapter": []}
    for r in range(repeats):
        for i, question in enumerate(questions):
            order = [("baseline", baseline), ("adapter", adapter)]
            for name, call in order if (i + r) % 2 == 0 else order[::-1]:
                started = time.perf_counter()
                call(question)
                calls[name].append(time.perf_counter() - started)
    n = len(questions)
    base, ours = calls["baseline"], calls["adapter"]
    totals = [sum(ours[k * n : (k + 1) * n]) / sum(base[k * n : (k + 1) * n]) for k in range(repeats)]
    delta = statistics.median(b - a for a, b in zip(base, ours))
    return {
        "calls": len(base),
        "baseline_p50_ms": statistics.median(base) * 1000,
        "adapter_p50_ms": statistics.median(ours) * 1000,
        "delta_p50_ms": delta * 1000,
        "overhead": delta / statistics.median(base),
        "total_ratio": statistics.median(totals),
    }


def conversion_us(convert: Callable[[], Any], n: int) -> float:
    """Median microseconds of one call of `convert` (the adapter's own work on a result already computed)."""
    times = []
    for _ in range(n):
        started = time.perf_counter()
        convert()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e6


def nodes_of(hits: list[Hit]) -> Callable[[], Any]:
    return lambda: [hit_node(h) for h in hits]


def response_of(answer: Answer) -> Callable[[], Any]:
    return lambda: answer_response(answer)


def measure(assistant: Assistant, questions: list[str], repeats: int, corpus: str, answers: bool) -> list[dict]:
    retriever = AssistantRetriever(assistant)
    rows = [
        {
            "compare": "Assistant.retrieve vs itself (noise floor)",
            **paired(assistant.retrieve, assistant.retrieve, questions, repeats),
        },
        {
            "compare": "AssistantRetriever.retrieve vs Assistant.retrieve",
            **paired(assistant.retrieve, retriever.retrieve, questions, repeats),
            "conversion_us": statistics.median(conversion_us(nodes_of(assistant.retrieve(q)), 50) for q in questions),
        },
    ]
    if answers:
        engine = AssistantQueryEngine(assistant)
        rows.append(
            {
                "compare": "AssistantQueryEngine.query vs Assistant.ask",
                **paired(assistant.ask, engine.query, questions, repeats),
                "conversion_us": statistics.median(conversion_us(response_of(assistant.ask(q)), 50) for q in questions),
            }
        )
    return [{"corpus": corpus, "questions": len(questions), "passes": repeats, **row} for row in rows]


def run(quick: bool = False, out: Path | None = None, repeats: int | None = None) -> dict[str, Any]:
    from index import Embedder, ingest

    repeats = repeats or (2 if quick else 7)
    gold = [json.loads(line)["question"] for line in GOLD.read_text().splitlines() if line.strip()]
    rows = []
    with tempfile.TemporaryDirectory(prefix="qa-bench-llama-") as tmp:
        index_dir = Path(tmp) / "index"
        ingest([DEMO], index_dir, Embedder())
        print(f"demo: {len(gold)} gold questions × {repeats} passes…", flush=True)
        rows += measure(Assistant.load(index_dir), gold, repeats, "demo (7 chunks)", answers=True)
    if not quick and (MULTIHOP_INDEX / "CURRENT").exists():
        queries = [q["query"] for q in json.loads((MULTIHOP / "queries_dev.json").read_text())][:100]
        assistant = Assistant.load(MULTIHOP_INDEX)
        print(f"MultiHop-RAG: {len(queries)} questions × {repeats} passes…", flush=True)
        rows += measure(assistant, queries, repeats, f"MultiHop-RAG ({len(assistant.store):,} chunks)", answers=False)
    result = {"quick": quick, "rows": rows}
    write("llama_index", result, out, markdown(result))
    return result


def markdown(result: dict[str, Any]) -> str:
    headers = ["corpus", "compare", "calls", "Assistant p50 ms", "adapter p50 ms", "paired Δ p50 ms", "overhead"]
    headers += ["pass totals ratio", "conversion µs"]
    rows = [
        [
            r["corpus"],
            r["compare"],
            f"{r['questions']} × {r['passes']}",
            r["baseline_p50_ms"],
            r["adapter_p50_ms"],
            r["delta_p50_ms"],
            f"{r['overhead'] * 100:+.1f}%",
            r["total_ratio"],
            r.get("conversion_us"),
        ]
        for r in result["rows"]
    ]
    note = "overhead = paired Δ / Assistant p50. Goal: the adapter's overhead under 5% of Assistant.retrieve."
    return table(headers, rows, digits=3) + "\n\n" + note


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 passes, demo only")
    parser.add_argument("--repeats", type=int, help="passes over the questions (default 7; 2 with --quick)")
    parser.add_argument("--out", type=Path, help="folder for llama_index.json/.md (default runs/bench)")
    args = parser.parse_args()
    run(args.quick, args.out, args.repeats)


if __name__ == "__main__":
    main()
