"""End-to-end benchmark: time to first token and to the verified answer, per generator, warm and cold.

    python -m bench.e2e             # 26 demo questions warm, 3 cold starts per generator
    python -m bench.e2e --quick     # 2 questions warm, 1 cold start (CI smoke)

warm = one loaded Assistant answering question after question (what the UI and the API do);
cold = a new `qa ask` process per question: imports, index and encoder load, model load, answer.
Generators: extractive and local (SmolLM2 via xllamacpp); openai too when QA_OPENAI_BASE_URL is set.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .common import DEMO, ROOT, in_fresh_process, percentiles, table, write


def questions(n: int) -> list[str]:
    gold = [json.loads(line) for line in (ROOT / "eval" / "gold" / "demo.jsonl").read_text().splitlines() if line]
    return [g["question"] for g in gold if g.get("answerable", True)][:n]


def warm_worker(index_dir: str, generator: str, asked: list[str]) -> dict[str, Any]:
    from qa import Assistant, Done, Settings, Token

    assistant = Assistant.load(index_dir, Settings().updated(generator=generator))
    assistant.generator(generator)  # model load is start-up, not part of a question
    assistant.ask(asked[0])  # one question to warm caches and the model's first call
    first, total, stages = [], [], []
    for question in asked:
        started = time.perf_counter()
        seen = None
        for event in assistant.stream(question):
            if isinstance(event, Token) and seen is None:
                seen = time.perf_counter() - started
            elif isinstance(event, Done):
                total.append(time.perf_counter() - started)
                stages.append(event.answer.timings)
        first.append(seen if seen is not None else total[-1])
    keys = sorted({k for s in stages for k in s})
    breakdown = {k: percentiles([s.get(k, 0.0) for s in stages])["p50_ms"] for k in keys}
    return {"first_token": percentiles(first), "total": percentiles(total), "stages_p50_ms": breakdown, "n": len(asked)}


def cold_worker(index_dir: str, generator: str, question: str, spawned: float) -> dict[str, Any]:
    """Stage times since the parent spawned this process (interpreter start included)."""
    marks = {"interpreter": time.time() - spawned}
    t0 = time.perf_counter()
    from qa import Assistant, Done, Settings, Token

    marks["imports"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    assistant = Assistant.load(index_dir, Settings().updated(generator=generator))
    marks["index_and_encoder"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    made = assistant.generator(generator)
    made.warm()  # the GGUF model loads at its first request otherwise; time it as its own stage
    marks["generator_load"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for event in assistant.stream(question):
        if isinstance(event, Token) and "first_token" not in marks:
            marks["first_token"] = time.perf_counter() - t0
        if isinstance(event, Done):
            marks["answer"] = time.perf_counter() - t0
    marks["to_first_token"] = time.time() - spawned - (marks["answer"] - marks.get("first_token", marks["answer"]))
    marks["to_answer"] = time.time() - spawned
    return marks


def cli_wall(index_dir: str, generator: str, question: str) -> float:
    env = {**os.environ, "QA_GENERATOR": generator, "QA_INDEX_DIR": index_dir}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "qa", "ask", question, "--json"], env=env, check=True, capture_output=True, cwd=ROOT
    )
    return time.perf_counter() - started


def generators() -> list[str]:
    return ["extractive", "local"] + (["openai"] if os.environ.get("QA_OPENAI_BASE_URL") else [])


def run(quick: bool = False, out: Path | None = None) -> dict[str, Any]:
    from index import Embedder, ingest

    asked = questions(2 if quick else 26)
    cold_runs = 1 if quick else 3
    rows = []
    with tempfile.TemporaryDirectory(prefix="qa-bench-e2e-") as tmp:
        index_dir = str(Path(tmp) / "index")
        ingest([DEMO], index_dir, Embedder())
        for name in generators():
            print(f"{name}: warm…", flush=True)
            warm = in_fresh_process(warm_worker, index_dir, name, asked)
            print(f"{name}: cold…", flush=True)
            cold = [in_fresh_process(cold_worker, index_dir, name, asked[i], time.time()) for i in range(cold_runs)]
            walls = [cli_wall(index_dir, name, asked[i]) for i in range(cold_runs)]
            rows.append({"generator": name, "warm": warm, "cold": cold, "cli_wall_s": walls})
    result = {"quick": quick, "questions": len(asked), "rows": rows}
    write("e2e", result, out, markdown(result))
    return result


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def markdown(result: dict[str, Any]) -> str:
    headers = [
        "generator",
        "warm first token p50 ms",
        "p95 ms",
        "warm answer p50 ms",
        "p95 ms",
        "cold first token s",
        "cold answer s",
        "cold `qa ask` wall s",
    ]
    rows, stages = [], []
    for r in result["rows"]:
        w = r["warm"]
        cold = r["cold"]
        rows.append(
            [
                r["generator"],
                w["first_token"]["p50_ms"],
                w["first_token"]["p95_ms"],
                w["total"]["p50_ms"],
                w["total"]["p95_ms"],
                _median([c["to_first_token"] for c in cold]),
                _median([c["to_answer"] for c in cold]),
                _median(r["cli_wall_s"]),
            ]
        )
        stage_names = ["interpreter", "imports", "index_and_encoder", "generator_load", "answer"]
        stages.append([r["generator"]] + [_median([c[s] for c in cold]) for s in stage_names])
        warm_stages = ", ".join(f"{k} {v:.0f}" for k, v in w["stages_p50_ms"].items())
        stages[-1].append(warm_stages)
    return "\n".join(
        [
            "# End-to-end benchmark: `qa ask` on the demo corpus",
            "",
            f"{result['questions']} answerable demo questions. First token = first streamed draft token (retrieval, "
            "evidence ranking and prompt included); answer = verified answer with citations.",
            "",
            table(headers, rows),
            "",
            "Where a cold start goes (seconds, median) and the warm stages (ms, p50):",
            "",
            table(
                ["generator", "interpreter", "imports", "index + encoder", "model load", "answer", "warm stages ms"],
                stages,
            ),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 questions, 1 cold start: the CI smoke run")
    parser.add_argument("--out", type=Path, help="folder for e2e.json/.md (default runs/bench)")
    args = parser.parse_args()
    run(args.quick, args.out)


if __name__ == "__main__":
    main()
