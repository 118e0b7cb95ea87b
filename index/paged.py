"""What a reader of a rich format returns: the text page by page (one page for unpaged formats) and metadata."""

from __future__ import annotations

from dataclasses import dataclass, field

# The text one file may give (any format): a 1,000-page book is ~3 M characters, and 10 M already take ~2 hours to
# embed on 2 cores; a PDF whose pages share one busy content stream gives 24 M from 268 KB
MAX_TEXT_CHARS = 10_000_000


@dataclass
class Paged:
    pages: list[str]
    title: str | None = None
    date: str | None = None
    url: str | None = None
    publisher: str | None = None
    author: str | None = None
    notes: list[str] = field(default_factory=list)

    def text_and_offsets(self) -> tuple[str, tuple[int, ...]]:
        """The pages joined by blank lines, and where each page starts in that text (only for several pages)."""
        offsets, parts, at = [], [], 0
        for page in self.pages:
            offsets.append(at)
            parts.append(page)
            at += len(page) + 2
        return "\n\n".join(parts), tuple(offsets) if len(self.pages) > 1 else ()
