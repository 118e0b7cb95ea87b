"""Run a gold set through the Assistant and score retrieval, answers, citations, refusal and latency."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from qa import Answer, Assistant

from .common import git_commit
from .metrics import (
    exact_match,
    hit_at_k,
    mrr_at_k,
    normalize,
    percentiles,
    recall_at_k,
    refusal_scores,
    squash,
    token_f1,
)

SUPPORT_THRESHOLD = 0.55
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_CITED_SENTENCE = re.compile(r"\S.*?(?:\s*\[\d+\])+")  # answers are "sentence [n] sentence [m]"


def run_gold(
    assistant: Assistant,
    gold: list[dict],
    *,
    generator: str | None = None,
    top_k: int | None = None,
    progress: Callable[[], None] | None = None,
    ablate: bool = True,
    drafts: dict[str, list[dict]] | None = None,
) -> dict[str, Any]:
    """Per-question results and aggregates, with the settings and git commit that produced them, the
    retrieval ablation (each retrieval stage added in turn) on the answerable questions, and, given adversarial
    `drafts` ({"development": rows, "held out": rows}; eval/adversarial.py), the verifier's catch rate and
    hand-labelled citation scores on each set."""
    rows = []
    for record in gold:
        rows.append(score_question(assistant, record, generator, top_k))
        if progress:
            progress()
    settings = assistant.settings.flat()  # flat names: results of older runs compare key by key
    settings.update({"generator": generator or settings["generator"], "top_k": top_k or settings["top_k"]})
    result: dict[str, Any] = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "settings": settings,
        "aggregate": aggregate(rows),
        "questions": rows,
        "ablation": retrieval_ablation(assistant, gold) if ablate else {},
    }
    if drafts:
        from .adversarial import score

        result["verifier"] = {name: score(assistant, rows) for name, rows in drafts.items()}
        for name, found in result["verifier"].items():
            suffix = "" if name == "development" else f"_{name.replace(' ', '_')}"
            result["aggregate"].update(
                {
                    f"verifier_catch_rate{suffix}": found["catch_rate"],
                    f"verifier_false_alarm_rate{suffix}": found["false_alarm_rate"],
                    f"citation_precision_judged{suffix}": found["citations"]["verifier"]["precision"],
                }
            )
    return result


def retrieval_ablation(assistant: Assistant, gold: list[dict]) -> dict[str, dict[str, float]]:
    """Each retrieval configuration of eval/ablation.py on the answerable questions (evidence sentences)."""
    from . import ablation

    def judge(wanted: list[str]) -> ablation.Judge:
        return lambda hits: [{i for i, w in enumerate(wanted) if w in squash(h.chunk.text)} for h in hits]

    cases = []
    for record in gold:
        if record["answerable"]:
            wanted = sorted({squash(e["sentence"]) for e in record["evidence"]})
            cases.append((record["question"], judge(wanted), len(wanted)))
    return ablation.run(assistant, cases)


def score_question(assistant: Assistant, record: dict, generator: str | None, top_k: int | None) -> dict[str, Any]:
    hits = assistant.retrieve(record["question"], top_k=10)
    wanted = {squash(e["sentence"]) for e in record["evidence"]}
    found = [{w for w in wanted if w in squash(h.chunk.text)} for h in hits]
    relevant = [bool(f) for f in found]
    t0 = time.perf_counter()
    answer = assistant.ask(record["question"], generator=generator, top_k=top_k)
    elapsed = time.perf_counter() - t0
    row: dict[str, Any] = {
        "id": record["id"],
        "type": record["type"],
        "question": record["question"],
        "answerable": record["answerable"],
        "answer": answer.text,
        "short": answer.short,
        "kind": answer.kind,
        "refused": answer.refused,
        "support": answer.support,
        "citations": [
            {"n": c.n, "source": c.source, "chunk_id": c.chunk_id, "quote": c.quote} for c in answer.citations
        ],
        "timings": {**answer.timings, "wall": elapsed},
    }
    if record["answerable"]:
        k = top_k or assistant.settings.retrieval.top_k
        plain = re.sub(r"\s*\[\d+\]", "", answer.text) if not answer.refused else ""
        row.update(
            {
                "hit@1": hit_at_k(relevant, 1),
                "hit@k": hit_at_k(relevant, k),
                "recall@k": recall_at_k(found, wanted, k),
                "mrr@10": mrr_at_k(relevant, 10),
                "exact_match": exact_match(plain, record["acceptable"]),
                "f1": token_f1(plain, record["acceptable"]),
                "semantic": semantic_similarity(assistant, plain, record["answer"]),
                "cited_right_source": float(
                    any(c.source in record["sources"] for c in answer.citations) and not answer.refused
                ),
            }
        )
        if answer.short and not answer.refused:  # the direct answer, where the question kind has one
            row["short_exact_match"] = short_match(answer.short, record["acceptable"])
            quotes = normalize(" ".join(c.quote for c in answer.citations))
            row["short_in_quote"] = float(all(normalize(span) in quotes for span in checkable_spans(answer.short)))
        if not answer.refused:
            row.update(citation_quality(assistant, answer))
    row["correct"] = (
        answer.refused
        if not record["answerable"]
        else bool(row.get("exact_match")) and bool(row.get("cited_right_source"))
    )
    return row


def short_match(short: str, acceptable: list[str]) -> float:
    """The short answer equals an acceptable answer, or one contains the other, after normalisation."""
    got = f" {normalize(short)} "
    return float(any(f" {normalize(a)} " in got or got in f" {normalize(a)} " for a in acceptable if normalize(a)))


def checkable_spans(short: str) -> list[str]:
    """The parts of a direct answer that must occur in a cited quote: the answer itself; each party of "The
    sources differ: A vs B, C"; none for Yes/No (decided from the parts)."""
    if short in ("Yes", "No"):
        return []
    if short.startswith("The sources differ: "):
        sides = short.removeprefix("The sources differ: ").split(" vs ")
        return [p.strip() for side in sides for p in side.split(",") if p.strip()]
    return [short]


