"""The direct answer: what kind of question this is, and its short answer taken from the evidence.

No model decides the short answer; rules do, and every short answer is checkable:
- yes/no questions are answered from their parts: every part supported by an evidence sentence → "Yes"; a part
  whose best sentence states the opposite (a negation or an antonym the part does not have) → "No"; a part with
  no supporting sentence → the answer says which part the sources don't cover, and the short answer is
  "Insufficient information.";
- who/which/what-name questions: the name, not in the question, that the evidence sentences most support
  (mentioned by more articles, in better-supported sentences); it occurs verbatim in the sentence cited for it;
- how many/much: the first quantity of the asked kind (euros, dollars, percent, …) in the best sentence that has
  one; a quantity question with no quantity of that kind in the evidence gets no short answer;
- when/what date: the first date in the best sentence that has one;
- other questions have no short answer: the cited sentences are the answer.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace

import numpy as np

from index import MONTHS, find_dates, strip_ref_marks, terms

from .evidence import Evidence
from .grounding import denied, is_negative, negated, written
from .places import is_country
from .text import FUNCTION_WORDS, OPENERS, TITLES, WHO_QUESTION, content_terms, name_spans, names, numbers

INSUFFICIENT = "Insufficient information."

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)
_WEEKDAY_BEFORE = r"(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?"
_DAY_MONTH_YEAR = rf"{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d|\d{{1,2}}\s+{_MONTH},?\s+(?:19|20)\d\d"
_DATE_SPAN = re.compile(  # (a year after a preposition that may open the sentence: "In 1993, …")
    rf"\b{_WEEKDAY_BEFORE}(?:{_DAY_MONTH_YEAR}|"
    rf"{_MONTH}\s+(?:19|20)\d\d|(?:19|20)\d\d-\d\d-\d\d|(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil)\s+(?:19|20)\d\d)\b"
)
_FULL_DATE = re.compile(rf"\b{_WEEKDAY_BEFORE}(?:{_DAY_MONTH_YEAR})\b")  # more precise than "in 2014"
_QUANTITY = re.compile(
    r"(?<![\w.])(?:(?:US|A|C)?\$|€|£|¥|₹|(?:EUR|USD|GBP|NIS|INR|CHF|Rs\.?)\s?)?"
    r"\d+(?:[.,]\d+)*(?:\s?(?:%|percentage points?\b|percent\b|per cent\b))?"
    r"(?:\s+(?:million|billion|trillion|thousand|bn|m|crore|lakh|cr)\b|(?<=\d)(?:bn|b|m|k)\b)?(?:\s+(?:euros?|dollars?|pounds?|people|workers|"
    r"companies|firms|units|tons|tonnes|years|months|days|km|kilometres|kilometers|points)\b)?",
    re.I,
)
_MONTH_NAMES = "|".join(m.capitalize() for m in MONTHS.split("|")[:12])
_DAY_OF_DATE = re.compile(rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTH_NAMES})\b")
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTH_NAMES})\s+$")
_HOW_MANY = re.compile(r"\bhow (?:many|much)\s+([a-z]+)", re.I)
_NOT_COUNTED = {"of", "did", "does", "do", "is", "was", "were", "are", "will", "has", "have", "had", "money", "more"}
_GROWTH_Q = re.compile(r"\bby how much\b|\bhow much did .* (?:grow|rise|increase|fall|drop|decline)", re.I)
_MULTI_SOURCE_Q = re.compile(r"\bboth\b|\barticles\b|\breports\b|\bsources\b", re.I)
_DAY_AND_MONTH = re.compile(  # a date without its year: "Dec. 20", "November 16th", "20 December"
    rf"\b(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH})(?![\w-]|,?\s+(?:19|20)\d\d)"
)
_WEEKDAY = re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_UNITS = {  # what a quantity question asks for → a pattern its answer must match
    "euro": re.compile(r"€|\beuros?\b|\bEUR\b", re.I),
    "dollar": re.compile(r"\$|\bdollars?\b|\bUSD\b", re.I),
    "percent": re.compile(r"%|\bper ?cent(?:age)?\b", re.I),
}
_PERSON_Q = re.compile(
    r"\b(?:which|what|who\s+(?:is|was)\s+the)\s+(?:\w+\s+){0,2}?(?:leader|person|individual|player|executive|official|"
    r"politician|coach|founder|athlete|quarterback|singer|artist|celebrity|star|filmmaker|director|actor|actress|"
    r"musician|rapper|receiver|manager|ceo|chief executive)\b",
    re.I,
)
_PLURAL_Q = re.compile(
    r"^\s*(?:which|what)\s+(?:\w+\s+){0,2}?(?:companies|firms|organi[sz]ations|countries|"
    r"platforms|brands|groups|banks|teams|cities|agencies|nations|partners|\w*makers|manufacturers|retailers|"
    r"studios|startups|clubs|airlines|funds|investors|universities)\b",
    re.I,
)
_DEMONYM_ENDINGS = ("ese", "ian", "ean", "ern", "ish", "can", "ic")
_ROLE = re.compile(
    r"\b(President|Prime Minister|Chief Executive|CEO|Chancellor|Secretary(?:-General)?|Minister|"
    r"Chair(?:man|woman|person)?|Director|Governor|Head|Founder|Spokes(?:man|woman|person))\s+of\s+"
    r"(?:the\s+)?([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)"
)
_OPPOSITES = [
    ("increase", "decrease"),
    ("rise", "fall"),
    ("rose", "fell"),
    ("up", "down"),
    ("gain", "loss"),
    ("higher", "lower"),
    ("more", "less"),
    ("win", "lose"),
    ("won", "lost"),
    ("growth", "decline"),
    ("grew", "shrank"),
    ("positive", "negative"),
    ("support", "oppose"),
    ("approve", "reject"),
    ("profit", "loss"),
    ("agree", "disagree"),
    ("consistent", "inconsistent"),
    ("before", "after"),
]
_GENERIC_NAMES = {
    "Mr",
    "Ms",
    "Mrs",
    "Dr",
    "CEO",
    "President",
    "Minister",
    "Prime",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "I",
    "But",
    "And",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "What",
    "Which",
    "Who",
    "Why",
    "How",
    "Here",
    "There",
    "Also",
    "So",
    "Then",
    "Now",
    "Still",
    "Even",
    "Just",
    "Our",
    "Your",
    "His",
    "Her",
    "My",
    "One",
    "Some",
    "All",
    "Many",
    "Most",
    "More",
    "Not",
    "Such",
    "Last",
    "Next",
    "Today",
    "Getty",
    "Images",
    "Photo",
    "Image",
    "Read",
    "Sign",
    "Subscribe",
    "Advertisement",
    "Click",
    "See",
    "Related",
}


@dataclass(frozen=True)
class Short:
    """The short answer and the evidence sentence it comes from (None for Yes/No and refusals); `also`: a sentence
    that writes a name in full where the supporting one gives only part of it ("Bankman-Fried")."""

    text: str
    evidence: Evidence | None = None
    also: Evidence | None = None


def quantity_unit(question: str) -> str | None:
    """The unit a quantity question asks for ('euro', 'dollar', 'percent'), when it names one (not in an amount
    it gives: "How many months does the *$66.8 billion* figure cover?")."""
    asked = _QUANTITY.sub(lambda m: "" if re.search(r"\d", m.group(0)) else m.group(0), question)
    for unit, pattern in _UNITS.items():
        if pattern.search(asked):
            return unit
    return None


def quantity(question: str, evidence: list[Evidence], typed: Callable[[str, str], bool] | None = None) -> Short | None:
    """The first quantity of the asked kind in the best-supported sentence that states one (years, and numbers
    the question itself gives, excluded; given `typed`, only amounts of the kind asked: `typed(span, sentence)`)."""
    unit = _UNITS.get(quantity_unit(question) or "")
    if unit is None and _GROWTH_Q.search(question):  # "by how much did trade grow": a rate, where one is given
        rate = quantity(question + " percent", evidence, typed)
        if rate is not None:
            return rate
    given = numbers(question)
    found = [
        (span, item, after)
        for item in evidence
        for span, after in _stated_amounts(item.sentence.clean)
        if not (numbers(span) <= given and numbers(span))
        and span.lower() not in given
        and (unit is None or unit.search(span))
        and (typed is None or typed(span, item.sentence.clean))
    ]
    counted = _counted(question)  # "how many tonnes": an amount in tonnes, where a sentence gives one
    named = [(span, item) for span, item, after in found if counted and counted in f"{span} {after}".lower()]
    best = (named or [(span, item) for span, item, _ in found])[:1]
    return Short(*best[0]) if best else None


def _counted(question: str) -> str:
    """What a "how many …" question counts, singular-ish ("tonnes" → "tonne"); "" when it names nothing."""
    match = _HOW_MANY.search(question)
    if not match or match.group(1).lower() in _NOT_COUNTED:
        return ""
    return match.group(1).lower().rstrip("s")


def _stated_amounts(sentence: str) -> list[tuple[str, str]]:
    """The amounts a sentence writes — digits, or number words ("four berths") — each with the few words after
    it (what it counts), without years and the day of a date ("10 February", "February 10")."""
    found: list[tuple[float, str, str]] = []
    for match in _NUMBER_WORDS.finditer(sentence):
        found.append((match.start(), match.group(0), _after(sentence, match.end())))
    for match in _SCORE.finditer(sentence):
        found.append((match.start() - 0.5, match.group(0), _after(sentence, match.end())))
    for match in _QUANTITY.finditer(sentence):
        span = match.group(0).strip()
        digits = re.sub(r"\D", "", span)
        if len(digits) == 4 and digits[:2] in ("19", "20") and span.isdigit():
            continue  # a year, not an amount
        if span.isdigit() and len(span) <= 2 and _DAY_OF_DATE.match(sentence, match.start()):
            continue
        if span.isdigit() and _MONTH_BEFORE.search(sentence[max(0, match.start() - 12) : match.start()]):
            continue
        found.append((match.start(), span, _after(sentence, match.end())))
    return [(span, after) for _, span, after in sorted(found)]


_SCORE = re.compile(r"(?<![\w.$€£-])\d{1,3}\s?[-–]\s?\d{1,3}(?![\w.%-])")  # a final score: "12-11"


def _after(sentence: str, end: int) -> str:
    return " ".join(sentence[end:].split()[:3])


_NUMBER_WORDS = re.compile(
    r"\b(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|"
    r"nine))?|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|(?:a|one|two|three|several) (?:hundred|thousand|dozen))\b(?! of (?:the|them|those))",
    re.I,
)


def role(question: str) -> tuple[str, str] | None:
    """The office a question names with its holder's organisation: ("President", "European Commission"), from
    "the President of the European Commission" or "the European Commission president"."""
    match = _ROLE.search(question)
    if match:
        return (match.group(1), match.group(2))
    match = _ROLE_AFTER.search(question)
    words = match.group(1).split() if match else []
    while words and (words[0] in OPENERS or words[0].lower() in ("which", "what", "who", "whose", "the")):
        words = words[1:]
    if not match or not words:
        return None
    office = match.group(2)
    holder = re.sub(r"[’']s$", "", " ".join(words))  # "Binance's CEO": Binance's
    return (office.upper() if office.lower() == "ceo" else office.title(), holder)


_ROLE_AFTER = re.compile(
    r"\b([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)\s+((?i:president|prime minister|chief executive|ceo|chancellor|"
    r"secretary(?:-general)?|chair(?:man|woman|person)?|governor))\b"
)


def holds_role(sentence: str, office: tuple[str, str]) -> bool:
    """Does the sentence name that office of that organisation ("European Commission President …",
    "President of the European Commission")? "European Council President" does not hold the Commission's; a "CEO"
    holds a "chief executive"'s. An organisation the sentence names may be taken up again by a noun ("Richard
    Teng, Binance's former global head of regional markets, will be *the exchange's new CEO*")."""
    title, organisation = (re.escape(x) for x in office)
    if office[0].lower() in ("ceo", "chief executive"):  # one office, two ways of writing it
        title = r"(?:CEO|(?i:chief executive)(?:\s+(?i:officer))?)"
    return bool(
        re.search(
            rf"\b{organisation}(?:’s|'s)?\s+(?:\w+\s+)?{title}\b|\b{title}\s+of\s+(?:the\s+)?"
            rf"{organisation}\b",
            sentence,
        )
        or re.search(rf"\b{organisation}\b", sentence)
        and re.search(rf"\b(?i:the)\s+[a-z]+(?:’s|'s)\s+(?:\w+\s+)?{title}\b", sentence)
    )


