"""The extractive generator: no LLM; the answer is the best-supported evidence sentences, verbatim."""

from __future__ import annotations

from collections.abc import Iterator

from ..evidence import Evidence
from ..text import content_terms


class ExtractiveGenerator:
    """Writes the top evidence sentence, and a second one when it adds question words the first lacks."""

    name = "extractive"

    def __init__(self, max_sentences: int = 2, margin: float = 0.08) -> None:
        self.max_sentences = max_sentences
        self.margin = margin

    def generate(self, question: str, evidence: list[Evidence]) -> Iterator[str]:
        for item in self.select(question, evidence):
            yield item.sentence.clean + " "

    def decompose(self, question: str) -> tuple[str, ...]:
        """No LLM to ask: the rule-based sub-questions stand."""
        return ()

    def warm(self) -> None:
        """Nothing to load."""

    def select(self, question: str, evidence: list[Evidence]) -> list[Evidence]:
        if not evidence:
            return []
        chosen = [evidence[0]]
        wanted = content_terms(question)
        covered = content_terms(evidence[0].sentence.text)
        for item in evidence[1:]:
            if len(chosen) >= self.max_sentences or item.support < evidence[0].support - self.margin:
                break
            adds = (wanted - covered) & content_terms(item.sentence.text)
            if adds and item.sentence.clean != chosen[0].sentence.clean:
                chosen.append(item)
                covered |= content_terms(item.sentence.text)
        return chosen
