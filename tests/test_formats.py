"""Articles as people have them: saved web pages (trafilatura), PDFs (pypdf) with page numbers, Word files,
pages by URL and RSS/Atom feeds from a local HTTP server, and --watch; each with its bad inputs."""

from __future__ import annotations

import json
import random
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO

import pytest

from eval.pages import render
from index import DocumentError, load, load_file, read_manifest
from qa import Assistant, Settings, ingest

from .conftest import DEMO, MULTIHOP, qa_watch, run_qa, wait_until
from .pdfs import image_only_pdf, text_pdf

PAGE_ONE = (
    "EU-Vietnam partnership report\n"
    "The European Union and Vietnam upgraded their relationship to a Comprehensive Strategic Partnership "
    "on 29 January 2026 in Hanoi."
)
PAGE_TWO = (
    "Annex on ports\n"
    "The Lach Huyen port expansion will add 8 container berths by 2028, financed by the European Investment Bank."
)
ARTICLE = {
    "title": "Vietnam opens a hydrogen terminal in Da Nang",
    "source": "The Coastal Times",
    "author": "Mai Tran",
    "published_at": "2026-02-10 08:00:00",
    "url": "https://coastal.example/hydrogen",
    "body": "The Port of Da Nang opened Vietnam's first green hydrogen terminal on Tuesday.\n"
    "The terminal can store 4,500 tonnes of hydrogen and was built by a consortium led by Siemens Energy.\n"
    "Officials expect the first exports to Japan and South Korea in 2027.",
}


def docx_bytes(
    paragraphs: list[str],
    table: list[list[str]] | None = None,
    title: str | None = None,
    created: datetime | None = datetime(2026, 1, 29),
) -> bytes:
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    if created:  # None: python-docx's template properties stay (2013-12-23, by "python-docx")
        document.core_properties.created = created
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    out = BytesIO()
    document.save(out)
    return out.getvalue()


# -- PDF -----------------------------------------------------------------------------------------------------------


def test_a_pdf_is_read_page_by_page_with_its_properties(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(text_pdf([PAGE_ONE, PAGE_TWO], title="EU-Vietnam report", created="D:20260129120000"))
    [document] = load_file(path)
    assert (document.title, document.date) == ("EU-Vietnam report", "2026-01-29")
    assert len(document.pages) == 2 and document.text[document.pages[1] :].startswith("Annex on ports")
    assert document.page_at(document.text.index("Lach Huyen")) == 2


def test_a_citation_from_a_pdf_names_its_page(tmp_path, embedder):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "report.pdf").write_bytes(text_pdf([PAGE_ONE, PAGE_TWO], title="EU-Vietnam report"))
    ingest([folder], tmp_path / "index", embedder)
    assistant = Assistant(load(tmp_path / "index"), Settings(index_dir=tmp_path / "index"), embedder)
    answer = assistant.ask("How many container berths will the Lach Huyen expansion add?")
    assert answer.short.split()[0] == "8"
    assert answer.citations[0].page == 2 and answer.citations[0].where == "p. 2"
    cli = run_qa("ask", "--index", str(tmp_path / "index"), "How many container berths will Lach Huyen add?")
    assert cli.returncode == 0 and "p. 2" in cli.stdout


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: text_pdf([PAGE_ONE], password="secret"), "encrypted"),
        (lambda: image_only_pdf(3), r"no text layer \(3 page"),
        (lambda: text_pdf([PAGE_ONE, PAGE_TWO])[:400], "cannot be read"),
        (lambda: b"%PDF-1.7\n" + bytes(random.Random(1).randrange(256) for _ in range(3000)), "cannot be read"),
    ],
    ids=["encrypted", "scanned", "truncated", "garbage"],
)
def test_bad_pdfs_are_clear_errors(tmp_path, make, message):
    path = tmp_path / "bad.pdf"
    path.write_bytes(make())
    with pytest.raises(DocumentError, match=message):
        load_file(path)