def date_span(question: str, evidence: list[Evidence], typed: Callable[[str, str], bool] | None = None) -> Short | None:
    """The first date written in the best-supported sentence that writes one, by precision: a full date in any
    sentence ("Aug. 11, 2014", not the best sentence's "in 2014"), then a month or a year, then a day and month
    without the year ("Dec. 20"), then a weekday alone ("on Thursday"). The sentence names what the question
    names, or follows a sentence or a title that does: "When will Nokia and Ericsson finish Vietnam's 5G network?"
    is not answered by "Hanoi awarded 5G contracts to … Huawei, in 2025"."""
    evidence = [item for item in evidence if _about(question, item.sentence.clean) or _about(question, item.context)]
    for pattern in (_FULL_DATE, _DATE_SPAN, _DAY_AND_MONTH, _WEEKDAY):
        for item in evidence:
            for match in pattern.finditer(item.sentence.clean):
                span = re.sub(r"^(?:in|since|by|until)\s+", "", match.group(0), flags=re.I)
                if typed is None or typed(span, item.sentence.clean):
                    return Short(span, item)
    return None


def _question_words(question: str) -> set[str]:
    """The question's words in lower case, a possessive's ending cut ("the Browns' win": "browns")."""
    return {re.sub(r"[’']s?$", "", w.lower()) for w in re.findall(r"[\w’'-]+", question)}


