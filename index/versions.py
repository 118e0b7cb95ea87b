"""Versions on disk: a CURRENT file names the live version; writers are exclusive and swap atomically.

```
<index>/CURRENT          "v-000007"  (replaced with os.replace, so readers see old or new, never half)
<index>/v-000007/        one version's files (storage.py writes and reads them)
<index>/.lock            held by the one writer (fcntl.flock)
<index>/.tmp-<pid>-…/    a version being written; removed if its writer died
```
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import CorruptIndexError, IndexLockedError, IndexNotFoundError

CURRENT = "CURRENT"
KEEP_VERSIONS = 2


def current_version(root: Path) -> Path:
    """The folder of the live version, or IndexNotFoundError naming the command that builds one."""
    pointer = root / CURRENT
    if pointer.is_symlink():  # qa writes a plain file; a link may point at anything, and is never read
        raise CorruptIndexError(f"{str(pointer)!r} is a symbolic link, not the file qa writes. {rebuild_hint(root)}")
    if not pointer.is_file():
        raise IndexNotFoundError(f"No index at {str(root)!r}. Build one with: qa ingest data/articles --index {root}")
    try:
        with pointer.open("rb") as handle:
            name = handle.read(64).decode("ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise CorruptIndexError(f"{str(pointer)!r} cannot be read as a version name. {rebuild_hint(root)}") from exc
    if not re.fullmatch(r"v-\d{6}", name):  # its content is not echoed: it may be any file's
        raise CorruptIndexError(f"{str(pointer)!r} does not name an index version. {rebuild_hint(root)}")
    folder = root / name
    if not folder.is_dir():
        raise CorruptIndexError(f"{str(pointer)!r} names {name!r}, which is not an index version. {rebuild_hint(root)}")
    return folder


def rebuild_hint(root: Path) -> str:
    return f"Rebuild it with: qa ingest data/articles --index {root} --rebuild"


def versions(root: Path) -> list[Path]:
    """Every complete version folder, newest first."""
    return sorted((p for p in root.glob("v-[0-9]*") if p.is_dir() and re.fullmatch(r"v-\d{6}", p.name)), reverse=True)


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
    if pointer.is_file() and not pointer.is_symlink():
        live = pointer.read_bytes()[:64].decode("ascii", errors="replace").strip()
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
