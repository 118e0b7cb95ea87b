"""Ingestion: load files, diff against the live index, chunk and embed only what changed, swap atomically."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from . import storage, versions
from .chunking import chunk_document, embedding_text, make_splitter
from .corpus import corpus_stats, heading_of
from .embedder import Embedder
from .errors import CorruptIndexError, IndexMismatchError, IndexNotFoundError, IngestError
from .loaders import FetchLimits, load_paths
from .manifest import DocumentEntry, Manifest, now
from .records import Chunk, Document
from .sentences import prose_sentences, quarantined
from .settings import IndexSettings
from .storage import SentenceVectors
from .stores import write_unlocked

Progress = Callable[[int, int], None]
# chunks: a new index above this gets no sentence vectors unless asked (docs/retrieval.md)
SENTENCE_VECTOR_LIMIT = 50_000


@dataclass
class IngestReport:
    """What one ingest did; `changed` is False when nothing had to be written."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # read, but not as written; text addressed to an AI
    chunks_embedded: int = 0
    chunks_total: int = 0
    documents_total: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    version: str | None = None
    sentence_vectors: bool | None = None  # whether the version written has them (None: nothing written)
    vector_index: str | None = None
    examples: int | None = None  # example questions recorded, when they changed (None: as they were)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.examples is not None)


def ingest(
    paths: Sequence[str | Path],
    index: IndexSettings | str | Path,
    embedder: Embedder | None = None,
    *,
    prune: bool = True,
    skip_bad: bool = False,
    rebuild: bool = False,
    sentence_vectors: bool | None = None,
    progress: Progress | None = None,
    feeds: Sequence[str] = (),
) -> IngestReport:
    """Bring the index (`index.dir`; a path means default settings there) in line with `paths`.

    Unchanged documents keep their chunks and vectors; new or changed ones are chunked and embedded;
    with `prune`, documents that were ingested from under `paths` and are gone now are removed (never those
    whose file or folder could not be read). Nothing is written unless something changed, and then as a new
    version swapped in atomically. `sentence_vectors` also embeds every prose sentence (for the max-sim
    reranker; about doubles embedding time); None keeps what the index has (a new index gets them up to
    SENTENCE_VECTOR_LIMIT chunks).
    """
    settings = index if isinstance(index, IndexSettings) else IndexSettings(dir=Path(index))
    embedder = embedder or Embedder(settings.embedding_model, threads=settings.threads)
    chunk_size, chunk_overlap = settings.chunk_size, settings.chunk_overlap
    root = settings.dir
    report = IngestReport()
    started = time.perf_counter()
    fetch = FetchLimits(settings.fetch_timeout, settings.fetch_max_bytes)
    loaded = load_paths(list(paths), feeds, fetch, settings.file_timeout)
    if loaded.problems and not skip_bad:
        listing = "\n".join(f"  - {problem}" for problem in loaded.problems)
        raise IngestError(
            f"{len(loaded.problems)} file(s) cannot be ingested; nothing was written:\n{listing}\n"
            "Fix or remove them, or run again with --skip-bad to index the rest."
        )
    report.skipped = [str(problem) for problem in [*loaded.problems, *loaded.fetch_problems]]
    report.warnings = list(loaded.warnings)
    report.timings["load"] = time.perf_counter() - started
    target: _Target = _Milvus(settings) if settings.store == "milvus" else _Folder(root)
    with versions.writer_lock(root):
        manifest = None if rebuild else target.base(report)
        repair = target.repairing
        if manifest is not None:
            _check_settings(settings.location, manifest, embedder.model_name, chunk_size, chunk_overlap)
        # sentence vectors (for the reranker): as asked; else as the index has them; a new index gets them
        wants_sentences = bool(
            sentence_vectors if sentence_vectors is not None else manifest is None or manifest.sentence_vectors
        )
        resettle = repair or (manifest is not None and wants_sentences != manifest.sentence_vectors)
        keep = _Keep(loaded.roots if prune else [], loaded.unreadable)
        examples = _examples(manifest, loaded.examples)
        if examples != (manifest.examples if manifest else {}):
            report.examples = sum(len(questions) for questions in examples.values())
        settled = not resettle and report.examples is None
        if manifest is not None and settled and _unchanged(manifest, loaded.documents, keep):
            # The common warm case: compare content hashes with the manifest; no vectors or chunks are read.
            report.unchanged = len(manifest.documents)
            report.documents_total = len(manifest.documents)
            report.chunks_total = manifest.chunk_count
            report.timings["total"] = time.perf_counter() - started
            return report
        old = None if manifest is None else target.previous()
        wanted = _next_documents(old, loaded.documents, keep, report)
        report.warnings += _quarantine_warnings(wanted, report)
        if not report.changed and not resettle:
            report.documents_total, report.chunks_total = len(wanted), len(old.chunks) if old else 0
            report.timings["total"] = time.perf_counter() - started
            return report
        chunks, vectors, origins = _chunks_and_vectors(
            old, wanted, embedder, chunk_size, chunk_overlap, report, progress
        )
        sentences = None
        if sentence_vectors is None and manifest is None and len(chunks) > SENTENCE_VECTOR_LIMIT:
            wants_sentences = False  # by default only where they cost minutes, not hours
        if wants_sentences:
            t0 = time.perf_counter()
            sentences = _sentence_vectors(old, chunks, origins, embedder)
            report.timings["embed_sentences"] = time.perf_counter() - t0
        manifest = _manifest(old, wanted, chunks, embedder, chunk_size, chunk_overlap)
        manifest.examples = examples
        t0 = time.perf_counter()
        report.version = write_unlocked(settings, manifest, chunks, wanted, vectors, sentences)
        report.timings["write"] = time.perf_counter() - t0
        target.finish()
    report.sentence_vectors = sentences is not None
    report.vector_index = manifest.vector_index
    report.documents_total = len(wanted)
    report.chunks_total = len(chunks)
    report.timings["total"] = time.perf_counter() - started
    return report


