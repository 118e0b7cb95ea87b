"""What an index holds, in brief (counts, publishers, dates, the newest articles), and a readable heading for an
article without a title. Computed at ingest into the manifest; for a version written before, once when it is
read (from the manifest's document list, never from the chunks)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from .sentences import split_sentences, strip_ref_marks

if TYPE_CHECKING:
    from .manifest import DocumentEntry, Manifest
    from .records import Document

TOP_PUBLISHERS = 10
NEWEST = 8  # the newest articles kept: the first is shown, the others give example questions their titles
HEADING_CHARS = 90


class PublisherCount(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    articles: int


class ArticleRef(BaseModel):
    """One article as the corpus summary names it: `title` is its heading (`titled`: its own title, not its first
    sentence or file name)."""

    model_config = ConfigDict(extra="forbid")

    title: str
    titled: bool
    date: str | None
    source: str
    publisher: str | None = None


class CorpusStats(BaseModel):
    """The summary of an index version that `qa info`, GET /v1/info and the UI's corpus panel show."""

    model_config = ConfigDict(extra="forbid")

    articles: int
    chunks: int
    publishers: list[PublisherCount]  # the TOP_PUBLISHERS with most articles, most first
    publisher_count: int  # distinct publishers
    without_publisher: int
    date_from: str | None
    date_to: str | None
    undated: int
    newest: list[ArticleRef]  # dated articles, newest first (at most NEWEST)


def corpus_stats(entries: Iterable[DocumentEntry]) -> CorpusStats:
    """The summary of the documents of a manifest: one pass over them, nothing read from disk."""
    entries = list(entries)
    publishers = Counter(e.publisher for e in entries if e.publisher)
    dated = sorted((e for e in entries if e.date), key=lambda e: (e.date or "", article_heading(e)), reverse=True)
    return CorpusStats(
        articles=len(entries),
        chunks=sum(len(e.chunk_ids) for e in entries),
        publishers=[
            PublisherCount(name=name, articles=n)
            for name, n in sorted(publishers.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_PUBLISHERS]
        ],
        publisher_count=len(publishers),
        without_publisher=sum(1 for e in entries if not e.publisher),
        date_from=dated[-1].date if dated else None,
        date_to=dated[0].date if dated else None,
        undated=len(entries) - len(dated),
        newest=[
            ArticleRef(
                title=article_heading(e), titled=bool(e.title), date=e.date, source=e.source, publisher=e.publisher
            )
            for e in dated[:NEWEST]
        ],
    )


def article_heading(entry: DocumentEntry) -> str:
    """What names an article: its title, else its first sentence (the `heading` written at ingest), else its file."""
    return entry.title or entry.heading or entry.source


def heading_of(title: str | None, text: str, source: str) -> str:
    """The `heading` ingest writes: the title, else the first sentence shortened, else the file name."""
    return title or first_sentence_heading(text) or source


def first_sentence_heading(text: str, limit: int = HEADING_CHARS) -> str | None:
    """A title for an untitled article: its first sentence without reference marks, cut at a word boundary
    within `limit` characters ("The European Union and Vietnam are set to sign a joint statement on…")."""
    sentences = split_sentences(text)
    if not sentences:
        return None
    sentence = " ".join(strip_ref_marks(sentences[0].text).split())
    if len(sentence) <= limit:
        return sentence.rstrip(".") or None
    cut = sentence[: limit + 1].rsplit(" ", 1)[0] if " " in sentence[:limit] else sentence[:limit]
    return cut.rstrip(" ,;:–—-") + "…"


def complete(manifest: Manifest, documents: Mapping[str, Document] | None = None) -> Manifest:
    """A manifest written before headings and the summary existed, completed once when it is read: headings of
    untitled articles from `documents` (their text; without it they stay unnamed and show their file), then the
    summary. A manifest written since is returned as it is."""
    missing = [(doc_id, e) for doc_id, e in manifest.documents.items() if e.heading is None]
    for doc_id, entry in missing:
        document = (documents or {}).get(doc_id)
        entry.heading = heading_of(entry.title, document.text, entry.source) if document else entry.title
    if manifest.corpus is None or missing:
        manifest.corpus = corpus_stats(manifest.documents.values())
    return manifest