def semantic_similarity(assistant: Assistant, prediction: str, reference: str) -> float:
    if not prediction:
        return 0.0
    vectors = assistant.embedder.encode([prediction, reference])
    return float(vectors[0] @ vectors[1])


def citation_quality(assistant: Assistant, answer: Answer) -> dict[str, float]:
    """ALCE citation recall and precision, with the lexical+embedding support test of docs/evaluation.md."""
    passages = {c.n: c.text for c in answer.citations}
    sentences = [s.strip() for s in _CITED_SENTENCE.findall(answer.text)] or [answer.text]
    supported, precise, total_citations = 0, 0, 0
    for sentence in sentences:
        cited = [int(n) for n in re.findall(r"\[(\d+)\]", sentence)]
        claim = re.sub(r"\s*\[\d+\]", "", sentence).strip()
        joint = " ".join(passages.get(n, "") for n in cited)
        if cited and supports(assistant, claim, joint):
            supported += 1
        for n in cited:
            total_citations += 1
            precise += supports(assistant, claim, passages.get(n, ""))
    return {
        "citation_recall": supported / len(sentences) if sentences else 0.0,
        "citation_precision": precise / total_citations if total_citations else 0.0,
    }


def supports(assistant: Assistant, claim: str, passage: str) -> bool:
    """A passage supports a claim when one of its sentences reaches 0.5·cosine + 0.5·word overlap ≥ 0.55
    and every number in the claim occurs in the passage."""
    if not claim or not passage:
        return False
    numbers = set(re.findall(r"\d+(?:[.,]\d+)*", claim))
    if any(n not in passage for n in numbers):
        return False
    candidates = [s for s in _SENTENCE.split(passage) if len(s.split()) >= 3] or [passage]
    vectors = assistant.embedder.encode([claim, *candidates])
    words = set(re.findall(r"\w+", claim.lower()))
    best = 0.0
    for vector, sentence in zip(vectors[1:], candidates):
        overlap = len(words & set(re.findall(r"\w+", sentence.lower()))) / len(words) if words else 0.0
        best = max(best, 0.5 * max(float(vectors[0] @ vector), 0.0) + 0.5 * overlap)
    return best >= SUPPORT_THRESHOLD


def aggregate(rows: list[dict]) -> dict[str, float]:
    answerable = [r for r in rows if r["answerable"]]
    answered = [r for r in answerable if not r["refused"]]
    mean = lambda key, items: (
        float(np.mean([r[key] for r in items if key in r])) if any(key in r for r in items) else 0.0
    )  # noqa: E731
    result = {
        "questions": len(rows),
        "answerable": len(answerable),
        "unanswerable": len(rows) - len(answerable),
        "accuracy": float(np.mean([r["correct"] for r in rows])) if rows else 0.0,
        "hit@1": mean("hit@1", answerable),
        "hit@k": mean("hit@k", answerable),
        "recall@k": mean("recall@k", answerable),
        "mrr@10": mean("mrr@10", answerable),
        "exact_match": mean("exact_match", answerable),
        "f1": mean("f1", answerable),
        "semantic": mean("semantic", answerable),
        "cited_right_source": mean("cited_right_source", answerable),
        "citation_recall": mean("citation_recall", answered),
        "citation_precision": mean("citation_precision", answered),
        "short_exact_match": mean("short_exact_match", answered),
        "short_in_quote": mean("short_in_quote", answered),
        "short_coverage": float(np.mean(["short_exact_match" in r for r in answered])) if answered else 0.0,
    }
    result.update(refusal_scores([r["refused"] for r in rows], [r["answerable"] for r in rows]))
    for stage in ("retrieve", "first_token", "total"):
        values = [r["timings"][stage] for r in rows if stage in r["timings"]]
        found = percentiles(values)
        for name in ("p50", "p95"):
            result[f"{stage}_{name}_s"] = found[f"{name}_ms"] / 1000
    return result


def save(result: dict[str, Any], out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / "results.json"
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    return path
