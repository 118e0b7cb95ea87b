"""The pymilvus adapter (`QA_STORE=milvus`): index versions as Milvus collections behind an alias.

```
<name>                        alias readers follow (QA_MILVUS_COLLECTION, default "articles")
<name>__v000007               one version's chunks: row (primary key), chunk id, doc id, source, date, filter
                              haystack, content hash, the chunk record (JSON), its BM25 terms, the dense vector,
                              the BM25 sparse vector Milvus computes from the terms (a BM25 function), and its
                              sentences' vectors for the max-sim reranker (float16, base64; read by primary key,
                              which Milvus Lite answers 10× faster than a filter on another collection)
<name>__v000007__meta         the manifest, the terms' document frequencies and each article's text, as JSON
```

A version is written in full, flushed and counted before the alias is moved to it (`alter_alias`, one call), so a
reader sees the old version or the new, never half of one; a writer that dies leaves collections no alias names,
dropped by the next ingest. The two newest versions are kept (a reader that loaded the previous one keeps
working until it reloads). An engine without aliases (the compiled Milvus Lite 2.5, docs/scale.md) gets a
pointer collection instead, `<name>__live`: the swap inserts one row naming the new version (an insert is seen
whole or not at all) and readers follow the highest-numbered row.

Keyword scores: the text Milvus analyses is the chunk's terms as `index.terms` makes them (stop words out,
Snowball stems), and BM25 runs with bm25s's k1 and b, so Milvus scores are the FAISS path's BM25 up to one
constant factor, which the z-scores of fusion cancel. Milvus Lite's analyzers have no stemmer; this way neither
path depends on one.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import json
import logging
import math
import re
import signal
import sys
import warnings
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import grpc
import numpy as np
from pydantic import ValidationError
from pymilvus import AnnSearchRequest, DataType, Function, FunctionType, MilvusClient, MilvusException, RRFRanker

from .corpus import complete
from .errors import CorruptIndexError, IndexNotFoundError, StoreUnavailableError
from .keyword import keyword_text, terms
from .manifest import FORMAT_VERSION, Manifest
from .records import Chunk, Document
from .search import KeywordScores, Scope, bm25_idf, haystack, index_size, sample_rows
from .settings import IndexSettings
from .storage import SentenceVectors
from .vectors import EXACT_LIMIT

KEEP_VERSIONS = 2
BATCH = 1_000
PART_CHARS = 16_000  # a JSON part of the meta collection (VARCHAR holds 65,535 bytes; UTF-8 is ≤ 4 per char)
BM25_K1, BM25_B = 1.5, 0.75  # bm25s's defaults, so both stores score alike
CACHE_ROWS = 20_000
PROBE_SECONDS = 5.0  # a readiness or new-version look: short, whatever QA_MILVUS_TIMEOUT allows a search
ENGINE_ERRORS = (MilvusException, grpc.RpcError)  # pymilvus passes a deadline or a dropped channel on as gRPC's
POINTER = "__live"  # the live version's collection on an engine without aliases
# Failures come back as typed errors (Milvus Lite logs a traceback when another process holds its file, and its
# in-process server logs each call pymilvus makes that it lacks).
for _name in ("pymilvus", "pymilvus.milvus_client", "milvus_lite", "grpc._server"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)
_OPENED: list[tuple[MilvusClient, str]] = []
VERSION = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)__v(?P<n>\d{6})$")


@functools.cache
def connect(uri: str, token: str = "") -> MilvusClient:
    """One client per URI and token in a process (Milvus Lite allows one opener of its file)."""
    if "://" not in uri:
        Path(uri).parent.mkdir(parents=True, exist_ok=True)
    try:
        with _quiet_engine():
            client = MilvusClient(uri=uri, token=token)
    except (MilvusException, OSError, RuntimeError) as exc:
        hint = (
            "Is the Milvus server running and reachable from here? Check QA_MILVUS_URI and QA_MILVUS_TOKEN."
            if "://" in uri
            else _lite_hint(Path(uri))
        )
        raise StoreUnavailableError(f"Cannot open Milvus at {uri!r}: {_message(exc)}. {hint} (docs/scale.md)") from exc
    _OPENED.append((client, uri))
    return client


@contextlib.contextmanager
def _quiet_engine() -> Iterator[None]:
    """Milvus Lite 2.5 warns that pkg_resources is deprecated and logs its start-up failures on the root logger;
    the failure comes back as our typed error instead."""

    def not_milvus_lite(record: logging.LogRecord) -> bool:
        return "milvus_lite" not in record.pathname

    root = logging.getLogger()
    root.addFilter(not_milvus_lite)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
            yield
    finally:
        root.removeFilter(not_milvus_lite)


def _lite_version() -> str:
    """The installed Milvus Lite's version ("" without one): 2.x is the compiled engine, 3.x the pure-Python one."""
    try:
        return metadata.version("milvus-lite")
    except metadata.PackageNotFoundError:
        return ""


