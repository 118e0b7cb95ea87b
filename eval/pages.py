"""Saved web pages made from article records: each article inside a realistic news-site page — navigation, a
cookie banner, ads, a byline, related links, reader comments and a footer — in one of three site templates
that carry the metadata differently (Open Graph tags; JSON-LD; only visible text). Used to measure how much
boilerplate reaches the index and how well title, date and publisher are read (`python -m eval.pages`), and by
the loader tests.
"""

from __future__ import annotations

import html
import json
import random
from pathlib import Path
from typing import Any

NAV = ["Home", "World", "Business", "Technology", "Science", "Sport", "Culture", "Opinion", "Video", "Podcasts"]
RELATED = [
    "Ten gadgets worth buying this winter",
    "Markets close lower as investors weigh rate outlook",
    "The best streaming shows of the month",
    "How to protect your accounts from phishing",
    "Weather: storms expected across the north this weekend",
    "Opinion: why cities need more trees",
]
COMMENTS = [
    ("sunnyday42", "Great article, thanks for sharing!"),
    ("j.doe", "I disagree with most of this, frankly. Who pays for it in the end?"),
    ("techfan", "Been waiting for someone to write about this. Bookmarked."),
]
ADS = ["Advertisement", "Subscribe now: 3 months for $1", "Sponsored: The card with zero fees"]
COOKIE = "We use cookies to improve your experience. By continuing you accept our cookie policy. Accept all / Manage"


def render(article: dict[str, Any], template: int, rng: random.Random) -> str:
    """One article as a saved page of site template 0, 1 or 2."""
    title = html.escape(article["title"])
    site = html.escape(article.get("source") or "The Daily Record")
    author = html.escape(article.get("author") or "Staff reporter")
    day = str(article.get("published_at") or "")[:10]
    paragraphs = "".join(f"<p>{html.escape(p.strip())}</p>" for p in article["body"].split("\n") if p.strip())
    nav = "".join(f'<li><a href="/{n.lower()}">{n}</a></li>' for n in NAV)
    related = "".join(f'<li><a href="/r/{i}">{html.escape(t)}</a></li>' for i, t in enumerate(rng.sample(RELATED, 4)))
    comments = "".join(
        f'<div class="comment"><span class="user">{u}</span><p>{html.escape(c)}</p></div>'
        for u, c in rng.sample(COMMENTS, 2)
    )
    ad = f'<div class="ad">{rng.choice(ADS)}</div>'
    url = html.escape(article.get("url") or f"https://news.example/{abs(hash(title)) % 10**8}")
    if template == 0:  # Open Graph and article:* meta tags
        head = (
            f"<title>{title} | {site}</title>"
            f'<meta property="og:title" content="{title}"><meta property="og:site_name" content="{site}">'
            f'<meta property="article:published_time" content="{day}T09:00:00Z">'
            f'<meta name="author" content="{author}"><link rel="canonical" href="{url}">'
        )
        byline = f'<p class="byline">By {author}</p>'
    elif template == 1:  # JSON-LD NewsArticle
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article["title"],
            "datePublished": f"{day}T09:00:00Z",
            "author": {"@type": "Person", "name": article.get("author") or "Staff reporter"},
            "publisher": {"@type": "Organization", "name": article.get("source") or "The Daily Record"},
            "mainEntityOfPage": article.get("url"),
        }
        head = f'<title>{title} - {site}</title><script type="application/ld+json">{json.dumps(data)}</script>'
        byline = f'<div class="meta"><span class="author">{author}</span></div>'
    else:  # visible text only: the date in a <time> element, the site in the header
        head = f"<title>{title} | {site}</title>"
        byline = f'<p class="byline">By {author} · <time datetime="{day}">{day}</time></p>'
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{head}</head><body>'
        f'<div id="cookie-banner">{COOKIE}</div>'
        f'<header><div class="logo">{site}</div><nav><ul>{nav}</ul></nav></header>{ad}'
        f"<main><article><h1>{title}</h1>{byline}{paragraphs}</article>"
        f"<aside><h3>Related stories</h3><ul>{related}</ul></aside>{ad}"
        f'<section id="comments"><h3>Comments</h3>{comments}</section></main>'
        f"<footer><p>© 2024 {site}. All rights reserved.</p><ul><li>About us</li><li>Contact</li>"
        "<li>Privacy policy</li><li>Terms of use</li></ul></footer></body></html>"
    )


def write_pages(articles: list[dict[str, Any]], folder: Path, seed: int = 7) -> list[Path]:
    """Each article as `<folder>/<n>.html`, templates in turn; returns the paths in article order."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, article in enumerate(articles):
        path = folder / f"{n:04d}.html"
        path.write_text(render(article, n % 3, rng), encoding="utf-8")
        paths.append(path)
    return paths


def _squash(text: str) -> str:
    return " ".join(text.split())


def measure(articles: list[dict[str, Any]], folder: Path) -> dict[str, Any]:
    """Render `articles` as saved pages, read them back as `qa ingest` does, and compare with the records:
    the share of the read text that is article text (a line counts when it occurs in the article's title or
    body), the share of the article's paragraphs recovered, and title, date and publisher accuracy."""
    from index import load_paths

    paths = write_pages(articles, folder)
    loaded = load_paths([folder])
    by_source = {d.source: d for d in loaded.documents}
    kept = total = found = wanted = 0
    right = {"title": 0, "date": 0, "publisher": 0}
    for article, path in zip(articles, paths):
        document = by_source.get(path.name)
        paragraphs = [_squash(p) for p in article["body"].split("\n") if p.strip()]
        wanted += sum(len(p) for p in paragraphs)
        if document is None:
            continue
        original = _squash(f"{article['title']}\n{article['body']}")
        for line in document.text.splitlines():
            line = _squash(line)
            total += len(line)
            kept += len(line) if line in original else 0
        text = _squash(document.text)
        found += sum(len(p) for p in paragraphs if p in text)
        right["title"] += document.title == article["title"]
        right["date"] += document.date == str(article.get("published_at") or "")[:10]
        right["publisher"] += document.publisher == article.get("source")
    n = len(articles)
    return {
        "pages": n,
        "read": len(loaded.documents),
        "problems": [str(p) for p in loaded.problems],
        "article_text_share": kept / total if total else 0.0,
        "article_text_recovered": found / wanted if wanted else 0.0,
        **{k: v / n for k, v in right.items()},
    }


def main() -> None:
    import argparse

    from qa import Settings

    parser = argparse.ArgumentParser(description="Boilerplate and metadata of saved pages made from MultiHop-RAG")
    parser.add_argument("--articles", type=int, default=609, help="how many articles (default: all 609)")
    parser.add_argument("--out", type=Path, default=Path("runs/pages"), help="where the pages are written")
    args = parser.parse_args()
    corpus = Settings().bench_dir / "multihop" / "corpus.json"
    articles = json.loads(corpus.read_text())[: args.articles]
    figures = measure(articles, args.out)
    print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in figures.items()}, indent=2))


if __name__ == "__main__":
    main()
