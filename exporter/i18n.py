"""Interface strings and dates in the edition's language."""

from __future__ import annotations

import datetime as dt

LANGUAGE_NAMES = {"es": "español", "en": "English", "fr": "français", "de": "Deutsch", "pt": "português",
                  "it": "italiano", "ca": "català", "gl": "galego"}
MONTHS = {
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split(),
    "en": "January February March April May June July August September October November December".split(),
}
STRINGS = {
    "es": {
        "read_in": "Leer en español",
        "contents": "Índice",
        "page": "Página",
        "of": "de",
        "download_pdf": "Descargar PDF",
        "download_epub": "Descargar EPUB",
        "view_in_browser": "Ver en el navegador",
        "unsubscribe": "Darse de baja",
        "issue": "Número",
        "by": "Por",
        "notes": "Notas",
        "machine_translated": "Traducción automática",
        "editions": "Ediciones",
        "archive": "Archivo",
        "download": "Descargar",
        "read_online": "Leer en la web",
        "subscribe": "Suscribirse",
        "languages": "Idiomas",
    },
    "en": {
        "read_in": "Read in English",
        "contents": "Contents",
        "page": "Page",
        "of": "of",
        "download_pdf": "Download PDF",
        "download_epub": "Download EPUB",
        "view_in_browser": "View in browser",
        "unsubscribe": "Unsubscribe",
        "issue": "Issue",
        "by": "By",
        "notes": "Notes",
        "machine_translated": "Machine translation",
        "editions": "Editions",
        "archive": "Archive",
        "download": "Download",
        "read_online": "Read online",
        "subscribe": "Subscribe",
        "languages": "Languages",
    },
}


def strings(lang: str) -> dict[str, str]:
    """The interface strings for ``lang`` (English for languages without a table)."""
    return {**STRINGS["en"], **STRINGS.get(lang.split("-")[0], {})}


def language_name(lang: str) -> str:
    """The name of a language in that language."""
    return LANGUAGE_NAMES.get(lang.split("-")[0], lang)


def format_date(date: dt.date, lang: str) -> str:
    """A long date as readers of ``lang`` write it."""
    base = lang.split("-")[0]
    if base == "es":
        return f"{date.day} de {MONTHS['es'][date.month - 1]} de {date.year}"
    return f"{MONTHS['en'][date.month - 1]} {date.day}, {date.year}"
