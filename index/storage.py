"""On-disk layout with atomic updates: versions in sub-folders, a CURRENT file names the live one.

```
<index>/CURRENT          "v-000007"  (replaced with os.replace, so readers see old or new, never half)
<index>/v-000007/        manifest.json, chunks.jsonl, documents.jsonl, vectors.faiss, keyword/
<index>/.lock            held by the one writer (fcntl.flock)
<index>/.tmp-<pid>-…/    a version being written; removed if its writer died
```
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import ValidationError

from .errors import CorruptIndexError, IndexLockedError, IndexNotFoundError
from .keyword import KeywordIndex
from .manifest import FORMAT_VERSION, Manifest
from .records import Chunk, Document
from .store import Kind, VectorStore

CURRENT = "CURRENT"
KEEP_VERSIONS = 2


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


def current_version(root: Path) -> Path:
    """The folder of the live version, or IndexNotFoundError naming the command that builds one."""
    pointer = root / CURRENT
    if not pointer.is_file():
        raise IndexNotFoundError(
            f"No index at {str(root)!r}. Build one with: qa ingest data/articles --index {root}"
        )
    try:
        name = pointer.read_bytes().decode("ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise CorruptIndexError(f"{str(pointer)!r} cannot be read as a version name ({exc}). {rebuild_hint(root)}") \
            from exc
    folder = root / name
    if not re.fullmatch(r"v-\d{6}", name) or not folder.is_dir():
        raise CorruptIndexError(f"{str(pointer)!r} names {name!r}, which is not an index version. {rebuild_hint(root)}")
    return folder


def rebuild_hint(root: Path) -> str:
    return f"Rebuild it with: qa ingest data/articles --index {root} --rebuild"


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


def load(root: Path, folder: Path | None = None) -> IndexData:
    """Load the live version (or `folder`); a file that is unreadable, inconsistent or not what was written
    (its checksum differs) raises CorruptIndexError. CURRENT is read once, so a swap meanwhile cannot pair one
    version's manifest with another's files."""
    root = Path(root)
    folder = folder or current_version(root)
    manifest = read_manifest(root, folder)
    problem = verify(folder, manifest)
    if problem:
        raise CorruptIndexError(f"{problem}. Repair it with: qa ingest <paths> --index {root} (it rebuilds what "
                                "failed from an intact version and the files), or start over with --rebuild.")
    try:
        chunks = [Chunk.from_dict(row) for row in _read_jsonl(folder / "chunks.jsonl")]
        documents = {row["doc_id"]: Document(**row) for row in _read_jsonl(folder / "documents.jsonl")}
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise CorruptIndexError(f"Cannot read the chunks of {str(folder)!r}: {exc}. {rebuild_hint(root)}") from exc
    try:
        vectors = VectorStore.load(folder / "vectors.faiss")
        keywords = KeywordIndex.load(folder / "keyword")
    except CorruptIndexError as exc:
        raise CorruptIndexError(f"{exc} {rebuild_hint(root)}") from exc
    sentences = _load_sentences(folder, root, len(chunks)) if manifest.sentence_vectors else None
    if vectors.dimension != manifest.dimension:
        raise CorruptIndexError(f"The vectors of {str(folder)!r} have {vectors.dimension} dimensions; the manifest "
                                f"says {manifest.dimension}. {rebuild_hint(root)}")
    if not (len(chunks) == len(vectors) == keywords.n_docs == manifest.chunk_count):
        raise CorruptIndexError(
            f"Index {str(folder)!r} is inconsistent: {len(chunks)} chunks, {len(vectors)} vectors, "
            f"{keywords.n_docs} keyword rows, manifest says {manifest.chunk_count}. {rebuild_hint(root)}"
        )
    return IndexData(folder, manifest, chunks, documents, vectors, keywords, sentences)


def checksums(folder: Path) -> dict[str, str]:
    """sha256 of every file of a version but its manifest, by relative path."""
    return {str(p.relative_to(folder)): _sha256(p) for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "manifest.json"}


def verify(folder: Path, manifest: Manifest | None = None) -> str | None:
    """What is wrong with a version's files (missing, extra, or changed since written), or None. Versions
    written before checksums existed pass unchecked."""
    try:
        manifest = manifest or Manifest.model_validate_json((folder / "manifest.json").read_text())
    except (OSError, ValidationError, ValueError) as exc:
        return f"Cannot read {str(folder / 'manifest.json')!r}: {exc}"
    if not manifest.checksums:
        return None
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


def versions(root: Path) -> list[Path]:
    """Every complete version folder, newest first."""
    return sorted((p for p in root.glob("v-[0-9]*") if p.is_dir() and re.fullmatch(r"v-\d{6}", p.name)),
                  reverse=True)


def _load_sentences(folder: Path, root: Path, n_chunks: int) -> SentenceVectors:
    try:
        vectors = np.load(folder / "sentences.npy")
        rows = np.load(folder / "sentence_chunks.npy")
    except (OSError, ValueError) as exc:
        raise CorruptIndexError(f"Cannot read the sentence vectors of {str(folder)!r}: {exc}. {rebuild_hint(root)}") from exc
    if len(vectors) != len(rows) or (len(rows) and (rows.max() >= n_chunks or np.any(np.diff(rows) < 0))):
        raise CorruptIndexError(f"The sentence vectors of {str(folder)!r} do not match its chunks. {rebuild_hint(root)}")
    return SentenceVectors(vectors, rows)


def _read_jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


@contextlib.contextmanager
def writer_lock(root: Path) -> Iterator[None]:
    """Hold the index's writer lock; a second writer gets IndexLockedError at once."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IndexLockedError(
                f"Another process is writing the index at {str(root)!r}; wait for it to finish and try again."
            ) from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_version(root: Path, fill: Callable[[Path], None]) -> Path:
    """Write a new version with `fill(folder)`, then make it live atomically. Call under writer_lock."""
    _remove_stale(root)
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{os.getpid()}-", dir=root))
    try:
        fill(tmp)
        _fsync_tree(tmp)
        final = root / f"v-{_next_number(root):06d}"
        os.rename(tmp, final)
        _replace_file(root / CURRENT, final.name)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _prune_versions(root, keep=final.name)
    return final


