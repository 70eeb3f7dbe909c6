"""Language codes as the user writes them: one check for newsletter.toml, --lang and --to, with a "did you mean"."""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
SYNONYMS = {"castilian": "es", "castellano": "es", "farsi": "fa", "euskera": "eu"}  # names CLDR does not list


@lru_cache(maxsize=1)
def language_names() -> dict[str, str]:
    """Language names as people write them → code: English and Spanish names from CLDR, accents optional."""
    from babel import Locale

    names = dict(SYNONYMS)
    for display in ("en", "es"):
        for code, name in Locale(display).languages.items():
            if code.isalpha() and len(code) <= 3:
                names.setdefault(name.lower(), code)
                names.setdefault(without_accents(name.lower()), code)
    return names


def without_accents(text: str) -> str:
    """``inglés`` → ``ingles``."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def suggestion(value: str, choices, cutoff: float = 0.6) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``choices``, or an empty string."""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=cutoff)
    return f" (did you mean '{close[0]}'?)" if close else ""


def language_problem(value: object) -> str | None:
    """Why ``value`` is not a language code such as 'es' or 'en' (with the likely code), or None if it is one."""
    if isinstance(value, str) and CODE.match(value):
        return None
    text = str(value).strip().lower()
    names = language_names()
    close = difflib.get_close_matches(text, list(names), n=1, cutoff=0.75)
    code = names.get(text) or (names[close[0]] if close else None)
    hint = f" (did you mean '{code}'?)" if code else ""
    return f"'{value}' is not a language code such as 'es' or 'en'{hint}"
