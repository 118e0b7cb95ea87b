"""Country names, from the Unicode CLDR data that babel ships (the one module that imports babel)."""

from __future__ import annotations

from functools import cache

from babel import Locale

# Codes CLDR lists among territories that are no country (unions, pseudo-regions, "unknown region").
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})
# Names news writes that CLDR's English short names are not.
_ALSO = ("US", "U.S.", "USA", "America", "UK", "U.K.", "Britain", "Great Britain", "Turkey", "Czech Republic",
         "Hong Kong", "Macedonia", "Burma", "England", "Scotland", "Wales", "Northern Ireland")  # fmt: skip


@cache
def countries() -> frozenset[str]:
    """Lower-cased English names of the world's countries and territories ("vietnam", "united states")."""
    territories = Locale("en").territories
    named = (name for code, name in territories.items() if len(code) == 2 and code not in _NOT_COUNTRIES)
    return frozenset(name.lower() for name in (*named, *_ALSO))


def is_country(name: str) -> bool:
    """Is the name a country's ("Germany", "the United States", "U.S.")?"""
    name = name.strip().lower()
    return name in countries() or (name.startswith("the ") and name[4:] in countries())
