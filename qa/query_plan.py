"""What a question says besides its words: the publishers and dates it names, and its sub-questions.

All rule-based (no model): publishers are matched against the sources the index holds, dates with the same
normaliser ingestion uses, sub-questions by splitting at clause boundaries ("…, while the Verge article…").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from dateutil import parser as dateparser

from index import MONTHS, find_dates

_MONTH_YEAR = re.compile(rf"\b({MONTHS})\.?,?\s+((?:19|20)\d\d)\b", re.I)
_CLAUSE = re.compile(
    r"\s*(?:,\s*(?:and|but|while|whereas)\s+|,\s+|;\s+|\s+(?:while|whereas|but also|compared to|as opposed to|"
    r"in contrast to)\s+)",
    re.I,
)
_DATE_COMMA = re.compile(rf"\b(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,(?=\s+(?:19|20)\d\d)", re.I)
MIN_CLAUSE_WORDS = 4
_NAME = r"(?:[Tt]he\s+)?[A-Z][\w.'’&-]*(?:\s+(?:of\s+|and\s+|&\s+|-\s+)?[A-Z][\w.'’&-]*){0,5}"
_ARTICLE = r"(?P<article>article|piece|story|column|op-ed|coverage)s?"
_REPORT = r"(?:report|review|publication)s?"
_OUTLET = (
    re.compile(rf"\b(?:a|an|the)\s+(?P<name>{_NAME})\s+(?:{_ARTICLE}|{_REPORT})\b"),
    re.compile(rf"\b(?:{_ARTICLE}|{_REPORT})\s+(?:from|by|in|published\s+(?:by|in))\s+(?P<name>{_NAME})"),
    re.compile(rf"\b(?:reported|published|covered|written|detailed)\s+by\s+(?P<name>{_NAME})"),
)
_NOT_OUTLET = re.compile(rf"['’]s$|^(?:{MONTHS})\b", re.I)  # "the EU's report", "the November article"


@dataclass(frozen=True)
class QueryPlan:
    """A question analysed for retrieval."""

    text: str
    publishers: tuple[str, ...] = ()  # index source names the question names ("according to TechCrunch")
    days: tuple[str, ...] = ()  # ISO dates it names ("on October 7, 2023")
    months: tuple[str, ...] = ()  # YYYY-MM it names without a day ("in November 2023")
    clauses: tuple[str, ...] = ()  # sub-questions, when it has more than one
    # names it gives as the publisher of an article or report that are not the index's sources, each with
    # whether it was asked as a news article ("a Bloomberg article") rather than a report ("a World Bank report")
    outlets: tuple[tuple[str, bool], ...] = ()


class SourceMatcher:
    """Finds the publishers of an index in a question: full names, and short forms such as "The Independent"
    for "The Independent - Sports" or "CNBC" for "Cnbc | World Business News Leader". The longest match wins,
    so a full name does not also select its siblings."""

    def __init__(self, sources: Iterable[str]) -> None:
        self._patterns: list[tuple[re.Pattern[str], str]] = []
        for source in sorted(set(s for s in sources if s)):
            for alias in _aliases(source):
                if " " in alias or alias.isupper() or not alias.isalpha():
                    pattern = re.compile(rf"(?<!\w){re.escape(alias)}(?!\w)", re.I)
                else:  # one plain word ("Fortune", "Wired"): only as a name, capitalised or in capitals
                    pattern = re.compile(rf"(?<!\w)(?:{re.escape(alias)}|{re.escape(alias.upper())})(?!\w)")
                self._patterns.append((pattern, source))

    def find(self, text: str) -> tuple[str, ...]:
        spans = [(m.start(), m.end(), source) for pattern, source in self._patterns for m in pattern.finditer(text)]
        kept = {source for a, b, source in spans if not any(c <= a and b <= d and d - c > b - a for c, d, _ in spans)}
        return tuple(sorted(kept))


def _aliases(source: str) -> set[str]:
    names = {source}
    for separator in (" - ", " | ", ": "):
        if separator in source:
            names.add(source.split(separator)[0].strip())
    names |= {n[4:] for n in names if n.lower().startswith("the ")}
    return {n for n in names if len(n) >= 3}


def named_dates(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(ISO days, YYYY-MM months) written in `text`; a month counts only when no day of it is written."""
    days = find_dates(text)
    day_months = {d[:7] for d in days}
    months = []
    for match in _MONTH_YEAR.finditer(text):
        try:
            month = dateparser.parse(f"1 {match.group(1)} {match.group(2)}").strftime("%Y-%m")
        except (ValueError, OverflowError):
            continue
        if month not in day_months:
            months.append(month)
    return tuple(days), tuple(dict.fromkeys(months))


def clauses(text: str) -> tuple[str, ...]:
    """Sub-questions: the clauses of a long question, each with a few words; () when there is only one."""
    text = _DATE_COMMA.sub(lambda m: m.group(0)[:-1], text)  # "November 2, 2023" is not two clauses
    parts = [p.strip(" ?.") for p in _CLAUSE.split(text) if p and len(p.split()) >= MIN_CLAUSE_WORDS]
    return tuple(parts) if len(parts) > 1 else ()


def understand(text: str, matcher: SourceMatcher | None, decompose: bool = True, metadata: bool = True) -> QueryPlan:
    days, months = named_dates(text) if metadata else ((), ())
    return QueryPlan(
        text=text,
        publishers=matcher.find(text) if matcher is not None and metadata else (),
        days=days,
        months=months,
        clauses=clauses(text) if decompose else (),
        outlets=outlets(text, matcher) if matcher is not None and metadata else (),
    )


def outlets(text: str, matcher: SourceMatcher) -> tuple[tuple[str, bool], ...]:
    """Names the question gives as where an article or report was published ("a Bloomberg article", "a piece
    by Variety", "as reported by Reuters") and the matcher does not know, with whether an article was meant."""
    found: dict[str, bool] = {}
    for pattern in _OUTLET:
        for match in pattern.finditer(text):
            name = match["name"].strip()
            core = name[4:] if name.lower().startswith("the ") else name
            if matcher.find(name) or matcher.find(core) or _NOT_OUTLET.search(core):
                continue
            found[core] = found.get(core, False) or bool(match.groupdict().get("article"))
    return tuple(found.items())
