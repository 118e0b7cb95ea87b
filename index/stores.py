"""Opening the live index version on the configured store (`IndexSettings.store`): FAISS files or Milvus."""

from __future__ import annotations

import functools
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from . import storage, versions
from .errors import QAError
from .manifest import Manifest
from .records import Chunk, Document
from .search import LocalStore, Store
from .settings import IndexSettings


def open_store(settings: IndexSettings) -> Store:
    """The live version: loaded from the index folder, or opened in Milvus (pymilvus is imported only then)."""
    if settings.store == "milvus":
        from .milvus import MilvusStore

        return MilvusStore.open(settings)
    return LocalStore(storage.load(settings.dir))


def live_version(settings: IndexSettings) -> str | None:
    """The name of the version readers would open now (None when there is none or it cannot be read); cheap
    enough to poll every few seconds."""
    try:
        if settings.store == "milvus":
            from .milvus import PROBE_SECONDS, client_for, label, live_collection

            found = live_collection(
                client_for(settings), settings.milvus_collection, min(PROBE_SECONDS, settings.milvus_timeout)
            )
            return None if found is None else label(found)
        return versions.current_version(settings.dir).name
    except QAError:
        return None


def live_manifest(settings: IndexSettings) -> Manifest:
    """The live version's manifest (what built it, which documents, which stages it supports)."""
    if settings.store == "milvus":
        from .milvus import MilvusStore

        return MilvusStore.open(settings).manifest
    return storage.read_manifest(settings.dir)


def write_version(
    settings: IndexSettings,
    manifest: Manifest,
    chunks: Sequence[Chunk],
    documents: Sequence[Document],
    vectors: np.ndarray,
    sentences: storage.SentenceVectors | None = None,
) -> str:
    """Write already embedded chunks as the new live version on the configured store (for benchmarks and tools
    that build an index from vectors they have; `ingest` is the way from files). Returns the version's name."""
    with versions.writer_lock(settings.dir):
        return write_unlocked(settings, manifest, chunks, documents, vectors, sentences)


def write_unlocked(
    settings: IndexSettings,
    manifest: Manifest,
    chunks: Sequence[Chunk],
    documents: Sequence[Document],
    vectors: np.ndarray,
    sentences: storage.SentenceVectors | None,
) -> str:
    """write_version for a caller that holds the writer lock (ingest)."""
    if settings.store == "milvus":
        from . import milvus

        return milvus.label(milvus.write_version(settings, manifest, chunks, documents, vectors, sentences))
    save = functools.partial(storage.save_data, manifest=manifest, chunks=list(chunks), documents=list(documents),
                             vectors=vectors, vector_index=settings.vector_index, sentences=sentences)  # fmt: skip
    return versions.write_version(settings.dir, save).name


def close_stores() -> None:
    """Release the Milvus clients this process opened (a Milvus Lite folder is then free for another process)."""
    if "index.milvus" in sys.modules:
        sys.modules["index.milvus"].close_all()


def milvus_lite_server(path: Path, port: int) -> list[str]:
    """A command serving a Milvus Lite path on 127.0.0.1:`port` over gRPC, as a Milvus server would (benchmarks)."""
    from .milvus import lite_server_command

    return lite_server_command(path, port)
