"""Evidence: the sentences of the retrieved passages, ranked by how well they support a question.

support = 0.5 · cosine(text, sentence) + 0.5 · IDF-weighted share of the text's content words found in the
sentence (a third for words only in its article title), discounted when a question asks for a number or a date
and the sentence has none. `support()` is the one formula: evidence ranking, refusal, each part of a question,
the disagreement check and the attribution of answer sentences all score with it (see docs/design.md).

An `EvidencePool` reads a question's passages once — each split into sentences, each sentence tokenised and
encoded once (the index's stored sentence vectors when it has them) — and ranks them for the question, each of
its parts and any topic. A sentence's vector therefore comes from its own passage, never from a cache filled by
earlier questions, and an answer cannot depend on what was asked before.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

import numpy as np

from index import Chunk, Sentence, prose_sentences, split_sentences

from .records import Hit
from .text import content_terms, has_date_word, has_quantity, kind_of

_MARKER = re.compile(r"\s*(?:\d{1,3}|[a-zA-Z])[.)]\s*$")  # a list item's number or letter
_ITEM = re.compile(r"[A-Z][^:.!?]{0,40}:\s+\S[^:]{0,80}$")  # a list item: "Revenue: $12.94 billion vs. …"


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

    @functools.cached_property
    def _earlier(self) -> list[str]:
        """The sentences before this one in its passage; a list item's number ("1.") is none."""
        return [s.text for s in split_sentences(self.chunk.text[: self.sentence.start]) if not _MARKER.match(s.text)]

    @property
    def before(self) -> str:
        """The sentence before this one in its passage ("" for the first)."""
        return self._earlier[-1] if self._earlier else ""

    @property
    def introduction(self) -> str:
        """The sentence that introduces the list this one is an item of, ending in a colon ("Here's how the
        sneaker giant performed during its fiscal first quarter …:" for "Revenue: $12.94 billion vs. $12.98
        billion expected"); "" for a sentence that is no such item."""
        if not _ITEM.match(self.sentence.text):
            return ""
        for text in reversed(self._earlier):
            if text.rstrip().endswith(":"):
                return text
            if not _ITEM.match(text):
                return ""
        return ""

    @property
    def context(self) -> str:
        """What the article states around the sentence: its title, the sentence introducing the list it is an item
        of, and the sentence before ("Marcus Urann …" for "*He* introduced a way to put cranberries in a can in
        1912")."""
        return " ".join(filter(None, [self.chunk.title, self.introduction, self.before]))


Encode = Callable[[list[str]], np.ndarray]
Idf = Callable[[str], float]
Stored = Callable[[Sequence[str]], Sequence[np.ndarray | None]]  # chunk ids -> the index's sentence vectors
Lead = Callable[[str], str]  # a document id -> its article's opening paragraphs


@dataclass(frozen=True)
class _Passage:
    """One chunk, read: its evidence sentences, their content words, its title's, and their vectors."""

    sentences: list[Sentence]
    terms: list[set[str]]
    title: set[str]
    vectors: np.ndarray

    def position(self, sentence: Sentence) -> int:
        return self._positions[sentence]

    @functools.cached_property
    def _positions(self) -> dict[Sentence, int]:
        return {s: i for i, s in reversed(list(enumerate(self.sentences)))}  # the first, as list.index gives


