"""Reading articles: metadata extraction, record files, and bad input."""

from __future__ import annotations

import json

import pytest

from index import DocumentError, load_file, load_paths, normalize_date

from .conftest import DEMO, MULTIHOP


def test_seed_000_has_title_and_date_from_its_text():
    [doc] = load_file(DEMO / "000_caad304b0dc37de2.txt", base=DEMO)
    assert doc.title == "EU Elevates Vietnam Relations to Secure Critical Minerals and Tech Supply Chains"
    assert doc.date == "2026-01-30"
    assert doc.source == "000_caad304b0dc37de2.txt"


def test_seed_001_has_no_invented_title_or_date():
    [doc] = load_file(DEMO / "001_433e1422a287cbc7.txt", base=DEMO)
    assert doc.title is None
    assert doc.date is None


def test_markdown_front_matter_and_html_meta(tmp_path):
    (tmp_path / "a.md").write_text("---\ntitle: Port deal\ndate: 3 March 2024\n---\n# Heading\nThe port opened.\n")
    (tmp_path / "b.html").write_text(
        "<html><head><title>Rail plan</title><meta property='article:published_time' content='2024-05-06T10:00Z'>"
        "<script>alert(1)</script></head><body><p>The railway <b>opens</b> soon.</p></body></html>"
    )
    docs = {d.source: d for d in load_paths([tmp_path]).documents}
    assert (docs["a.md"].title, docs["a.md"].date) == ("Port deal", "2024-03-03")
    assert (docs["b.html"].title, docs["b.html"].date) == ("Rail plan", "2024-05-06")
    assert "alert" not in docs["b.html"].text and "The railway opens soon." in docs["b.html"].text


def test_jsonl_records_take_title_date_source_url(tmp_path):
    rows = [
        {
            "title": "T1",
            "published_at": "2023-10-01T14:00:29+00:00",
            "source": "TechCrunch",
            "url": "https://example.com/1",
            "body": "Body one.",
        },
        {"title": "T2", "date": "October 2, 2023", "body": "Body two."},
    ]
    (tmp_path / "r.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    docs = load_paths([tmp_path / "r.jsonl"]).documents
    assert [(d.title, d.date, d.source, d.url) for d in docs] == [
        ("T1", "2023-10-01", "TechCrunch", "https://example.com/1"),
        ("T2", "2023-10-02", "r.jsonl#1", None),
    ]


def test_scraped_page_placeholders_are_not_article_text(tmp_path):
    body = (
        "Shares fell 2 per cent.\n\nLoading Traders expect a cut. The loading dock closed.\nAdvertisement\n"
        "Advertisement revenue fell. Sign up now. Loading... Sign Me Up”. ADVERTISEMENT “We won,” he said."
    )
    (tmp_path / "r.jsonl").write_text(json.dumps({"title": "T", "body": body}))
    (tmp_path / "a.txt").write_text("Markets\n" + body)
    (tmp_path / "p.html").write_text(f"<html><body><p>{body.replace(chr(10), '</p><p>')}</p></body></html>")
    docs = load_paths([tmp_path]).documents
    assert len(docs) == 3
    for doc in docs:
        assert "Loading" not in doc.text and "ADVERTISEMENT" not in doc.text, doc.source
        assert "Shares fell 2 per cent." in doc.text and "Traders expect a cut." in doc.text, doc.source
        assert "The loading dock closed." in doc.text and "Advertisement revenue fell." in doc.text, doc.source
        assert "Sign up now. Sign Me Up”. “We won,” he said." in doc.text, doc.source


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("ads.txt", "Loading\nAdvertisement\n"),
        ("ads.md", "---\ntitle: Markets\n---\nLoading...\n\nADVERTISEMENT\n"),
        ("ads.jsonl", json.dumps({"title": "Markets", "body": "Loading...\nAdvertisement"})),
        ("ads.html", "<html><body><p>Advertisement</p><p>Loading . . .</p></body></html>"),
    ],
)
def test_a_page_of_placeholders_only_is_reported_not_indexed_empty(tmp_path, name, content):
    (tmp_path / name).write_text(content)
    (tmp_path / "real.txt").write_text("Markets\nShares fell 2 per cent.\n")
    result = load_paths([tmp_path])
    assert [d.source for d in result.documents] == ["real.txt"]
    assert len(result.problems) == 1 and "only page placeholders" in str(result.problems[0])


@pytest.mark.skipif(not (MULTIHOP / "corpus.json").exists(), reason="../shared/bench is not beside the checkout")
def test_multihop_corpus_loads_as_is():
    result = load_paths([MULTIHOP / "corpus.json"])
    assert not result.problems
    assert len(result.documents) == 609
    assert all(d.title and d.date and d.publisher for d in result.documents)
    assert len({d.doc_id for d in result.documents}) == 609


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n ", "no article text"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("latin1.txt", "Caf\u00e9 au lait".encode("latin-1"), "not UTF-8"),
        ("report.pdf", b"%PDF-1.4", "PDF cannot be read"),
        ("report.doc", b"\xd0\xcf\x11\xe0 old Word", "unsupported file type"),
        ("broken.json", b'{"title": ', "invalid JSON"),
        ("nobody.jsonl", b'{"title": "x"}\n', "no 'body'"),
    ],
)
def test_bad_files_raise_a_clear_error(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=reason) as info:
        load_file(path)
    assert name in str(info.value)


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2023-09-26 05:26:05.000000000Z", "2023-09-26"),
        ("2023-09-28T12:00:00+00:00", "2023-09-28"),
        ("January 29, 2026", "2026-01-29"),
        ("Friday, 30 January 2026.", "2026-01-30"),
        ("Nov 5 2023", "2023-11-05"),
        ("not a date", None),
        ("", None),
    ],
)
def test_dates_are_normalised_across_formats(raw, iso):
    assert normalize_date(raw) == iso