def _lite_hint(path: Path) -> str:
    """Why a Milvus Lite path did not open: another engine's data, or another process holding it."""
    engine = _lite_version()
    wrote = "3" if path.is_dir() else "2" if path.is_file() else ""  # Lite 3 keeps a folder, Lite 2 one file
    if wrote and engine and engine.split(".")[0] != wrote:
        return (
            f"It is a {'folder' if wrote == '3' else 'file'}, as Milvus Lite {wrote} writes, and this installation "
            f"runs Milvus Lite {engine}, which cannot read it. Set QA_MILVUS_URI to a new path and run `qa ingest` "
            "again (the articles are read from their folder), or install the Milvus Lite that wrote it"
        )
    return (
        "A Milvus Lite file serves one process at a time (is `qa serve`, `qa api` or `qa ingest` running "
        "on it?); for several processes, run a Milvus server and set QA_MILVUS_URI=http://host:19530"
    )


def lite_server_command(path: Path, port: int) -> list[str]:
    """A command serving a Milvus Lite data path on 127.0.0.1:`port` over gRPC, the API a Milvus server speaks
    (tests and benchmarks share one engine between processes with it)."""
    if _lite_version().startswith("2."):  # the compiled engine has no `server` command
        serve = "import sys, index.milvus as m; m.serve_lite(*sys.argv[1:])"
        return [sys.executable, "-c", serve, str(path), str(port)]
    command = [sys.executable, "-m", "milvus_lite", "server", "--data-dir", str(path), "--host", "127.0.0.1"]
    return [*command, "--port", str(port)]


def serve_lite(path: str, port: str) -> None:
    """Run Milvus Lite 2.5's engine on a TCP port until this process is told to stop, then stop it too."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with _quiet_engine():
        from milvus_lite.server import Server

        server = Server(path, f"127.0.0.1:{port}")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # SystemExit unwinds to the finally below
    try:
        if not server.start():
            raise SystemExit(f"Milvus Lite could not serve {path}")
        server._p.wait()  # the engine's own process (on a TCP port it outlives its parent unless stopped)
    finally:
        if server._p is not None:
            server._p.terminate()
        server.stop()


def close_all() -> None:
    """Close this process's clients (a Milvus Lite file is then free for another process to open)."""
    while _OPENED:
        client, uri = _OPENED.pop()
        client.close()
        if "://" not in uri:  # Milvus Lite serves the file from a thread of this process until released
            from milvus_lite.server_manager import server_manager_instance

            server_manager_instance.release_server(uri)
    connect.cache_clear()
    has_aliases.cache_clear()


def client_for(settings: IndexSettings) -> MilvusClient:
    token = settings.milvus_token.get_secret_value() if settings.milvus_token else ""
    return connect(settings.milvus_target, token)


def version_name(name: str, number: int) -> str:
    return f"{name}__v{number:06d}"


def label(collection: str) -> str:
    """The version's name as the FAISS store writes it (v-000007), for messages and reload checks."""
    return f"v-{_number(collection):06d}"


def live_collection(client: MilvusClient, name: str, timeout: float | None = None) -> str | None:
    """The collection the alias (or the pointer) names now (None: no version yet); each request waits at most
    `timeout` seconds (None: as long as it takes)."""
    try:
        if not has_aliases(client):
            return _pointed(client, name, timeout)
        if name not in client.list_aliases(timeout=timeout).get("aliases", []):
            return None
        return str(client.describe_alias(name, timeout=timeout)["collection_name"])
    except ENGINE_ERRORS as exc:
        raise StoreUnavailableError(f"Cannot read the Milvus alias {name!r}: {_message(exc)}") from exc


@functools.cache
def has_aliases(client: MilvusClient) -> bool:
    """Whether the engine has collection aliases (a Milvus server and Milvus Lite 3 have; Milvus Lite 2.5 has not)."""
    try:
        client.list_aliases()
    except grpc.RpcError as exc:
        if exc.code() == grpc.StatusCode.UNIMPLEMENTED:
            return False
        raise StoreUnavailableError(f"Cannot list Milvus aliases: {exc.details()}") from exc
    except ENGINE_ERRORS as exc:
        raise StoreUnavailableError(f"Cannot list Milvus aliases: {_message(exc)}") from exc
    return True


def _pointed(client: MilvusClient, name: str, timeout: float | None = None) -> str | None:
    if not client.has_collection(name + POINTER, timeout=timeout):
        return None
    _load(client, name + POINTER, timeout)
    found = client.query(name + POINTER, filter='name == "live"', output_fields=["part", "body"], timeout=timeout)
    return str(max(found, key=lambda row: int(row["part"]))["body"]) if found else None


def _swap(client: MilvusClient, name: str, live: str | None, collection: str) -> None:
    """Make `collection` the version readers follow, in one step a reader can't see half done."""
    if not has_aliases(client):
        _point(client, name, collection)
    elif live is None:
        client.create_alias(collection, name)
    else:
        client.alter_alias(collection, name)


def _point(client: MilvusClient, name: str, collection: str) -> None:
    """Make `collection` the live version on an engine without aliases: one inserted row, flushed."""
    if not client.has_collection(name + POINTER):
        _create_meta(client, name + POINTER)
    number = _number(collection)
    row = {"key": f"live#{number}", "name": "live", "part": number, "body": collection, "unused": [0.0, 0.0]}
    client.insert(name + POINTER, [row])
    client.flush(name + POINTER)


