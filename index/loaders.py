"""Read article files and JSON records into Documents, with title, date and source metadata."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from .dates import ambiguous_date, find_date, normalize_date
from .errors import DocumentError
from .records import Document

TEXT_EXTENSIONS = {".txt", ".md", ".markdown", ".html", ".htm"}
RECORD_EXTENSIONS = {".json", ".jsonl"}
SUPPORTED_EXTENSIONS = TEXT_EXTENSIONS | RECORD_EXTENSIONS
MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass
class LoadResult:
    """Documents read from the given paths, the files and folders that could not be read, and warnings about
    what was read but not as written (an invalid date, a repeated URL, a field of the wrong type)."""

    documents: list[Document] = field(default_factory=list)
    problems: list[DocumentError] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # resolved paths of the problems: never pruned

    def add_problem(self, problem: DocumentError, path: Path) -> None:
        self.problems.append(problem)
        self.unreadable.append(str(path.resolve()))


def load_paths(paths: Sequence[str | Path]) -> LoadResult:
    """Load every supported file under `paths` (files or folders, recursively; hidden files skipped)."""
    result = LoadResult()
    for raw in paths:
        path = Path(raw).expanduser()
        if not path.exists():
            raise DocumentError(str(raw), "no such file or folder")
        result.roots.append(str(path.resolve()))
        for file in _walk(path, result):
            try:
                result.documents.extend(
                    load_file(file, base=path if path.is_dir() else path.parent, warnings=result.warnings)
                )
            except DocumentError as exc:
                result.add_problem(exc, file)
    return result


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
    yield from sorted(f for f in files if f.is_file())


def load_file(path: Path, base: Path | None = None, warnings: list[str] | None = None) -> list[Document]:
    """Documents in one file: one for an article file, one per record for .json/.jsonl. What was read but not
    as written (an invalid date, say) is appended to `warnings`."""
    warnings = [] if warnings is None else warnings
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_EXTENSIONS:
        supported = ", ".join(sorted(SUPPORTED_EXTENSIONS))
        raise DocumentError(str(path), f"unsupported file type {suffix or '(none)'!r}; supported: {supported}")
    text = _read_text(path)
    source = str(path.relative_to(base)) if base else path.name
    key = str(path.resolve())
    if suffix in RECORD_EXTENSIONS:
        return _records(path, text, key, warnings)
    if suffix in {".html", ".htm"}:
        title, date, body = _parse_html(text)
    elif suffix in {".md", ".markdown"}:
        title, date, body = _parse_markdown(text, path)
    else:
        title, date, body = _parse_plain(text)
    if not body.strip():
        raise DocumentError(str(path), "no article text in it (empty after parsing)")
    _check_date(date, source, warnings)
    return [make_document(key=key, source=source, text=body, title=title, date=date)]


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


def make_document(*, key: str, source: str, text: str, **meta: Any) -> Document:
    """A Document with a stable id (from its key) and a content hash (from its text and metadata)."""
    doc_id = hashlib.sha1(key.encode()).hexdigest()[:16]
    meta = {k: (str(v).strip() if v not in (None, "") else None) for k, v in meta.items()}
    meta["date"] = normalize_date(meta.get("date"))
    digest = hashlib.sha256(json.dumps([text, meta], sort_keys=True).encode()).hexdigest()
    return Document(doc_id=doc_id, key=key, source=source, text=text, content_hash=digest, **meta)


def _read_text(path: Path) -> str:
    size = path.stat().st_size
    if size == 0:
        raise DocumentError(str(path), "the file is empty")
    if size > MAX_FILE_BYTES:
        raise DocumentError(str(path), f"the file is {size / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(
            str(path),
            f"cannot read the file ({exc.strerror or exc}); what is indexed from it is "
            "kept. Fix its permissions and ingest again.",
        ) from exc
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


class _HTMLText(HTMLParser):
    """Visible text of an HTML page, its <title>, and its publication-date meta tag."""

    _SKIP = {"script", "style", "noscript", "template", "head"}
    _BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self.date: str | None = None
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and (values.get("property") or values.get("name") or "").lower() in {
            "article:published_time",
            "date",
            "pubdate",
            "dc.date",
        }:
            self.date = self.date or values.get("content")
        if tag in self._BLOCK:
            self.parts.append("\n")
        self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self._stack and self._stack.pop() != tag:
            pass
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if "title" in self._stack:
            self.title += data
        elif not self._SKIP.intersection(self._stack):
            self.parts.append(data)


def _parse_html(text: str) -> tuple[str | None, str | None, str]:
    parser = _HTMLText()
    parser.feed(text)
    body = re.sub(r"\n\s*\n+", "\n\n", "".join(parser.parts)).strip()
    return parser.title.strip() or None, parser.date or find_date(body[:500]), body


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