def _about(question: str, sentence: str) -> bool:
    """Does the sentence name one of the names the question writes (by the name, or by its initials: "EU" for
    "European Union")? True when the question names none."""
    asked = [name for name in names(question) if not _function_word(name)]
    return not asked or any(written(name, sentence) for name in asked)


def entity(
    question: str,
    evidence: list[Evidence],
    sources: AbstractSet[str] = frozenset(),
    pool: Sequence[Evidence] = (),
    articles: Sequence[str] = (),
    typed: Callable[[str, str], bool] | None = None,
) -> Short | None:
    """The name the evidence most supports that the question does not already contain (and, given `typed`, that
    is the kind of entity asked for where its sentence writes it: `typed(name, sentence)`).

    A name scores the support of the best sentence naming it in each article, summed over articles (questions
    such as "reported by both The Verge and TechCrunch" name one entity that several articles mention); with
    `articles` (the texts of a multi-part question's part evidence), names they mention more score higher."""
    office = role(question)
    if office is not None:
        evidence = [e for e in evidence if holds_role(e.sentence.clean, office)]
    asked = {n.lower() for n in names(question)} | _question_words(question)
    excluded = {s.lower() for s in sources}
    best_in_doc: dict[str, dict[str, tuple[float, Evidence]]] = defaultdict(dict)
    person: dict[str, bool] = {}
    passages = "\n".join(e.sentence.clean for e in pool or evidence)  # the evidence is drawn from the pool
    for item in evidence:
        for name, titled in _candidates(item.sentence.clean, passages).items():
            key = name.lower()
            if key in asked or key in excluded or any(key in s for s in excluded) or _expands(name, asked):
                continue
            if all(w.lower() in asked or w.lower().removesuffix("s") in asked for w in name.split()):
                continue  # every word of it is in the question: a part of a name the question gives (or its
                # plural: "the *All Blacks*" are the team of "the All Black who …")
            if typed is not None and not typed(name, item.sentence.clean):
                continue
            doc = item.chunk.doc_id
            if item.support > best_in_doc[name].get(doc, (0.0, item))[0]:
                best_in_doc[name][doc] = (item.support, item)
            person[name] = person.get(name, False) or titled
    if place_asked(question):  # "which EU member state": only a country answers it
        best_in_doc = defaultdict(dict, {n: docs for n, docs in best_in_doc.items() if is_country(n)})
    if not best_in_doc:
        return None
    _merge_partial_names(best_in_doc, person)
    person_asked = asks_person(question)
    company_asked = bool(_COMPANY_Q.search(question))
    who = bool(WHO_QUESTION.search(question)) or person_asked
    several = len(sources) > 1 or bool(_MULTI_SOURCE_Q.search(question))
    wanted = content_terms(question)

    def score(name: str) -> float:
        supports = sorted((s for s, _ in best_in_doc[name].values()), reverse=True)
        if several:  # "reported by both …": one name, several articles
            total = sum(supports)
        else:  # one article: the name nearest the question's words in its best sentence
            best = max(best_in_doc[name].values(), key=lambda pair: pair[0])[1]
            total = supports[0] * (1 + _closeness(name, best.sentence.clean, wanted))
        if who:
            total *= (2.0 if person[name] else 1.0) * (1.25 if len(name.split()) >= 2 else 1.0)
        if person_asked and not_a_person(name, [item for _, item in best_in_doc[name].values()], pool):
            total *= 0.3
        if company_asked and name.split()[-1] in _INSTITUTION_HEADS:  # "District Court", "World Chronicle"
            total *= 0.3
        if articles:  # the entity a multi-part question describes is the subject of its parts' articles
            total *= 1 + SUBJECT_WEIGHT * mentioned[name] / most
        return total

    mentioned = {n: sum(mentions(n, text) for text in articles) for n in best_in_doc}
    most = max(mentioned.values(), default=0) or 1

    def best(name: str) -> Evidence:  # the name's best-supported sentence
        return max(best_in_doc[name].values(), key=lambda pair: pair[0])[1]

    name = max(best_in_doc, key=score)
    item = best(name)
    if _TWO_Q.search(question):  # "which two celebrities …": the two best names of different entities
        other = max((n for n in best_in_doc if not set(n.split()) & set(name.split())), key=score, default=None)
        if other is not None:
            first, second = _whole(name, item, pool), _whole(other, best(other), pool)
            return Short(f"{first.text} and {second.text}", first.evidence, second.evidence)
    if _PLURAL_Q.search(question):  # "which companies": every candidate the chosen sentence names, in its order
        sentence = item.sentence.clean
        listed = sorted((n for n in best_in_doc if n in sentence and not person.get(n)), key=sentence.index)
        if len(listed) > 1:
            return Short(" and ".join([", ".join(listed[:-1]), listed[-1]]) if len(listed) > 1 else listed[0], item)
    return _whole(name, item, pool)


def _whole(name: str, item: Evidence, pool: Sequence[Evidence]) -> Short:
    """The name as the passages write it whole: initials spelled out, a clipping or a surname in full."""
    return spelled_out(name, item, pool) or unclipped(name, item, pool) or in_full(name, item, pool)


_TWO_Q = re.compile(r"^\s*(?:which|what|who\s+are\s+the)\s+two\b", re.I)


# How much a name's share of the mentions in the parts' articles raises its score (up to 1.5x for the most
# mentioned). Chosen on the even-numbered MultiHop dev inference questions (0.5 / 1 / 2: 0.700 / 0.700 / 0.691,
# strict 0.522 / 0.517 / 0.512; none: 0.647), reported on the odd ones (0.700 / 0.700 / 0.696; none: 0.585).
SUBJECT_WEIGHT = 0.5


def mentions(name: str, text: str) -> int:
    """How often the text writes the name, by its last word when that is a word of its own ("Bankman-Fried")."""
    last = name.split()[-1]
    word = last if len(last) > 3 else name
    return len(re.findall(rf"(?<!\w){re.escape(word)}(?!\w)", text))