def versions(client: MilvusClient, name: str) -> list[int]:
    """Numbers of every version collection of `name`, ascending."""
    found = []
    for collection in client.list_collections():
        match = VERSION.match(collection)
        if match and match["name"] == name:
            found.append(int(match["n"]))
    return sorted(found)


# -- writing -------------------------------------------------------------------------------------------------


def write_version(
    settings: IndexSettings,
    manifest: Manifest,
    chunks: Sequence[Chunk],
    documents: Sequence[Document],
    vectors: np.ndarray,
    sentences: SentenceVectors | None,
) -> str:
    """Write a complete new version, then point the alias at it; returns the version's collection name."""
    client, name = client_for(settings), settings.milvus_collection
    live = discard_unfinished(settings)
    collection = version_name(name, max([_number(live), *versions(client, name)]) + 1)
    manifest.vector_index = "milvus"
    manifest.sentence_vectors = sentences is not None
    manifest.checksums = {}
    _create_chunks(client, collection, manifest.dimension, exact=len(chunks) <= EXACT_LIMIT)
    df: dict[str, int] = {}
    hashes = {d.doc_id: d.content_hash for d in documents}
    blocks = _sentence_blocks(sentences, len(chunks))
    for start in range(0, len(chunks), BATCH):
        rows = []
        for row in range(start, min(start + BATCH, len(chunks))):
            chunk, words = chunks[row], terms(keyword_text(chunks[row]))
            for word in set(words):
                df[word] = df.get(word, 0) + 1
            rows.append(_chunk_row(row, chunk, words, vectors[row], hashes.get(chunk.doc_id, ""), blocks[row]))
        client.insert(collection, rows)
    _create_meta(client, collection + "__meta")
    manifest.seal()
    blobs = {"manifest": manifest.model_dump_json(), "df": json.dumps(df, ensure_ascii=False)}
    blobs.update({f"doc/{d.doc_id}": json.dumps(d.to_dict(), ensure_ascii=False) for d in documents})
    _write_blobs(client, collection + "__meta", blobs)
    for suffix in ("", "__meta"):
        client.flush(collection + suffix)
    counted = _count(client, collection)
    if counted != len(chunks):
        raise CorruptIndexError(f"Milvus holds {counted} of the {len(chunks)} chunks written to {collection!r}.")
    _swap(client, name, live, collection)
    for number in versions(client, name)[:-KEEP_VERSIONS]:
        _drop(client, version_name(name, number))
    return collection


def discard_unfinished(settings: IndexSettings) -> str | None:
    """Drop versions newer than the live one (a writer died before moving the alias; no reader has them);
    returns the live collection."""
    client, name = client_for(settings), settings.milvus_collection
    live = live_collection(client, name)
    for number in versions(client, name):
        if number > _number(live):
            _drop(client, version_name(name, number))
    return live


def _number(collection: str | None) -> int:
    match = VERSION.match(collection or "")
    return int(match["n"]) if match else 0


def _sentence_blocks(sentences: SentenceVectors | None, n: int) -> list[str]:
    """Each chunk's sentence vectors as base64 float16 ("" without; also for a chunk with more sentences than a
    field holds, whose evidence is then encoded when asked, as without sentence vectors)."""
    if sentences is None:
        return [""] * n
    starts = np.searchsorted(sentences.chunk_rows, np.arange(n + 1))
    blocks = []
    for row in range(n):
        block = sentences.vectors[starts[row] : starts[row + 1]].astype(np.float16).tobytes()
        text = base64.b64encode(block).decode("ascii")
        blocks.append(text if len(text) <= 65_535 else "")
    return blocks


def _decode(block: str, dimension: int) -> np.ndarray:
    raw = np.frombuffer(base64.b64decode(block), dtype=np.float16) if block else np.zeros(0, dtype=np.float16)
    return raw.reshape(-1, dimension).astype(np.float32)


def _chunk_row(
    row: int, chunk: Chunk, words: list[str], vector: np.ndarray, content_hash: str, sentences: str
) -> dict[str, Any]:
    return {
        "sentences": sentences,
        "row": row,
        "chunk_id": chunk.chunk_id,
        "doc_id": chunk.doc_id,
        "source": chunk.source[:1000],
        "date": chunk.date or "",
        "haystack": haystack(chunk)[:4000],
        "content_hash": content_hash,
        "record": _sealed_record(chunk),
        "terms": " ".join(words) or "_",
        "dense": np.asarray(vector, dtype=np.float32),
    }


def _sealed_record(chunk: Chunk) -> str:
    """A chunk's JSON with a `seal`: the sha256 of the rest, checked when the row is read."""
    data = chunk.to_dict()
    return json.dumps({**data, "seal": _seal(data)}, ensure_ascii=False)