@dataclass
class Previous:
    """The version an ingest builds on, as much of it as the diff needs."""

    manifest: Manifest
    chunks: list[Chunk]
    documents: dict[str, Document]
    vectors: Callable[[], np.ndarray]  # every chunk's vector, in row order (read only when some are kept)
    sentences: SentenceVectors | None


class _Target(Protocol):
    """The versions of the index folder (FAISS) or of Milvus, as ingest reads them; `stores.write_unlocked` writes
    the new one."""

    @property
    def repairing(self) -> bool:
        """Whether the live version is broken and this ingest replaces it."""
        ...

    def base(self, report: IngestReport) -> Manifest | None: ...

    def previous(self) -> Previous: ...

    def finish(self) -> None: ...


class _Folder:
    """Versions as folders under the index root, made live by the CURRENT pointer (versions.py)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder: Path | None = None
        self.broken: Path | None = None

    @property
    def repairing(self) -> bool:
        return self.broken is not None

    def base(self, report: IngestReport) -> Manifest | None:
        self.folder, self.broken = _base(self.root, report)
        return None if self.folder is None else storage.read_manifest(self.root, self.folder)

    def previous(self) -> Previous:
        data = storage.load(self.root, self.folder)
        return Previous(data.manifest, data.chunks, data.documents, data.vectors.vectors, data.sentences)

    def finish(self) -> None:
        if self.broken is not None and self.broken.is_dir():
            versions.discard(self.broken)  # never a fallback for a later repair


class _Milvus:
    """Versions as Milvus collections behind an alias (milvus.py); a version that cannot be read is rebuilt
    from the files given."""

    def __init__(self, settings: IndexSettings) -> None:
        from . import milvus

        self.milvus = milvus
        self.settings = settings
        self.store: milvus.MilvusStore | None = None
        self.broken: str | None = None

    @property
    def repairing(self) -> bool:
        return self.broken is not None

    def base(self, report: IngestReport) -> Manifest | None:
        live = self.milvus.discard_unfinished(self.settings)
        if live is None:
            return None
        try:
            self.store = self.milvus.MilvusStore(self.settings, self.milvus.client_for(self.settings), live)
        except CorruptIndexError as exc:
            self.broken = live
            report.warnings.append(f"repairing the index: {exc}; everything given is embedded again")
            return None
        return self.store.manifest

    def previous(self) -> Previous:
        store = self.store
        assert store is not None  # previous() follows a base() that found a version
        chunks, documents = list(store.all_chunks()), store.all_documents()
        return Previous(store.manifest, chunks, documents, store.all_vectors, store.all_sentences())

    def finish(self) -> None:
        pass


def _base(root: Path, report: IngestReport) -> tuple[Path | None, Path | None]:
    """The version to build on, and the broken live version a repair replaces (None: no repair). The live
    version when its files are as written; else the newest older version that is (its documents are kept,
    then brought in line with the files); else none (everything given is embedded again)."""
    live: Path | None = None
    try:
        current = versions.current_version(root)
    except IndexNotFoundError:
        return None, None
    except CorruptIndexError as exc:
        problem = str(exc)
    else:
        found = storage.verify(current)
        if found is None:
            return current, None
        live, problem = current, found
    broken = live or root / "CURRENT"
    for folder in versions.versions(root):
        if folder != live and (folder / "manifest.json").is_file() and storage.verify(folder) is None:
            report.warnings.append(f"repairing the index: {problem}; rebuilt on the intact version {folder.name}")
            return folder, broken
    report.warnings.append(
        f"repairing the index: {problem}; no intact version left, so everything given is "
        "embedded again (documents ingested from other paths must be ingested again)"
    )
    return None, broken


def _check_settings(where: str, manifest: Manifest, model: str, chunk_size: int, chunk_overlap: int) -> Manifest:
    wanted = {"embedding_model": model, "chunk_size": chunk_size, "chunk_overlap": chunk_overlap}
    have = manifest.build_settings()
    differs = {k: (have[k], v) for k, v in wanted.items() if have[k] != v}
    if differs:
        detail = ", ".join(f"{k}: index has {a!r}, settings say {b!r}" for k, (a, b) in differs.items())
        raise IndexMismatchError(
            f"The index at {where!r} was built with other settings ({detail}). "
            "Rebuild it with: qa ingest <paths> --rebuild (and the same --index)"
        )
    return manifest


@dataclass(frozen=True)
class _Keep:
    """Which indexed documents that were not read this time are removed: those under the ingested roots
    (when pruning), except those under a file or folder that could not be read."""

    roots: list[str]
    unreadable: list[str]

    def removes(self, key: str) -> bool:
        return _under(key, self.roots) and not _under(key, self.unreadable)


def _examples(manifest: Manifest | None, read: dict[str, list[str]]) -> dict[str, list[str]]:
    """The example questions of the new version: what the folders ingested now hold, the others' as recorded."""
    merged = {**(manifest.examples if manifest else {}), **read}
    return {folder: questions for folder, questions in sorted(merged.items()) if questions}


