"""Metric definitions (docs/evaluation.md); each is a small pure function tested on hand-made cases."""

from __future__ import annotations

import re
import statistics
import string
import unicodedata
from collections import Counter
from collections.abc import Collection, Sequence

_ARTICLES = re.compile(r"\b(a|an|the)\b")


def normalize(text: str) -> str:
    """SQuAD-style normalisation: lower case, ASCII, no punctuation (but keeps . % $ inside numbers), no articles."""
    text = re.sub(r"[’‘'`´]", " ", text)  # possessives: "Costa’s" must still match "Costa"
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"(?<!\d)[.,]|[.,](?!\d)", " ", text)
    text = "".join(ch if ch not in set(string.punctuation) - {".", "%", "$", ","} else " " for ch in text)
    return " ".join(_ARTICLES.sub(" ", text).split())


def exact_match(prediction: str, acceptable: Sequence[str]) -> float:
    """1.0 when an acceptable answer appears, normalised, inside the prediction (a contained match)."""
    pred = f" {normalize(prediction)} "
    return float(any(f" {normalize(a)} " in pred for a in acceptable if normalize(a)))


def token_f1(prediction: str, acceptable: Sequence[str]) -> float:
    """Best token-level F1 between the prediction and any acceptable answer."""
    pred = normalize(prediction).split()
    best = 0.0
    for answer in acceptable:
        gold = normalize(answer).split()
        common = sum((Counter(pred) & Counter(gold)).values())
        if not common:
            continue
        precision, recall = common / len(pred), common / len(gold)
        best = max(best, 2 * precision * recall / (precision + recall))
    return best


def hit_at_k(relevant: Sequence[bool], k: int) -> float:
    return float(any(relevant[:k]))


def recall_at_k(found: Sequence[set[str]], wanted: set[str], k: int) -> float:
    """Share of the wanted items (e.g. supporting sentences) found in the top k results."""
    if not wanted:
        return 0.0
    covered = set().union(*found[:k]) if found[:k] else set()
    return len(covered & wanted) / len(wanted)


def mrr_at_k(relevant: Sequence[bool], k: int = 10) -> float:
    for rank, flag in enumerate(relevant[:k], start=1):
        if flag:
            return 1.0 / rank
    return 0.0


def average_precision_at_k(found: Sequence[Collection[int]], n_gold: int, k: int = 10) -> float:
    """MultiHop-RAG's MAP@k term, as its `retrieval_evaluate.py` computes it.

    `found[i]` holds the gold facts that the chunk at rank i+1 contains. At each rank, the facts found there
    for the first time add (their number) / rank — a chunk repeating an already-found fact adds nothing, a chunk
    holding two new facts adds 2/rank — and the sum is divided by min(n_gold, k). Not the textbook AP.
    """
    seen: set[int] = set()
    total = 0.0
    for rank, facts in enumerate(found[:k], start=1):
        new = set(facts) - seen
        total += len(new) / rank
        seen |= new
    return total / min(n_gold, k) if n_gold else 0.0


def all_facts_at_k(found: Sequence[Collection[int]], n_gold: int, k: int) -> float:
    """1.0 when every gold fact is in some chunk of the top k ("all-facts recall")."""
    covered = set().union(*map(set, found[:k])) if found[:k] else set()
    return float(n_gold > 0 and len(covered) >= n_gold)


def refusal_scores(refused: Sequence[bool], answerable: Sequence[bool]) -> dict[str, float]:
    """Precision and recall of refusing on unanswerable questions; wrong-refusal rate on answerable ones."""
    tp = sum(r and not a for r, a in zip(refused, answerable))
    fp = sum(r and a for r, a in zip(refused, answerable))
    unanswerable = sum(not a for a in answerable)
    answerable_n = sum(answerable)
    return {
        "refusal_precision": tp / (tp + fp) if tp + fp else 1.0,
        "refusal_recall": tp / unanswerable if unanswerable else 1.0,
        "wrong_refusal_rate": fp / answerable_n if answerable_n else 0.0,
    }


def percentiles(seconds: Sequence[float]) -> dict[str, float]:
    """p50 (median), p95 and p99 (nearest rank) and the mean of durations in seconds, in milliseconds."""
    if not seconds:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0, "mean_ms": 0.0}
    ordered = sorted(seconds)

    def rank(p: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(p * len(ordered) + 0.5) - 1))] * 1000

    return {
        "p50_ms": statistics.median(ordered) * 1000,
        "p95_ms": rank(0.95),
        "p99_ms": rank(0.99),
        "mean_ms": statistics.fmean(ordered) * 1000,
    }


def squash(text: str) -> str:
    """MultiHop-RAG's relevance test compares texts with spaces and newlines removed."""
    return re.sub(r"\s+", "", text)


def word_overlap_correct(prediction: str, gold: str) -> bool:
    """The benchmark's lenient rule: the answer shares a word with the gold answer."""
    return bool(set(normalize(prediction).split()) & set(normalize(gold).split()))
