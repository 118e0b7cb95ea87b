"""Opening the live index version on the configured store (`IndexSettings.store`): FAISS files or Milvus."""

from __future__ import annotations

from . import storage, versions
from .errors import QAError
from .manifest import Manifest
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
            from .milvus import client_for, label, live_collection

            found = live_collection(client_for(settings), settings.milvus_collection)
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
