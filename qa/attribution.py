"""Attribution: every answer sentence is matched to the evidence sentence that supports it best.

A sentence is supported when its `support()` (qa/evidence.py: 0.5 · cosine + 0.5 · IDF-weighted word overlap,
the formula evidence is ranked with) from one evidence sentence reaches the threshold and that same sentence
grounds it (qa/grounding.py: its quantities, dates and names are written there, and it does not state the
opposite).
The LLM's own [n] markers are ignored: the system assigns the markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from index import split_sentences

from .evidence import Encode, Evidence, EvidencePool, Idf, coverage, support
from .grounding import ground
from .text import answers_type, content_terms, numbers

_CLAUSE = re.compile(r",\s+(?=(?:which|who|whose|where|while|whereas)\b)|;\s+")
_MARGIN = 0.05  # a passing sentence this far below a failing best one does not rescue the claim
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

    @property
    def kept(self) -> bool:
        """Supported and an answer to the question: shown. A claim that is supported but only repeats the
        question, gives the wrong kind of thing or is off-topic keeps its `evidence` and has a `reason`."""
        return self.evidence is not None and not self.reason

    def to_dict(self) -> dict[str, Any]:
        """JSON for `qa verify --json`: the sentence, whether it is supported (and kept as an answer), why not,
        and the sentence that grounds it."""
        e = self.evidence
        return {
            "text": self.text,
            "supported": e is not None,
            "kept": self.kept,
            "reason": self.reason,
            "score": round(self.score, 4),
            "source": e.chunk.source if e else None,
            "chunk_id": e.chunk.chunk_id if e else None,
            "quote": e.sentence.clean if e else None,
        }


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
    pool: EvidencePool,
    threshold: float,
    relevance_threshold: float,
) -> list[Claim]:
    """Match each draft sentence to its best-supporting evidence sentence (of `pool`, which read them), scored
    with the same `support()` as evidence.

    A supported sentence is still dropped when it only repeats the question ("echo"), does not state the kind of
    thing asked for — an amount for "how much", a date for "when", a name for "who" ("kind") —, or when its
    relevance to the question — measured as evidence support is — is under `relevance_threshold` ("off-topic"):
    supported, but not an answer.
    """
    sentences = draft_sentences(draft)
    if not sentences or not evidence:
        return [Claim(s, None, 0.0, "unsupported") for s in sentences]
    asked = content_terms(question)
    weights = pool.weights(question)
    claim_vectors = pool.embed(sentences)
    question_vector = pool.encode([question])[0]
    similarities = claim_vectors @ pool.vectors(evidence).T
    evidence_terms = [pool.terms(e) for e in evidence]
    passages = "\n".join(dict.fromkeys(e.chunk.text for e in evidence))
    claims = []
    for i, sentence in enumerate(sentences):
        wanted = content_terms(sentence)
        own = {t: pool.idf(t) for t in wanted}
        scores = [support(own, float(similarities[i, j]), evidence_terms[j]) for j in range(len(evidence))]
        best, best_score, failed = _grounded(sentence, evidence, scores, threshold, passages)
        if best is not None and not failed and _stitched(sentence, wanted, best, evidence, evidence_terms, pool.idf):
            failed = "stitched"
        relevance = support(weights, float(claim_vectors[i] @ question_vector), wanted)
        if best is not None and not failed:  # "It entered into force in 2020.": as relevant as what grounds it
            relevance = max(relevance, best.support)
        reason = failed or _reject_reason(
            sentence, question, asked, relevance, best_score, threshold, relevance_threshold
        )
        claims.append(Claim(sentence, None if failed or best_score < threshold else best, best_score, reason))
    return claims


def check_citation(claim: str, sentence: str, title: str, encode: Encode, idf: Idf, threshold: float) -> str:
    """The verifier on one (claim, cited sentence) pair: "" when the sentence supports the claim, else why not."""
    vectors = encode([claim, sentence])
    found = content_terms(sentence) | content_terms(title)
    if support({t: idf(t) for t in content_terms(claim)}, float(vectors[0] @ vectors[1]), found) < threshold:
        return "unsupported"
    return ground(claim, sentence, title)


def _grounded(
    sentence: str, evidence: list[Evidence], scores: list[float], threshold: float, passages: str
) -> tuple[Evidence | None, float, str]:
    """The best-scoring evidence sentence that grounds `sentence` (qa/grounding.py), or, when none of those
    reaching the threshold does, the best one and the reason it fails."""
    order = sorted(range(len(evidence)), key=lambda j: -scores[j])
    first_reason = ""
    for j in order:
        if scores[j] < threshold or (first_reason and scores[j] < scores[order[0]] - _MARGIN):
            break
        item = evidence[j]
        reason = ground(sentence, item.sentence.text, item.chunk.title or "", passages)
        if not reason:
            return item, scores[j], ""
        first_reason = first_reason or reason
    top = order[0] if order else None
    return (evidence[top] if top is not None else None), (scores[top] if top is not None else 0.0), first_reason


def _stitched(
    sentence: str,
    wanted: set[str],
    best: Evidence,
    evidence: list[Evidence],
    evidence_terms: list[set[str]],
    idf: Idf,
) -> bool:
    """Put together from two sentences: the claim's words that its grounding sentence lacks (two or more) are
    all another sentence's words ("To Lam, who was re-elected …, described the upgrade as a historical
    milestone", where Luong Cuong said it), or a clause it adds (", which …", "; …") is mostly words its
    grounding sentence does not have."""
    index = next(j for j, item in enumerate(evidence) if item is best)
    found = evidence_terms[index]
    missing = wanted - found
    text = best.sentence.clean
    if len(missing) >= 2 and any(
        missing <= terms for item, terms in zip(evidence, evidence_terms) if item.sentence.clean != text
    ):
        return True
    stems = {t[:5] for t in found}  # "supplies" / "supplier": a clause may reword
    for clause in _CLAUSE.split(sentence)[1:]:
        words = content_terms(clause)
        if len(words) >= 3 and coverage({t: idf(t) for t in words}, {t for t in words if t[:5] in stems}) < 0.5:
            return True
    return False


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
    if not stated - asked:
        return "echo"
    if not answers_type(question_text, sentence):
        return "kind"
    if relevance < relevance_threshold:
        return "off-topic"
    return ""
