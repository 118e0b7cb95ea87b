"""One version's files: manifest.json (with checksums), chunks.jsonl, documents.jsonl, vectors.faiss, keyword/,
and optionally sentences.npy; written by save_data, read and verified by load. versions.py makes them live."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import ValidationError

from .corpus import complete
from .errors import CorruptIndexError
from .keyword import KeywordIndex, keyword_text
from .manifest import FORMAT_VERSION, Manifest
from .records import Chunk, Document
from .vectors import Kind, VectorStore
from .versions import current_version, rebuild_hint


@dataclass
class IndexData:
    """Everything one index version holds, loaded into memory."""

    path: Path
    manifest: Manifest
    chunks: list[Chunk]
    documents: dict[str, Document]
    vectors: VectorStore
    keywords: KeywordIndex
    sentences: SentenceVectors | None = None


@dataclass
class SentenceVectors:
    """Vectors of the prose sentences of every chunk (optional, `qa ingest --sentence-vectors`), float16.

    Sentence i belongs to chunk row `chunk_rows[i]`; rows are sorted, so a chunk's sentences are contiguous."""

    vectors: np.ndarray
    chunk_rows: np.ndarray

    def of(self, rows: np.ndarray | list[int]) -> tuple[np.ndarray, np.ndarray]:
        """(sentence vectors, owning chunk row) of the given chunk rows."""
        rows = np.asarray(rows, dtype=np.int64)
        starts = np.searchsorted(self.chunk_rows, rows, side="left")
        ends = np.searchsorted(self.chunk_rows, rows, side="right")
        picks = np.concatenate([np.arange(a, b) for a, b in zip(starts, ends)]) if len(rows) else np.zeros(0, int)
        return self.vectors[picks.astype(np.int64)], self.chunk_rows[picks.astype(np.int64)]

    def for_chunk(self, row: int) -> np.ndarray:
        a, b = np.searchsorted(self.chunk_rows, [row, row + 1])
        return self.vectors[a:b]


def read_manifest(root: Path, folder: Path | None = None) -> Manifest:
    """The manifest of `folder` (default: the live version)."""
    folder = folder or current_version(root)
    try:
        manifest = Manifest.model_validate_json((folder / "manifest.json").read_text())
    except (OSError, ValidationError, ValueError) as exc:
        raise CorruptIndexError(f"Cannot read {str(folder / 'manifest.json')!r}: {exc}. {rebuild_hint(root)}") from exc
    if manifest.format_version != FORMAT_VERSION:
        raise CorruptIndexError(
            f"Index format {manifest.format_version} is not the supported {FORMAT_VERSION}. {rebuild_hint(root)}"
        )
    return manifest


def load(root: str | Path, folder: Path | None = None) -> IndexData:
    """Load the live version (or `folder`); a file that is unreadable, inconsistent or not what was written
    (its checksum differs) raises CorruptIndexError. CURRENT is read once, so a swap meanwhile cannot pair one
    version's manifest with another's files."""
    root = Path(root)
    folder = folder or current_version(root)
    manifest = read_manifest(root, folder)
    problem = verify(folder, manifest)
    if problem:
        raise CorruptIndexError(
            f"{problem}. Repair it with: qa ingest <paths> --index {root} (it rebuilds what "
            "failed from an intact version and the files), or start over with --rebuild."
        )
    try:
        chunks = [Chunk.from_dict(row) for row in _read_jsonl(folder / "chunks.jsonl")]
        documents = {
            row["doc_id"]: Document(**{**row, "pages": tuple(row.get("pages") or ())})
            for row in _read_jsonl(folder / "documents.jsonl")
        }
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise CorruptIndexError(f"Cannot read the chunks of {str(folder)!r}: {exc}. {rebuild_hint(root)}") from exc
    try:
        vectors = VectorStore.load(folder / "vectors.faiss")
        keywords = KeywordIndex.load(folder / "keyword")
    except CorruptIndexError as exc:
        raise CorruptIndexError(f"{exc} {rebuild_hint(root)}") from exc
    sentences = _load_sentences(folder, root, len(chunks)) if manifest.sentence_vectors else None
    if vectors.dimension != manifest.dimension:
        raise CorruptIndexError(
            f"The vectors of {str(folder)!r} have {vectors.dimension} dimensions; the manifest "
            f"says {manifest.dimension}. {rebuild_hint(root)}"
        )
    if not (len(chunks) == len(vectors) == keywords.n_docs == manifest.chunk_count):
        raise CorruptIndexError(
            f"Index {str(folder)!r} is inconsistent: {len(chunks)} chunks, {len(vectors)} vectors, "
            f"{keywords.n_docs} keyword rows, manifest says {manifest.chunk_count}. {rebuild_hint(root)}"
        )
    # a version written before headings and the corpus summary existed gets them now, once
    return IndexData(folder, complete(manifest, documents), chunks, documents, vectors, keywords, sentences)


