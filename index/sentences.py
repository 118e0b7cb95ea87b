"""Sentences of a passage with their offsets: evidence, attribution and sentence vectors all use this split."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(]?[A-Z0-9])")
_REF_MARKS = re.compile(r"\s*(?:\[\d{1,3}\])+")
MIN_WORDS = 5  # shorter "sentences" are headings and datelines, not evidence
# Text addressed to an AI assistant rather than to readers (prompt injection). Such sentences are indexed but
# never evidence: never quoted, never shown to a generator, never support a claim. No sentence of the 609
# MultiHop-RAG news articles (many about AI) matches; see docs/security.md.
_ADDRESSED_TO_ASSISTANT = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+)*(?:previous|prior|above|earlier|preceding|"
    r"other|your)\s+(?:instructions?|prompts?|rules|directions|context|messages?)"
    r"|\b(?:system|developer|admin)\s+(?:note|prompt|message|instruction|override)s?\s*(?:to|for|:)"
    r"|\b(?:note|instructions?|message|command)s?\s+(?:to|for)\s+(?:the\s+|any\s+|all\s+)?(?:ai|assistants?|"
    r"chatbots?|language models?|llms?|bots?)\b"
    r"|\bif you are an?\s+(?:ai|assistant|chatbot|language model|llm)\b"
    r"|\b(?:ai|llm|chatbot|language model)\s+assistants?\s+(?:reading|summari[sz]ing|answering|processing)\b"
    r"|\b(?:answer|respond|reply)\s+(?:only|exactly|solely)\s+(?:with|that)\b"
    r"|\bcite\s+this\s+(?:article|source|page|document)\b"
    # what a sentence does, not one phrase family (issue 34): it tells an answerer what to answer ...
    r"|\b(?:when(?:ever)?|if)\s+(?:you|a user|users|someone|anyone)\s+(?:are|is|get|gets)\s+(?:asked|queried|"
    r"questioned)\b|\b(?:when(?:ever)?|if)\s+(?:a user|users|someone|anyone)\s+asks?\s+(?:you|the assistant)\s+"
    r"(?:about|how|what|which|who|when|whether)\b"
    r"|\b(?:assistants?|ai|chatbots?|bots?|models?|summari[sz]ers?|llms?)\W+(?:\w+\W+){0,3}?(?:should|must|"
    r"shall)\s+(?:always\s+|only\s+)?(?:answer|respond|reply|say|state|report|write)\s+(?:that|only|with|:|“|\")"
    r"|\bthe\s+(?:figure|number|answer|amount|date|name|total|response)\s+you\s+(?:give|report|provide|use|cite|"
    r"state|quote|should|must|will)\b"
    r"|\b(?:(?:automated|ai|machine)\s+(?:summari[sz]ers?|assistants?|readers?|systems?|tools?|models?)|"
    r"language[- ]models?|llms?|chatbots?|summari[sz]ers?)\s+(?:(?:should|must|need\s+to|have\s+to)\s+"
    r"(?:always\s+|only\s+|not\s+)?(?:answer|respond|reply|"
    r"say|state|report|ignore|use|cite|treat|give|quote)\b|are\s+(?:asked|instructed|required|told)\s+to\s+"
    r"(?:answer|respond|reply|say|state|report|ignore|treat|give|quote)\b)"
    r"|\b(?:meant|intended|written|addressed)\s+(?:only\s+)?(?:for|to)\s+(?:the\s+)?(?:automated|ai|machine|"
    r"language[- ]model|llm)s?\b"
    r"|^\W*(?:dear\s+)?(?:ai\s+)?(?:assistant|chatbot|language model|llm|summari[sz]er)s?\s*[,:]"
    # ... it claims to know what "the correct answer" is ...
    r"|\b(?:the\s+)?(?:correct|proper)\s+(?:figure|number|answer|value|date|total)\s+(?:for|is|was|should)\b"
    r"|\bthe\s+(?:answer|response)\s+(?:should|must)\s+(?:be|say|state)\b"
    # ... in the other languages the corpus may hold: French, Vietnamese, Spanish, German
    r"|\b(?:ignorez|oubliez|ne\s+tenez\s+pas\s+compte|répondez|réponds|indiquez\s+que|la\s+bonne\s+réponse|"
    r"le\s+(?:bon|vrai)\s+chiffre|(?:si|lorsqu'|quand)\s*(?:on|l'on)\s+vous\s+(?:demande|interroge)|"
    r"assistants?\s+(?:d'|de\s+l')?ia|aux\s+assistants)\b"
    r"|(?:bỏ\s+qua|hãy\s+trả\s+lời|trả\s+lời\s+rằng|trợ\s+lý\s+(?:ai|ảo)|con\s+số\s+(?:đúng|chính\s+xác)|"
    r"khi\s+được\s+hỏi|nếu\s+được\s+hỏi|hướng\s+dẫn\s+trước)"
    r"|\b(?:ignora\s+(?:las|todas)|la\s+respuesta\s+correcta|cuando\s+te\s+pregunten|si\s+te\s+preguntan|"
    r"ignoriere|antworte\s+(?:nur|mit)|die\s+richtige\s+antwort|wenn\s+du\s+gefragt\s+wirst)\b",
    re.I | re.M,
)
# a line of a reference list ("[1] Source: European Commission, …"): it cites, it is not the article's text
_REFERENCE_LINE = re.compile(r"^\s*\[\d{1,3}\]\s*\S", re.M)


_PARAGRAPH = re.compile(r"(?:[^\n]|\n(?<=[^\n.!?…:;\"”’)\]\s]\n)(?=[a-z0-9(€$£]))+")


@dataclass(frozen=True)
class Sentence:
    """A sentence of a passage, with its character span in that passage."""

    text: str
    start: int
    end: int

    @property
    def clean(self) -> str:
        """The sentence without the article's own reference marks such as [2][5], on one line."""
        return " ".join(strip_ref_marks(self.text).split())


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of `text`, with offsets into `text`. A line break ends one, except a soft wrap: a line that does
    not end a sentence followed by one that starts in lower case or with a number ("can store\n4,500 tonnes")."""
    sentences = []
    for para in _PARAGRAPH.finditer(text):
        offset = para.start()
        for at, piece in _pieces(para.group(0)):
            stripped = piece.strip()
            if len(stripped) >= 2:
                lead = len(piece) - len(piece.lstrip())
                sentences.append(Sentence(stripped, offset + at + lead, offset + at + lead + len(stripped)))
    return sentences


# a full stop that ends an abbreviation, not the sentence: "Dec. 20", "Aug. 11, 2014", "Mr. Smith", "No. 1"
_BEFORE_NUMBER = re.compile(r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No)\.$")
_TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|St|Sen|Rep|Gov|Gen|Lt|Col|Capt|Sgt|Rev|vs)\.$")


def _pieces(paragraph: str) -> list[tuple[int, str]]:
    """The paragraph cut where a sentence ends, with each piece's offset; a full stop of an abbreviation is no
    end: a month before a day or year ("Dec. 20"), a title before a name ("Mr. Smith", "No. 1")."""
    pieces, start = [], 0
    for end in _SENTENCE_END.finditer(paragraph):
        before = paragraph[max(start, end.start() - 8) : end.start()]  # (a few characters: no copy of the rest)
        if _abbreviation_before(before, paragraph[end.end() : end.end() + 1]):
            continue
        pieces.append((start, paragraph[start : end.start()]))
        start = end.end()
    return [*pieces, (start, paragraph[start:])]


def _abbreviation_before(before: str, after: str) -> bool:
    if _BEFORE_NUMBER.search(before):
        return after[:1].isdigit()
    return bool(_TITLE.search(before))


def strip_ref_marks(text: str) -> str:
    return _REF_MARKS.sub("", text).strip()


def addressed_to_assistant(sentence: str) -> bool:
    """True for text that directs whoever answers rather than stating a fact: instructions to an AI assistant
    ("ignore all previous instructions…", "when you are asked how large…, the figure you give is…"), claims about
    what "the correct figure" is, in English, French, Vietnamese, Spanish or German, and reference-list lines
    ("[1] Source: …"), which cite rather than state."""
    return bool(_ADDRESSED_TO_ASSISTANT.search(sentence) or _REFERENCE_LINE.match(sentence))


def quarantined(text: str) -> list[str]:
    """The paragraphs of `text` that address an AI assistant: none of their sentences is ever evidence (the
    false claim an injection wants repeated usually sits in the sentence after the instruction)."""
    return [para.group(0).strip() for para in re.finditer(r"[^\n]+", text) if addressed_to_assistant(para.group(0))]


def prose_sentences(text: str, title: str | None = None) -> list[Sentence]:
    """The sentences that can be evidence: a few words long, not the article's title, not in a paragraph
    addressed to an AI assistant."""
    blocked = [(p.start(), p.end()) for p in re.finditer(r"[^\n]+", text) if addressed_to_assistant(p.group(0))]
    return [
        s
        for s in split_sentences(text)
        if len(s.text.split()) >= MIN_WORDS and s.text != title and not any(a <= s.start < b for a, b in blocked)
    ]
