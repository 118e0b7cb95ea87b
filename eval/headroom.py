"""Where MAP@10 is lost: the same retrieval scored as if ordered best, and as if each article were shown by the
chunk that holds its fact (docs/retrieval.md, "Where the rest of MAP is")."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import cache
from statistics import mean
from typing import Any

from qa import Assistant

from .metrics import average_precision_at_k

POOL = 30  # the retrieved depth the oracles may draw from

Facts = Callable[[str], set[int]]  # chunk id -> the gold facts (numbered 0..n-1) that chunk holds


def best_order(found: Sequence[set[int]]) -> list[set[int]]:
    """The chunks in the order that maximises the benchmark's MAP: each next one adds the most new facts."""
    rest, seen, order = list(found), set[int](), []
    while rest:
        pick = max(rest, key=lambda facts: len(facts - seen))
        rest.remove(pick)
        order.append(pick)
        seen |= pick
    return order


def measure(
    assistant: Assistant,
    cases: list[tuple[str, Facts, int]],
    article_chunks: dict[str, list[str]],
    progress: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """MAP@10 of the default retrieval beside its oracles ("map"), and how often an article shown in a top 10 that
    holds a gold fact is first shown by a chunk holding it ("fact_chunk_shown", of "articles")."""
    scores: dict[str, list[float]] = defaultdict(list)
    picks: list[bool] = []
    for query, judge, n in cases:
        facts_of = cache(judge)  # an article's chunks are judged for the oracle and for the share: once each
        hits = assistant.retrieve(query, top_k=POOL)
        found = [facts_of(h.chunk.chunk_id) for h in hits]
        scores["as retrieved"].append(average_precision_at_k(found, n))
        scores["its top 10 in the best order"].append(average_precision_at_k(best_order(found[:10]), n))
        scores[f"the best 10 of its top {POOL}"].append(average_precision_at_k(best_order(found), n))
        in_pool: dict[str, list[str]] = defaultdict(list)
        for hit in hits:
            in_pool[hit.chunk.doc_id].append(hit.chunk.chunk_id)
        anywhere = {doc: article_chunks[doc] for doc in in_pool}
        for name, pool in ((f"each article shown by its fact chunk in the top {POOL}", in_pool), (_ANY, anywhere)):
            scores[name].append(average_precision_at_k(_by_fact_chunk(hits[:10], pool, facts_of), n))
        shown: set[str] = set()
        for hit in hits[:10]:
            doc = hit.chunk.doc_id
            if doc not in shown and any(facts_of(c) for c in article_chunks[doc]):
                picks.append(bool(facts_of(hit.chunk.chunk_id)))
            shown.add(doc)
        if progress:
            progress()
    return {
        "map": {name: mean(values) if values else 0.0 for name, values in scores.items()},
        "fact_chunk_shown": mean(picks) if picks else 0.0,
        "articles": len(picks),
    }


_ANY = "each article shown by its fact chunk (any of its chunks)"


def _by_fact_chunk(hits: Sequence[Any], pool: dict[str, list[str]], facts_of: Facts) -> list[set[int]]:
    """The hits' articles in their order, each slot filled by one of that article's chunks from `pool`, those
    holding gold facts first (an article's second slot takes its next chunk)."""
    ranked = {doc: sorted(chunks, key=lambda c: -len(facts_of(c))) for doc, chunks in pool.items()}
    taken: dict[str, int] = defaultdict(int)
    out = []
    for hit in hits:
        doc = hit.chunk.doc_id
        choices = ranked.get(doc, [])
        out.append(facts_of(choices[taken[doc]]) if taken[doc] < len(choices) else facts_of(hit.chunk.chunk_id))
        taken[doc] += 1
    return out