def _unchanged(manifest: Manifest, docs: list[Document], keep: _Keep) -> bool:
    """True when every document is in the manifest with the same content and nothing is to be pruned."""
    have = {entry.key: entry.content_hash for entry in manifest.documents.values()}
    if any(have.get(doc.key) != doc.content_hash for doc in docs):
        return False
    present = {doc.key for doc in docs}
    return not any(keep.removes(key) for key in have if key not in present)


def _quarantine_warnings(wanted: list[Document], report: IngestReport) -> list[str]:
    """A warning for each new or changed article with paragraphs addressed to an AI assistant."""
    fresh = set(report.added) | set(report.updated)
    warnings = []
    for doc in wanted:
        if doc.source in fresh and (found := quarantined(doc.text)):
            warnings.append(
                f"{doc.source}: {len(found)} paragraph(s) address an AI assistant (e.g. "
                f"{found[0][:80]!r}); indexed, but never used as evidence"
            )
    return warnings


def _next_documents(old: Previous | None, docs: list[Document], keep: _Keep, report: IngestReport) -> list[Document]:
    """The documents of the new version, in a stable order, and the report of what changes."""
    by_key = {doc.key: doc for doc in docs}
    old_by_key = {doc.key: doc for doc in old.documents.values()} if old else {}
    result: dict[str, Document] = {}
    for key, previous in old_by_key.items():
        current = by_key.get(key)
        if current is None:
            if keep.removes(key):
                report.removed.append(previous.source)
            else:
                result[key] = previous
        elif current.content_hash == previous.content_hash:
            result[key] = previous
            report.unchanged += 1
        else:
            result[key] = current
            report.updated.append(current.source)
    for key, doc in by_key.items():
        if key not in old_by_key:
            result[key] = doc
            report.added.append(doc.source)
    return [result[key] for key in sorted(result)]


def _under(key: str, roots: list[str]) -> bool:
    path = key.split("#", 1)[0]
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in roots)


