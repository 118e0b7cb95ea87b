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
    rf"\b(?:between|from)\s+January\s+(?:and|to|through|until)\s+({'|'.join(_MONTH_NAMES[1:])})"
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
    (re.compile(r"^\s*(?:please\s+)?(?:tell me|say)\s+(?=(?:who|what|which|when|where|how)\b)", re.I), ""),
]


def as_question(text: str) -> str:
    """ "Name the company that bought X" → "Which company that bought X?"; "give the value of trade in 2025" →
    "What is the value of trade in 2025?"; "tell me who won" → "who won?". A question stays as asked, with a
    question mark added when it has none."""
    text = re.sub(r"^(\s*)(what|who|where|when|how)['’]s\b", r"\1\2 is", text, flags=re.I)
    for pattern, opening in _IMPERATIVE:
        if pattern.search(text):
            text = pattern.sub(opening, text, count=1)
            text = re.sub(r"[.!]\s*$", "", text)
            break
    text = text.rstrip()
    return text if text.endswith("?") or not _STANDS_ALONE.search(text) else f"{text}?"
