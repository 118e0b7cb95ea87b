"""Sentence splitting and lexical analysis shared by evidence selection and attribution."""

from __future__ import annotations

import re
from typing import Literal

from index import strip_ref_marks, terms

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
Kind = Literal["yesno", "who", "which", "number", "date", "open"]
_QUESTION_WORDS_RAW = (
    "what which who whom whose when where why how much many did does do is are was were the article articles "
    "report reports say says said according mention mentioned describe described source sources name named "
    "have has had having be been being get gets got make makes made take takes took give gives gave go goes "
    "also any some other there their them they it its this that these those will would could should can may "
    "into from with about over than then more most such one two position role kind type hold holds happen "
    "happened exactly called often"
)
QUESTION_WORDS = set(terms(_QUESTION_WORDS_RAW))


_IRREGULAR = {
    "saw": "see",
    "seen": "see",
    "began": "begin",
    "begun": "begin",
    "won": "win",
    "held": "hold",
    "led": "lead",
    "built": "build",
    "sold": "sell",
    "bought": "buy",
    "paid": "pay",
    "met": "meet",
    "wrote": "write",
    "written": "write",
    "grew": "grow",
    "grown": "grow",
    "rose": "rise",
    "risen": "rise",
    "fell": "fall",
    "fallen": "fall",
    "signed": "sign",
    "chose": "choos",
    "chosen": "choos",
    "spent": "spend",
}


def content_terms(text: str) -> set[str]:
    """Stemmed content words (irregular verb forms mapped to one stem), without question words."""
    return {_IRREGULAR.get(t, t) for t in terms(text) if t not in QUESTION_WORDS}


def has_quantity(text: str) -> bool:
    """True when `text` states an amount: a number that is not a year and not part of a name like 5G."""
    for match in re.finditer(r"(?<![\w.])(\$|€|£)?(\d+(?:[.,]\d+)*)(?![\w])", strip_ref_marks(text)):
        value = match.group(2).replace(",", "")
        if match.group(1) or not (len(value) == 4 and value[:2] in ("19", "20")):
            return True
    return False


def numbers(text: str) -> set[str]:
    """Numbers written in `text`, normalised (`66.8`, `2025`, `1000` for `1,000`)."""
    found = set()
    for raw in _NUMBER.findall(strip_ref_marks(text)):
        value = raw.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+", raw) else raw
        found.add(value.rstrip(".,"))
    return found


_NAME = re.compile(r"(?<![\w’'])([A-Z][\w’'-]*[A-Za-z0-9](?:\s+[A-Z][\w’'-]*[A-Za-z0-9])*)")
OPENERS = {  # words that open sentences, capitalised there: not names
    "additionally", "also", "besides", "finally", "first", "furthermore", "however", "meanwhile", "moreover",
    "overall", "second", "similarly", "then", "thus", "therefore", "together", "yet", "while", "since", "after",
    "before", "during", "although", "though", "when", "where", "if", "because", "so", "but", "and", "or", "there",
    "here", "what", "which", "who", "each", "every", "all", "some", "many", "most", "several", "other", "another",
    "his", "her", "our", "your", "my", "one", "two", "three", "under", "over", "with", "without", "to", "of",
    "conversely", "instead", "still", "now", "today", "recently", "currently", "previously", "later", "earlier",
}  # fmt: skip
# Closed-class words (auxiliaries, prepositions, quantifiers) that open a sentence or a headline capitalised: a
# name never starts with them ("Does ChatGPT have an API?", "Once Valve sells …", "Multiple Vikings defenders").
# "Will" and "May" are left out: they are also first names ("Will Smith").
FUNCTION_WORDS = {
    "does", "do", "did", "is", "are", "was", "were", "has", "have", "had", "can", "could", "would", "should",
    "might", "must", "as", "once", "on", "at", "by", "for", "from", "in", "into", "onto", "like",
    "unlike", "despite", "amid", "against", "about", "across", "through", "via", "considering", "following",
    "including", "regarding", "unless", "whether", "how", "why", "not", "only", "even", "just", "such", "any",
    "no", "few", "multiple", "more", "less", "than", "during", "until", "upon", "within", "beyond", "behind",
    "among", "around", "toward", "towards", "above", "below", "near", "inside", "outside",
}  # fmt: skip

