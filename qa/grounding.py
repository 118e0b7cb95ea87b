"""Grounding: does one evidence sentence state what an answer sentence states?

Lexical support (cosine + word overlap) cannot see a swapped name, an altered number, a wrong office or a
negation: those sentences share almost every word with the evidence. These checks can, and each is
deliberately narrow — a fact the claim states must be written in the *one* sentence it is attributed to (or its
article's title), so a sentence stitched from two passages is caught as well:

- **quantities**: every number, with its currency and scale ("$66.8 billion", "6.6%"; "nine months" counts as
  9), and every rank ("second-largest", "first") occurs in the sentence;
- **dates**: every month and weekday the claim names occurs in the sentence (years are numbers);
- **names**: every name the claim writes ("European Commission", "To Lam") occurs in the sentence, contiguous,
  or as the initials of one of its names ("EU" for "European Union"); a capitalised first word counts as a name
  only when the passages never write it in lower case ("Furthermore", "Trade" are not names);
- **polarity**: the claim does not negate what the sentence affirms, does not affirm what the sentence negates
  (a negation in another clause of the sentence does not count), and does not use the opposite word
  ("fell" for "increase", "smallest" for "largest").

The first failing check is the reason; "" means grounded. docs/answers.md has the adversarial set's figures.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from index import strip_ref_marks

from .text import OPENERS, name_spans

_QUANTITY = re.compile(
    r"(?P<cur>(?:US)?\$|€|£)?\s?(?P<num>\d+(?:[.,]\d+)*)(?P<pct>\s?(?:%|percent\b|per cent\b))?"
    r"(?:\s(?P<scale>million|billion|trillion|thousand|bn)\b)?(?:\s(?P<curw>euros?|dollars?|pounds?)\b)?",
    re.I,
)
_CURRENCY = {"$": "usd", "us$": "usd", "€": "eur", "£": "gbp", "dollar": "usd", "euro": "eur", "pound": "gbp"}
_NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty"
)
_NUMBERS = {w: i for i, w in enumerate(_NUMBER_WORDS.split())}
_WORD_NUMBER = re.compile(rf"\b(?:{'|'.join(list(_NUMBERS)[2:])})\b(?=\s+[a-z])", re.I)  # "nine months"
_ORDINAL_WORDS = "first second third fourth fifth sixth seventh eighth ninth tenth"
_ORDINALS = {w: i + 1 for i, w in enumerate(_ORDINAL_WORDS.split())}
_ORDINAL = re.compile(rf"\b(?:{'|'.join(_ORDINALS)})\b", re.I)
_CALENDAR = re.compile(
    r"\b(January|February|March|April|June|July|August|September|October|November|December|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
# A negation says a thing is not so ("failed to win": did not win); a denial is an act of stopping or refusing
# it. The verifier treats both as denying the words they govern; a question part is negative only by a negation
# ("Did Israel halt supplies?" asks about an act, which a sentence saying it was done confirms).
_NEGATIONS = (
    r"not|no|never|neither|nor|without|none|\w*n['’]t|cannot|no longer|absence|absent|lacks?|lacked|lacking|"
    r"fails?|failed"
)
_DENIALS = r"rule[sd]? out|refused|rejects?|rejected|denies|denied|banned|halted|cancel(?:l)?ed|abandoned"
_NEGATION_OR_DENIAL = re.compile(rf"\b(?:{_NEGATIONS}|{_DENIALS})\b", re.I)
_NEGATION = re.compile(rf"\b(?:{_NEGATIONS})\b", re.I)

_UP = (
    "increase increased increases increasing rise rose risen rises rising grow grew grown grows growing growth "
    "gain gained gains higher largest larger biggest bigger major significant boost boosted expand expanded "
    "surge surged climb climbed"
)
_DOWN = (
    "decrease decreased decreases decreasing fall fell fallen falls falling drop dropped drops decline declined "
    "declines shrink shrank shrunk lower lowest smaller smallest minor small loss losses cut cuts reduce reduced "
    "mitigate mitigating mitigated plunge plunged slump slumped"
)
OPPOSITES = [(set(_UP.split()), set(_DOWN.split())), ({"before", "earlier"}, {"after", "later"})]


def ground(claim: str, sentence: str, title: str = "", passages: str = "") -> str:
    """ "" when `sentence` (with its article `title`) states every checkable fact of `claim`; else the reason:
    "quantity", "date", "name" or "polarity". `passages` is the evidence text, to tell names from openers."""
    claim, source = _plain(claim), _plain(f"{sentence}\n{title}")
    if not quantities(claim) <= quantities(source) or not _ordinals(claim) <= _ordinals(source):
        return "quantity"
    if set(_CALENDAR.findall(claim)) - set(_CALENDAR.findall(source)):
        return "date"
    if any(not written(name, source) for name in _names(claim, _plain(passages) or source)):
        return "name"
    if _words(claim) & _ROLES - _words(source):
        return "name"  # an office the sentence does not give: "foreign policy chief" for "Council President"
    if opposes(claim, _plain(sentence)):
        return "polarity"
    return ""


def quantities(text: str) -> set[tuple[str, str, str]]:
    """(currency, value, scale) of each number: ("usd", "66.8", "billion"), ("", "6.6", "%"), ("", "2020", "")."""
    found = set()
    text = _WORD_NUMBER.sub(lambda m: str(_NUMBERS[m[0].lower()]), text)
    for m in _QUANTITY.finditer(text):
        value = m["num"].replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+", m["num"]) else m["num"]
        currency = (m["cur"] or m["curw"] or "").lower().rstrip("s")
        scale = "%" if m["pct"] else (m["scale"] or "").lower().replace("bn", "billion")
        found.add((_CURRENCY.get(currency, currency), value.rstrip(".,"), scale))
    return found


def _ordinals(text: str) -> set[int]:
    """Ranks the text states ("second-largest", "3rd", "first domestic"), an opening "First," aside."""
    text = re.sub(r"^\W*(?:first|second|third)\b\s*,", "", text, flags=re.I)
    found = {_ORDINALS[w.lower()] for w in _ORDINAL.findall(text)}
    return found | {int(n) for n in re.findall(r"\b(\d+)(?:st|nd|rd|th)\b", text)}


def opposes(claim: str, sentence: str) -> bool:
    """The claim negates what the sentence affirms, affirms what it negates, or uses an opposite word."""
    claim_words, sentence_words = _words(claim), _words(sentence)
    for a, b in OPPOSITES:
        for x, y in ((a, b), (b, a)):
            if claim_words & x and sentence_words & y and not sentence_words & x and not claim_words & y:
                return True
            if _swapped(claim, sentence, x, y):
                return True
    negated_claim, negated_sentence = negated(claim), negated(sentence)
    if negated_claim and not negated_sentence:
        return True
    return bool(negated_sentence & claim_words) and not negated_claim


def _swapped(claim: str, sentence: str, x: set[str], y: set[str]) -> bool:
    """A word of `x` in the claim where the sentence has a word of `y` before the same next word
    ("to increase geopolitical risks" / "to mitigate geopolitical risks")."""
    claim_tokens, sentence_tokens = _tokens(claim), _tokens(sentence)
    after_y = {sentence_tokens[i + 1] for i, w in enumerate(sentence_tokens[:-1]) if w in y}
    return any(w in x and claim_tokens[i + 1] in after_y for i, w in enumerate(claim_tokens[:-1]))


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def is_negative(text: str) -> bool:
    """Does the text say that something is not so ("not", "never", "no longer", "lacks")?"""
    return bool(_NEGATION.search(text))


def negated(text: str) -> set[str]:
    """Stems of the words a negation governs (the next three words)."""
    governed: set[str] = set()
    for m in _NEGATION_OR_DENIAL.finditer(text):
        governed |= _words(" ".join(text[m.end() :].split()[:3])) - _FUNCTION or {"∅"}
    return governed


def denied(text: str) -> set[str]:
    """The first word each negation governs, the thing it denies: "didn't release the full model" → release,
    "no legislative remedy" → legislative."""
    after = (text[m.end() :] for m in _NEGATION_OR_DENIAL.finditer(text))
    first = (next((w for w in _tokens(rest) if w not in _FUNCTION), "") for rest in after)
    return {w for w in first if w}


def _words(text: str) -> set[str]:
    return set(_tokens(text))


_ROLES = {
    "president", "chief", "minister", "premier", "secretary", "chairman", "chairwoman", "chair", "commissioner",
    "chancellor", "governor", "ambassador", "envoy", "spokesman", "spokeswoman", "spokesperson", "ceo", "director",
    "king", "queen", "mayor", "senator", "general",
}  # fmt: skip
_FUNCTION = {"the", "a", "an", "any", "to", "of", "in", "on", "for", "be", "been", "is", "are", "was", "were", "and"}


def _names(claim: str, passages: str) -> set[str]:
    spans = name_spans(claim)
    first = re.match(r"\W*([A-Z][\w’'-]*)(?=[\s,]|$)", claim)
    if first and first[1] in spans:
        word = first[1]
        common = word.lower() in OPENERS or re.search(rf"\b{re.escape(word.lower())}\b", passages)
        if common and not re.search(rf"(?<=[a-z,;] ){re.escape(word)}\b", passages):  # never a name mid-sentence
            spans.discard(word)
    return spans


def written(name: str, source: str) -> bool:
    """Does `source` write the name: as written, each part of a hyphenated one ("EU-Vietnam"), or an acronym by
    the initials of a name it writes ("EU" for "European Union")?"""
    if re.search(rf"(?<!\w){re.escape(name)}", source, re.I):
        return True
    if "-" in name:  # "EU-Vietnam": each part
        return all(written(part, source) for part in name.split("-") if part)
    words = name.split()
    if len(words) == 1 and name.isupper() and len(name) >= 2:  # an acronym: EU, UN, ECB
        initials = {"".join(w[0] for w in span.split() if w[:1].isupper()) for span in name_spans(source)}
        return name in initials
    return False


_PLAIN = str.maketrans("’‘“”–—", "''\"\"--")


@functools.lru_cache(maxsize=64)  # the same passages come with every candidate sentence of a claim
def _plain(text: str) -> str:
    """Reference marks gone; curly quotes and dashes made plain, so "EU–Vietnam" matches "EU-Vietnam"."""
    text = unicodedata.normalize("NFKC", strip_ref_marks(text))
    return text.translate(_PLAIN)