def _chunks_and_vectors(
    old: Previous | None,
    wanted: list[Document],
    embedder: Embedder,
    chunk_size: int,
    chunk_overlap: int,
    report: IngestReport,
    progress: Progress | None,
) -> tuple[list[Chunk], np.ndarray, list[tuple[str, int]]]:
    kept_rows: dict[str, list[int]] = {}
    old_chunks: list[Chunk] = old.chunks if old else []
    for row, chunk in enumerate(old_chunks):
        kept_rows.setdefault(chunk.doc_id, []).append(row)
    reuse = {doc.doc_id for doc in wanted if old and old.documents.get(doc.doc_id) == doc}
    t0 = time.perf_counter()
    splitter = make_splitter(chunk_size, chunk_overlap, embedder.tokenize)
    chunks: list[Chunk] = []
    sources: list[tuple[str, int]] = []  # ("old", row) or ("new", position in `fresh`)
    fresh: list[Chunk] = []
    for doc in wanted:
        if doc.doc_id in reuse:
            for row in kept_rows.get(doc.doc_id, []):
                chunks.append(old_chunks[row])
                sources.append(("old", row))
            continue
        for chunk in chunk_document(doc, splitter):
            chunks.append(chunk)
            sources.append(("new", len(fresh)))
            fresh.append(chunk)
    report.timings["chunk"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    new_vectors = _embed(fresh, embedder, progress)
    report.timings["embed"] = time.perf_counter() - t0
    report.chunks_embedded = len(fresh)
    old_vectors = old.vectors() if old and reuse else np.zeros((0, embedder.dimension), dtype=np.float32)
    vectors = np.zeros((len(chunks), embedder.dimension), dtype=np.float32)
    for i, (origin, row) in enumerate(sources):
        vectors[i] = old_vectors[row] if origin == "old" else new_vectors[row]
    return chunks, vectors, sources


def _sentence_vectors(
    old: Previous | None, chunks: list[Chunk], origins: list[tuple[str, int]], embedder: Embedder
) -> SentenceVectors:
    """Sentence vectors for every chunk: copied from the old version where the chunk is unchanged."""
    stored = old.sentences if old is not None else None
    reuse = stored is not None
    fresh_texts = {
        i: [s.clean for s in prose_sentences(chunk.text, chunk.title)]
        for i, (chunk, (origin, _)) in enumerate(zip(chunks, origins))
        if not (reuse and origin == "old")
    }
    fresh = _encode_sorted([t for texts in fresh_texts.values() for t in texts], embedder)
    blocks, rows, cursor = [], [], 0
    for i, (_, row) in enumerate(origins):
        if i in fresh_texts:
            block, cursor = fresh[cursor : cursor + len(fresh_texts[i])], cursor + len(fresh_texts[i])
        else:
            assert stored is not None  # only unchanged chunks of an index with sentence vectors come here
            block = stored.for_chunk(row).astype(np.float32)
        blocks.append(block)
        rows += [i] * len(block)
    vectors = np.concatenate(blocks) if blocks else np.zeros((0, embedder.dimension), dtype=np.float32)
    return SentenceVectors(vectors, np.asarray(rows, dtype=np.int32))


def _embed(chunks: list[Chunk], embedder: Embedder, progress: Progress | None) -> np.ndarray:
    return _encode_sorted([embedding_text(c) for c in chunks], embedder, progress)


def _encode_sorted(
    texts: list[str], embedder: Embedder, progress: Progress | None = None, batch: int = 256
) -> np.ndarray:
    """Vectors of `texts`, in their order. Texts go to the encoder longest first, so each batch pads little
    and the progress bar still moves (sentence-transformers sorts only within one call)."""
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    vectors = np.zeros((len(texts), embedder.dimension), dtype=np.float32)
    for start in range(0, len(order), batch):
        rows = order[start : start + batch]
        vectors[rows] = embedder.encode([texts[i] for i in rows])
        if progress:
            progress(min(start + batch, len(order)), len(order))
    return vectors


def _manifest(
    old: Previous | None,
    wanted: list[Document],
    chunks: list[Chunk],
    embedder: Embedder,
    chunk_size: int,
    chunk_overlap: int,
) -> Manifest:
    ids: dict[str, list[str]] = {}
    for chunk in chunks:
        ids.setdefault(chunk.doc_id, []).append(chunk.chunk_id)
    entries = {
        doc.doc_id: DocumentEntry(
            key=doc.key,
            source=doc.source,
            title=doc.title,
            date=doc.date,
            url=doc.url,
            publisher=doc.publisher,
            heading=heading_of(doc.title, doc.text, doc.source),
            content_hash=doc.content_hash,
            chunk_ids=ids.get(doc.doc_id, []),
            chars=len(doc.text),
        )
        for doc in wanted
    }
    return Manifest(
        embedding_model=embedder.model_name,
        dimension=embedder.dimension,
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        created=old.manifest.created if old else now(),
        documents=entries,
        corpus=corpus_stats(entries.values()),
    )
