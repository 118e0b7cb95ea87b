"""Index layer: articles → chunks → embeddings → FAISS + BM25, stored atomically. Knows nothing of qa/.

This module is the layer's face: qa/, eval/, bench/ and ui.py import from `index`, never from its modules.
"""

from .chunking import embedding_text
from .corpus import ArticleRef, CorpusStats, PublisherCount, article_heading, corpus_stats
from .dates import MONTHS, find_dates, normalize_date
from .embedder import DEFAULT_MODEL, Embedder, resolve_model_path
from .errors import (
    CorruptIndexError,
    DocumentError,
    IndexLockedError,
    IndexMismatchError,
    IndexNotFoundError,
    IngestError,
    QAError,
    StoreUnavailableError,
)
from .ingest import IngestReport, ingest
from .keyword import terms
from .loaders import EXAMPLES_FILE, SUPPORTED_EXTENSIONS, load_file, load_paths, snapshot
from .manifest import DocumentEntry, Manifest
from .records import Chunk, Document
from .search import KeywordScores, LocalStore, Scope, Store, bm25_idf
from .sentences import Sentence, prose_sentences, quarantined, split_sentences, strip_ref_marks
from .settings import IndexSettings
from .storage import IndexData, SentenceVectors, load, read_manifest
from .stores import close_stores, live_manifest, live_version, milvus_lite_server, open_store, write_version
from .vectors import Kind, VectorStore, exact_top, recall
from .versions import current_version, writer_lock

__all__ = [
    "DEFAULT_MODEL",
    "EXAMPLES_FILE",
    "MONTHS",
    "SUPPORTED_EXTENSIONS",
    "ArticleRef",
    "Chunk",
    "CorpusStats",
    "CorruptIndexError",
    "Document",
    "DocumentEntry",
    "DocumentError",
    "Embedder",
    "IndexData",
    "IndexLockedError",
    "IndexMismatchError",
    "IndexNotFoundError",
    "IndexSettings",
    "IngestError",
    "IngestReport",
    "KeywordScores",
    "LocalStore",
    "Kind",
    "Manifest",
    "PublisherCount",
    "QAError",
    "Scope",
    "Sentence",
    "SentenceVectors",
    "StoreUnavailableError",
    "Store",
    "VectorStore",
    "article_heading",
    "bm25_idf",
    "close_stores",
    "milvus_lite_server",
    "corpus_stats",
    "current_version",
    "embedding_text",
    "exact_top",
    "find_dates",
    "ingest",
    "load",
    "load_file",
    "live_manifest",
    "live_version",
    "load_paths",
    "normalize_date",
    "open_store",
    "prose_sentences",
    "quarantined",
    "read_manifest",
    "recall",
    "resolve_model_path",
    "snapshot",
    "split_sentences",
    "strip_ref_marks",
    "terms",
    "write_version",
    "writer_lock",
]
