"""Interface strings, dates, numbers, language names and text direction in the edition's language.

Interface strings live in one place: the English table ``STRINGS["en"]`` below holds every key and
its English text (the gettext ``msgid``; the key is its ``msgctxt``). Each language's translations are
a gettext catalog, ``exporter/locale/<lang>/LC_MESSAGES/messages.po``, read at run time with Babel.
``python -m exporter.catalogs`` adds new keys to every catalog (untranslated, so English shows until a
translator fills them in).
Dates, numbers, language names, plural forms and text direction come from CLDR through Babel.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

LOCALE_DIR = Path(__file__).parent / "locale"
STRINGS = {
    "en": {
        "read_in": "Read in English",
        "contents": "Contents",
        "page": "Page",
        "of": "of",
        "page_of": "Page {page} of {pages}",
        "download_pdf": "Download PDF",
        "download_epub": "Download EPUB",
        "view_in_browser": "View in browser",
        "unsubscribe": "Unsubscribe",
        "issue": "Issue",
        "issue_number": "Issue {number}",
        "by": "By",
        "notes": "Notes",
        "links": "Links",
        "machine_translated": "Machine translation",
        "translated_from": "Translated from {language}",
        "editions": "Editions",
        "cover": "Cover",
        "title_page": "Title page",
        "start_of_content": "Start of content",
        "accessibility_summary": "This publication has a navigable table of contents, structured headings and a "
                                 "logical reading order; images have alternative text and footnotes are linked.",
        "image_missing": "Image missing",
        "untitled_section": "Untitled section",
        "archive": "Archive",
        "download": "Download",
        "read_online": "Read online",
        "subscribe": "Subscribe",
        "languages": "Languages",
    },
}


def base_language(lang: str) -> str:
    """The language subtag of a code: ``pt-BR`` → ``pt``."""
    return lang.replace("_", "-").split("-")[0].lower()


def catalog_path(lang: str) -> Path:
    """Where the gettext catalog of ``lang`` lives in the package."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"


def catalog_languages() -> list[str]:
    """Every language that has an interface catalog."""
    return sorted(path.parent.parent.name for path in LOCALE_DIR.glob("*/LC_MESSAGES/messages.po"))


@lru_cache(maxsize=64)
def catalog_strings(lang: str) -> dict[str, str] | None:
    """The translated strings of ``lang``'s catalog by key (None when it has no catalog)."""
    path = catalog_path(lang)
    if not path.is_file():
        return None
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    return {message.context: message.string for message in catalog
            if message.context and message.string and not message.fuzzy and isinstance(message.string, str)}


def strings(lang: str) -> dict[str, str]:
    """The interface strings for ``lang``: its catalog, English where it has none (with one warning)."""
    return dict(_strings(lang))


@lru_cache(maxsize=64)
def _strings(lang: str) -> dict[str, str]:
    base = base_language(lang)
    translated = catalog_strings(lang.replace("-", "_")) or catalog_strings(base)
    if translated is None and base != "en":
        log.warning("no interface catalog for language '%s': its editions show English interface text "
                    "(add exporter/locale/%s/LC_MESSAGES/messages.po)", lang, base)
    own = dict(translated or {}) if base != "en" else dict(STRINGS["en"])
    untranslated = [key for key in STRINGS["en"] if key not in own]
    if translated is not None and untranslated:
        log.warning("the interface catalog of '%s' lacks %d string(s), shown in English: %s "
                    "(python -m exporter.catalogs adds them for a translator)", lang, len(untranslated),
                    ", ".join(untranslated))
    return {**STRINGS["en"], **own}


def locale_of(lang: str):
    """Babel's Locale for a language code (English when CLDR does not know it)."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def language_name_in(lang: str, display: str) -> str:
    """The name of language ``lang`` as readers of ``display`` write it (CLDR), e.g. ``Spanish`` in English."""
    name = locale_of(display).languages.get(base_language(lang))
    return name or language_name(lang)


def language_name(lang: str) -> str:
    """The name of a language in that language (CLDR), e.g. ``Deutsch``, ``日本語``."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(lang.replace("-", "_")).get_display_name(lang.replace("-", "_")) or lang
    except (UnknownLocaleError, ValueError):
        return lang


def format_date(date: dt.date, lang: str) -> str:
    """A long date as CLDR writes it for readers of ``lang`` (``16 de octubre de 2023``, ``2023年10月16日``)."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(date, "long", locale=locale_of(lang))


def format_number(number: int | float, lang: str) -> str:
    """A number with the digits and separators of ``lang`` (CLDR)."""
    from babel.numbers import format_decimal

    return format_decimal(number, locale=locale_of(lang))


def plural_category(count: int, lang: str) -> str:
    """The CLDR plural category of ``count`` in ``lang``: ``one``, ``few``, ``many``, ``other``…"""
    return locale_of(lang).plural_form(count)


def is_rtl(lang: str) -> bool:
    """True when ``lang`` is written right to left (CLDR's character order)."""
    return locale_of(lang).character_order == "right-to-left" and base_language(lang) != "en"


def text_direction(lang: str) -> str:
    """``rtl`` or ``ltr``: the value of the ``dir`` attribute for ``lang``."""
    return "rtl" if is_rtl(lang) else "ltr"


def script_of(lang: str) -> str:
    """The ISO 15924 script ``lang`` is usually written in (CLDR likely subtags): ``Arab``, ``Jpan``, ``Latn``…"""
    from babel.core import get_global

    code = lang.replace("-", "_")
    likely = get_global("likely_subtags")
    for key in (code, base_language(lang)):
        if key in likely:
            parts = likely[key].split("_")
            return next((part for part in parts[1:] if len(part) == 4), "Latn")
    return "Latn"


def page_of_css(lang: str) -> str:
    """The localised "Page N of M" as a CSS ``content`` value with page counters."""
    return page_counters_css(strings(lang)["page_of"])


def page_counters_css(template: str) -> str:
    """A ``{page}``/``{pages}`` template as a CSS ``content`` value: ``"Page " counter(page) …``."""
    pieces, rest = [], template
    while rest:
        positions = [(rest.find(name), name) for name in ("{page}", "{pages}") if name in rest]
        if not positions:
            pieces.append(css_string(rest))
            break
        index, name = min(positions)
        if index:
            pieces.append(css_string(rest[:index]))
        pieces.append("counter(page)" if name == "{page}" else "counter(pages)")
        rest = rest[index + len(name):]
    return " ".join(pieces)


def css_string(text: str) -> str:
    """A CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ") + '"'