def save_data(folder: Path, manifest: Manifest, chunks: list[Chunk], documents: list[Document],
              vectors: np.ndarray, vector_index: Kind = "auto", sentences: SentenceVectors | None = None) -> None:
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
    (folder / "manifest.json").write_text(manifest.model_dump_json(indent=1))


def keyword_text(chunk: Chunk) -> str:
    """BM25 sees title, publisher and passage, so names in headlines match."""
    return "\n".join(part for part in (chunk.title, chunk.publisher, chunk.text) if part)


def _next_number(root: Path) -> int:
    numbers = [int(p.name[2:]) for p in root.glob("v-[0-9]*") if re.fullmatch(r"v-\d{6}", p.name)]
    return max(numbers, default=0) + 1


def _replace_file(path: Path, content: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    for path in [folder, *(p for p in folder.rglob("*") if p.is_dir())]:
        _fsync_dir(path)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_stale(root: Path) -> None:
    """What writers that died (SIGKILL, power loss) left: their folders and pointer files, and the versions
    beyond KEEP_VERSIONS of a writer killed between the swap and the pruning; never the live version."""
    for tmp in [*root.glob(".tmp-*"), *root.glob(f".{CURRENT}.*.tmp")]:
        match = re.match(rf"\.(?:tmp-|{CURRENT}\.)(\d+)[-.]", tmp.name)
        if match and not _alive(int(match.group(1))):
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                tmp.unlink(missing_ok=True)
    pointer = root / CURRENT
    if pointer.is_file():
        live = pointer.read_bytes().decode("ascii", errors="replace").strip()
        if (root / live).is_dir():
            _prune_versions(root, keep=live)


def discard(folder: Path) -> None:
    """Remove a version that failed verification (never the live one: call after a new version is live)."""
    shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _prune_versions(root: Path, keep: str) -> None:
    versions = sorted(p for p in root.glob("v-[0-9]*") if p.is_dir() and p.name != keep)
    for old in versions[: max(0, len(versions) - (KEEP_VERSIONS - 1))]:
        shutil.rmtree(old, ignore_errors=True)
