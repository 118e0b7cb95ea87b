"""Saved web pages (trafilatura): the article's main text without menus, banners, related links and comments,
and its metadata — title, author, site name, publication date (htmldate inside trafilatura), canonical URL."""

from __future__ import annotations

import logging
import re
from html import unescape

from .errors import DocumentError
from .paged import Paged

logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
MIN_WORDS = 3  # fewer: a page of links or an error page, not an article


def read_webpage(path: str, html: str, url: str | None = None) -> Paged:
    """The main text of a page (`url`: where it was fetched from, when it was)."""
    import trafilatura

    try:
        extracted = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
        )
    except (ValueError, TypeError, RecursionError) as exc:
        raise DocumentError(path, f"the page cannot be parsed as HTML ({type(exc).__name__}: {exc})") from exc
    found = extracted if isinstance(extracted, dict) else extracted.as_dict() if extracted is not None else {}
    if len(str(found.get("text") or "").split()) < MIN_WORDS:
        raise DocumentError(path, "no article text found in the page (only navigation, or an empty page)")
    get = found.get
    title = _text(get("title"))
    publisher = _text(get("sitename"))
    if publisher is None or publisher == title:
        publisher = _site_from_title(html, title)
    return Paged(
        pages=[_without_headline(str(get("text")), title)],
        title=title,
        date=_text(get("date")),
        url=_text(get("url")) or url,
        publisher=publisher,
        author=_text(get("author")),
    )


def _without_headline(text: str, title: str | None) -> str:
    """The text without its first line when that is the headline: the title is kept as metadata (and put before
    each chunk for the encoder), so a repeated headline would count twice in the first chunk."""
    first, _, rest = text.partition("\n")
    return rest.lstrip("\n") if title and rest.strip() and " ".join(first.split()) == title else text


def _site_from_title(page: str, title: str | None) -> str | None:
    """ "Headline | Site" or "Headline - Site" in <title>, when the headline is the article's title."""
    match = _TITLE.search(page)
    if not match or not title:
        return None
    whole = " ".join(unescape(match.group(1)).split())
    if not whole.startswith(title):
        return None
    rest = whole[len(title) :].strip()
    separated = re.match(r"[|\-–—:·•]\s*(.+)", rest)
    return separated.group(1).strip() if separated else None


def _text(value: object) -> str | None:
    text = str(value).strip() if value else ""
    return text or None