def spelled_out(initials: str, item: Evidence, pool: Sequence[Evidence]) -> Short | None:
    """An abbreviation the passages also write in full ("SBF" → "Sam Bankman-Fried", "CZ" → "Changpeng Zhao"):
    the full name, citing where it is written."""
    if not (initials.isupper() and initials.isalpha() and 2 <= len(initials) <= 4):
        return None
    for other in [item, *pool]:
        for name in name_spans(other.sentence.clean):
            if _initials(name) == initials:
                return Short(name, item, other)
    return None


def _expands(name: str, asked: AbstractSet[str]) -> bool:
    """Is the name the spelled-out form of initials the question writes ("Changpeng Zhao" for "cz")?"""
    initials = _initials(name).lower()
    return len(initials) >= 2 and len(name.split()) >= 2 and initials in asked


def _initials(name: str) -> str:
    """ "Sam Bankman-Fried" → "SBF"."""
    return "".join(w[0] for w in re.split(r"[\s-]+", name) if w)


def unclipped(name: str, item: Evidence, pool: Sequence[Evidence]) -> Short | None:
    """A clipped name the passages also write whole ("the Fed" → "Federal Reserve"): the whole name whose first
    word the clipping begins, the form written most, citing where."""
    if not (3 <= len(name) <= 5 and name.istitle() and name.isalpha()):
        return None
    counts: dict[str, list[Evidence]] = defaultdict(list)
    for other in [item, *pool]:
        for span in name_spans(other.sentence.clean):
            first = span.split()[0]
            if (
                " " in span
                and first.isalpha()
                and first.startswith(name)
                and len(first) > len(name)
                and not _titled(first)
            ):
                counts[span].append(other)
    if not counts:
        return None
    whole = max(counts, key=lambda n: len(counts[n]))
    return Short(whole, item, counts[whole][0])


def in_full(name: str, item: Evidence, pool: Sequence[Evidence]) -> Short:
    """The name as the passages write it in full ("Sam Bankman-Fried" for "Bankman-Fried"), citing where."""
    # on one line, and not inside a longer name ("South China Sea" is no full form of "China")
    pattern = re.compile(rf"\b((?:[A-Z][\w’'-]+ ){{1,2}}){re.escape(name)}\b(?!\s[A-Z])")
    counts: dict[str, list[Evidence]] = defaultdict(list)
    passages = " ".join(other.sentence.clean for other in pool)
    for other in pool:
        sentence = other.sentence.clean
        for match in pattern.finditer(sentence):
            words = match.group(1).split()  # the words after any that cannot be in the name: "As OpenAI",
            words = words[max((i + 1 for i, w in enumerate(words) if _outside_name(w)), default=0) :]
            if words and not sentence[: match.start()].strip(" \"“‘'(") and _common(words[0], passages):
                words = words[1:]  # a word that only opens sentences ("Loading Google rejected this")
            for start in range(len(words)):  # "FTX Co-Founder Sam Bankman-Fried", "Like a Pro During Amazon",
                counts[" ".join([*words[start:], name])].append(other)  # "OpenAI's ChatGPT"; and each shorter form
    if not counts:
        return Short(name, item)
    full = max(counts, key=lambda n: len(counts[n]))  # the form written most; of equals, the first seen (the
    # longest of one name's forms: they are counted longest first)
    return Short(full, item, counts[full][0])


def _candidates(sentence: str, passages: str = "") -> dict[str, bool]:
    """Names in a sentence → whether a title precedes it ("President António Costa": a person). Runs of
    capitalised words are split at titles and generic words ("European Council President António Costa" →
    "European Council", "António Costa"); a run that opens the sentence loses a first word the `passages`
    write in lowercase and never capitalise mid-sentence ("Using Caroline Ellison" → "Caroline Ellison"). A
    quantifier written after "the" and before another capitalised word is part of the name ("the All Blacks")."""
    found: dict[str, bool] = {}
    opening = sentence.lstrip(" \"“‘'(")
    for run in sorted(name_spans(sentence), key=lambda span: (sentence.find(span), span)):  # as written
        words = run.split()
        if opening.startswith(run) and (_function_word(words[0]) or passages and _common(words[0], passages)):
            words = words[1:]
        named = len(words) > 1 and words[0] in _QUANTIFIERS and bool(re.search(rf"\b[Tt]he {re.escape(run)}", sentence))
        piece: list[str] = []
        titled = False
        for i, word in enumerate([*words, ""]):
            bare = word.strip("’'.,")
            if bare and (bare not in _GENERIC_NAMES or named and i == 0) and bare not in TITLES:
                piece.append(word)
                continue
            candidate = _numbered(" ".join(piece), sentence)
            if len(candidate) >= 2 and not candidate.isdigit() and not _adjective(candidate, sentence):
                found[candidate] = found.get(candidate, False) or titled
            piece, titled = [], bare in TITLES
    for title in quoted_titles(sentence):
        found.setdefault(title, False)
    return found


def _numbered(name: str, sentence: str) -> str:
    """The name with the number it opens with, after a noun ("fund *777* Partners"); not a year or an amount ("in
    2023 Apple said", "$5 Apple"), nor a number after a name, a score, a sign or a word that counts ("Man United 2
    McTominay", "2-2 FC Copenhagen", "a bundle of 11 Google apps")."""
    match = re.search(rf"(?<![\w$€£¥.,])(\d{{1,4}}) {re.escape(name)}\b", sentence) if name else None
    before = sentence[: match.start()].split()[-1:] if match else []
    if (
        match is None
        or re.fullmatch(r"(?:19|20)\d\d", match[1])
        or before
        and (not re.fullmatch(r"[a-z]+", before[0]) or before[0] in _COUNTING)
    ):
        return name
    return f"{match[1]} {name}"


_COUNTING = frozenset(
    re.findall(
        r"\w+",
        "of to for with by the a an about over under than nearly almost around some and or at in on from into its "
        "their his her all top only just least most more fewer less",
    )
)


_QUOTED = re.compile(r"[“\"]([A-Z][^”\"]{1,80}?)[,.]?[”\"]")


def quoted_titles(sentence: str) -> list[str]:
    """Titles written in quotes, whole ("a card dubbed “The Day of Reckoning”"): title case, up to eight words,
    so that a quoted remark is not one."""
    found = []
    for match in _QUOTED.finditer(sentence):
        words = match.group(1).split()
        if len(words) <= 8 and all(w[0].isupper() or not w[0].isalpha() or len(w) <= 3 for w in words):
            found.append(match.group(1))
    return found


def asks_person(question: str) -> bool:
    """ "Which individual …", "Who is the player …": the answer is a person's name."""
    return bool(_PERSON_Q.search(question))


