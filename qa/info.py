"""What is served: the facts `qa info`, GET /v1/info and the UI's corpus panel show, and the example questions
that fit the corpus. All of it comes from the manifest (its corpus summary is written at ingest), never from a
scan of the chunks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import index as idx

GENERATED_EXAMPLES = 4
EXAMPLE_TITLE_CHARS = 90  # a longer headline makes an example question nobody would type


@dataclass(frozen=True)
class CorpusInfo:
    """What the UI's corpus panel and `qa info` say about the version served: its name, when it was written,
    its summary (written at ingest) and the example questions that fit it."""

    version: str
    written: str
    stats: idx.CorpusStats
    examples: list[str]

    def publishers(self, shown: int = 10) -> str:
        """ "Sporting News 101, TechCrunch 97, … (49 publishers)"; what is known when none is recorded."""
        stats = self.stats
        if not stats.publishers:
            return "none recorded"
        listed = ", ".join(f"{p.name} {p.articles:,}" for p in stats.publishers[:shown])
        more = [_count(stats.publisher_count, "publisher")]
        if stats.without_publisher:
            more.append(_count(stats.without_publisher, "article") + " without one")
        return f"{listed} ({'; '.join(more)})"

    def dates(self) -> str:
        """ "2023-09-26 to 2023-12-25", with how many articles have no date."""
        stats = self.stats
        if stats.date_from is None:
            return "no article has a date"
        span = stats.date_from if stats.date_from == stats.date_to else f"{stats.date_from} to {stats.date_to}"
        return span + (f" ({stats.undated:,} undated)" if stats.undated else "")

    def newest(self) -> str:
        """ "“Title” (2023-12-25, The Age)"; "unknown" when no article has a date."""
        if not self.stats.newest:
            return "unknown (no article has a date)"
        newest = self.stats.newest[0]
        return f"“{newest.title}” ({', '.join(filter(None, (newest.date, newest.publisher or newest.source)))})"

    def lines(self) -> list[tuple[str, str]]:
        """The summary as `qa info` prints it: (label, text) pairs."""
        return [("publishers", self.publishers()), ("dates", self.dates()), ("newest", self.newest())]


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def corpus_info(store: idx.Store, examples: list[str] | None = None) -> CorpusInfo:
    """The facts about the version `store` holds; `examples` as QA_UI__EXAMPLES gives them (None: unset)."""
    manifest = store.manifest
    return CorpusInfo(store.version, manifest.updated, corpus_of(store), example_questions(manifest, examples))


def corpus_of(store: idx.Store) -> idx.CorpusStats:
    """The corpus summary of the store's version (written at ingest, or made when an older version was read)."""
    manifest = store.manifest
    return manifest.corpus or idx.corpus_stats(manifest.documents.values())


def describe_index(store: idx.Store) -> dict[str, Any]:
    """What `qa info` prints: documents, chunks, model, dimension, where it is stored and its size, when the
    version was written (`updated`) and the corpus summary."""
    manifest = store.manifest
    described = store.describe()
    return {
        "index": described.pop("index"),
        "version": store.version,
        "documents": len(manifest.documents),
        "chunks": manifest.chunk_count,
        "embedding_model": manifest.embedding_model,
        "dimension": manifest.dimension,
        "chunk_size": manifest.chunk_size,
        "chunk_overlap": manifest.chunk_overlap,
        **described,
        "created": manifest.created,
        "updated": manifest.updated,
        "corpus": corpus_facts(corpus_of(store)),
    }


def corpus_facts(stats: idx.CorpusStats) -> dict[str, Any]:
    """The corpus summary as JSON: counts, top publishers, date range and the newest article."""
    facts = stats.model_dump(exclude={"newest"})
    facts["newest"] = stats.newest[0].model_dump() if stats.newest else None
    return facts


def index_facts(store: idx.Store, examples: list[str] | None = None) -> dict[str, Any]:
    """What `qa info --json` prints and GET /v1/info returns: describe_index, the example questions (given by
    QA_UI__EXAMPLES, else chosen from the index) and every document."""
    facts = describe_index(store)
    facts["examples"] = example_questions(store.manifest, examples)
    facts["documents_list"] = [
        {"source": d.source, "title": d.title, "heading": d.heading, "date": d.date, "chunks": len(d.chunk_ids)}
        for d in store.manifest.documents.values()
    ]
    return facts


def example_questions(manifest: idx.Manifest, configured: list[str] | None = None) -> list[str]:
    """The example questions the UI offers: `configured` (QA_UI__EXAMPLES) when given, even empty; else those
    the corpus ships (`.qa-examples` of an ingested folder, recorded in the manifest); else questions about
    the newest titled articles. Never another corpus's."""
    if configured is not None:
        return list(configured)
    return manifest.examples_list or generated_examples(manifest.corpus)


def generated_examples(stats: idx.CorpusStats | None, n: int = GENERATED_EXAMPLES) -> list[str]:
    """ "What does “<title>” report?" for the newest articles with a title of their own (a first sentence or a
    file name makes no question); none when there are none."""
    if stats is None:
        return []
    titles = [a.title for a in stats.newest if a.titled and len(a.title) <= EXAMPLE_TITLE_CHARS]
    return [f"What does “{title}” report?" for title in list(dict.fromkeys(titles))[:n]]
