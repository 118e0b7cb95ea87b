"""Articles from the web: pages by URL and the entries of RSS/Atom feeds (httpx, feedparser, robots.txt).

Every fetch has a deadline and a size limit, sends an honest user agent and asks robots.txt first; a URL that
fails is reported and skipped, never stopping the others. Redirects are followed one hop at a time, and a hop to
this machine or a private network is refused unless the URL the operator gave was itself one (SSRF).
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from .errors import DocumentError

if TYPE_CHECKING:
    import httpx

USER_AGENT = "article-qa/0.1 (question answering over articles; fetches what its user asks for, obeys robots.txt)"
log = logging.getLogger("index.fetch")


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    body: bytes


MAX_REDIRECTS = 5


def is_url(text: str) -> bool:
    return urlsplit(str(text)).scheme in ("http", "https")


def without_credentials(url: str) -> str:
    """`url` without a `user:password@` part: what is stored, shown and cited."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


class Fetcher:
    """One HTTP client for a batch; robots.txt read once per host."""

    def __init__(self, timeout: float, max_bytes: int) -> None:
        import httpx

        self.timeout = timeout
        self.max_bytes = max_bytes
        self._client = httpx.Client(timeout=timeout, follow_redirects=False, headers={"User-Agent": USER_AGENT})
        self._robots: dict[str, RobotFileParser | None] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    def get(self, url: str, local: bool | None = None) -> Fetched:
        """The body of `url` (DocumentError naming the URL and why, for any failure), within one deadline for all
        its redirects and bytes. `local`: whether hops to this machine or a private network are allowed (default:
        only when `url` is itself one, as an operator who types a local URL means it)."""
        import httpx

        shown, given = without_credentials(url), url
        deadline = time.monotonic() + self.timeout
        late = DocumentError(shown, f"no answer within {self.timeout:g} s (QA_INDEX__FETCH_TIMEOUT)")
        try:
            for _ in range(MAX_REDIRECTS + 1):
                if not self.allowed(url):
                    raise DocumentError(
                        shown, "robots.txt of the site disallows fetching it; save the page and ingest the file"
                    )
                with self._client.stream("GET", url) as response:
                    if response.is_redirect and "location" in response.headers:
                        url = self._next_hop(shown, url, response.headers["location"], given, local)
                        if time.monotonic() > deadline:
                            raise late
                        continue
                    if response.status_code >= 400:
                        raise DocumentError(shown, f"the server answered HTTP {response.status_code}")
                    body = self._read(shown, response, deadline, late)
                    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
                    return Fetched(without_credentials(str(response.url)), kind, body)
            raise DocumentError(shown, f"more than {MAX_REDIRECTS} redirects")
        except httpx.TimeoutException as exc:
            raise late from exc
        except httpx.HTTPError as exc:
            raise DocumentError(shown, f"cannot fetch it ({type(exc).__name__})") from exc

    def _next_hop(self, shown: str, url: str, location: str, given: str, local: bool | None) -> str:
        """The redirect's target, checked; the given URL is resolved only when a redirect points inward."""
        target = urljoin(url, location)
        if not is_url(target):
            raise DocumentError(shown, f"it redirects to {without_credentials(target)[:200]!r}, not an http(s) URL")
        if internal(target) and not (internal(given) if local is None else local):
            raise DocumentError(
                shown, f"it redirects to a local or private address ({without_credentials(target)[:200]}); refused"
            )
        return target

    def _read(self, shown: str, response: httpx.Response, deadline: float, late: DocumentError) -> bytes:
        body = bytearray()
        for part in response.iter_bytes():
            body += part
            if len(body) > self.max_bytes:
                raise DocumentError(
                    shown, f"larger than {self.max_bytes / 1e6:.0f} MB (QA_INDEX__FETCH_MAX_BYTES); not fetched"
                )
            if time.monotonic() > deadline:  # a server that drips bytes would reset a per-read timeout forever
                raise late
        return bytes(body)

    def allowed(self, url: str) -> bool:
        """What the site's robots.txt says of our user agent (allowed when it has none or it cannot be read)."""
        import httpx

        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc}"
        if host not in self._robots:
            rules: RobotFileParser | None = None
            try:
                response = self._client.get(urljoin(host, "/robots.txt"))
                if response.status_code == 200:
                    rules = RobotFileParser()
                    rules.parse(response.text.splitlines())
            except httpx.HTTPError:
                rules = None
            self._robots[host] = rules
        rules = self._robots[host]
        return rules is None or rules.can_fetch(USER_AGENT, url)


def feed_links(fetcher: Fetcher, url: str, warnings: list[str]) -> list[str]:
    """The article links of an RSS/Atom feed; entries without a link are warnings."""
    import feedparser

    local_feed = internal(url)  # the URL the operator gave, not where it redirected to
    fetched = fetcher.get(url, local=local_feed)
    feed = feedparser.parse(fetched.body)
    if not feed.entries:
        why = f": {feed.bozo_exception}" if getattr(feed, "bozo", False) else ""
        raise DocumentError(url, f"not an RSS or Atom feed with entries{why}")
    links = []
    for i, entry in enumerate(feed.entries):
        link = entry.get("link")
        name = str(entry.get("title") or "")[:60]
        if not link or not is_url(urljoin(fetched.url, link)):
            warnings.append(f"{url}: entry {i} ({name!r}) has no link; skipped")
            continue
        link = urljoin(fetched.url, link)
        if internal(link) and not local_feed:  # a public feed must not make us fetch the local network
            warnings.append(f"{url}: entry {i} ({name!r}) links to a local or private address ({link}); skipped")
            continue
        links.append(link)
    return links


def internal(url: str) -> bool:
    """Does `url` point at this machine or a private network (loopback, private, link-local, reserved)?"""
    host = urlsplit(url).hostname or ""
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return False  # it cannot be fetched anyway
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_reserved or ip.is_unspecified:
            return True
    return False
