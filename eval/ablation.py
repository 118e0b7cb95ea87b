"""The retrieval ablation: each configuration adds one stage to the one before (docs/retrieval.md)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Literal

from qa import Assistant
from qa import RetrievalSettings as Stages

from .metrics import all_facts_at_k, average_precision_at_k, hit_at_k, mrr_at_k, percentiles

Mode = Literal["hybrid", "dense", "keyword"]
ABLATION: list[tuple[str, Mode, Stages | None]] = [
    ("dense only (MiniLM-L6, FAISS)", "dense", None),
    ("BM25 only (bm25s)", "keyword", None),
    ("hybrid, reciprocal-rank fusion", "hybrid", Stages.plain("rrf")),
    ("hybrid, z-score fusion", "hybrid", Stages.plain("zscore")),
    (
        "+ metadata (named publishers and dates)",
        "hybrid",
        Stages(decompose="off", rerank="off", per_article=0, interleave=False),
    ),
    ("+ decomposition (sub-questions)", "hybrid", Stages(rerank="off", per_article=0, interleave=False)),
    ("+ article diversity (≤2 chunks per article)", "hybrid", Stages(rerank="off", interleave=False)),
    ("+ rerank (sentence max-sim)", "hybrid", Stages(interleave=False)),
    ("+ part interleaving = default", "hybrid", Stages()),
]

Judge = Callable[[Any], list[set[int]]]  # hits -> the gold facts (numbered 0..n-1) each hit contains


def score(
    assistant: Assistant,
    cases: list[tuple[str, Judge, int]],
    mode: Mode,
    stages: Stages | None,
    progress: Callable[[], None] | None = None,
) -> dict[str, float]:
    """Hits@4/@10, MRR@10, MAP@10 (the benchmark's), all-facts recall@4/@10 and latency of one configuration;
    `cases` = (query, judge, number of gold facts)."""
    scores: dict[str, list[float]] = {
        "hits@4": [],
        "hits@10": [],
        "mrr@10": [],
        "map@10": [],
        "all@4": [],
        "all@10": [],
    }
    latencies = []
    for query, judge, n_relevant in cases:
        assistant.clear_cache()  # every configuration pays for encoding its query and sub-questions
        t0 = time.perf_counter()
        hits = assistant.retriever.search(query, 10, mode, settings=stages)
        latencies.append(time.perf_counter() - t0)
        found = judge(hits)
        relevant = [bool(f) for f in found]
        scores["hits@4"].append(hit_at_k(relevant, 4))
        scores["hits@10"].append(hit_at_k(relevant, 10))
        scores["mrr@10"].append(mrr_at_k(relevant, 10))
        scores["map@10"].append(average_precision_at_k(found, n_relevant, 10))
        scores["all@4"].append(all_facts_at_k(found, n_relevant, 4))
        scores["all@10"].append(all_facts_at_k(found, n_relevant, 10))
        if progress:
            progress()
    result = {k: sum(v) / len(v) if v else 0.0 for k, v in scores.items()}
    timing = percentiles(latencies)
    result.update({"latency_p50_ms": timing["p50_ms"], "latency_p95_ms": timing["p95_ms"]})
    result["n"] = len(cases)
    return result


def run(
    assistant: Assistant, cases: list[tuple[str, Judge, int]], progress: Callable[[], None] | None = None
) -> dict[str, dict[str, float]]:
    return {name: score(assistant, cases, mode, stages, progress) for name, mode, stages in ABLATION}


COLUMNS = ["retrieval", "MRR@10", "MAP@10", "Hits@10", "Hits@4", "all facts@4", "all facts@10", "p50 ms", "p95 ms"]


def rows(ablation: dict[str, dict[str, float]], prefix: str = "") -> list[list[Any]]:
    """The ablation's table rows (COLUMNS), for eval.common.table."""
    return [
        [
            f"{prefix}{name} (n={r['n']})",
            *(f"{r[k]:.4f}" for k in ("mrr@10", "map@10", "hits@10", "hits@4")),
            f"{r.get('all@4', 0):.4f}",
            f"{r.get('all@10', 0):.4f}",
            f"{r['latency_p50_ms']:.1f}",
            f"{r['latency_p95_ms']:.1f}",
        ]
        for name, r in ablation.items()
    ]