def test_a_scanned_pdf_says_ocr_is_not_supported(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(image_only_pdf())
    with pytest.raises(DocumentError, match="OCR is not supported"):
        load_file(path)


# -- Word ----------------------------------------------------------------------------------------------------------


def test_a_word_file_keeps_paragraphs_tables_and_properties(tmp_path):
    path = tmp_path / "memo.docx"
    path.write_bytes(
        docx_bytes(
            ["The EU and Vietnam upgraded their ties on 29 January 2026.", "Trade grew 6.6% year on year."],
            [["Year", "Trade"], ["2025", "$66.8 billion"]],
            title="Trade memo",
        )
    )
    [document] = load_file(path)
    assert (document.title, document.date) == ("Trade memo", "2026-01-29")
    assert "Trade grew 6.6% year on year." in document.text and "2025 | $66.8 billion" in document.text


def test_a_word_file_with_the_template_properties_has_no_date(tmp_path):
    """python-docx stamps every file it makes 2013-12-23 by "python-docx": that is not the article's date or author
    (a plan for 2028 in such a memo was answered "the newest source is dated 2013-12-23")."""
    path = tmp_path / "memo.docx"
    path.write_bytes(docx_bytes(["Cai Mep port will add four deep-water berths by 2028."], created=None))
    [document] = load_file(path)
    assert document.date is None


@pytest.mark.parametrize(
    "data",
    [docx_bytes(["Some text of a memo."])[:700], b"PK\x03\x04 not really a zip", b"plain text named .docx"],
    ids=["truncated", "broken-zip", "not-a-zip"],
)
def test_bad_word_files_are_clear_errors(tmp_path, data):
    path = tmp_path / "memo.docx"
    path.write_bytes(data)
    with pytest.raises(DocumentError, match="Word file cannot be read"):
        load_file(path)


def test_bad_files_of_the_new_formats_never_lose_what_is_indexed(tmp_path, articles, embedder):
    index = tmp_path / "index"
    ingest([articles], index, embedder)
    before = read_manifest(index).documents.keys()
    (articles / "locked.pdf").write_bytes(text_pdf([PAGE_ONE], password="pw"))
    (articles / "scan.pdf").write_bytes(image_only_pdf())
    (articles / "cut.docx").write_bytes(docx_bytes(["text"])[:500])
    result = run_qa("ingest", str(articles), "--index", str(index))
    assert result.returncode == 1 and "nothing was written" in result.stderr and "OCR" in result.stderr
    assert read_manifest(index).documents.keys() == before
    report = ingest([articles], index, embedder, skip_bad=True)
    assert len(report.skipped) == 3 and read_manifest(index).documents.keys() == before


# -- saved web pages -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("template", [0, 1, 2])
def test_a_saved_page_is_the_article_without_its_boilerplate(tmp_path, template):
    path = tmp_path / "page.html"
    path.write_text(render(ARTICLE, template, random.Random(template)))
    [document] = load_file(path)
    assert (document.title, document.date, document.publisher) == (
        ARTICLE["title"],
        "2026-02-10",
        ARTICLE["source"],
    )
    assert "4,500 tonnes of hydrogen" in document.text
    for boilerplate in ("cookie", "Related stories", "Great article", "All rights reserved", "Podcasts", "Subscribe"):
        assert boilerplate not in document.text


def test_a_page_without_an_article_is_a_clear_error(tmp_path):
    path = tmp_path / "menu.html"
    path.write_text("<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>")
    with pytest.raises(DocumentError, match="no article text found"):
        load_file(path)


@pytest.mark.skipif(
    not (MULTIHOP / "corpus.json").exists(), reason="../shared/bench/multihop is not beside the checkout"
)
def test_rendered_multihop_pages_keep_their_text_and_metadata(tmp_path):
    from eval.pages import measure

    articles = json.loads((MULTIHOP / "corpus.json").read_text())[:30]
    figures = measure(articles, tmp_path / "pages")
    assert figures["article_text_share"] >= 0.95
    assert min(figures["title"], figures["date"], figures["publisher"]) >= 0.9


# -- URLs and feeds ------------------------------------------------------------------------------------------------


class Site:
    """A local web site: saved pages, a PDF, a feed, robots.txt, a page that never answers in time."""

    def __init__(self, slow_seconds: float = 5.0) -> None:
        self.pages = {
            "/robots.txt": ("text/plain", b"User-agent: *\nDisallow: /private/\n"),
            "/news/hydrogen": ("text/html; charset=utf-8", render(ARTICLE, 0, random.Random(0)).encode()),
            "/news/report.pdf": ("application/pdf", text_pdf([PAGE_ONE, PAGE_TWO], title="EU-Vietnam report")),
            "/private/secret": ("text/html", render(ARTICLE, 1, random.Random(1)).encode()),
            "/image.png": ("image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
        }
        self.slow_seconds = slow_seconds
        self.requests: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                site.requests.append(self.path)
                if self.path == "/slow":
                    time.sleep(site.slow_seconds)
                if self.path == "/feed.xml":
                    body, kind = site.feed().encode(), "application/rss+xml"
                elif self.path in site.pages:
                    kind, body = site.pages[self.path]
                else:
                    self.send_error(404)
                    return
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up (the slow page)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def feed(self) -> str:
        items = [
            f"<item><title>Hydrogen</title><link>{self.url}/news/hydrogen</link></item>",
            f"<item><title>Report</title><link>{self.url}/news/report.pdf</link></item>",
            "<item><title>An entry without a link</title></item>",
            f"<item><title>Gone</title><link>{self.url}/news/gone</link></item>",
        ]
        return (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Coastal</title>{"".join(items)}</channel></rss>'
        )

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def test_pages_by_url_are_fetched_and_their_url_is_the_source(tmp_path, embedder):
    with Site() as site:
        url = f"{site.url}/news/hydrogen"
        report = ingest([url, f"{site.url}/news/report.pdf"], tmp_path / "index", embedder)
        assert len(report.added) == 2 and not report.skipped
        assistant = Assistant(load(tmp_path / "index"), Settings(index_dir=tmp_path / "index"), embedder)
        answer = assistant.ask("How many tonnes of hydrogen can the Da Nang terminal store?")
        assert answer.short == "4,500 tonnes"
        cited = answer.citations[0]
        assert cited.source == url and cited.url == ARTICLE["url"]  # the page's canonical URL is the link
        assert cited.title == ARTICLE["title"] and cited.date == "2026-02-10"


def test_url_failures_are_reported_per_url_and_do_not_stop_the_batch(tmp_path, embedder):
    with Site(slow_seconds=3.0) as site:
        urls = [f"{site.url}/{p}" for p in ("news/hydrogen", "slow", "news/gone", "private/secret", "image.png")]
        settings = Settings(index_dir=tmp_path / "index", index={"fetch_timeout": 1.0}).index
        report = ingest(urls, settings, embedder)
        assert len(report.added) == 1
        skipped = "\n".join(report.skipped)
        assert "no answer within 1 s" in skipped and "HTTP 404" in skipped
        assert "robots.txt" in skipped and "unsupported content type 'image/png'" in skipped
        assert "/private/secret" not in site.requests  # robots.txt was asked first and obeyed


def test_a_feed_brings_its_entries_and_reports_the_broken_ones(tmp_path, embedder):
    with Site() as site:
        report = ingest([], tmp_path / "index", embedder, feeds=[f"{site.url}/feed.xml"])
        assert len(report.added) == 2
        assert any("has no link" in w for w in report.warnings)
        assert any("/news/gone" in s and "404" in s for s in report.skipped)
        again = ingest([], tmp_path / "index", embedder, feeds=[f"{site.url}/feed.xml", f"{site.url}/nofeed"])
        assert not again.changed and any("nofeed" in s for s in again.skipped)  # nothing lost


def test_the_cli_takes_urls_and_feeds(tmp_path):
    with Site() as site:
        result = run_qa("ingest", "--index", str(tmp_path / "index"), "--feed", f"{site.url}/feed.xml", "-q")
    assert result.returncode == 0, result.stderr
    assert "2 added" in result.stdout and "skipped" in result.stderr and "404" in result.stderr


# -- --watch -------------------------------------------------------------------------------------------------------


def test_watch_indexes_new_files_as_they_appear(tmp_path, articles):
    index = tmp_path / "index"
    log = tmp_path / "watch.log"
    with qa_watch(articles, index, log) as proc:
        wait_until(lambda: (index / "CURRENT").exists(), proc)
        first = len(read_manifest(index).documents)
        assert first == len(list(DEMO.glob("*.txt")))
        (articles / "memo.docx").write_bytes(docx_bytes(["The Da Nang terminal stores 4,500 tonnes of hydrogen."]))
        wait_until(lambda: len(read_manifest(index).documents) == first + 1, proc)
        (articles / "memo.docx").unlink()
        wait_until(lambda: len(read_manifest(index).documents) == first, proc)
    assert "Watching" in log.read_text()


def test_a_public_feed_cannot_point_the_ingest_at_the_local_network():
    from index.fetch import internal

    assert internal("http://127.0.0.1:8080/admin") and internal("http://169.254.169.254/latest/meta-data")
    assert internal("http://10.0.0.5/") and internal("http://localhost/")
    assert not internal("http://93.184.215.14/")  # a public address