def checksums(folder: Path) -> dict[str, str]:
    """sha256 of every file of a version but its manifest, by relative path."""
    return {
        str(p.relative_to(folder)): _sha256(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "manifest.json"
    }


def verify(folder: Path, manifest: Manifest | None = None) -> str | None:
    """What is wrong with a version's files (missing, extra, or changed since written) or its manifest (edited
    fields, no checksums), or None. A manifest written before digests existed has its files checked only."""
    try:
        manifest = manifest or Manifest.model_validate_json((folder / "manifest.json").read_text())
    except (OSError, ValidationError, ValueError) as exc:
        return f"Cannot read {str(folder / 'manifest.json')!r}: {exc}"
    if manifest.edited():
        return (
            f"{str(folder / 'manifest.json')!r} was changed since it was written (its fields do not match its digest)"
        )
    if not manifest.checksums:
        manifest_path = str(folder / "manifest.json")
        return f"{manifest_path!r} lists no file checksums (qa always writes them): it was changed or damaged"
    try:
        found = checksums(folder)
    except OSError as exc:
        return f"Cannot read the files of {str(folder)!r}: {exc}"
    changed = sorted(name for name, digest in manifest.checksums.items() if found.get(name) != digest)
    if changed:
        what = "missing or changed" if any(n not in found for n in changed) else "changed"
        return f"Index files of {str(folder)!r} are {what} since they were written: {', '.join(changed[:5])}"
    return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _load_sentences(folder: Path, root: Path, n_chunks: int) -> SentenceVectors:
    try:
        vectors = np.load(folder / "sentences.npy")
        rows = np.load(folder / "sentence_chunks.npy")
    except (OSError, ValueError) as exc:
        raise CorruptIndexError(
            f"Cannot read the sentence vectors of {str(folder)!r}: {exc}. {rebuild_hint(root)}"
        ) from exc
    if len(vectors) != len(rows) or (len(rows) and (rows.max() >= n_chunks or np.any(np.diff(rows) < 0))):
        raise CorruptIndexError(
            f"The sentence vectors of {str(folder)!r} do not match its chunks. {rebuild_hint(root)}"
        )
    return SentenceVectors(vectors, rows)


def _read_jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def save_data(
    folder: Path,
    manifest: Manifest,
    chunks: list[Chunk],
    documents: list[Document],
    vectors: np.ndarray,
    vector_index: Kind = "auto",
    sentences: SentenceVectors | None = None,
) -> None:
    """Write one version's files into `folder`; `manifest.vector_index` is set to the FAISS index built."""
    with (folder / "chunks.jsonl").open("w", encoding="utf-8") as handle:
        for chunk in chunks:
            handle.write(json.dumps(chunk.to_dict(), ensure_ascii=False) + "\n")
    with (folder / "documents.jsonl").open("w", encoding="utf-8") as handle:
        for document in documents:
            handle.write(json.dumps(document.to_dict(), ensure_ascii=False) + "\n")
    store = VectorStore.build(vectors, manifest.dimension, vector_index)
    store.save(folder / "vectors.faiss")
    manifest.vector_index = store.kind
    KeywordIndex.build([keyword_text(c) for c in chunks]).save(folder / "keyword")
    manifest.sentence_vectors = sentences is not None
    if sentences is not None:
        np.save(folder / "sentences.npy", sentences.vectors.astype(np.float16))
        np.save(folder / "sentence_chunks.npy", sentences.chunk_rows.astype(np.int32))
    manifest.checksums = checksums(folder)
    manifest.seal()
    (folder / "manifest.json").write_text(manifest.model_dump_json(indent=1))
