"""Attribution: every answer sentence is matched to the evidence sentence that supports it best.

A sentence is supported when 0.5 · cosine + 0.5 · IDF-weighted word overlap with one evidence sentence
reaches the threshold, and every number it states appears in that evidence sentence or its passage.
The LLM's own [n] markers are ignored: the system assigns the markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index import split_sentences

from .evidence import Encode, Evidence, Idf, coverage
from .text import answers_type, content_terms, names, numbers

_MARKERS = re.compile(r"[ \t]*\[(?:\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
_BOILERPLATE = re.compile(
    r"^(?:(?:the )?(?:answer|sources?|source is|sources are)(?: to (?:the|this|your) question)?(?: is| are)?\s*:?|"
    r"according to (?:the )?(?:sources?|passages?|articles?)(?: \[\d+\])?,?|based on (?:the )?sources?,?)\s*",
    re.I,
)
_DECLINE = re.compile(
    r"\b(do(es)? not (say|mention|contain|provide|specify|state)|not (mentioned|provided|specified|stated|given)"
    r"|no information|cannot (answer|be determined)|can't answer|don't know|do not know|unable to)\b",
    re.I,
)


@dataclass(frozen=True)
class Claim:
    """One sentence of the draft answer and the evidence that supports it (None: unsupported)."""

    text: str
    evidence: Evidence | None
    score: float
    reason: str = ""


def draft_sentences(draft: str) -> list[str]:
    """Sentences of a generated draft, without the model's markers; empty ones dropped."""
    plain = _MARKERS.sub("", draft)
    sentences = (_BOILERPLATE.sub("", s.text).strip() for s in split_sentences(plain))
    return [s[:1].upper() + s[1:] for s in sentences if len(s.split()) >= 3]


def declines(draft: str) -> bool:
    """True when the model says the sources do not answer."""
    return bool(_DECLINE.search(draft))


def attribute(
    draft: str,
    question: str,
    evidence: list[Evidence],
    encode: Encode,
    idf: Idf,
    threshold: float,
    relevance_threshold: float,
) -> list[Claim]:
    """Match each draft sentence to its best-supporting evidence sentence.

    A supported sentence is still dropped when it only repeats the question or does not state the kind of
    thing asked for ("echo"), or when its relevance to the question — measured as evidence support is —
    is under `relevance_threshold` ("off-topic"): supported, but not an answer.
    """
    sentences = draft_sentences(draft)
    if not sentences or not evidence:
        return [Claim(s, None, 0.0, "unsupported") for s in sentences]
    asked = content_terms(question)
    weights = {t: idf(t) for t in asked}
    claim_vectors = encode(sentences)
    question_vector = encode([question])[0]
    evidence_vectors = encode([e.sentence.clean for e in evidence])
    similarities = claim_vectors @ evidence_vectors.T
    evidence_terms = [content_terms(e.sentence.text) | content_terms(e.chunk.title or "") for e in evidence]
    claims = []
    for i, sentence in enumerate(sentences):
        best, best_score = None, 0.0
        for j, item in enumerate(evidence):
            score = _score(sentence, item, float(similarities[i, j]), evidence_terms[j], idf)
            if score > best_score:
                best, best_score = item, score
        relevance = 0.5 * max(float(claim_vectors[i] @ question_vector), 0.0) + 0.5 * coverage(
            weights, content_terms(sentence)
        )
        reason = _reject_reason(sentence, question, asked, relevance, best_score, threshold, relevance_threshold)
        claims.append(Claim(sentence, None if reason else best, best_score, reason))
    return claims


def _reject_reason(
    sentence: str,
    question_text: str,
    asked: set[str],
    relevance: float,
    score: float,
    threshold: float,
    relevance_threshold: float,
) -> str:
    if score < threshold:
        return "unsupported"
    stated = content_terms(sentence) | numbers(sentence)
    if not stated - asked or not answers_type(question_text, sentence):
        return "echo"
    if relevance < relevance_threshold:
        return "off-topic"
    return ""


def _score(sentence: str, item: Evidence, similarity: float, found: set[str], idf: Idf) -> float:
    context = f"{item.chunk.title or ''}\n{item.chunk.text}"
    if numbers(sentence) - numbers(context):
        return 0.0  # a number the passage does not contain is never supported
    lowered = context.lower()
    for name in names(sentence):
        sentence_initial = sentence.startswith(name) and name.lower() in lowered
        if name not in context and not sentence_initial:
            return 0.0  # nor is a name it does not contain
    wanted = content_terms(sentence)
    total = sum(idf(t) for t in wanted)
    overlap = sum(idf(t) for t in wanted if t in found) / total if total else 0.0
    return 0.5 * max(similarity, 0.0) + 0.5 * overlap
