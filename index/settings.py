"""The index layer's settings: where the index lives and how it is built. qa.Settings holds them as `index`."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from .embedder import DEFAULT_MODEL


class IndexSettings(BaseModel):
    """How `qa ingest` builds an index and where it is."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)
    # environment variables of the fields that had one before settings were nested; the others are
    # QA_INDEX__<FIELD>
    ENV: ClassVar[dict[str, str]] = {
        "dir": "QA_INDEX_DIR",
        "embedding_model": "QA_EMBEDDING_MODEL",
        "chunk_size": "QA_CHUNK_SIZE",
        "chunk_overlap": "QA_CHUNK_OVERLAP",
        "vector_index": "QA_VECTOR_INDEX",
        "threads": "QA_THREADS",
        "store": "QA_STORE",
        "milvus_uri": "QA_MILVUS_URI",
        "milvus_token": "QA_MILVUS_TOKEN",
        "milvus_collection": "QA_MILVUS_COLLECTION",
        "milvus_timeout": "QA_MILVUS_TIMEOUT",
        "file_timeout": "QA_FILE_TIMEOUT",
    }

    dir: Path = Field(Path(".qa/index"), description="Folder of the index that `qa ingest` builds.")
    embedding_model: str = Field(DEFAULT_MODEL, description="Sentence-transformers model name or folder.")
    chunk_size: int = Field(
        256, ge=32, le=2048, description="Chunk size in the embedding model's tokens (changing it needs `--rebuild`)."
    )
    chunk_overlap: int = Field(32, ge=0, le=512, description="Tokens shared by neighbouring chunks.")
    vector_index: Literal["auto", "flat", "ivf", "hnsw"] = Field(
        "auto",
        description="FAISS index built by ingest: auto = exact up to 50,000 chunks, IVF (tuned to "
        "recall@10 >= 0.97) above.",
    )
    threads: int = Field(2, ge=1, le=256, description="CPU threads for the encoder and the local model.")
    file_timeout: float = Field(
        60.0,
        ge=0,
        le=3600,
        description="Seconds `qa ingest` may spend reading one file; a slower one is skipped with a message "
        "(0: no limit).",
    )
    fetch_timeout: float = Field(20.0, gt=0, le=600, description="Seconds `qa ingest URL` waits for each page or feed.")
    fetch_max_bytes: int = Field(
        20_000_000, ge=10_000, description="Larger pages or feeds are not fetched by `qa ingest URL`."
    )
    store: Literal["faiss", "milvus"] = Field(
        "faiss",
        description="Where the index lives: `faiss` (files in the index folder, loaded into each process) or "
        "`milvus` (a Milvus collection: Milvus Lite file or server; docs/scale.md).",
    )
    milvus_uri: str = Field(
        "",
        description="With QA_STORE=milvus: a `.db` file (Milvus Lite, one process at a time) or "
        "`http://host:19530` (a Milvus server or cluster); empty = `milvus.db` in the index folder.",
    )
    milvus_token: SecretStr | None = Field(None, description="With a Milvus server: its token (`user:password`).")
    milvus_collection: str = Field(
        "articles",
        pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,63}$",
        description="With QA_STORE=milvus: the alias readers follow; each version is a collection behind it.",
    )

    milvus_keyword_pool: int = Field(
        100,
        ge=10,
        le=16_384,
        description="With QA_STORE=milvus: BM25 results per query text that Milvus returns, as many as retrieval "
        "takes as candidates; fusion treats the rest as 0 (16384 = exact as FAISS, ~4x slower on Milvus Lite; "
        "docs/scale.md).",
    )
    milvus_timeout: float = Field(
        30.0,
        gt=0,
        le=600,
        description="With QA_STORE=milvus: seconds one search or query may take; an engine that stops answering "
        "is then a clear error (and `/readyz` 503), not a hung answer.",
    )

    @property
    def milvus_target(self) -> str:
        """The Milvus URI in use: the setting, or the Lite file in the index folder."""
        return self.milvus_uri or str(self.dir / "milvus.db")

    @property
    def location(self) -> str:
        """Where the index is, for messages: its folder, or the Milvus URI and collection."""
        if self.store == "milvus":
            return f"{self.milvus_target} ({self.milvus_collection})"
        return str(self.dir)
