"""What a reader of a rich format returns: the text page by page (one page for unpaged formats) and metadata."""

from __future__ import annotations

from dataclasses import dataclass, field


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
