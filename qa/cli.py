"""The `qa` command line: ingest, ask, retrieve, info, api, serve, eval. Errors print one line and exit 1."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, Literal

import click

from index import EXAMPLES_FILE, IndexSettings, QAError

from .markup import raised_marks, terminal_json, terminal_text
from .settings import Settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

INDEX_HELP = "Index folder (default: QA_INDEX_DIR or .qa/index)."


def friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the library's typed errors into a one-line message and exit code 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except QAError as exc:
            raise click.ClickException(terminal_text(str(exc))) from exc
        except KeyboardInterrupt:
            _echo("Interrupted; the index is unchanged unless the swap had completed.", err=True)
            sys.exit(130)

    return wrapper


def _echo(text: Any = "", **kwargs: Any) -> None:
    """click.echo for text that may hold article text or file names: no terminal control characters."""
    click.echo(terminal_text(str(text)), **kwargs)


def _echo_json(text: str) -> None:
    click.echo(terminal_json(text))


def settings_from(**overrides: Any) -> Settings:
    """Settings from the environment, with the CLI flags that were given on top."""
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="article-qa")
def cli() -> None:
    """Answer questions about your articles, with citations the system checks.

    \b
    qa ingest data/articles          build or update the index
    qa ask "How large was EU-Vietnam trade in 2025?"
    qa info                          what is indexed
    qa serve                         the chat UI on http://127.0.0.1:7860
    qa api                           the HTTP API on http://127.0.0.1:8000 (OpenAI-compatible)
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--feed", "feeds", multiple=True, help="An RSS/Atom feed URL: its entries' pages are ingested.")
@click.option("--watch", is_flag=True, help="Keep running: ingest again whenever a file under PATHS changes.")
@click.option("--interval", type=float, default=2.0, show_default=True, help="Seconds between looks (--watch).")
@click.option("--index", "index_dir", type=click.Path(path_type=Path), help=INDEX_HELP)
@click.option("--rebuild", is_flag=True, help="Re-embed everything (needed after changing model or chunking).")
@click.option("--skip-bad", is_flag=True, help="Index the readable files and list the others, instead of stopping.")
@click.option("--no-prune", is_flag=True, help="Keep documents whose files are gone from PATHS.")
@click.option("--chunk-size", type=int, help="Chunk size in tokens (default 256).")
@click.option("--chunk-overlap", type=int, help="Tokens of overlap (default 32).")
@click.option(
    "--vector-index",
    type=click.Choice(["auto", "flat", "ivf", "hnsw"]),
    help="FAISS index type (default auto: exact up to 50,000 chunks, IVF above).",
)
@click.option(
    "--sentence-vectors/--no-sentence-vectors",
    default=None,
    help="Also embed every sentence, for the max-sim reranker (about doubles embedding time).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@friendly
def ingest(
    paths: tuple[str, ...],
    feeds: tuple[str, ...],
    watch: bool,
    interval: float,
    index_dir: Path | None,
    rebuild: bool,
    skip_bad: bool,
    no_prune: bool,
    chunk_size: int | None,
    chunk_overlap: int | None,
    vector_index: str | None,
    sentence_vectors: bool | None,
    quiet: bool,
) -> None:
    """Add, update or remove articles in the index: files and folders (.txt .md .html .pdf .docx, .json/.jsonl
    records), web pages by URL, the entries of --feed. Idempotent; with --watch it keeps the index in step."""
    from index import ingest as run_ingest

    if not paths and not feeds:
        raise click.UsageError("Give PATHS (files, folders or URLs) or --feed URL.")
    settings = settings_from(
        index_dir=index_dir, chunk_size=chunk_size, chunk_overlap=chunk_overlap, vector_index=vector_index
    )
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if quiet:
            return
        if bar is None:
            from tqdm import tqdm

            bar = tqdm(total=total, unit="chunk", desc="Embedding", file=sys.stderr)
        bar.update(done - bar.n)

    def once(rebuild: bool) -> None:
        nonlocal bar
        report = run_ingest(
            list(paths),
            settings.index,
            prune=not no_prune,
            skip_bad=skip_bad or watch,
            rebuild=rebuild,
            sentence_vectors=sentence_vectors,
            progress=progress,
            feeds=feeds,
        )
        if bar is not None:
            bar.close()
            bar = None
        _print_report(report, settings.index.location)
        if report.changed or not watch:
            _print_stages(settings.index)

    if watch:
        _watch(paths, interval, once, rebuild)
        return
    once(rebuild)


def _watch(paths: tuple[str, ...], interval: float, once: Callable[[bool], None], rebuild: bool) -> None:
    """Ingest now, then again whenever a file under `paths` is added, changed or removed; Ctrl-C stops."""
    import time

    from index import snapshot

    _echo(f"Watching {', '.join(paths)} every {interval:g} s (Ctrl-C stops).", err=True)
    seen = None
    try:
        while True:
            now = snapshot(paths)
            if now != seen:
                try:
                    once(rebuild and seen is None)
                except QAError as exc:  # a bad moment (a file half-written): say so and look again
                    _echo(f"error: {exc}", err=True)
                seen = now
            time.sleep(interval)
    except KeyboardInterrupt:
        _echo("Stopped watching; the index is as last written.", err=True)


def _print_stages(index: IndexSettings) -> None:
    """Which retrieval stages the live index supports (the reranker needs sentence vectors)."""
    from index import live_manifest

    manifest = live_manifest(index)
    rerank = (
        "sentence rerank"
        if manifest.sentence_vectors
        else "no sentence rerank (add it with: qa ingest PATHS --sentence-vectors)"
    )
    _echo(
        f"Retrieval stages: dense ({manifest.vector_index}) + BM25 with z-score fusion, named publishers "
        f"and dates, sub-questions, part interleaving, {rerank}."
    )


def _print_report(report: Any, where: str) -> None:
    for label, names in (("added", report.added), ("updated", report.updated), ("removed", report.removed)):
        for name in names[:10]:
            _echo(f"  {label:8} {name}")
        if len(names) > 10:
            _echo(f"  {label:8} … and {len(names) - 10:,} more")
    for problem in report.skipped:
        _echo(f"  skipped  {problem}", err=True)
    for warning in report.warnings:
        _echo(f"  warning  {warning}", err=True)
    if report.examples is not None:
        _echo(f"  examples {report.examples} example question(s) for the chat UI (from {EXAMPLES_FILE} files)")
    if not report.changed:
        _echo(f"Index {where} is up to date: {report.unchanged} unchanged document(s), nothing written.")
        return
    rate = report.chunks_embedded / report.timings["embed"] if report.timings.get("embed") else 0.0
    _echo(
        f"Index {where} ({report.version}): {len(report.added)} added, {len(report.updated)} updated, "
        f"{len(report.removed)} removed, {report.unchanged} unchanged; {report.documents_total} documents, "
        f"{report.chunks_total} chunks; embedded {report.chunks_embedded} chunks in "
        f"{report.timings.get('embed', 0):.1f}s ({rate:.0f} chunks/s), total {report.timings['total']:.1f}s."
    )


def _filters(date_from: str | None, date_to: str | None, sources: tuple[str, ...]) -> Any:
    from .retrieval import Filters

    return Filters.make(date_from, date_to, list(sources))


filter_options = [
    click.option("--from", "date_from", help="Only articles dated on or after this date."),
    click.option("--to", "date_to", help="Only articles dated on or before this date."),
    click.option("--source", "sources", multiple=True, help="Only articles whose source/publisher contains this."),
]


def with_filters(func: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(filter_options):
        func = option(func)
    return func


@cli.command()
@click.argument("question")
@click.option("--index", "index_dir", type=click.Path(path_type=Path), help=INDEX_HELP)
@click.option(
    "--generator",
    "-g",
    type=click.Choice(["local", "openai", "extractive"]),
    help="Default: extractive (QA_GENERATOR).",
)
@click.option("--top-k", "-k", type=int, help="Passages to retrieve (default 5).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (answer, refused, citations, timings).")
@click.option("--stream", is_flag=True, help="Show the model's draft on stderr as it is generated.")
@with_filters
@friendly
def ask(
    question: str,
    index_dir: Path | None,
    generator: str | None,
    top_k: int | None,
    as_json: bool,
    stream: bool,
    date_from: str | None,
    date_to: str | None,
    sources: tuple[str, ...],
) -> None:
    """Answer QUESTION from the indexed articles, with verified citations."""
    from .assistant import Assistant
    from .records import Answer, Done, Token

    settings = settings_from(index_dir=index_dir, generator=generator, top_k=top_k)
    assistant = Assistant.load(settings=settings)
    answer: Answer | None = None
    for event in assistant.stream(question, filters=_filters(date_from, date_to, sources)):
        if isinstance(event, Token) and stream:
            _echo(event.text, nl=False, err=True)
        elif isinstance(event, Done):
            answer = event.answer
    if stream:
        _echo("", err=True)
    assert answer is not None  # stream() always ends with Done
    if as_json:
        _echo_json(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return
    if answer.short:
        _echo(f"Answer: {answer.short}\n")
    _echo(answer.text)
    for part in answer.parts:
        where = f"[{part.n}]" if part.found else part.not_found
        _echo(f"  - {part.text}: {where}" + (" (stated otherwise)" if part.contradicted else ""))
    _echo("\nClosest passages:" if answer.refused else "\nSources:")
    for c in answer.citations:
        heading = " · ".join(filter(None, (c.title, c.date, c.source, c.where)))
        _echo(f"[{c.n}] {heading}\n    “{raised_marks(c.quote)}”")  # the article's own [2][5] set apart
    t = answer.timings
    _echo(f"\n({answer.generator}; retrieve {t.get('retrieve', 0) * 1000:.0f} ms, total {t['total']:.2f} s)", err=True)


@cli.command()
@click.argument("question")
@click.argument("draft")
@click.option("--index", "index_dir", type=click.Path(path_type=Path), help=INDEX_HELP)
@click.option("--top-k", "-k", type=int, help="Passages to check against (default 5).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, one object per sentence.")
@with_filters
@friendly
def verify(
    question: str,
    draft: str,
    index_dir: Path | None,
    top_k: int | None,
    as_json: bool,
    date_from: str | None,
    date_to: str | None,
    sources: tuple[str, ...],
) -> None:
    """Check DRAFT, an answer to QUESTION written elsewhere ("-" reads it from stdin), against the articles:
    each sentence is supported by one article sentence, or not, and why. Exits 1 when a sentence is not."""
    from .assistant import Assistant

    text = sys.stdin.read() if draft == "-" else draft
    assistant = Assistant.load(settings=settings_from(index_dir=index_dir))
    claims = assistant.verify(question, text, top_k=top_k, filters=_filters(date_from, date_to, sources))
    if as_json:
        _echo_json(json.dumps([c.to_dict() for c in claims], ensure_ascii=False, indent=2))
    for c in [] if as_json else claims:
        if c.kept and c.evidence is not None:
            _echo(f"✓ {c.text}\n    “{c.evidence.sentence.clean}” ({c.evidence.chunk.source})")
        else:
            _echo(f"✗ {c.text}\n    {_WHY.get(c.reason, c.reason)}")
    if not claims or any(c.reason for c in claims):
        raise SystemExit(1)


_WHY = {
    "unsupported": "no sentence of the articles states it",
    "quantity": "a number or rank it gives is not in the sentence that comes closest",
    "date": "a month or weekday it gives is not in the sentence that comes closest",
    "name": "a name or office it gives is not in the sentence that comes closest",
    "polarity": "the closest sentence says the opposite (a negation or an opposite word)",
    "stitched": "put together from two different sentences",
    "kind": "it does not give the kind of thing asked for (an amount, a date, a name)",
    "echo": "it only repeats the question",
    "off-topic": "supported, but it does not address the question",
}


@cli.command()
@click.argument("query")
@click.option("--index", "index_dir", type=click.Path(path_type=Path), help=INDEX_HELP)
@click.option("--top-k", "-k", type=int, default=10, show_default=True)
@click.option("--mode", type=click.Choice(["hybrid", "dense", "keyword"]), help="Default: hybrid.")
@click.option("--json", "as_json", is_flag=True)
@with_filters
@friendly
def retrieve(
    query: str,
    index_dir: Path | None,
    top_k: int,
    mode: Literal["hybrid", "dense", "keyword"] | None,
    as_json: bool,
    date_from: str | None,
    date_to: str | None,
    sources: tuple[str, ...],
) -> None:
    """Show the passages retrieval ranks highest for QUERY (no answer generated)."""
    from .assistant import Assistant

    assistant = Assistant.load(settings=settings_from(index_dir=index_dir))
    hits = assistant.retrieve(query, top_k=top_k, mode=mode, filters=_filters(date_from, date_to, sources))
    if as_json:
        _echo_json(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2))
        return
    for h in hits:
        text = " ".join(h.chunk.text.split())
        _echo(f"{h.rank:2}. {h.score:.4f}  {h.chunk.chunk_id}  {h.chunk.source}\n    {text[:160]}…")


@cli.command()
@click.option("--index", "index_dir", type=click.Path(path_type=Path), help=INDEX_HELP)
@click.option("--json", "as_json", is_flag=True)
@friendly
def info(index_dir: Path | None, as_json: bool) -> None:
    """What is indexed: articles, chunks, publishers, dates, the newest article, when the version was written,
    the model, the size on disk, the example questions and every article."""
    from index import open_store

    from .info import corpus_info, describe_index, index_facts

    settings = settings_from(index_dir=index_dir)
    data = open_store(settings.index)
    if as_json:
        _echo_json(json.dumps(index_facts(data, settings.ui.examples), indent=2, ensure_ascii=False))
        return
    facts = describe_index(data)
    facts.pop("corpus")
    corpus = corpus_info(data, settings.ui.examples)
    for key, value in [*facts.items(), *corpus.lines(), *(("example", q) for q in corpus.examples)]:
        _echo(f"{key:16} {value:,}" if isinstance(value, int) else f"{key:16} {value}")
    for d in data.manifest.documents.values():
        _echo(f"  - {d.source}  ({len(d.chunk_ids)} chunks)  {d.title or d.heading or ''} {d.date or ''}")


@cli.command("api")
@click.option("--index", "index_dir", type=click.Path(path_type=Path), help=INDEX_HELP)
@click.option("--host", help="Bind address (default: QA_API_HOST or 127.0.0.1); any other needs QA_API_KEYS.")
@click.option("--port", type=int, help="Default: QA_API_PORT or 8000.")
@friendly
def api_cmd(index_dir: Path | None, host: str | None, port: int | None) -> None:
    """Serve the HTTP API: OpenAI-compatible /v1/chat/completions with citations, /v1/ask, /v1/retrieve, /docs."""
    from .api import serve

    serve(settings_from(index_dir=index_dir, api_host=host, api_port=port))


def _plugin_commands() -> None:
    """Sub-commands registered under the `qa.commands` entry point: `qa eval` (eval/), `qa serve` (ui.py)."""
    from importlib.metadata import entry_points

    for entry in entry_points(group="qa.commands"):
        if entry.name not in cli.commands:
            try:
                cli.add_command(entry.load(), entry.name)
            except ImportError as exc:  # a broken plug-in must not break the core CLI
                _echo(f"warning: cannot load `qa {entry.name}`: {exc}", err=True)


def main() -> None:
    _plugin_commands()
    cli(prog_name="qa")


if __name__ == "__main__":  # pragma: no cover
    main()
