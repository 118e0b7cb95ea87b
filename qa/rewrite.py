"""Follow-up questions become stand-alone queries before retrieval (rule-based, no LLM needed).

Only a question that refers back is rewritten: one that opens with a connective ("And …", "What about …"),
uses a pronoun for something said before ("it", "they", "that"), or is a fragment ("In 2024?"). A short
stand-alone question ("Was the partnership cancelled?") is searched as asked.
"""

from __future__ import annotations

import re
from datetime import date

_CONNECTIVE = re.compile(r"^(and|but|also|so|then|what about|how about|same for)\b", re.I)
_REFERS_BACK = re.compile(r"\b(it|its|they|them|their|theirs|that|those|these|he|she|him|his|her|there)\b", re.I)
_STANDS_ALONE = re.compile(
    r"^(what|which|who|whom|whose|when|where|why|how|is|are|was|were|do|does|did|can|could|will|would|has|have|"
    r"had|should|list|name|tell|give|describe|explain|compare|summari[sz]e)\b",
    re.I,
)


def refers_back(question: str) -> bool:
    """True when `question` leans on the conversation before it."""
    if _CONNECTIVE.search(question) or _REFERS_BACK.search(question):
        return True
    return len(question.split()) <= 4 and not _STANDS_ALONE.search(question)


def rewrite_question(question: str, history: list[tuple[str, str]]) -> str:
    """`question`, or — when it refers back — the previous question's subject plus it.

    >>> rewrite_question("And when was that signed?", [("What did the EU and Vietnam sign?", "...")])
    'What did the EU and Vietnam sign? And when was that signed?'
    >>> rewrite_question("Was the partnership cancelled?", [("Which port will be upgraded?", "...")])
    'Was the partnership cancelled?'
    """
    if not history:
        return question
    previous = history[-1][0].strip()
    if not previous or not refers_back(question):
        return question
    return f"{previous} {question}"


_MONTH_NAMES = [date(2000, month, 1).strftime("%B") for month in range(1, 13)]
_PERIOD = re.compile(
    rf"\b(?:(?:between|from|for|over|during|in)\s+)?January(?:\s+(?:and|to|through|until)\s+|\s*[-–]\s*)"
    rf"({'|'.join(_MONTH_NAMES[1:])})"
    r"(?:,?\s+(?:of\s+)?((?:19|20)\d\d))?",
    re.I,
)


def spell_out_periods(question: str) -> str:
    """A period from January to a later month is also searched as the "first N months" news reports give.

    >>> spell_out_periods("How much trade was there between January and November 2025?")
    'How much trade was there between January and November 2025 (the first 11 months of 2025)?'
    """
    match = _PERIOD.search(question)
    if not match:
        return question
    months = _MONTH_NAMES.index(match[1].capitalize()) + 1
    said = f" (the first {months} months{' of ' + match[2] if match[2] else ''})"
    return question[: match.end()] + said + question[match.end() :]


_IMPERATIVE = [  # a request written as a command is asked as the question it stands for
    (re.compile(r"^\s*(?:please\s+)?(?:name|identify|list)\s+(?:the\s+|all\s+(?:the\s+)?)?", re.I), "Which "),
    (re.compile(r"^\s*(?:please\s+)?(?:tell me|give me|give|state|provide|find)\s+(?:the\s+)", re.I), "What is the "),
    # … or a possessor's: "tell me nike's total sales for …"
    (re.compile(r"^\s*(?:please\s+)?(?:tell me|give me|give|state|provide)\s+(?=[\w.&-]+['’]s?\s)", re.I), "What is "),
    (re.compile(r"^\s*(?:please\s+)?(?:tell me|say)\s+(?=(?:who|what|which|when|where|how)\b)", re.I), ""),
]


def as_question(text: str) -> str:
    """ "Name the company that bought X" → "Which company that bought X?"; "give the value of trade in 2025" →
    "What is the value of trade in 2025?"; "tell me who won" → "who won?"; a search-box query is read as the
    question it stands for (`from_keywords`). A question stays as asked, with a question mark added when it has
    none."""
    text = re.sub(r"^(\s*)(what|who|where|when|how)['’]s\b", r"\1\2 is", text, flags=re.I)
    for pattern, opening in _IMPERATIVE:
        if pattern.search(text):
            text = pattern.sub(opening, text, count=1)
            text = re.sub(r"[.!]\s*$", "", text)
            break
    text = from_keywords(text.rstrip())
    return text if text.endswith("?") or not _STANDS_ALONE.search(text) else f"{text}?"


# what a search-box query asks, said by the noun of what it wants ("... release date", "... location")
_HEAD = re.compile(
    r"\b(?P<head>(?:release|launch|premiere|opening|start) date|date|location|venue|"
    r"(?:auction|purchase|sale|ticket|asking|base) price|price|cost|fee|(?:final )?score|scoreline|attendance|"
    r"winner|percentage|share|revenue|salary|budget|valuation)\b",
    re.I,
)
_PERSON_HEADS = {"winner"}
_ASKS_EARLY = re.compile(r"^\s*(?:[\w-]+\s+){0,2}(?:what|which|who|whom|whose|when|where|why|how)\b|^\W*\w+\W*$", re.I)
# a question word left at the end: "time person of the year 2023 who was it", "nascar tv deal how much"
_TRAILING_WH = re.compile(
    r"^(?P<rest>.+?)\s+(?P<wh>who|what|when|where|how much|how many)(?P<verb>\s+(?:was|is|were|are|made|won|did))?"
    r"(?:\s+(?:it|that|this|they|them))?\s*\??$",
    re.I,
)


def from_keywords(text: str) -> str:
    """A query written as keywords, not as a question, is read as the one it stands for: its question word
    moved to the front ("time person of the year 2023 who was it" → "who was time person of the year 2023?"),
    or its noun of what is wanted made the question's ("aquaman release date" → "What is the release date of
    aquaman?"). A question, a request or anything that opens with a question word stays as it is."""
    if not text or text.endswith("?") or _STANDS_ALONE.search(text) or _ASKS_EARLY.search(text):
        return text
    trailing = _TRAILING_WH.match(text)
    if trailing:
        verb = (trailing["verb"] or "").strip() or ("is" if trailing["wh"].lower().startswith("how") else "")
        return f"{trailing['wh']} {verb} {trailing['rest']}?".replace("  ", " ")
    head = _HEAD.search(text)
    if head is None:
        return f"What is the {text}?"
    rest = " ".join(f"{text[: head.start()]} {text[head.end() :]}".split())
    if not rest:
        return text
    opening = "Who is the" if head["head"].lower() in _PERSON_HEADS else "What is the"
    if rest.lower().startswith("of "):
        return f"{opening} {head['head']} {rest}?"
    return f"{opening} {head['head']} of {rest}?"
