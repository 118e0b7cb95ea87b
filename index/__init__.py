"""Index layer: articles → chunks → embeddings → FAISS + BM25, stored atomically. Knows nothing of qa/."""

from .embedder import DEFAULT_MODEL, Embedder
from .errors import (
    CorruptIndexError,
    DocumentError,
    IndexLockedError,
    IndexMismatchError,
    IndexNotFoundError,
    IngestError,
    QAError,
)
from .ingest import IngestReport, ingest
from .loaders import SUPPORTED_EXTENSIONS, load_paths
from .manifest import Manifest
from .records import Chunk, Document
from .sentences import quarantined
from .settings import IndexSettings
from .storage import IndexData, load, read_manifest

__all__ = [
    "DEFAULT_MODEL",
    "SUPPORTED_EXTENSIONS",
    "Chunk",
    "CorruptIndexError",
    "Document",
    "DocumentError",
    "Embedder",
    "IndexData",
    "IndexLockedError",
    "IndexMismatchError",
    "IndexNotFoundError",
    "IndexSettings",
    "IngestError",
    "IngestReport",
    "Manifest",
    "QAError",
    "ingest",
    "load",
    "load_paths",
    "quarantined",
    "read_manifest",
]