def not_a_person(name: str, items: list[Evidence], pool: Sequence[Evidence] = ()) -> bool:
    """Not the person a question asks for: an organisation (`_organisation`), a country ("India"), or an
    acronym ("FTX", "GDPR") unless the passages write a name with its initials ("Sam Bankman-Fried", or
    "Bankman-Fried" for "SBF")."""
    if _organisation(name, items, pool) or is_country(name):
        return True
    if not (name.isupper() and " " not in name and len(name) > 1):
        return False
    written = {_initials(span) for item in [*items, *pool] for span in name_spans(item.sentence.clean)}
    return name not in written and name[1:] not in written  # "SBF" beside "Bankman-Fried": a person's initials


def _organisation(name: str, items: list[Evidence], pool: Sequence[Evidence] = ()) -> bool:
    """Named like an organisation ("Alameda Research", "District Court", or "Alameda" where the passages write
    "Alameda Research"), written after "the" ("the Securities and Exchange Commission") or a team (`_team`, read
    in the items and the pool): not the person a question asks for."""
    last = name.split()[-1]
    if last in _ORGANISATION_HEADS:
        return True
    headed = re.compile(rf"\b{re.escape(name)}\s+(?:{_HEADS})\b")
    if any(headed.search(item.sentence.clean) for item in [*items, *pool]):
        return True
    after_the = re.compile(rf"\bthe\s+(?:[A-Z][\w’'-]*\s+(?:(?:and|of|&)\s+)?)*{re.escape(name)}\b")
    if any(after_the.search(item.sentence.clean) for item in items):
        return True
    return _team(last, [item.sentence.clean for item in [*items, *pool]])


def _team(last: str, texts: list[str]) -> bool:
    """ "Kansas City Chiefs", "Dolphins": a name that ends in a plural the passages write after "the" ("the
    Chiefs", "the Miami Dolphins") names a team or a band, not a person ("the Williams sisters" is a family)."""
    if len(last) < 4 or not last.endswith("s") or last.endswith("ss") or not last[0].isupper():
        return False
    plural = re.compile(rf"\bthe\s+(?:[A-Z][\w’'.-]*\s+){{0,3}}{re.escape(last)}\b(?![\w’'-]|\s+{_FAMILY})")
    return any(plural.search(text) for text in texts)


_FAMILY = r"(?:sisters|brothers|family|siblings|twins)\b"


_NOT_FIRST = OPENERS | {"the", "a", "an"}  # no name starts with these ("Other Google")
_INSTITUTION_HEADS = {
    "Court", "Department", "Commission", "Ministry", "Agency", "Authority", "Council", "Committee", "Government",
    "Congress", "Senate", "Parliament", "Party", "University", "Chronicle", "Times", "Journal", "Herald", "Post",
}  # fmt: skip
_ORGANISATION_HEADS = _INSTITUTION_HEADS - {"Government", "Congress", "Senate", "Parliament"} | {
    "Research", "Bank", "Fund", "Capital", "Group", "Inc", "Corp", "Corporation", "Company", "Association",
    "Institute", "Foundation", "Office", "Bureau", "Board", "Exchange", "Labs", "Partners", "Ventures", "News",
    "Club", "League", "Union", "Service", "Services",
}  # fmt: skip
_HEADS = "|".join(sorted(_ORGANISATION_HEADS))  # "Alameda Research": a name before one of these


def category_asked(question: str) -> bool:
    """ "What type of establishments …", "the common term for the entities that …": a kind of agent is asked for,
    not one named company or person."""
    return bool(_CATEGORY_Q.search(question))


def category(question: str, evidence: list[Evidence]) -> Short | None:
    """The kind of agent the supported sentences write, for a question asking for one: a plural common noun
    ("sportsbooks") in at least two of them that the question does not use; the first sentence writing it is
    cited. None when no such word recurs."""
    asked = content_terms(question)
    seen: dict[str, list[Evidence]] = defaultdict(list)
    for item in evidence:
        sentence = item.sentence.clean
        opening = re.match(r"\W*([A-Z][a-z-]{3,}s)\b", sentence)  # "Sportsbooks adjust …"
        words = re.findall(r"(?<![\w’'-])[a-z][a-z-]{3,}s\b", sentence) + ([opening[1].lower()] if opening else [])
        for word in dict.fromkeys(words):
            if word.endswith(("ss", "us", "is")) or word in FUNCTION_WORDS or content_terms(word) & asked:
                continue
            seen[word].append(item)
    recurring = [w for w in seen if len(seen[w]) >= 2 and any(_acts(w, e.sentence.clean) for e in seen[w])]
    if not recurring:
        return None
    word = max(recurring, key=lambda w: (len(seen[w]), sum(e.support for e in seen[w])))
    return Short(word, seen[word][0])


_QUANTIFIERS = {"All", "One", "Some", "Many", "Most", "More", "Last", "Next"}  # "the All Blacks", "the Last Kingdom"


def _acts(word: str, sentence: str) -> bool:
    """Is the word the subject of a verb somewhere in the sentence ("sportsbooks might adjust", "sportsbooks are",
    "sportsbooks typically set")? An agent is asked for; a thing ("futures", "offers") is rarely one."""
    return bool(re.search(rf"(?i:\b{re.escape(word)})\s+(?:{_AUXILIARIES}|\w+ly\b|[a-z]+(?:ed|es)\b)", sentence))


_AUXILIARIES = "are|were|have|had|can|could|will|would|may|might|must|should|do|did|don’t|don't|also|often|then|still"


_CATEGORY_Q = re.compile(
    r"\b(?:types?|kinds?|sort|category|group|class)\s+of\s+(?:the\s+)?(?:establishments?|business(?:es)?|companies|"
    r"firms|entities|organi[sz]ations|individuals|people|persons|institutions|professionals)\b"
    r"|\b(?:term|name|word)\s+for\s+(?:the\s+)?(?:\w+\s+)?(?:entities|individuals|people|establishments|businesses|"
    r"organi[sz]ations|groups)\b"
    r"|\b(?:what|which)\s+(?:are\s+the\s+)?entities\b",
    re.I,
)


def place_asked(question: str) -> str | None:
    """The kind of country a question asks for ("EU member state" in "Which EU member state is …?"), if any."""
    match = _COUNTRY_Q.search(question)
    return match.group(1) if match else None


_COUNTRY_Q = re.compile(r"\b(?:which|what)\s+((?:[\w-]+\s+){0,2}?(?:countr(?:y|ies)|nations?|member states?))\b", re.I)
_COMPANY_Q = re.compile(
    r"\b(?:which|what)\s+(?:[\w-]+\s+){0,2}?(?:company|firm|corporation|business|brand|platform|startup)\b", re.I
)


def _function_word(word: str) -> bool:
    """A word no name starts with: "the", an opening word ("However"), a closed-class word ("Does", "Once")."""
    return word.lower() in _NOT_FIRST or word.lower() in FUNCTION_WORDS


