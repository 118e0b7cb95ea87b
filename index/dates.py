"""Date normalisation: every date the index stores is an ISO `YYYY-MM-DD` string."""

from __future__ import annotations

import re
from datetime import date

from dateutil import parser as _dateparser

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_ISO = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)")
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\s+({_MONTHS})\.?,?\s+((?:19|20)\d\d)\b", re.I)
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b", re.I)


def normalize_date(value: object) -> str | None:
    """Return `YYYY-MM-DD` for a date in any common format, or None when there is none.

    >>> normalize_date("2023-09-26 05:26:05.000000000Z")
    '2023-09-26'
    >>> normalize_date("January 29, 2026")
    '2026-01-29'
    """
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()[:10]
    text = str(value).strip()
    if not text:
        return None
    found = find_date(text)
    if found:
        return found
    try:
        return _dateparser.parse(text, fuzzy=False).date().isoformat()
    except (ValueError, OverflowError, TypeError):
        return None


def find_date(text: str) -> str | None:
    """The first explicit calendar date written in `text`, as `YYYY-MM-DD`."""
    candidates = []
    for pattern in (_ISO, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        match = pattern.search(text)
        if match:
            candidates.append((match.start(), match.group(0)))
    for _, raw in sorted(candidates):
        try:
            return _dateparser.parse(raw[:10] if _ISO.match(raw) else raw).date().isoformat()
        except (ValueError, OverflowError):
            continue
    return None


MONTHS = _MONTHS
_NUMERIC = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\b")


def ambiguous_date(text: str) -> bool:
    """True for a numeric date that reads both ways ("10/02/26": 2 October or 10 February)."""
    match = _NUMERIC.match(text)
    if not match:
        return False
    first, second = int(match.group(1)), int(match.group(2))
    return first != second and first <= 12 and second <= 12


def find_dates(text: str) -> list[str]:
    """Every explicit calendar date written in `text`, as `YYYY-MM-DD`, in order of appearance."""
    found = []
    for pattern in (_ISO, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        for match in pattern.finditer(text):
            raw = match.group(0)
            try:
                found.append(
                    (match.start(), _dateparser.parse(raw[:10] if pattern is _ISO else raw).date().isoformat())
                )
            except (ValueError, OverflowError):
                continue
    return list(dict.fromkeys(day for _, day in sorted(found)))
