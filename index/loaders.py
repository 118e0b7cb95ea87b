"""Read article files and JSON records into Documents, with title, date and source metadata."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import FrameType
from typing import Any

import yaml

from .dates import ambiguous_date, find_date, normalize_date
from .errors import DocumentError
from .fetch import Fetcher, feed_links, is_url, without_credentials
from .paged import MAX_TEXT_CHARS, Paged
from .pdf import read_pdf
from .records import Document
from .sentences import addressed_to_assistant
from .webpage import read_webpage
from .word import read_docx

TEXT_EXTENSIONS = {".txt", ".md", ".markdown", ".html", ".htm"}
RECORD_EXTENSIONS = {".json", ".jsonl"}
BINARY_EXTENSIONS = {".pdf", ".docx"}
SUPPORTED_EXTENSIONS = TEXT_EXTENSIONS | RECORD_EXTENSIONS | BINARY_EXTENSIONS
MAX_FILE_BYTES = 50 * 1024 * 1024
# Example questions a folder of articles ships for the chat UI, one a line ("#" starts a comment). Hidden, so it is
# never read as an article; recorded in the manifest at ingest (docs/formats.md).
EXAMPLES_FILE = ".qa-examples"
MAX_EXAMPLE_CHARS = 300
MAX_EXAMPLES_BYTES = 100_000  # a few hundred questions; a larger file is not read
FILE_SECONDS = 60.0  # reading one file (IndexSettings.file_timeout)
# Page furniture that scraped article text keeps as a sentence of its own: "… the country. Loading Wall Street
# has …", "Advertisement" on a line between paragraphs. Only at a sentence's start and before a new sentence, so
# "the loading dock" and "Advertisement revenue fell" stay.
_PLACEHOLDER = re.compile(
    r"(?:^|(?<=[.!?…”\"’)\]][ \t\n]))[ \t]*(?:Loading|Advertisement|ADVERTISEMENT)(?:\.{3}|…| \. \. \.)?[ \t]*"
    r"(?=$|[A-Z“\"‘(])",
    re.M,
)

# ECMA-48 sequences: CSI (ESC [ or the 8-bit 0x9b) with its parameters, OSC/DCS/APC/PM (ESC ] P _ ^ or 0x9d …)
# up to BEL or ST (an unterminated one loses only its introducer), and two-character escapes
_CONTROL_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]P_^]|[\x9d\x90\x9e\x9f])[^\x07\x1b\x9c\n]{0,2048}(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[ -~]?"
)
_LINE_BREAK = re.compile(r"\r(?!\n)|[\x0b\x0c]")
_CONTROL_CHAR = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


@dataclass
class LoadResult:
    """Documents read from the given paths, the files and folders that could not be read, and warnings about
    what was read but not as written (an invalid date, a repeated URL, a field of the wrong type)."""

    documents: list[Document] = field(default_factory=list)
    problems: list[DocumentError] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # resolved paths of the problems: never pruned
    fetch_problems: list[DocumentError] = field(default_factory=list)  # URLs and feeds: skipped, never fatal
    examples: dict[str, list[str]] = field(default_factory=dict)  # each folder's EXAMPLES_FILE ([]: none)

    def add_problem(self, problem: DocumentError, path: Path) -> None:
        self.problems.append(problem)
        self.unreadable.append(str(path.resolve()))


def load_paths(
    paths: Sequence[str | Path],
    feeds: Sequence[str] = (),
    fetch: FetchLimits | None = None,
    file_seconds: float = FILE_SECONDS,
) -> LoadResult:
    """Load every supported file under `paths` (files or folders, recursively; hidden files skipped), the pages
    of the http(s) URLs among them and the entries of `feeds` (RSS/Atom URLs). A URL that cannot be fetched or
    read is a fetch problem: reported, never stopping the rest. A file that takes longer than `file_seconds` to
    read is a problem too (the limit holds in the main thread, where `qa ingest` reads)."""
    result = LoadResult()
    urls = [str(p) for p in paths if is_url(str(p))]
    if urls or feeds:
        _load_urls(urls, list(feeds), fetch or FetchLimits(), result)
    for raw in paths:
        if is_url(str(raw)):
            continue
        path = Path(raw).expanduser()
        if not path.exists():
            raise DocumentError(str(raw), "no such file or folder")
        result.roots.append(str(path.resolve()))
        if path.is_dir():
            _read_examples(path, result)
        for file in _walk(path, result):
            try:
                with _time_limit(file_seconds):
                    found = load_file(file, base=path if path.is_dir() else path.parent, warnings=result.warnings)
                result.documents.extend(found)
            except DocumentError as exc:
                result.add_problem(exc, file)
            except Exception as exc:  # noqa: BLE001 - a reader's own bug on a hostile file skips that file only
                reader = f"the reader failed on it ({type(exc).__name__}: {str(exc)[:200]}); check the file"
                result.add_problem(DocumentError(str(file), reader), file)
            except _TooSlow:
                reading = f"reading it took over {file_seconds:g} s (limit QA_FILE_TIMEOUT); split or convert it"
                result.add_problem(DocumentError(str(file), reading), file)
    return result


def _read_examples(folder: Path, result: LoadResult) -> None:
    """The example questions of `folder` (none without the file); one that cannot be read is a warning, and
    what the index recorded for the folder before is kept."""
    path = folder / EXAMPLES_FILE
    if not path.is_file():
        result.examples[str(folder.resolve())] = []
        return
    try:
        if path.stat().st_size > MAX_EXAMPLES_BYTES:
            result.warnings.append(f"{path}: example questions not read (over {MAX_EXAMPLES_BYTES:,} bytes)")
            return
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        result.warnings.append(f"{path}: example questions not read ({exc}); save it as UTF-8 text")
        return
    lines = [line.strip() for line in text.splitlines()]
    questions = [line for line in lines if line and not line.startswith("#")]
    long = [q for q in questions if len(q) > MAX_EXAMPLE_CHARS]
    if long:
        result.warnings.append(
            f"{path}: {len(long)} example question(s) longer than {MAX_EXAMPLE_CHARS} characters left out"
        )
    result.examples[str(folder.resolve())] = [q for q in questions if len(q) <= MAX_EXAMPLE_CHARS]


class _TooSlow(BaseException):
    """Raised by the interval timer in a loader that ran past its time: a BaseException, so that a loader's own
    `except Exception` cannot take it for a parse error."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise _TooSlow in the block after `seconds` (SIGALRM: the main thread only; elsewhere no limit). The alarm
    repeats every second until its exception gets out: one that lands while the garbage collector runs a finaliser
    (an HTTP client's `__del__`) waits for the next, since Python ignores (and reports) an exception raised there.
    A timer set before (pytest-timeout's) is set again afterwards, less the time used."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: FrameType | None) -> None:
        if not _in_finaliser(frame):
            raise _TooSlow

    previous = signal.signal(signal.SIGALRM, expired)
    started = time.monotonic()
    earlier, every = signal.setitimer(signal.ITIMER_REAL, seconds, min(seconds, 1.0))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if earlier > 0:
            signal.setitimer(signal.ITIMER_REAL, max(earlier - (time.monotonic() - started), 0.001), every)


def _in_finaliser(frame: FrameType | None) -> bool:
    """Is the interrupted code (or code that called it) an object's `__del__`?"""
    while frame is not None:
        if frame.f_code.co_name == "__del__":
            return True
        frame = frame.f_back
    return False


def snapshot(paths: Sequence[str | Path]) -> dict[str, tuple[int, int]]:
    """(modification time, size) of every supported file under the local `paths`: what --watch compares."""
    found = {}
    for raw in paths:
        if is_url(str(raw)) or not Path(raw).exists():
            continue
        examples = Path(raw) / EXAMPLES_FILE
        if examples.is_file():  # hidden, so _walk leaves it out; an edit to it is a change to ingest
            stat = examples.stat()
            found[str(examples)] = (stat.st_mtime_ns, stat.st_size)
        for file in _walk(Path(raw), LoadResult()):
            if file.suffix.lower() in SUPPORTED_EXTENSIONS:
                try:
                    stat = file.stat()
                except OSError:
                    continue
                found[str(file)] = (stat.st_mtime_ns, stat.st_size)
    return found


def _walk(path: Path, result: LoadResult) -> Iterator[Path]:
    """Files under `path`, sorted; a folder that cannot be listed is a problem, not an empty folder."""
    if path.is_file():
        yield path
        return

    def unreadable(error: OSError) -> None:
        folder = Path(error.filename or path)
        result.add_problem(
            DocumentError(
                str(folder),
                f"cannot read this folder ({error.strerror or error}); "
                "what is indexed from it is kept. Fix its permissions and ingest again.",
            ),
            folder,
        )

    files = []
    for folder, subfolders, names in os.walk(path, onerror=unreadable):
        subfolders[:] = [d for d in subfolders if not d.startswith(".")]
        files += [Path(folder) / name for name in names if not name.startswith(".")]
    root = path.resolve()
    for file in sorted(f for f in files if f.is_file()):
        if not _encodable(file.name):
            result.warnings.append(f"{_printable(file)}: skipped: its name is not valid UTF-8; rename it to index it")
        elif file.is_symlink() and not file.resolve().is_relative_to(root):
            result.warnings.append(
                f"{file}: skipped: a link to a file outside {path} (links leaving the folder are not followed; "
                "copy the file in to index it)"
            )
        else:
            yield file


def _encodable(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8 come back from the file system as surrogates
        return False
    return True


def _printable(path: Path) -> str:
    return str(path).encode("utf-8", "replace").decode("utf-8")


def load_file(path: Path, base: Path | None = None, warnings: list[str] | None = None) -> list[Document]:
    """Documents in one file: one for an article file, one per record for .json/.jsonl. What was read but not
    as written (an invalid date, say) is appended to `warnings`."""
    warnings = [] if warnings is None else warnings
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_EXTENSIONS:
        supported = ", ".join(sorted(SUPPORTED_EXTENSIONS))
        raise DocumentError(str(path), f"unsupported file type {suffix or '(none)'!r}; supported: {supported}")
    source = str(path.relative_to(base)) if base else path.name
    key = str(path.resolve())
    suffix = _by_content(path, suffix, warnings)
    if suffix in BINARY_EXTENSIONS:
        data = _read_bytes(path)
        paged = read_pdf(str(path), data) if suffix == ".pdf" else read_docx(str(path), data)
        return [_paged_document(paged, key, source, warnings)]
    text = _read_text(path)
    if suffix in RECORD_EXTENSIONS:
        return _records(path, text, key, warnings)
    if suffix in {".html", ".htm"}:
        return [_paged_document(read_webpage(str(path), text), key, source, warnings)]
    if suffix in {".md", ".markdown"}:
        title, date, body = _parse_markdown(text, path)
    else:
        title, date, body = _parse_plain(text)
    body = _article_text(str(path), body)
    _check_date(date, source, warnings)
    return [make_document(key=key, source=source, text=body, title=title, date=date)]


def _by_content(path: Path, suffix: str, warnings: list[str]) -> str:
    """The extension whose loader reads the file: what its first bytes say when they say PDF or Word (a PDF named
    .txt was indexed as PDF syntax), else what its name says."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        return suffix  # reading it again reports why
    actual = ".pdf" if head.startswith(b"%PDF-") else ".docx" if head.startswith(b"PK\x03\x04") else suffix
    if actual != suffix:
        what = "a PDF" if actual == ".pdf" else "a zip archive (read as a Word file)"
        warnings.append(f"{path}: its content is {what}, not what its name ({suffix}) says; read as what it is")
    return actual


def _paged_document(paged: Paged, key: str, source: str, warnings: list[str]) -> Document:
    """A Document from a web page, PDF or Word file; a PDF's page starts are kept for "p. 4" in citations."""
    cleaned = [_without_placeholders(without_controls(page)) for page in paged.pages]
    _require_text(source, "".join(paged.pages), "".join(cleaned))
    text, pages = replace(paged, pages=cleaned).text_and_offsets()
    _check_date(paged.date, source, warnings)
    url = paged.url if paged.url and is_url(paged.url) else None
    return make_document(
        key=key,
        source=source,
        text=text,
        pages=pages,
        title=paged.title,
        date=paged.date,
        url=url,
        publisher=paged.publisher,
    )


@dataclass(frozen=True)
class FetchLimits:
    """How URLs and feeds are fetched (IndexSettings.fetch_timeout / fetch_max_bytes)."""

    timeout: float = 20.0
    max_bytes: int = 20_000_000


def _load_urls(urls: list[str], feeds: list[str], limits: FetchLimits, result: LoadResult) -> None:
    with Fetcher(limits.timeout, limits.max_bytes) as fetcher:
        for feed in feeds:
            try:
                urls += [link for link in feed_links(fetcher, feed, result.warnings) if link not in urls]
            except DocumentError as exc:
                result.fetch_problems.append(exc)
        for url in urls:
            try:
                result.documents.append(_load_url(fetcher, url, result.warnings))
            except DocumentError as exc:
                result.fetch_problems.append(exc)
                result.unreadable.append(without_credentials(url))


def _load_url(fetcher: Fetcher, url: str, warnings: list[str]) -> Document:
    """One fetched page (HTML, PDF or plain text); its URL (without a user:password@ part) is its key and source."""
    fetched = fetcher.get(url)
    url = without_credentials(url)
    kind = fetched.content_type
    if kind in ("text/html", "application/xhtml+xml") or (not kind and fetched.body.lstrip()[:1] == b"<"):
        paged = read_webpage(url, fetched.body.decode("utf-8", "replace"), url=fetched.url)
    elif kind == "application/pdf" or fetched.body[:5] == b"%PDF-":
        paged = read_pdf(url, fetched.body)
    elif kind.startswith("text/"):
        title, date, body = _parse_plain(fetched.body.decode("utf-8", "replace"))
        paged = Paged(pages=[body], title=title, date=date)
    else:
        raise DocumentError(url, f"unsupported content type {kind or '(none)'!r}; expected an HTML page or a PDF")
    if not paged.url:
        paged.url = fetched.url
    return _paged_document(paged, url, url, warnings)


def _check_date(raw: object, where: str, warnings: list[str]) -> None:
    """Warn about a date that is stored as none (unreadable or impossible) or read one of two ways."""
    if raw in (None, ""):
        return
    day = normalize_date(raw)
    if day is None:
        warnings.append(f"{where}: the date {str(raw)[:40]!r} is not a valid date; stored without a date")
    elif ambiguous_date(str(raw)):
        warnings.append(
            f"{where}: the date {str(raw)[:40]!r} could be day or month first; read as {day} "
            "(month first). Write dates as YYYY-MM-DD to be sure."
        )


def make_document(*, key: str, source: str, text: str, pages: tuple[int, ...] = (), **meta: Any) -> Document:
    """A Document with a stable id (from its key) and a content hash (from its text and metadata)."""
    if len(text) > MAX_TEXT_CHARS:
        raise DocumentError(source, f"its text is {len(text):,} characters (limit {MAX_TEXT_CHARS:,})")
    doc_id = hashlib.sha1(key.encode()).hexdigest()[:16]
    meta = {k: (without_controls(str(v)).strip() if v not in (None, "") else None) for k, v in meta.items()}
    meta["date"] = normalize_date(meta.get("date"))
    if meta.get("title") and addressed_to_assistant(meta["title"]):  # a PDF /Title addressed to an assistant
        meta["title"] = None
    hashed: list[Any] = [text, meta, list(pages)] if pages else [text, meta]
    digest = hashlib.sha256(json.dumps(hashed, sort_keys=True).encode()).hexdigest()
    return Document(doc_id=doc_id, key=key, source=source, text=text, content_hash=digest, pages=pages, **meta)


def _article_text(where: str, text: str) -> str:
    """The text without control sequences and placeholders; a DocumentError when nothing is left, so that a page
    holding only "Loading" or "Advertisement" is reported as unreadable rather than indexed as an empty article."""
    cleaned = _without_placeholders(without_controls(text))
    _require_text(where, text, cleaned)
    return cleaned


def _require_text(where: str, raw: str, cleaned: str) -> None:
    if not cleaned.strip():
        leftover = " (only page placeholders such as 'Loading' or 'Advertisement')" if raw.strip() else ""
        raise DocumentError(where, f"no article text in it{leftover}; check the file's article body")


def without_controls(text: str) -> str:
    """`text` without terminal control sequences and control characters: an article's colour code, OSC 8 link or
    window title is no part of what it says, and its digits ("\\x1b[31m") must never become an answer. A lone CR,
    a form feed or a vertical tab is a line break; tabs and newlines stay."""
    return _CONTROL_CHAR.sub("", _LINE_BREAK.sub("\n", _CONTROL_SEQUENCE.sub("", text)))


def _without_placeholders(text: str) -> str:
    """The text without the placeholders a web page's widgets leave in scraped text ("Loading", "Advertisement"),
    which would otherwise be quoted in citations ("… kidswear”. Loading Google rejected this …")."""
    return _PLACEHOLDER.sub("", text)


def _read_text(path: Path) -> str:
    data = _read_bytes(path)
    if b"\x00" in data[:8192]:
        raise DocumentError(str(path), "binary file (contains NUL bytes); convert it to text first")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            str(path),
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            f"convert it, e.g. `iconv -f WINDOWS-1252 -t UTF-8 {path.name} > fixed.txt`",
        ) from exc


def _read_bytes(path: Path) -> bytes:
    size = path.stat().st_size
    if size == 0:
        raise DocumentError(str(path), "the file is empty")
    if size > MAX_FILE_BYTES:
        raise DocumentError(str(path), f"the file is {size / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DocumentError(
            str(path),
            f"cannot read the file ({exc.strerror or exc}); what is indexed from it is "
            "kept. Fix its permissions and ingest again.",
        ) from exc


def _parse_plain(text: str) -> tuple[str | None, str | None, str]:
    """A title is a short first line without final punctuation; a date is one written in the first lines."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = None
    if lines and len(lines[0]) <= 160 and not re.search(r"[.!?:;,]$", lines[0]) and len(lines) > 1:
        title = lines[0]
    head = "\n".join(lines[:6])
    return title, find_date(head), text


def _parse_markdown(text: str, path: Path) -> tuple[str | None, str | None, str]:
    """YAML front matter (title, date) if any, else the first `# heading` and a date in the first lines."""
    meta: dict[str, Any] = {}
    body = text
    front = re.match(r"^---\s*\n(.*?)\n---\s*\n", text, re.S)
    if front:
        if _has_aliases(front.group(1)):  # a 438-byte alias bomb expanded past 4 GB in safe_load
            raise DocumentError(
                str(path),
                "its front matter uses YAML anchors or aliases (&name, *name), which are not read: "
                "write each value out (skipped: limit, no aliases)",
            )
        try:
            loaded = yaml.safe_load(front.group(1))
        except yaml.YAMLError as exc:
            raise DocumentError(
                str(path),
                f"its front matter is not valid YAML ({str(exc).splitlines()[0]}); "
                'quote values that contain a colon, e.g. title: "EU: the deal"',
            ) from exc
        meta = {str(k).lower(): v for k, v in loaded.items()} if isinstance(loaded, dict) else {}
        body = text[front.end() :]
    heading = re.search(r"^#\s+(.+)$", body, re.M)
    title = meta.get("title") or (heading.group(1).strip() if heading else None)
    date = meta.get("date") or find_date("\n".join(body.splitlines()[:6]))
    return (str(title) if title is not None else None), (str(date) if date is not None else None), body


def _has_aliases(text: str) -> bool:
    """Does the YAML use anchors or aliases? Scanned token by token, before anything is built."""
    try:
        return any(isinstance(token, (yaml.AnchorToken, yaml.AliasToken)) for token in yaml.scan(text))
    except yaml.YAMLError:
        return False  # not valid YAML: safe_load says so


_TEXT_FIELDS = ("title", "published_at", "date", "url", "source")


def _records(path: Path, text: str, key: str, warnings: list[str]) -> list[Document]:
    try:
        if path.suffix.lower() == ".jsonl":
            records = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            data = json.loads(text)
            records = data if isinstance(data, list) else [data]
    except json.JSONDecodeError as exc:
        raise DocumentError(str(path), f"invalid JSON at line {exc.lineno}: {exc.msg}") from exc
    except RecursionError as exc:
        raise DocumentError(
            str(path),
            "the JSON is nested too deeply to be article records (expected a list of objects, or one object per line)",
        ) from exc
    documents: list[Document] = []
    seen: dict[str, int] = {}
    for i, record in enumerate(records):
        if not isinstance(record, dict):
            raise DocumentError(str(path), f"record {i} is not an object")
        body = record.get("body") or record.get("text") or record.get("content")
        if not isinstance(body, str) or not body.strip():
            raise DocumentError(str(path), f"record {i} has no 'body' (or 'text'/'content') string")
        body = _article_text(f"{path} record {i}", body)
        fields = _text_fields(record, f"{path.name} record {i}", warnings)
        _check_text(path, i, [body, *fields.values()])
        url = fields.get("url")
        if url in seen:
            warnings.append(
                f"{path.name}: records {seen[url]} and {i} have the same url {url!r}; record {i} is "
                f"kept and record {seen[url]} dropped. Give each article its own url."
            )
            documents = [d for d in documents if d.key != f"{key}#{url}"]
        if url:
            seen[url] = i
        date = fields.get("published_at") or fields.get("date")
        _check_date(date, f"{path.name} record {i}", warnings)
        documents.append(
            make_document(
                key=f"{key}#{url or i}",
                source=str(fields.get("source") or url or f"{path.name}#{i}"),
                text=body,
                title=fields.get("title"),
                date=date,
                url=url,
                publisher=fields.get("source"),
            )
        )
    return documents


def _text_fields(record: dict, where: str, warnings: list[str]) -> dict[str, str]:
    """The metadata fields that are text; a field of another type is ignored with a warning, never stored as
    Python's rendering of it (`{'en': 'Title'}`)."""
    fields = {}
    for name in _TEXT_FIELDS:
        value = record.get(name)
        if value in (None, ""):
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool) and name != "url":
            value = str(value)
        if not isinstance(value, str):
            warnings.append(f"{where}: {name!r} is {type(value).__name__}, not text; ignored")
            continue
        fields[name] = value
    return fields


def _check_text(path: Path, i: int, values: list[str]) -> None:
    for value in values:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise DocumentError(
                str(path),
                f"record {i} has an invalid character (a lone surrogate such as "
                f"\\u{ord(value[exc.start]):04x} at offset {exc.start}); fix the JSON text",
            ) from exc