def _outside_name(word: str) -> bool:
    """A word before a name that is not part of it: a title or occupation, a function word, a possessive."""
    return (
        word in _GENERIC_NAMES
        or _titled(word)
        or word in _OCCUPATIONS
        or _function_word(word)
        or word.endswith(("’s", "'s", "’", "'"))
    )


_OCCUPATIONS = {  # capitalised before a name in headlines and captions ("Singer Britney Spears")
    "Singer", "Actor", "Actress", "Rapper", "Star", "Quarterback", "Coach", "Player", "Pitcher", "Striker",
    "Manager", "Billionaire", "Entrepreneur", "Judge", "Senator", "Comedian", "Producer", "Author", "Writer",
    "Reporter", "Analyst", "Investor", "Owner", "Boss", "Rep", "Sen", "Gov",
}  # fmt: skip


def _titled(word: str) -> bool:
    """A title, also as the last part of a hyphenated one ("Co-Founder", "Vice-President")."""
    return word in TITLES or word.split("-")[-1] in TITLES


def _common(word: str, passages: str) -> bool:
    """An opening word, or one never capitalised after a lowercase word that the passages write in lowercase or
    that is an -ing form ("Using Caroline Ellison as a front", "Loading Google rejected this": a scraped page's
    placeholder)."""
    return (
        word.lower() in OPENERS
        or (bool(re.search(rf"\b{re.escape(word.lower())}\b", passages)) or bool(_ING.fullmatch(word)))
        and not re.search(rf"(?<=[a-z,;] ){re.escape(word)}\b", passages)
    )


_ING = re.compile(r"[A-Z][a-z]+ing")


def _closeness(name: str, sentence: str, wanted: set[str]) -> float:
    """1 / (1 + words between the name and the nearest word of the question): "seen by Reuters" for "which
    agency saw the draft" is close; a name at the other end of the sentence is not."""
    words = re.findall(r"[\w’'-]+", sentence)
    first, size = name.split()[0], len(name.split())
    at = [i for i, w in enumerate(words) if w.startswith(first)]
    near = [i for i, w in enumerate(words) if content_terms(w) & wanted]
    gaps = [abs(a - b) for a in at for b in near if not a <= b < a + size]  # the name's own words don't count
    return 1.0 / (1 + min(gaps)) if gaps else 0.0


def _begins(short: str, longer: str, best_in_doc: dict[str, dict[str, tuple[float, Evidence]]]) -> bool:
    """Does a name begin a longer one that is written in more articles than it ("Sam" beside "Sam Altman")? One
    written in as many or more ("Google" beside "Google Play", "OpenAI" beside "OpenAI DevDay") names something
    else."""
    return longer.split()[: len(short.split())] == short.split() and len(best_in_doc[short]) < len(best_in_doc[longer])


def _merge_partial_names(best_in_doc: dict[str, dict[str, tuple[float, Evidence]]], person: dict[str, bool]) -> None:
    """ "Bankman-Fried" and "Sam Bankman-Fried" are one name: a name whose words end a longer candidate, or begin
    one written in more articles (`_begins`), is folded into the longest such candidate (the article's full form)."""
    for short in sorted(best_in_doc, key=len):
        words = short.split()
        longer = [
            n
            for n in best_in_doc
            if len(n.split()) > len(words) and (n.split()[-len(words) :] == words or _begins(short, n, best_in_doc))
        ]
        if not longer:
            continue
        full = max(longer, key=lambda n: (sum(s for s, _ in best_in_doc[n].values()), len(n)))
        for doc, pair in best_in_doc.pop(short).items():
            if pair[0] > best_in_doc[full].get(doc, (0.0, pair[1]))[0]:
                best_in_doc[full][doc] = pair
        person[full] = person.get(full, False) or person.pop(short, False)


def _adjective(word: str, sentence: str) -> bool:
    """ "Chinese firms", "Western concerns": a capitalised demonym used before a noun is not a name."""
    if re.search(r"-(?:based|led|owned|backed|born|made|style|era)$", word):
        return True
    return (
        " " not in word
        and word.endswith(_DEMONYM_ENDINGS)
        and bool(re.search(rf"\b{re.escape(word)}\s+[a-z]", sentence))
    )


def contradicts(part: str, sentence: str) -> bool:
    """Does the sentence state the opposite of the part: a negation, an antonym the part lacks, or as still to
    come what the part asks about as done ("Had the statement been signed?" — "they are set to sign it")?"""
    if _not_yet(part, sentence):
        return True
    part_terms, sentence_terms = _words(part), _words(sentence)
    for a, b in _OPPOSITES:
        if (a in part_terms and b in sentence_terms and a not in sentence_terms) or (
            b in part_terms and a in sentence_terms and b not in sentence_terms
        ):
            return True
    part_content, sentence_content = content_terms(part), content_terms(sentence)
    if is_negative(part):  # "Did X fail to win?": a sentence that neither negates nor denies says it won
        return not negated(sentence) and bool(part_content & sentence_content)
    # The sentence negates a word of the part only when it restates the part: a "not" somewhere in a sentence
    # that merely shares a topic said "No" wrongly 2 times in 3 on MultiHop-RAG's dev comparison questions.
    restates = len(part_content & sentence_content) >= _RESTATED * len(part_content) > 0
    return restates and bool(denied(sentence) & part_terms) and not negated(part)


_RESTATED = 0.6  # of the part's content words in the sentence


def unstated(part: str) -> str:
    """What kind of claim the part is that no sentence can state: "reading", the asker's reading of the other
    parts ("…, indicating a difference in the scope of their achievements", "thus showing …"); "absence", what an
    article leaves out ("without mentioning his on-field performance", "'Globes' made no mention of …", "unlike
    the other two sources, which do not mention a launch date"); "" for a claim a sentence can state."""
    if _READING.match(part):
        return "reading"
    rest = stated(part)
    if rest != part.strip() and len({t for t in content_terms(_lowercase(rest)) if not t.isdigit()} - _FRAME_WORDS) < 2:
        return "absence"
    return ""


def stated(part: str) -> str:
    """The part without what it says an article leaves out ("The Age focuses on the founding of OpenAI without
    specifying financial figures" → "The Age focuses on the founding of OpenAI")."""
    return _ABSENCE.split(part, maxsplit=1)[0].strip(" ,;")


def _lowercase(text: str) -> str:
    """The words of `text` that are not capitalised (names, publishers)."""
    words = (w.strip("'‘’\"“”()") for w in text.split())
    return " ".join(w for w in words if w and not w[0].isupper())