def _seal(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _create_chunks(client: MilvusClient, collection: str, dimension: int, exact: bool) -> None:
    schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("row", DataType.INT64, is_primary=True)
    for field, length in (("chunk_id", 512), ("doc_id", 512), ("source", 1024), ("date", 32), ("content_hash", 128)):
        schema.add_field(field, DataType.VARCHAR, max_length=length)
    schema.add_field("haystack", DataType.VARCHAR, max_length=16_384)
    schema.add_field("record", DataType.VARCHAR, max_length=65_535)
    schema.add_field("terms", DataType.VARCHAR, max_length=65_535, enable_analyzer=True,
                     analyzer_params={"tokenizer": "standard"})  # fmt: skip
    schema.add_field("sentences", DataType.VARCHAR, max_length=65_535)
    schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dimension)
    schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_function(
        Function(
            name="bm25", function_type=FunctionType.BM25, input_field_names=["terms"], output_field_names=["sparse"]
        )
    )
    params = client.prepare_index_params()
    # exact search up to EXACT_LIMIT chunks, as the FAISS path (an approximate index also drops rows from a
    # filtered search: 34 of 305 on Milvus Lite); Milvus's own choice above
    params.add_index("dense", index_type="FLAT" if exact else "AUTOINDEX", metric_type="IP")
    params.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25",
                     params={"bm25_k1": BM25_K1, "bm25_b": BM25_B})  # fmt: skip
    client.create_collection(collection, schema=schema, index_params=params)


def _create_meta(client: MilvusClient, collection: str) -> None:
    schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("key", DataType.VARCHAR, max_length=1024, is_primary=True)
    schema.add_field("name", DataType.VARCHAR, max_length=1024)
    schema.add_field("part", DataType.INT64)
    schema.add_field("body", DataType.VARCHAR, max_length=65_535)
    schema.add_field("unused", DataType.FLOAT_VECTOR, dim=2)  # Milvus needs a vector field in a collection
    params = client.prepare_index_params()
    params.add_index("unused", index_type="FLAT", metric_type="L2")
    client.create_collection(collection, schema=schema, index_params=params)


def _write_blobs(client: MilvusClient, collection: str, blobs: dict[str, str]) -> None:
    rows = [
        {"key": f"{name}#{i}", "name": name, "part": i, "body": text[start : start + PART_CHARS], "unused": [0.0, 0.0]}
        for name, text in blobs.items()
        for i, start in enumerate(range(0, max(len(text), 1), PART_CHARS))
    ]
    for start in range(0, len(rows), BATCH):
        client.insert(collection, rows[start : start + BATCH])


def _read_blobs(client: MilvusClient, collection: str, names: Sequence[str]) -> dict[str, str]:
    found = client.query(collection, filter=f"name in {_list(names)}", output_fields=["name", "part", "body"])
    parts: dict[str, list[tuple[int, str]]] = {}
    for row in found:
        parts.setdefault(row["name"], []).append((int(row["part"]), row["body"]))
    return {name: "".join(body for _, body in sorted(pieces)) for name, pieces in parts.items()}


def _load(client: MilvusClient, collection: str, timeout: float | None = None) -> None:
    """Load a version's collections into memory for search (Milvus keeps them released after a restart)."""
    for suffix in ("", "__meta"):
        name = collection + suffix
        if client.has_collection(name, timeout=timeout) and "NotLoad" in str(
            client.get_load_state(name, timeout=timeout).get("state")
        ):
            client.load_collection(name)


def _drop(client: MilvusClient, collection: str) -> None:
    for suffix in ("__sentences", "__meta", ""):
        if client.has_collection(collection + suffix):
            client.drop_collection(collection + suffix)


# -- reading -------------------------------------------------------------------------------------------------