class EvidencePool:
    """The sentences of one question's passages, read once and ranked for any text. Not shared between
    questions (it is cheap to build and holds nothing a later question could depend on)."""

    def __init__(self, encode: Encode, idf: Idf, stored: Stored | None = None, lead: Lead | None = None) -> None:
        self.encode, self.idf, self._stored, self._lead = encode, idf, stored, lead
        self._leads: dict[str, str] = {}  # a document id -> its lead, read once per question
        self._passages: dict[str, _Passage] = {}
        self._known: dict[str, np.ndarray] = {}  # a sentence's text -> its vector, for a claim that quotes it

    def read(self, hits: Sequence[Hit]) -> None:
        """Split, tokenise and encode the chunks of `hits` not read yet (one stored-vector lookup, one encode)."""
        chunks = list({h.chunk.chunk_id: h.chunk for h in hits if h.chunk.chunk_id not in self._passages}.values())
        if not chunks:
            return
        split = [prose_sentences(c.text, c.title) for c in chunks]
        stored = self._stored([c.chunk_id for c in chunks]) if self._stored else [None] * len(chunks)
        fresh = [s.clean for sentences, kept in zip(split, stored) if not _fits(kept, sentences) for s in sentences]
        encoded = iter(self.encode(fresh)) if fresh else iter(())
        for chunk, sentences, kept in zip(chunks, split, stored):
            if _fits(kept, sentences):
                vectors = np.asarray(kept, dtype=np.float32)
            else:
                vectors = np.array([next(encoded) for _ in sentences], dtype=np.float32)
            for sentence, vector in zip(sentences, vectors):
                self._known.setdefault(sentence.clean, vector)
            terms = [content_terms(s.text) for s in sentences]
            self._passages[chunk.chunk_id] = _Passage(sentences, terms, content_terms(chunk.title or ""), vectors)

    def rank(self, text: str, hits: Sequence[Hit], vector: np.ndarray | None = None) -> list[Evidence]:
        """All sentences of `hits`, best support for `text` first (ties: the better-ranked hit)."""
        self.read(hits)
        candidates = [(hit, i) for hit in hits for i in range(len(self._passages[hit.chunk.chunk_id].sentences))]
        if not candidates:
            return []
        qvec = vector if vector is not None else self.encode([text])[0]
        similarities = np.stack([self._passages[h.chunk.chunk_id].vectors[i] for h, i in candidates]) @ qvec
        weights = self.weights(text)
        kind = kind_of(text)
        evidence = []
        for (hit, i), similarity in zip(candidates, similarities):
            passage = self._passages[hit.chunk.chunk_id]
            sentence = passage.sentences[i]
            covered = coverage(weights, passage.terms[i], passage.title)
            score = _support(float(similarity), covered) * _type_factor(kind, sentence.text)
            evidence.append(Evidence(hit, sentence, score, float(similarity), covered))
        evidence.sort(key=lambda e: (-e.support, e.hit.rank))
        return evidence

    def lead(self, doc_id: str) -> str:
        """The opening paragraphs of a passage's article ("" without a way to read them), read when a direct
        answer is checked against them, once per question (never for a question that checks none)."""
        if doc_id not in self._leads:
            self._leads[doc_id] = self._lead(doc_id) if self._lead else ""
        return self._leads[doc_id]

    def weights(self, text: str) -> dict[str, float]:
        """The IDF weight of each content word of `text`."""
        return {t: self.idf(t) for t in content_terms(text)}

    def embed(self, texts: list[str]) -> np.ndarray:
        """Vectors of `texts`; a text that is one of the passages' sentences gets that sentence's vector (an
        extractive answer quotes them), so a quote scores against its own sentence exactly."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._known]
        fresh = dict(zip(missing, self.encode(missing))) if missing else {}
        return np.stack([self._known[t] if t in self._known else fresh[t] for t in texts])

    def vectors(self, evidence: Sequence[Evidence]) -> np.ndarray:
        """The vectors of the evidence sentences (each read with its passage)."""
        return np.stack([passage.vectors[i] for passage, i in map(self._locate, evidence)])

    def terms(self, evidence: Evidence) -> set[str]:
        """The content words of an evidence sentence and of its article's title."""
        passage, i = self._locate(evidence)
        return passage.terms[i] | passage.title

    def in_context(self, text: str, evidence: Sequence[Evidence]) -> list[float]:
        """The support of each evidence sentence for `text` read with its article's stated context: the words of
        its title and of the sentence before it count as its own ("Nike's fiscal first quarter …" in the title,
        "*Revenue*: $12.94 billion" in the sentence)."""
        weights, kind = self.weights(text), kind_of(text)
        scores = []
        for item in evidence:
            passage, i = self._locate(item)
            found = passage.terms[i] | passage.title | (passage.terms[i - 1] if i else set())
            factor = _type_factor(kind, item.sentence.text)
            scores.append(_support(item.similarity, coverage(weights, found)) * factor)
        return scores

    def _locate(self, evidence: Evidence) -> tuple[_Passage, int]:
        self.read([evidence.hit])
        passage = self._passages[evidence.chunk.chunk_id]
        return passage, passage.position(evidence.sentence)


def opening(text: str) -> str:
    """An article's lead: its first two paragraphs (at most LEAD_CHARS), which say what the whole article is about
    ("… according to the study, published Tuesday in the journal JAMA"; "Here's how the sneaker giant performed
    during its fiscal first quarter")."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text[: 4 * LEAD_CHARS]) if p.strip()]  # (never the whole
    # of a long document: the lead is at most LEAD_CHARS)
    return " ".join(paragraphs[:2])[:LEAD_CHARS]


LEAD_CHARS = 800


def rank_evidence(
    question: str, hits: list[Hit], encode: Encode, idf: Idf, question_vector: np.ndarray | None = None
) -> list[Evidence]:
    """All sentences of `hits`, best support first (a pool read for this one question)."""
    return EvidencePool(encode, idf).rank(question, hits, question_vector)


def support(
    weights: dict[str, float], similarity: float, found: AbstractSet[str], context: AbstractSet[str] = frozenset()
) -> float:
    """0.5 · cosine + 0.5 · the IDF-weighted share of the text's words (`weights`) in the sentence (`found`);
    a word only in `context` (its article's title) counts a third."""
    return _support(similarity, coverage(weights, found, context))


def _support(similarity: float, covered: float) -> float:
    return 0.5 * max(similarity, 0.0) + 0.5 * covered


def coverage(weights: dict[str, float], found: AbstractSet[str], context: AbstractSet[str] = frozenset()) -> float:
    """IDF-weighted share of question words in the sentence; a word only in the title counts a third."""
    total = math.fsum(weights.values())  # fsum is exact: the same result whatever order a set's words come in
    if total <= 0:
        return 0.0
    return math.fsum(w if t in found else w / 3 if t in context else 0.0 for t, w in weights.items()) / total


def _fits(stored: np.ndarray | None, sentences: list[Sentence]) -> bool:
    return stored is not None and len(stored) == len(sentences)


def _type_factor(kind: str, sentence: str) -> float:
    """A number or date question (`kind`) discounts sentences that state none ("when" inside a clause is not
    asking)."""
    if kind == "number" and not has_quantity(sentence):
        return 0.6
    if kind == "date" and not has_date_word(sentence):
        return 0.6
    return 1.0