_READING = re.compile(
    r"(?:thus|therefore|which|so|and)?\s*(?:indicating|suggesting|showing|implying|highlighting|reflecting|"
    r"demonstrating|signifying|signalling|signaling|underscoring|emphasi[sz]ing|illustrating|pointing to)\b",
    re.I,
)
_ABSENCE = re.compile(
    r"(?:^|,\s*|\s+)(?:without\s+\w+ing\b|(?:which\s+|that\s+)?(?:do|does|did)\s+not\s+(?:mention|specify|discuss|"
    r"address|attribute|indicate|provide|detail|reference|imply|say|state)\b|(?:made|makes|make)\s+no\s+mention\b|"
    r"(?:with\s+)?no\s+mention\b|not\s+mentioning\b)",
    re.I,
)


def on_agreement(short: Short, question: str, differ: bool) -> Short:
    """A yes/no question about whether accounts agree is answered by the disagreement check: "do they conflict /
    contradict / disagree, was it inconsistent?" is "Yes" only when the sources differ ("No" when every part is
    found and they don't); "do they agree / are they consistent / the same?" is "No" when they differ; "do they
    give different figures?" is "Yes" when they do (a different *aspect* is not a conflict, so otherwise the
    parts decide)."""
    if short.text not in ("Yes", "No"):
        return short
    if _CONFLICT_Q.search(question) and not _EITHER_OR.search(question):
        return Short("Yes" if differ else "No")
    if differ and _AGREEMENT_Q.search(question):
        return Short("No")
    if differ and _DIFFERENT_Q.search(question):
        return Short("Yes")
    return short


def agreement_topic(question: str) -> str:
    """What a question about agreement asks the sources to agree on: the question without its agreement words
    ("Do the two articles contradict each other about Huawei's role?" → "Do the two articles about Huawei's
    role?"); the question itself when it has none."""
    if not (_CONFLICT_Q.search(question) or _AGREEMENT_Q.search(question)):
        return question
    topic = _FRAMING.sub(" ", _AGREEMENT_Q.sub(" ", _CONFLICT_Q.sub(" ", question)))
    return " ".join(topic.split())


_FRAMING = re.compile(r"\b(?:each other|one another)\b", re.I)
# "conflict" alone is left out: in news questions it is mostly the topic ("the conflict involving Israel")
_CONFLICT_Q = re.compile(r"\b(?:inconsisten\w*|contradict\w*|disagree\w*|conflicting|conflicts? with|at odds)", re.I)
_AGREEMENT_Q = re.compile(r"\b(?:agree\w*|consistent\w*|same)\b", re.I)
_DIFFERENT_Q = re.compile(r"\b(?:differ|differs|different|differently)\b", re.I)


def as_option(short: Short, question: str) -> Short:
    """An either-or question about agreement ("a consistent or inconsistent account?", "agreement or
    disagreement?", or two clauses: "Do they agree on X, or do they present differing views?") is answered with one
    of its own words: "Yes" (every part found, none contradicted, no conflict) is the first option — the agreeing
    one of a word pair, the first clause's — and "No" the other."""
    if short.text not in ("Yes", "No"):
        return short
    for match in _EITHER_OR.finditer(question):
        options = {match[1].lower(), match[2].lower()}
        agreeing, other = options & _AGREEING, options & _DISAGREEING
        if agreeing and other:
            return replace(short, text=(agreeing if short.text == "Yes" else other).pop().capitalize())
    alternative = _ALTERNATIVE.search(question)  # "Do they agree on X, or do they present differing views?"
    if alternative:
        first, second = question[: alternative.start()], question[alternative.end() :]
        asked = _AGREEMENT_WORD.search(first) or _DIFFERENCE_WORD.search(first)
        opposite = (_DIFFERENCE_WORD if asked and asked.re is _AGREEMENT_WORD else _AGREEMENT_WORD).search(second)
        if asked and opposite:
            word = (asked if short.text == "Yes" else opposite)[0]
            return replace(short, text=re.sub(r"ly$", "", word).capitalize())  # "similarly" → "Similar"
    return short


_AGREEING = {"consistent", "agreement", "agree", "similar", "same", "aligned", "accurate", "true", "correct"}
_DISAGREEING = {"inconsistent", "disagreement", "disagree", "different", "dissimilar", "misaligned", "inaccurate",
                "false", "incorrect", "contradictory"}  # fmt: skip
_ALTERNATIVE = re.compile(r",?\s+or\s+(?:do|does|did|are|is|was|were|have|has)\b", re.I)
_AGREEMENT_WORD = re.compile(r"\b(?:agree|agrees|similar|similarly|align|aligned|consistent|consistently|same)\b", re.I)
_DIFFERENCE_WORD = re.compile(
    r"\b(?:differ|differs|different|differing|differently|disagree|disagrees|inconsistent|contradictory)\b", re.I
)
_EITHER_OR = re.compile(rf"\b({'|'.join(sorted(_AGREEING | _DISAGREEING))})\s+or\s+(\w+)\b", re.I)


@dataclass(frozen=True)
class Order:
    """An ordering question: did `first` happen before (or after) `second`?"""

    first: str
    relation: str  # "before" or "after"
    second: str

    def decide(self, first_date: str, second_date: str) -> str:
        """ "Yes" or "No" from the two ISO dates (the same day is neither before nor after)."""
        holds = first_date < second_date if self.relation == "before" else first_date > second_date
        return "Yes" if holds else "No"


def ordering(question: str) -> Order | None:
    """ "Did the Sporting News report on X before The Roar covered Y?" → Order(…, "before", …); None when the
    question is not one (a side too short, or "before" followed by a date: a date range, not an order)."""
    match = _ORDER_Q.search(question)
    if not match or _DATE_FIRST.search(match["second"]):
        return None
    first, second = match["first"].strip(" ,"), match["second"].strip(" ,?")
    if len(content_terms(first)) < 2 or len(content_terms(second)) < 2:
        return None
    return Order(first, match["relation"].lower(), second)


def when(side: str, item: Evidence) -> str | None:
    """When one side of an ordering question happened: for a report ("reported on", "covered"), the article's
    publication date; otherwise the first date its sentence writes ("the January 23, 2026, re-election"), else
    the article's date."""
    if not reports(side):
        written = find_dates(item.sentence.clean)
        if written:
            return written[0]
    return item.chunk.date


def reports(side: str) -> bool:
    """Is this side of an ordering question about a report ("the Sporting News report on …", "TechCrunch
    covered …"), dated by its article, rather than an event dated in the text?"""
    return bool(_REPORTING.search(side))


_ORDER_Q = re.compile(
    r"^\s*(?:did|was|were|has|had|is|are|does|do)\b(?P<first>.+?)\b(?P<relation>before|after)\b(?P<second>.+?)\?*\s*$",
    re.I,
)
_DATE_FIRST = re.compile(
    rf"^\s*(?:the\s+)?(?:\d|(?:{MONTHS})\b|(?:its|their|this|that|then|now|the\s+(?:end|start|beginning))\b)", re.I
)
_REPORTING = re.compile(
    r"\b(?:report|cover|mention|discuss|publish|wr[io]te|written|announc|releas|say|said|note|highlight|detail)\w*",
    re.I,
)


