"""The generator interface and the grounded prompt every LLM generator uses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from ..evidence import Evidence

SYSTEM_PROMPT = (
    "You answer questions about news articles using only the numbered sources given. "
    "Write one or two short sentences. Copy names, numbers and dates exactly as the sources write them. "
    "After each sentence put the number of its source in brackets, like [1]. "
    "If the sources do not contain the answer, reply exactly: The sources do not say."
)


class Generator(Protocol):
    """Writes a draft answer from evidence, streamed as text deltas; may split a question into sub-questions."""

    name: str

    def generate(self, question: str, evidence: list[Evidence]) -> Iterator[str]: ...

    def decompose(self, question: str) -> tuple[str, ...]: ...

    def warm(self) -> None: ...


def prompt_blocks(evidence: list[Evidence], limit: int) -> list[tuple[int, str]]:
    """Up to `limit` evidence sentences grouped by passage: [(n, text)], n numbering passages from 1."""
    groups: dict[str, list[str]] = {}
    for item in evidence[:limit]:
        groups.setdefault(item.chunk.chunk_id, []).append(item.sentence.clean)
    return [(n, " ".join(texts)) for n, texts in enumerate(groups.values(), start=1)]


def user_prompt(question: str, evidence: list[Evidence], limit: int) -> str:
    sources = "\n".join(f"[{n}] {text}" for n, text in prompt_blocks(evidence, limit))
    return f"Sources:\n{sources}\n\nQuestion: {question}"


def chat_messages(question: str, evidence: list[Evidence], limit: int) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": user_prompt(question, evidence, limit)},
    ]


DECOMPOSE_PROMPT = (
    "Split the question into the separate facts a search must find. Write each as a short search query on its "
    "own line, at most four lines, nothing else. If the question asks for one fact, repeat it on one line."
)


def parse_subquestions(text: str, limit: int = 4) -> tuple[str, ...]:
    """Sub-questions from an LLM's reply: one per line, list marks removed, 3–30 words each, deduplicated."""
    lines: list[str] = []
    for line in text.splitlines():
        line = line.strip().lstrip("-*•0123456789.) ").strip()
        if 3 <= len(line.split()) <= 30 and line.lower() not in {x.lower() for x in lines}:
            lines.append(line)
    return tuple(lines[:limit])
