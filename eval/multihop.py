"""MultiHop-RAG (Tang & Yang, 2024) scored as the benchmark does: fact-in-chunk relevance, nulls excluded."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from qa import Assistant, Settings

from . import ablation
from .metrics import normalize, squash, word_overlap_correct

DEFAULT_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "multihop"
PAPER = [  # Table 5 of the paper (whole query set, null queries excluded)
    ("voyage-02", "none", 0.3934, 0.3143, 0.6506, 0.4619),
    ("bge-large-en-v1.5", "none", 0.4298, 0.3423, 0.6718, 0.5221),
    ("bge-large-en-v1.5", "bge-reranker-large", 0.5630, 0.4759, 0.7183, 0.6364),
    ("voyage-02 (best)", "bge-reranker-large", 0.5860, 0.4795, 0.7467, 0.6625),
]


def build_index(corpus: Path, index_dir: Path, limit_articles: int | None, queries: list[dict]) -> None:
    """Ingest the corpus (or, for a smoke run, the articles the queries cite plus the first N others)."""
    from index import Embedder, ingest

    source = corpus
    if limit_articles:
        articles = json.loads(corpus.read_text())
        cited = {e["title"] for q in queries for e in q["evidence_list"]}
        keep = [a for a in articles if a["title"] in cited] + [a for a in articles if a["title"] not in cited]
        source = index_dir.parent / "multihop-subset.jsonl"
        index_dir.parent.mkdir(parents=True, exist_ok=True)
        source.write_text("\n".join(json.dumps(a) for a in keep[: max(limit_articles, len(cited))]))
    ingest([source], index_dir, Embedder(), chunk_size=256, sentence_vectors=True)


def run(corpus_dir: Path = DEFAULT_DIR, index_dir: Path = Path(".qa/multihop-index"), limit: int | None = None,
        limit_articles: int | None = None, generator: str = "extractive", progress: Any = None,
        answers: bool = True) -> dict[str, Any]:
    queries = json.loads((corpus_dir / "queries_dev.json").read_text())[:limit]
    started = time.perf_counter()
    build_index(corpus_dir / "corpus.json", index_dir, limit_articles, queries)
    ingest_seconds = time.perf_counter() - started
    assistant = Assistant.load(index_dir, Settings(index_dir=index_dir, generator=generator))
    squashed = [squash(c.text) for c in assistant.data.chunks]
    row_of = {c.chunk_id: i for i, c in enumerate(assistant.data.chunks)}
    cases = [(q["query"], _judge([squash(e["fact"]) for e in q["evidence_list"]], squashed, row_of),
              len(q["evidence_list"])) for q in queries if q["question_type"] != "null_query"]
    retrieval = ablation.run(assistant, cases, progress)
    scored = _answers(assistant, queries, progress) if answers else None
    return {"queries": len(queries), "chunks": len(assistant.data.chunks), "ingest_seconds": ingest_seconds,
            "retrieval": retrieval, "answers": scored, "paper": PAPER, "generator": generator}


def _judge(facts: list[str], squashed: list[str], row_of: dict) -> ablation.Judge:
    """A chunk is relevant when it holds a gold fact verbatim, spaces removed (the benchmark's rule)."""
    return lambda hits: [any(f in squashed[row_of[h.chunk.chunk_id]] for f in facts) for h in hits]


def _answers(assistant: Assistant, queries: list[dict], progress: Any) -> dict[str, float]:
    lenient, strict, null_refused, answered_refused, n_null = [], [], 0, 0, 0
    for q in queries:
        answer = assistant.ask(q["query"])
        if q["question_type"] == "null_query":
            n_null += 1
            null_refused += answer.refused
            continue
        answered_refused += answer.refused
        gold = q["answer"]
        lenient.append(word_overlap_correct(answer.text, gold))
        strict.append(f" {normalize(gold)} " in f" {normalize(answer.text)} ")
    n = len(lenient)
    return {"word_overlap_accuracy": sum(lenient) / n if n else 0.0, "strict_accuracy": sum(strict) / n if n else 0.0,
            "null_refusal_rate": null_refused / n_null if n_null else 0.0,
            "wrong_refusal_rate": answered_refused / n if n else 0.0, "n_answerable": n, "n_null": n_null}


def markdown(result: dict[str, Any]) -> str:
    lines = ["# MultiHop-RAG (dev half) — retrieval and answers", "",
             f"{result['queries']} queries, {result['chunks']} chunks (256 tokens), ingest {result['ingest_seconds']:.0f} s.",
             "", "| system | MRR@10 | MAP@10 | Hits@10 | Hits@4 | p50 ms | p95 ms |", "|---|---|---|---|---|---|---|"]
    lines += ablation.markdown_rows(result["retrieval"], prefix="ours: ")
    for emb, rerank, mrr, map_, h10, h4 in result["paper"]:
        lines.append(f"| paper: {emb} + {rerank} | {mrr:.4f} | {map_:.4f} | {h10:.4f} | {h4:.4f} | | |")
    a = result["answers"]
    if a is None:
        return "\n".join(lines) + "\n"
    lines += ["", f"Answers ({result['generator']} generator): word-overlap accuracy {a['word_overlap_accuracy']:.3f} "
              f"(the benchmark's lenient rule), strict {a['strict_accuracy']:.3f}; refused {a['null_refusal_rate']:.1%} "
              f"of {a['n_null']} null queries and {a['wrong_refusal_rate']:.1%} of {a['n_answerable']} answerable ones.",
              "Paper (word-overlap, with retrieved chunks): GPT-4 0.56, Claude-2.1 0.52, ChatGPT 0.44, "
              "Mixtral-8x7B 0.32, Llama-2-70B 0.28."]
    return "\n".join(lines) + "\n"