_NOT_NAMES = {
    "The",
    "A",
    "An",
    "It",
    "In",
    "On",
    "This",
    "That",
    "These",
    "Those",
    "They",
    "He",
    "She",
    "We",
    "According",
    "Both",
    "However",
    "Yes",
    "No",
    "Its",
    "Their",
    "As",
    "At",
    "By",
    "For",
    "From",
}
_YESNO_Q = re.compile(
    r"^\s*(?:(?:after|before|between|regarding|according to|considering|following)\b[^?]*?,[\"'”’]?\s*)?"
    r"(?:does|do|did|is|are|was|were|has|have|had|can|could|will|would|should)\b",
    re.I,
)
WHO_QUESTION = re.compile(r"^\s*(?:[^?]*?,[\"'”’]?\s*)?(?:who|whom|whose)\b", re.I)  # a clause may end in a quote
_WHICH_Q = re.compile(
    r"^\s*(?:[^?]*?,[\"'”’]?\s*)?(?:which|what)\s+(?:[\w-]+\s+){0,3}?(?:company|companies|firm|firms|"
    r"organi[sz]ations?|platforms?|person|people|individual|entity|team|players?|countr(?:y|ies)|nations?|"
    r"member states?|cit(?:y|ies)|agency|agencies|leaders?|brand|app|service|group|exchange|bank|club|name|"
    r"sportsbook|court|league|university|government|news source|source|outlet|publication|"
    r"institution|regulator|official|executive|athlete|quarterback|coach|politician|network|chatbot|"
    r"model|establishments?|business(?:es)?|entit(?:y|ies)|stars?|celebrit(?:y|ies)|figures?|filmmaker|"
    r"director|actor|actress|singer|musician|artist|author|writer|journalist|founder|"
    r"billionaire|investor|individuals|startup|retailer|airline|automaker|studio|developer)\b|"
    # what/which directly before the thing asked for (not "What did President Costa say …")
    r"^\s*(?:which|what)\s+(?!(?:did|does|do|is|was|are|were|has|have|had|will|would|can|could)\b)"
    r"(?:[\w-]+\s+){0,2}?(?:president|prime minister|minister|ceo|chief|head|manager|chairman|chairwoman|owner|"
    r"opponent|venue|stadium|arena|place|location|region|award|film|movie|show|series|song|album|product|"
    r"device|game|champion|winner|rival|partner|buyer|acquirer|label|party|candidate|title|app|book|drug|"
    r"journal|album)\b|"
    r"^\s*(?:[^?]*?,\s*)?what is the name\b",
    re.I,
)
_NUMBER_Q = re.compile(
    r"\bhow (?:many|much|large|big|high|long)\b|\bwhat (?:percentage|share|amount|number|value)\b|"
    r"^\s*(?:what|which)(?:['’]s| is| was| are| were)?\s+(?!(?:did|does|do|has|have|had|will|would|can|could)\b)"
    r"(?:the\s+)?(?:[\w-]+(?:['’]s)?\s+){0,4}?(?:price|revenue|"
    r"sales|value|cost|size|percentage|margin|amount|total|budget|fee|salary|valuation|attendance|score|"
    r"scoreline)\b(?! of (?:the )?(?:company|firm|team|person|player))|"
    r"\bwhat (?:is|was|were|are) the (?:\w+ ){0,2}?(?:value|amount|number|size|price|cost|sum|figure|budget|"
    r"salary|revenue|total|percentage|rate|score)\b(?! of (?:the )?(?:company|firm|team|person|player))|"
    # "what" the object of a verb whose object is a sum: "What did Shopify *pay* when it acquired Deliverr?"
    r"^\s*what (?:did|does|do|will|would)\s+(?:[\w'’.-]+\s+){1,4}?(?:pay|spend|charge|cost|earn|gross)\b",
    re.I,
)
_WHERE_Q = re.compile(  # a place: a name, typed by qa/fit.py
    r"^\s*where\b|^\s*what (?:is|was|will be) the (?:[\w-]+ )?(?:location|venue)\b", re.I
)
_DATE_Q = re.compile(
    r"^\s*when\b|\b(?:what|which|on what) (?:date|day|year|month)\b|\bin what year\b|"
    r"^\s*what (?:is|was|will be) the (?:[\w-]+ )?date\b",
    re.I,
)