def _not_yet(part: str, sentence: str) -> bool:
    """The part asks whether something has happened (perfect or passive: "had … been signed", "has … signed",
    "was … signed") and the sentence only says it is planned ("set to sign", "will sign", "expected to sign")."""
    done = {terms(m[1])[0] for m in _DONE.finditer(part) if terms(m[1])}
    planned = {terms(m[1] or m[2])[0] for m in _PLANNED.finditer(sentence) if terms(m[1] or m[2])}
    return bool(done & planned)


_DONE = re.compile(r"\b(?:had|has|have|was|were)\b(?:\s+\w+){0,4}?\s+(?:been\s+)?(\w+ed)\b", re.I)
_PLANNED = re.compile(
    r"\b(?:set|expected|scheduled|due|planning|plans?|planned|poised|going|about|aim(?:s|ing)?)\s+to\s+(\w+)|"
    r"\bwill\s+(?:(?:soon|also|then|now|finally|formally|officially)\s+)?(\w+)",
    re.I,
)


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z]+", strip_ref_marks(text))}


_CALENDAR = {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "januari",
    "februari",
    "march",
    "april",
    "may",
    "june",
    "juli",
    "august",
    "septemb",
    "octob",
    "novemb",
    "decemb",
}


def _amounts(sentence: str) -> dict[str, set[str]]:
    """Quantities by unit: currency or percent sign, else the word after the number ("25 years" → years)."""
    found: dict[str, set[str]] = defaultdict(set)
    for match in _QUANTITY.finditer(sentence):
        span = match.group(0)
        unit = next((u for u, pattern in _UNITS.items() if pattern.search(span)), None)
        if unit is None:
            after = re.match(r"\s*([a-z]+)", sentence[match.end() :])
            unit = after.group(1) if after else None
        if unit:
            found[unit] |= numbers(span)
    return found


def conflict(
    first: str, first_article: str, second: str, second_article: str, similarity: float = 1.0
) -> tuple[str, str, str] | None:
    """Whether two sentences from different articles state conflicting facts about the same thing, as (what
    differs, the first's, the second's), or None: amounts of the same unit that differ, neither found in the other
    article; or each naming parties the other article never mentions. "The same thing" = at least 3 shared
    content words (numbers and calendar words aside) and sentences alike in meaning (`similarity`, their
    vectors' cosine, ≥ SAME_THING): two accounts of one fact read alike but for the fact, while two facts about
    one topic ("Epic's trial against Google" / "a publisher's suit against Google") share words, not meaning."""
    if similarity < SAME_THING:
        return None
    shared = {t for t in content_terms(first) & content_terms(second) if t.isalpha() and t not in _CALENDAR}
    if len(shared) < 3:
        return None
    a_amounts, b_amounts = _amounts(first), _amounts(second)
    for unit in a_amounts.keys() & b_amounts.keys():
        a, b = a_amounts[unit], b_amounts[unit]
        if a and b and not a & b and not (a & numbers(second_article) or b & numbers(first_article)):
            return "amounts", ", ".join(sorted(a)), ", ".join(sorted(b))
    only_first = {n for n in _parties(first) if n not in second_article and not _place(n, second_article)}
    only_second = {n for n in _parties(second) if n not in first_article and not _place(n, first_article)}
    if only_first and only_second:
        return "parties", ", ".join(sorted(only_first)), ", ".join(sorted(only_second))
    return None


def _parties(sentence: str) -> set[str]:
    """Names a sentence gives, less a one-word capitalised sentence opener ("Matching …", "Trade rose …") and a
    month or a day ("on *Nov.* 21")."""
    return {
        n for n in _candidates(sentence) if (" " in n or not sentence.startswith(n)) and not _CALENDAR_NAME.fullmatch(n)
    }


_CALENDAR_NAME = re.compile(rf"(?i:{MONTHS})\.?|{_WEEKDAY.pattern}")


def _place(name: str, article: str) -> bool:
    """A name the other article writes in another form ("Vietnam" / "Vietnam’s", "Hanoi" for a place)."""
    return any(word in article for word in name.split() if len(word) > 3)


Disagreement = tuple[Evidence, Evidence, tuple[str, str, str]]


# Sentences at least this alike (cosine of their vectors) can be two accounts of one fact. The 9 conflicting
# pairs of the disagreement set are 0.69-0.96; the 24 pairs the check flagged on the first 400 MultiHop-RAG dev
# questions without it, none a conflict (different games, suits, cards), are 0.34-0.88, 19 of them below 0.65.
SAME_THING = 0.65


def disagreement(
    evidence: list[Evidence], articles: dict[str, str], vectors: np.ndarray | None = None, limit: int = 8
) -> Disagreement | None:
    """The best-supported pair of evidence sentences, from different articles, that conflict (`vectors`: the
    sentences' vectors, row by row; without them every pair counts as alike)."""
    top = evidence[:limit]
    alike = vectors[:limit] @ vectors[:limit].T if vectors is not None and len(top) else None
    for i, a in enumerate(top):
        for j, b in enumerate(top[i + 1 :], start=i + 1):
            if a.chunk.doc_id == b.chunk.doc_id:
                continue
            reason = conflict(
                a.sentence.clean,
                articles.get(a.chunk.doc_id, a.chunk.text),
                b.sentence.clean,
                articles.get(b.chunk.doc_id, b.chunk.text),
                float(alike[i, j]) if alike is not None else 1.0,
            )
            if reason:
                return a, b, reason
    return None


def with_frames(clauses: Sequence[str], publishers: Sequence[str]) -> list[str]:
    """The parts of a question, each a claim: a clause that only names a report ("After The Age reported on
    October 22, 2023", "as reported by Sporting News", "Was the reporting consistent between the Fortune report
    on October 4, 2023") states nothing to find; it is joined to the clause it
    frames — the next one, or the one before when it comes last — so that part is looked for in that report."""
    names = set().union(*(content_terms(p) for p in publishers)) if publishers else set()
    parts: list[str] = []
    pending = ""
    for n, clause in enumerate(clauses, start=1):
        if not {t for t in content_terms(agreement_topic(clause)) if not t.isdigit()} - _FRAME_WORDS - names:
            if parts and n == len(clauses):
                parts[-1] = f"{parts[-1]}, {clause}"
            else:
                pending = f"{pending} {clause}".strip()
            continue
        parts.append(f"{pending} {clause}".strip() if pending else clause)
        pending = ""
    return parts + ([pending] if pending else [])


_FRAME_WORDS = content_terms(
    "report reports reported reporting article articles published publication news story stories between after "
    "before following subsequent subsequently coverage covered piece according mentioned source sources such "
    + MONTHS.replace("|", " ")
)