class MilvusStore:
    """A version in Milvus as retrieval uses it; chunk text stays in Milvus and comes back for the rows asked."""

    def __init__(self, settings: IndexSettings, client: MilvusClient, collection: str) -> None:
        self.settings = settings
        self.client = client
        self.collection = collection
        self.version = label(collection)
        where = f"{settings.milvus_target} ({settings.milvus_collection})"
        try:
            _load(client, collection)
            blobs = _read_blobs(client, collection + "__meta", ["manifest", "df"])
            manifest = Manifest.model_validate_json(blobs["manifest"])
            self._df: dict[str, int] = json.loads(blobs["df"])
            self._n = _count(client, collection)
        except (KeyError, ValueError, ValidationError, *ENGINE_ERRORS) as exc:
            raise CorruptIndexError(
                f"Cannot read version {collection!r} of {where}: {_message(exc)}. {_hint()}"
            ) from exc
        if manifest.edited():  # checked before completing: what was sealed, not what this process adds
            raise CorruptIndexError(
                f"The manifest of version {collection!r} of {where} was changed since it was written. {_hint()}"
            )
        self.manifest = complete(manifest)  # a version written before summaries: completed once, now
        if self.manifest.format_version != FORMAT_VERSION or self._n != self.manifest.chunk_count:
            raise CorruptIndexError(
                f"Version {collection!r} of {where} holds {self._n} chunks; its manifest says "
                f"{self.manifest.chunk_count}. {_hint()}"
            )
        self._timeout = settings.milvus_timeout
        self.documents = LazyDocuments(self)
        self._chunks: OrderedDict[int, Chunk] = OrderedDict()
        self._facts: OrderedDict[int, tuple[str, str, str]] = OrderedDict()
        self._row_of: dict[str, int] = {}  # chunk id → row, of the chunks fetched (a primary-key lookup is fast)
        self._last_dense: DensePool | None = None  # the latest unfiltered dense search (per-source tops, cosines)
        self._per_source: dict[str, int] = {}
        for entry in self.manifest.documents.values():
            self._per_source[entry.source] = self._per_source.get(entry.source, 0) + len(entry.chunk_ids)
        self._sources = sorted(self._per_source)

    @classmethod
    def open(cls, settings: IndexSettings) -> MilvusStore:
        client = client_for(settings)
        collection = live_collection(client, settings.milvus_collection)
        if collection is None:
            raise IndexNotFoundError(
                f"No index in Milvus at {settings.location}. Build one with: QA_STORE=milvus qa ingest data/articles"
            )
        return cls(settings, client, collection)

    def __len__(self) -> int:
        return self._n

    def ping(self) -> None:
        """StoreUnavailableError unless the engine answers a one-row query within a few seconds."""
        try:
            self.client.query(
                self.collection, filter="row == 0", output_fields=["row"], timeout=min(PROBE_SECONDS, self._timeout)
            )
        except ENGINE_ERRORS as exc:
            raise StoreUnavailableError(f"Milvus does not answer: {_message(exc)}. {_down_hint()}") from exc

    @property
    def has_sentences(self) -> bool:
        return self.manifest.sentence_vectors

    def sources(self) -> list[str]:
        return list(self._sources)

    def chunks(self, rows: Sequence[int]) -> list[Chunk]:
        wanted = [int(r) for r in rows]
        missing = [r for r in dict.fromkeys(wanted) if r not in self._chunks]
        for start in range(0, len(missing), BATCH):
            batch = missing[start : start + BATCH]
            for found in self._query(f"row in {batch}", ["row", "record"]):
                chunk = self._chunk_of(found)
                self._remember(self._chunks, int(found["row"]), chunk)
                if len(self._row_of) > CACHE_ROWS:
                    self._row_of.clear()
                self._row_of[chunk.chunk_id] = int(found["row"])
        return [self._chunks[r] for r in wanted]

    def facts(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        wanted = [int(r) for r in rows]
        missing = [r for r in dict.fromkeys(wanted) if r not in self._facts]
        if missing:
            for found in self._query(f"row in {missing}", ["row", "source", "date", "doc_id"]):
                self._remember(self._facts, int(found["row"]), (found["source"], found["date"], found["doc_id"]))
        columns = list(zip(*(self._facts[r] for r in wanted))) if wanted else [(), (), ()]
        return tuple(np.asarray(c, dtype=str) for c in columns)  # type: ignore[return-value]

    def all_chunks(self) -> Iterator[Chunk]:
        for found in self._scan(["record"]):
            yield self._chunk_of(found)

    def scope(self, date_from: str | None, date_to: str | None, sources: Sequence[str]) -> Scope:
        clauses = []
        if date_from:
            clauses.append(f'date >= "{_quote(date_from)}"')
        if date_to:
            clauses.append(f'date <= "{_quote(date_to)}" and date != ""')
        needles = [s.lower() for s in sources if s]
        if needles:
            clauses.append("(" + " or ".join(f'haystack like "%{_like(n)}%"' for n in needles) + ")")
        expr = " and ".join(clauses)
        return Scope(self._count(expr), expr=expr) if expr else Scope(self._n)

    def within_source(self, scope: Scope | None, source: str) -> Scope:
        """The source's rows (within `scope`); its size is the source's chunk count from the manifest (no
        request: counting with a filter costs 40 ms on Milvus Lite), an upper bound under a narrower scope."""
        expr = f'source == "{_quote(source)}"'
        if scope is not None and scope.expr:
            return Scope(self._per_source.get(source, 0), expr=f"({scope.expr}) and {expr}")
        return Scope(self._per_source.get(source, 0), expr=expr, source=source)

    def dense(self, vector: np.ndarray, k: int, scope: Scope | None = None) -> tuple[np.ndarray, np.ndarray]:
        if k <= 0 or not self._n:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        vector = np.asarray(vector, dtype=np.float32)
        last = self._last_dense
        if last is not None and scope is not None and scope.source is not None and last.of(vector):
            picked = last.within(scope.source, k)
            if picked is not None:
                return picked
        found = self._search([vector], "dense", min(k, self._n), scope)[0]
        rows = np.asarray([int(h["row"]) for h in found], dtype=np.int64)
        distances = np.asarray([h["distance"] for h in found], dtype=np.float32)
        if scope is None or not scope.expr:
            sources = [h["source"] for h in found]
            self._last_dense = DensePool(vector.tobytes(), rows, distances, sources, len(rows) >= self._n)
        return rows, distances

    def keyword(self, queries: Sequence[str], scope: Scope | None = None) -> list[KeywordScores]:
        analysed = [" ".join(terms(q)) for q in queries]
        asked = list(dict.fromkeys(t for t in analysed if t))  # a sub-question may repeat the question
        limit = min(self.settings.milvus_keyword_pool, max(self._n, 1))
        found = self._search(asked, "sparse", limit, scope) if asked and self._n else []
        results: dict[str, list[Any]] = dict(zip(asked, found))
        population = self._n if scope is None else scope.size
        return [SparseScores(self, t, results.get(t, []), population, limit) for t in analysed]

    def _vectors(self, rows: np.ndarray) -> np.ndarray:
        wanted = [int(r) for r in rows]
        if not wanted:
            return np.zeros((0, self.manifest.dimension), dtype=np.float32)
        found = {int(f["row"]): f["dense"] for f in self._query(f"row in {wanted}", ["row", "dense"])}
        return np.asarray([found[r] for r in wanted], dtype=np.float32)

    def similarities(self, rows: np.ndarray, vector: np.ndarray) -> np.ndarray:
        """Computed by Milvus: an exact search restricted to the rows (no vectors cross the wire), except for
        the rows the latest dense search with this vector returned."""
        wanted = [int(r) for r in rows]
        if not wanted:
            return np.zeros(0, dtype=np.float32)
        vector = np.asarray(vector, dtype=np.float32)
        last = self._last_dense
        score = last.scores(wanted) if last is not None and last.of(vector) else {}
        rest = [r for r in wanted if r not in score]
        if rest:
            scope = Scope(len(rest), expr=f"row in {rest}")
            found = self._search([vector], "dense", len(rest), scope)[0]
            score.update((int(h["row"]), float(h["distance"])) for h in found)
        missing = [r for r in wanted if r not in score]
        if missing:  # an approximate index (above EXACT_LIMIT chunks) may leave rows out of a filtered search
            score.update(zip(missing, (self._vectors(np.asarray(missing)) @ vector).tolist()))
        return np.asarray([score[r] for r in wanted], dtype=np.float32)

    def sentences_of(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        wanted = [int(r) for r in rows]
        found = {int(f["row"]): f["sentences"] for f in self._query(f"row in {wanted}", ["row", "sentences"])}
        blocks = [_decode(found.get(r, ""), self.manifest.dimension) for r in wanted]
        owners: Any = [np.full(len(b), r, dtype=np.int64) for r, b in zip(wanted, blocks)]
        owners = np.concatenate(owners) if owners else np.zeros(0, dtype=np.int64)
        vectors = np.concatenate(blocks) if blocks else np.zeros((0, self.manifest.dimension), dtype=np.float32)
        return vectors, np.asarray(owners, dtype=np.int64)

    def chunk_sentences(self, chunk_ids: Sequence[str]) -> list[np.ndarray | None]:
        if not self.has_sentences or not chunk_ids:
            return [None] * len(chunk_ids)
        found = {
            f["chunk_id"]: f["sentences"]
            for f in self._query(_rows_or_ids(self._row_of, chunk_ids), ["chunk_id", "sentences"])
        }
        return [_decode(found[c], self.manifest.dimension) if found.get(c) else None for c in chunk_ids]

    def sample(self) -> np.ndarray | None:
        return sample_rows(self._n, self._vectors)

    def idf(self, term: str) -> float:
        return bm25_idf(self._n, self._df.get(term, 0))

    def describe(self) -> dict[str, Any]:
        target = self.settings.milvus_target
        local = "://" not in target and Path(target).exists()
        return {
            "store": "milvus",
            "index": f"{target} ({self.settings.milvus_collection} → {self.collection})",
            "vector_index": {"kind": "milvus"},
            "size_bytes": index_size(Path(target)) if local else None,
        }

    def all_vectors(self) -> np.ndarray:
        """Every dense vector in row order (for re-using unchanged chunks on re-ingest)."""
        matrix = np.zeros((self._n, self.manifest.dimension), dtype=np.float32)
        for found in self._scan(["dense"]):
            matrix[int(found["row"])] = found["dense"]
        return matrix

    def all_sentences(self) -> SentenceVectors | None:
        if not self.has_sentences:
            return None
        vectors, rows = [], []
        for found in self._scan(["sentences"]):  # in row order, so the rows come out sorted
            block = _decode(found["sentences"], self.manifest.dimension)
            vectors.append(block)
            rows.append(np.full(len(block), int(found["row"]), dtype=np.int32))
        matrix = np.concatenate(vectors) if vectors else np.zeros((0, self.manifest.dimension), np.float32)
        return SentenceVectors(matrix, np.concatenate(rows) if rows else np.zeros(0, dtype=np.int32))

    def all_documents(self) -> dict[str, Document]:
        """Every article, read in batches (for re-ingest)."""
        ids = list(self.manifest.documents)
        found: dict[str, Document] = {}
        for start in range(0, len(ids), BATCH // 5):  # a long article is several parts
            found.update(self.read_documents(ids[start : start + BATCH // 5]))
        return found

    def read_documents(self, doc_ids: Sequence[str]) -> dict[str, Document]:
        blobs = _read_blobs(self.client, self.collection + "__meta", [f"doc/{d}" for d in doc_ids])
        rows = {name.removeprefix("doc/"): json.loads(body) for name, body in blobs.items()}
        return {d: Document(**{**row, "pages": tuple(row.get("pages") or ())}) for d, row in rows.items()}

    def server_hybrid(self, text: str, vector: np.ndarray, k: int, pool: int = 100) -> list[Chunk]:
        """Milvus's own hybrid search in one request: dense and BM25 candidates fused by RRF on the server.
        Not used by retrieval (it skips our fusion and stages); bench/stores.py measures it beside them."""
        requests = [
            AnnSearchRequest(data=[np.asarray(vector, dtype=np.float32)], anns_field="dense", param={}, limit=pool),
            AnnSearchRequest(data=[" ".join(terms(text)) or "_"], anns_field="sparse", param={}, limit=pool),
        ]
        try:
            found = self.client.hybrid_search(
                self.collection, requests, RRFRanker(60), limit=k, output_fields=["row"], timeout=self._timeout
            )
        except ENGINE_ERRORS as exc:
            raise StoreUnavailableError(f"Milvus hybrid search failed: {_message(exc)}. {_down_hint()}") from exc
        return self.chunks([int(h["row"]) for h in found[0]])

    # -- requests -------------------------------------------------------------------------------------------

    def keyword_search(self, texts: list[str], scope: Scope | None, limit: int) -> list[list[Any]]:
        return self._search(texts, "sparse", limit, scope)

    def _search(self, data: list[Any], field: str, limit: int, scope: Scope | None) -> list[list[Any]]:
        """Each query's hits with their row and facts (source, date, doc id: remembered, so `facts` of the
        candidates needs no request; Milvus Lite reads every field of a hit whichever are asked for)."""
        try:
            found = list(
                self.client.search(
                    self.collection,
                    data=data,
                    anns_field=field,
                    limit=limit,
                    filter=scope.expr if scope is not None and scope.expr else "",
                    output_fields=["row", "source", "date", "doc_id"],
                    timeout=self._timeout,
                )
            )
        except ENGINE_ERRORS as exc:
            raise StoreUnavailableError(f"Milvus search failed: {_message(exc)}. {_down_hint()}") from exc
        for hit in (hit for hits in found for hit in hits):
            self._remember(self._facts, int(hit["row"]), (hit["source"], hit["date"], hit["doc_id"]))
        return found

    def _chunk_of(self, found: dict[str, Any]) -> Chunk:
        """The chunk of a row, or CorruptIndexError when its text or metadata changed since it was written (a
        flipped bit in the engine's file must not change an answer; rows written before seals pass)."""
        try:
            data = json.loads(found["record"])
            seal = data.pop("seal", None)
            if seal is not None and seal != _seal(data):
                raise ValueError("its text or metadata changed since it was written")
            return Chunk.from_dict(data)
        except (ValueError, TypeError) as exc:
            raise CorruptIndexError(
                f"Row {found.get('row')} of version {self.collection!r} in {self.settings.milvus_target} cannot "
                f"be trusted: {_message(exc)}. {_hint()}"
            ) from exc

    def _query(self, expr: str, fields: list[str]) -> list[dict[str, Any]]:
        try:
            return list(self.client.query(self.collection, filter=expr, output_fields=fields, timeout=self._timeout))
        except ENGINE_ERRORS as exc:
            raise StoreUnavailableError(f"Milvus query failed: {_message(exc)}. {_down_hint()}") from exc

    def _scan(self, fields: list[str]) -> Iterator[dict[str, Any]]:
        """Every row's `fields` (and its row number), in row order, BATCH rows per request."""
        for start in range(0, self._n, BATCH):
            found = self._query(f"row >= {start} and row < {start + BATCH}", ["row", *fields])
            yield from sorted(found, key=lambda f: int(f["row"]))

    def _count(self, expr: str) -> int:
        return _count(self.client, self.collection, expr)

    @staticmethod
    def _remember(cache: OrderedDict, key: int, value: Any) -> None:
        cache[key] = value
        while len(cache) > CACHE_ROWS:
            cache.popitem(last=False)


class DensePool:
    """An unfiltered dense search's result, kept for the same query vector: a source's best rows are the
    source's rows in it when it holds k of them (or every row), and its cosines need not be asked for again."""

    def __init__(self, key: bytes, rows: np.ndarray, distances: np.ndarray, sources: list[str], whole: bool) -> None:
        self.key, self.rows, self.distances, self.sources, self.whole = key, rows, distances, sources, whole

    def of(self, vector: np.ndarray) -> bool:
        return self.key == vector.tobytes()

    def within(self, source: str, k: int) -> tuple[np.ndarray, np.ndarray] | None:
        mine = [i for i, s in enumerate(self.sources) if s == source]
        if len(mine) < k and not self.whole:
            return None
        return self.rows[mine[:k]], self.distances[mine[:k]]

    def scores(self, rows: Sequence[int]) -> dict[int, float]:
        known = dict(zip(self.rows.tolist(), self.distances.tolist()))
        return {r: known[r] for r in rows if r in known}


class SparseScores:
    """BM25 scores of one query from Milvus: the best `milvus_keyword_pool` rows with a query term; rows not
    returned score 0. Mean and deviation are over the scope's `population` rows, zeros included (exact when
    the pool holds every row with a query term, as 16,384 does on the MultiHop corpus). A source's best rows are
    its rows in the pool when it holds n of them (or every row with a query term); otherwise Milvus is asked."""

    def __init__(self, store: MilvusStore, query: str, found: list[Any], population: int, limit: int) -> None:
        self._store, self._query = store, query
        pairs = sorted(((int(h["row"]), abs(float(h["distance"]))) for h in found), key=lambda p: (-p[1], p[0]))
        self._source_of = {int(h["row"]): h["source"] for h in found}
        self._whole = len(found) < limit  # every row with a query term
        self._rows = np.asarray([r for r, _ in pairs], dtype=np.int64)
        self._values = np.asarray([v for _, v in pairs], dtype=np.float64)
        self._of = dict(pairs)
        n = max(population, len(pairs), 1)
        self._mean = float(self._values.sum()) / n
        self._std = math.sqrt(max(float((self._values**2).sum()) / n - self._mean**2, 0.0))

    def at(self, rows: np.ndarray) -> np.ndarray:
        return np.asarray([self._of.get(int(r), 0.0) for r in rows], dtype=np.float64)

    def top(self, n: int, scope: Scope | None = None) -> np.ndarray:
        if scope is None or not self._query:
            return self._rows[:n]
        if scope.source is not None:
            mine = self._rows[[self._source_of[int(r)] == scope.source for r in self._rows]]
            if len(mine) >= n or self._whole:
                return mine[:n]
        found = self._store.keyword_search([self._query], scope, n)[0]
        return np.asarray([int(h["row"]) for h in found], dtype=np.int64)

    def z(self, values: np.ndarray) -> np.ndarray:
        return (np.asarray(values, dtype=np.float64) - self._mean) / (self._std + 1e-9)


class LazyDocuments(Mapping[str, Document]):
    """Articles by doc id, read from Milvus when first asked (the manifest lists them; their text stays out)."""

    def __init__(self, store: MilvusStore) -> None:
        self._store = store
        self._cache: OrderedDict[str, Document | None] = OrderedDict()

    def __getitem__(self, doc_id: str) -> Document:
        if doc_id not in self._cache:
            known = doc_id in self._store.manifest.documents
            self._cache[doc_id] = self._store.read_documents([doc_id]).get(doc_id) if known else None
            while len(self._cache) > 256:
                self._cache.popitem(last=False)
        found = self._cache[doc_id]
        if found is None:
            raise KeyError(doc_id)
        return found

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._store.manifest.documents

    def __iter__(self) -> Iterator[str]:
        return iter(self._store.manifest.documents)

    def __len__(self) -> int:
        return len(self._store.manifest.documents)


def _rows_or_ids(row_of: dict[str, int], chunk_ids: Sequence[str]) -> str:
    """A filter for these chunks: by primary key when every row is known, else by chunk id."""
    if all(c in row_of for c in chunk_ids):
        return f"row in {[row_of[c] for c in chunk_ids]}"
    return f"chunk_id in {_list(chunk_ids)}"


def _count(client: MilvusClient, collection: str, expr: str = "") -> int:
    try:
        found = client.query(collection, filter=expr or "row >= 0", output_fields=["count(*)"])
    except ENGINE_ERRORS as exc:
        raise StoreUnavailableError(f"Milvus query failed: {_message(exc)}. {_down_hint()}") from exc
    return int(found[0]["count(*)"]) if found else 0


def _list(values: Sequence[str]) -> str:
    return "[" + ", ".join(f'"{_quote(v)}"' for v in values) + "]"


def _quote(value: str) -> str:
    """`value` as the inside of a double-quoted expression string: a value, never syntax. Backslashes, quotes and
    line breaks are escaped (a raw newline in a filter hung Milvus Lite 2.5's engine for every later request);
    both engines read every other character, control characters included, as itself."""
    return "".join(_ESCAPES.get(c, c) for c in value)


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}  # escapes both engines read


def _like(value: str) -> str:
    return _quote(value).replace("%", "\\\\%").replace("_", "\\\\_")


def _message(exc: BaseException) -> str:
    if isinstance(exc, grpc.RpcError) and hasattr(exc, "details"):
        return f"{exc.details()} ({exc.code().name})"
    text = getattr(exc, "message", None) or str(exc)
    return text.splitlines()[0] if text else type(exc).__name__


def _down_hint() -> str:
    """What to do when the engine stops answering: the data is intact, so never advise a rebuild."""
    return (
        "The index itself is not at fault: check that the Milvus server is running and reachable (QA_MILVUS_URI), "
        "or for Milvus Lite restart this process; then ask again"
    )


def _hint() -> str:
    return "Rebuild it with: QA_STORE=milvus qa ingest data/articles --rebuild"
