"""Evidence selection: the sentences of the retrieved passages, ranked by how well they answer the question.

support = 0.5 · cosine(question, sentence) + 0.5 · IDF-weighted share of the question's content words
found in the sentence (a third for words only in its article title), discounted when the question asks for a
number or a date and the sentence has none. The same support decides refusal (see docs/design.md).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

import numpy as np

from index import Chunk, Sentence, prose_sentences

from .records import Hit
from .text import content_terms, has_date_word, has_quantity, kind_of


@dataclass(frozen=True)
class Evidence:
    """One sentence of a retrieved passage and its support for the question."""

    hit: Hit
    sentence: Sentence
    support: float
    similarity: float
    coverage: float

    @property
    def chunk(self) -> Chunk:
        return self.hit.chunk


Encode = Callable[[list[str]], np.ndarray]
Idf = Callable[[str], float]


def rank_evidence(
    question: str, hits: list[Hit], encode: Encode, idf: Idf, question_vector: np.ndarray | None = None
) -> list[Evidence]:
    """All sentences of `hits`, best support first."""
    candidates = [(hit, s) for hit in hits for s in prose_sentences(hit.chunk.text, hit.chunk.title)]
    if not candidates:
        return []
    qvec = question_vector if question_vector is not None else encode([question])[0]
    vectors = encode([s.clean for _, s in candidates])
    similarities = vectors @ qvec
    wanted = content_terms(question)
    weights = {t: idf(t) for t in wanted}
    evidence = []
    for (hit, sentence), similarity in zip(candidates, similarities):
        covered = coverage(weights, content_terms(sentence.text), content_terms(hit.chunk.title or ""))
        support = (0.5 * max(float(similarity), 0.0) + 0.5 * covered) * _type_factor(question, sentence.text)
        evidence.append(Evidence(hit, sentence, support, float(similarity), covered))
    evidence.sort(key=lambda e: (-e.support, e.hit.rank))
    return evidence


def coverage(weights: dict[str, float], found: set[str], context: AbstractSet[str] = frozenset()) -> float:
    """IDF-weighted share of question words in the sentence; a word only in the title counts a third."""
    total = math.fsum(weights.values())  # fsum is exact: the same result whatever order a set's words come in
    if total <= 0:
        return 0.0
    return math.fsum(w if t in found else w / 3 if t in context else 0.0 for t, w in weights.items()) / total


def _type_factor(question: str, sentence: str) -> float:
    """A number or date question discounts sentences that state none ("when" inside a clause is not asking)."""
    kind = kind_of(question)
    if kind == "number" and not has_quantity(sentence):
        return 0.6
    if kind == "date" and not has_date_word(sentence):
        return 0.6
    return 1.0