_DATE_WORD = re.compile(
    r"\b(1[89]\d\d|20\d\d|january|february|march|april|may|june|july|august|september|"
    r"october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.I,
)


def has_date_word(text: str) -> bool:
    """True when `text` names a year, a month or a weekday."""
    return bool(_DATE_WORD.search(text))


TITLES = {  # words written before a person's name ("President Costa", "Sir Jim Ratcliffe")
    "President",
    "Prime",
    "Minister",
    "CEO",
    "Chancellor",
    "Secretary",
    "Chair",
    "Chairman",
    "Chairwoman",
    "Director",
    "Governor",
    "Head",
    "Founder",
    "Chief",
    "Executive",
    "Officer",
    "Mr",
    "Ms",
    "Mrs",
    "Dr",
    "Sir",
    "Judge",
    "Senator",
    "Rep",
    "Coach",
    "Commissioner",
    "General",
    "King",
    "Queen",
    "Premier",
    "Leader",
}

_DESCRIBES = r"-[a-z]+(?:ed|en|ing|made|born|style|based)"  # a word that describes the next: "AI-driven"
_DESCRIBING = re.compile(rf"{_DESCRIBES}$")


def names(text: str) -> set[str]:
    """Capitalised words and multi-word names (not sentence-initial function words), e.g. `Nokia`, `To Lam`."""
    found: set[str] = set()
    for match in _NAME.finditer(strip_ref_marks(text)):
        words = [_DESCRIBING.sub("", w) for w in match.group(1).split() if w not in _NOT_NAMES]
        found.update(w.rstrip("’'s").rstrip("’'") or w for w in words if len(w) > 1)
    return found


def kind_of(question: str) -> Kind:
    """What the question asks for."""
    if _NUMBER_Q.search(question):
        return "number"
    if _DATE_Q.search(question):
        return "date"
    if _YESNO_Q.search(question):
        return "yesno"
    if WHO_QUESTION.search(question):
        return "who"
    if _WHERE_Q.search(question):
        return "which"
    if _WHICH_Q.search(question):
        return "which"
    return "open"


def name_spans(text: str) -> set[str]:
    """Whole names: runs of capitalised words ("Sam Bankman-Fried", "European Council"), without a leading
    function word ("The", "According")."""
    found = set()
    for match in _NAME.finditer(strip_ref_marks(text)):
        # a word that describes the next ("Eisai-partnered Biogen", "Arkansas-based publisher") is no name's
        for run in re.split(rf"\S+{_DESCRIBES}\b\s*", match.group(1)):
            words = run.split()
            while words and words[0] in _NOT_NAMES:
                words = words[1:]
            if words:
                found.add(" ".join(words[:-1] + [re.sub(r"[’']s?$", "", words[-1]) or words[-1]]))
    return found


def answers_type(question: str, sentence: str) -> bool:
    """Does `sentence` state the kind of thing asked for: a name, an amount, a date?"""
    kind = kind_of(question)
    if kind in ("who", "which"):
        return bool(names(sentence) - names(question))
    if kind == "number":
        return has_quantity(sentence)
    if kind == "date":
        return has_date_word(sentence)
    return True
