"""Split documents into token-bounded, overlapping chunks with llama-index's SentenceSplitter."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from .records import Chunk, Document

if TYPE_CHECKING:  # llama-index takes ~1 s to import; only ingestion that chunks something pays for it
    from llama_index.core.node_parser import SentenceSplitter


def make_splitter(chunk_size: int, chunk_overlap: int, tokenizer: Callable[[str], Sequence] | None) -> SentenceSplitter:
    """The splitter counts tokens with the embedding model's own tokenizer, so a chunk fits the encoder."""
    from llama_index.core.node_parser import SentenceSplitter

    return SentenceSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap, tokenizer=tokenizer)


def chunk_document(document: Document, splitter: SentenceSplitter) -> list[Chunk]:
    """Chunks of one document; ids are `<doc_id>:<n>`, stable for the same text and settings."""
    from llama_index.core import Document as LlamaDocument

    meta = {"title": document.title} if document.title else {}
    llama_doc = LlamaDocument(text=document.text, metadata=meta, id_=document.doc_id)
    nodes = splitter.get_nodes_from_documents([llama_doc])
    chunks = []
    cursor = 0
    for n, node in enumerate(nodes):
        text = node.get_content()
        start = getattr(node, "start_char_idx", None)  # TextNode's; BaseNode does not declare it
        if start is None:  # the splitter could not locate the node; search from the previous chunk
            start = max(document.text.find(text, cursor), 0)
        end = getattr(node, "end_char_idx", None)
        end = end if end is not None else start + len(text)
        cursor = start + 1
        chunks.append(
            Chunk(
                chunk_id=f"{document.doc_id}:{n}",
                doc_id=document.doc_id,
                text=text,
                start=start,
                end=end,
                source=document.source,
                title=document.title,
                date=document.date,
                url=document.url,
                publisher=document.publisher,
                extra={"page_starts": _page_starts(document, start, end)} if document.pages else {},
            )
        )
    return chunks


def _page_starts(document: Document, start: int, end: int) -> list[list[int]]:
    """[[offset in the chunk, page]] for the page the chunk starts on and each page that begins inside it."""
    first = document.page_at(start) or 1
    starts = [[0, first]]
    for number, offset in enumerate(document.pages, start=1):
        if start < offset < end:
            starts.append([offset - start, number])
    return starts


def embedding_text(chunk: Chunk) -> str:
    """What the encoder sees: the title (the splitter reserved room for it) and the passage."""
    return f"{chunk.title}\n\n{chunk.text}" if chunk.title else chunk.text
