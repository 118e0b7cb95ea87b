"""Sentences of a passage with their offsets: evidence, attribution and sentence vectors all use this split."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(]?[A-Z0-9])")
_REF_MARKS = re.compile(r"\s*(?:\[\d{1,3}\])+")
MIN_WORDS = 5  # shorter "sentences" are headings and datelines, not evidence


@dataclass(frozen=True)
class Sentence:
    """A sentence of a passage, with its character span in that passage."""

    text: str
    start: int
    end: int

    @property
    def clean(self) -> str:
        """The sentence without the article's own reference marks such as [2][5]."""
        return strip_ref_marks(self.text)


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of `text` (paragraph breaks always end one), with offsets into `text`."""
    sentences = []
    for para in re.finditer(r"[^\n]+", text):
        offset = para.start()
        pieces = _SENTENCE_END.split(para.group(0))
        cursor = 0
        for piece in pieces:
            at = para.group(0).find(piece, cursor)
            cursor = at + len(piece)
            stripped = piece.strip()
            if len(stripped) >= 2:
                lead = len(piece) - len(piece.lstrip())
                sentences.append(Sentence(stripped, offset + at + lead, offset + at + lead + len(stripped)))
    return sentences


def strip_ref_marks(text: str) -> str:
    return _REF_MARKS.sub("", text).strip()


def prose_sentences(text: str, title: str | None = None) -> list[Sentence]:
    """The sentences that can be evidence: a few words long and not the article's title."""
    return [s for s in split_sentences(text) if len(s.text.split()) >= MIN_WORDS and s.text != title]
