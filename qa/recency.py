"""Recency: say when the newest source is older than the question assumes.

A newsroom archive answers "as of" its newest article. A question that names a later year or date ("in 2027"),
or asks about the present ("currently", "the latest", "still") when the newest source is more than a month old,
gets a note that says how old the sources are, so a stale answer is never mistaken for a current one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from index import find_dates

_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_PRESENT = re.compile(
    r"\b(?:currently|current|now|nowadays|today|latest|still|at present|so far|to date|"
    r"this (?:week|month|year))\b",
    re.I,
)
STALE_AFTER = timedelta(days=30)


def recency_note(question: str, dates: list[str | None], today: date | None = None, cited: Sequence[str] = ()) -> str:
    """The note for `question` answered from sources published on `dates` (ISO) with the `cited` sentences, or ""
    when none is due."""
    known = [d for d in dates if d]
    if not known:
        return ""
    newest = max(known)
    stated = {d for text in cited for d in find_dates(text)} | {y for text in cited for y in _YEAR.findall(text)}
    later = [d for d in find_dates(question) if d > newest and d not in stated]
    if later:
        return f"The newest source is dated {newest}; the question asks about {later[0]}, which it may not cover."
    years = [y for y in _YEAR.findall(question) if y > newest[:4] and y not in stated]
    if years:
        return f"The newest source is dated {newest}; the question asks about {years[0]}, which it may not cover."
    today = today or date.today()
    if _PRESENT.search(question) and date.fromisoformat(newest) < today - STALE_AFTER:
        return f"As of {newest}, the newest source; things may have changed since."
    return ""
