"""Country codes and names from the Unicode CLDR, through Babel: no hand-written list.

CLDR names every ISO 3166-1 alpha-2 territory, and a few codes that are not countries of
ISO 3166-1; those are left out by the rules of ISO 3166-1 itself (codes it reserves
exceptionally, and the ranges it leaves to users), not country by country.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

# ISO 3166-1 §8.1.3: "exceptionally reserved" codes (Ascension, Clipperton, Sark, Diego Garcia,
# Ceuta and Melilla, the EU, the Eurozone, the Canaries, Tristan da Cunha, the UN) name no
# country of the standard. CLDR names them; an answers file must not.
_EXCEPTIONALLY_RESERVED = frozenset({"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "TA", "UN"})
# ISO 3166-1 §8.1.3: AA, QM to QZ, XA to XZ and ZZ are for users' own purposes (CLDR uses
# QO, XA, XB, XK and ZZ). Kosovo's XK is one of them: ISO 3166-1 gives Kosovo no code.
_USER_ASSIGNED = re.compile(r"AA|Q[M-Z]|X[A-Z]|ZZ")
_ALPHA_2 = re.compile(r"[A-Z]{2}")
# Codes the caller already knows CLDR names (the knowledge base's States: `known_countries`).
_KNOWN: ContextVar[Collection[str]] = ContextVar("known_countries", default=())


@cache
def country_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code CLDR knows (249 in CLDR 44 and later)."""
    # lazy: babel and its CLDR data only when country codes are needed (bench/startup)
    from babel import Locale

    return frozenset(code for code in map(str, Locale("en").territories) if _is_country_form(code))


def is_country_code(code: str) -> bool:
    """Whether `code` is in `country_codes()`. A code the caller vouched for with
    `known_countries` (and of the form a country code has) is answered without loading CLDR:
    loading it is a fifth of a command's start-up, and most answers name a State the knowledge
    base lists."""
    if code in _KNOWN.get() and _is_country_form(code):
        return True
    return code in country_codes()


@contextmanager
def known_countries(codes: Collection[str]) -> Iterator[None]:
    """Within this block, `is_country_code` takes each of `codes` for a country code without
    asking CLDR: only for codes CLDR is known to name (the knowledge base's States, checked
    against CLDR when the knowledge base is read from YAML and by tests/test_countries.py)."""
    token = _KNOWN.set(codes)
    try:
        yield
    finally:
        _KNOWN.reset(token)


def _is_country_form(code: str) -> bool:
    return bool(
        _ALPHA_2.fullmatch(code)
        and code not in _EXCEPTIONALLY_RESERVED
        and not _USER_ASSIGNED.fullmatch(code)
    )


@cache
def country_names(lang: str) -> dict[str, str]:
    """Code -> the country's name in `lang` (CLDR), for every code of `country_codes()`."""
    # lazy: babel and its CLDR data only when country names are needed (bench/startup)
    from babel import Locale

    names = Locale.parse(lang).territories
    english = Locale("en").territories
    return {code: str(names.get(code, english[code])) for code in sorted(country_codes())}


def country_name(code: str, lang: str) -> str:
    """The name of one country in `lang`; the code itself when it is not a country code."""
    return country_names(lang).get(code, code)


def find_countries(text: str, lang: str) -> list[str]:
    """The codes whose name, in `lang` or in English, contains `text` (case, accents and
    spacing aside), or whose code is `text`; sorted by name in `lang`. Empty text finds none."""
    wanted = _fold(text)
    if not wanted:
        return []
    names = country_names(lang)
    english = country_names("en")
    found = [
        code
        for code in names
        if wanted == code.casefold()
        or wanted in _fold(names[code])
        or wanted in _fold(english[code])
    ]
    return sorted(found, key=lambda code: _fold(names[code]))


def _fold(text: str) -> str:
    """Lower case, without accents or extra spaces, for matching what a person types."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("\u2019", "'").split())
