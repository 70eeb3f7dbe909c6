"""Language codes as the user writes them: one check for newsletter.toml, --lang and --to, with a "did you mean"."""

from __future__ import annotations

import difflib
import re

from exporter.i18n import LANGUAGE_NAMES

CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
ENGLISH_NAMES = {
    "english": "en", "spanish": "es", "castilian": "es", "french": "fr", "german": "de", "portuguese": "pt",
    "italian": "it", "catalan": "ca", "galician": "gl", "basque": "eu", "dutch": "nl", "arabic": "ar",
    "hebrew": "he", "persian": "fa", "farsi": "fa", "japanese": "ja", "chinese": "zh", "korean": "ko",
    "russian": "ru", "greek": "el", "hindi": "hi", "thai": "th", "polish": "pl", "ukrainian": "uk",
    "turkish": "tr", "swedish": "sv", "norwegian": "nb", "danish": "da", "finnish": "fi", "czech": "cs",
}
SPANISH_NAMES = {"inglés": "en", "ingles": "en", "español": "es", "castellano": "es", "francés": "fr", "alemán": "de",
                 "portugués": "pt", "italiano": "it", "catalán": "ca", "gallego": "gl", "euskera": "eu"}
NAMES = {**ENGLISH_NAMES, **SPANISH_NAMES, **{name.lower(): code for code, name in LANGUAGE_NAMES.items()}}


def suggestion(value: str, choices) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``choices``, or an empty string."""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def language_problem(value: object) -> str | None:
    """Why ``value`` is not a language code such as 'es' or 'en' (with the likely code), or None if it is one."""
    if isinstance(value, str) and CODE.match(value):
        return None
    text = str(value).strip().lower()
    close = difflib.get_close_matches(text, list(NAMES), n=1, cutoff=0.75)
    code = NAMES.get(text) or (NAMES[close[0]] if close else None)
    hint = f" (did you mean '{code}'?)" if code else ""
    return f"'{value}' is not a language code such as 'es' or 'en'{hint}"
