"""Follow-up questions become stand-alone queries before retrieval (rule-based, no LLM needed)."""

from __future__ import annotations

import re

_FOLLOW_UP = re.compile(
    r"^(and|but|also|so|then|what about|how about)\b|\b(it|its|they|them|their|that|this|those|these|he|she|his|her|there)\b",
    re.I,
)


def rewrite_question(question: str, history: list[tuple[str, str]]) -> str:
    """`question`, or — when it leans on the conversation — the previous question's subject plus it.

    >>> rewrite_question("And when was that signed?", [("What did the EU and Vietnam sign?", "...")])
    'What did the EU and Vietnam sign? And when was that signed?'
    """
    if not history:
        return question
    previous = history[-1][0].strip()
    if not previous or not (_FOLLOW_UP.search(question) or len(question.split()) <= 4):
        return question
    return f"{previous} {question}"
