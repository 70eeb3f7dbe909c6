"""Per-language settings: ``[languages.<code>]`` tables of newsletter.toml, and what they change in an edition.

``languages`` is either a list of codes or a table of tables, one per language in build order::

    [languages.es]
    [languages.en]
    title = "Tech bulletin"
    author = "Editorial team"

Each table may hold the keys of ``LANGUAGE_SCHEMA``; an empty table just lists the language.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from exporter.config import Option, check

LANGUAGE_SCHEMA: dict[str, Option] = {
    "title": Option(str, "", "The newsletter's title in this language's editions (default: the top-level title)."),
    "description": Option(str, "", "The newsletter's description in this language (the web page's description "
                                   "when an issue has no summary)."),
    "author": Option(str, "", "Author or team name on this language's translated editions (default: the source's)."),
    "email_from": Option(str, "", "From header of this language's .eml (default: [email] from)."),
    "unsubscribe_text": Option(str, "", "Text of the unsubscribe link (default: the interface catalog's)."),
    "base_url": Option(str, "", "Public URL where this language's editions are published (default: the "
                                "top-level base_url); its links, feeds, sitemap entries and hreflang use it."),
    "cover": Option(str, "auto", "Cover of translated editions: auto (cover.<lang>.png if present, else a "
                                 "typographic cover), source (the source's image) or typographic.",
                    choices=("auto", "source", "typographic")),
}


def split_language_tables(tables: dict, fail) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """The language codes of ``[languages.<code>]`` tables, in order, and each one's validated settings."""
    codes, settings = [], {}
    for code, table in tables.items():
        if not isinstance(table, dict):
            fail(f"languages.{code}", "must be a table such as [languages.en]")
        codes.append(code)
        settings[code] = {key: check(f"languages.{code}.{key}", LANGUAGE_SCHEMA.get(key), value, fail)
                          for key, value in table.items()}
    return codes, settings


def language_settings(settings, lang: str) -> dict[str, Any]:
    """The ``[languages.<lang>]`` values of ``settings`` with defaults filled in."""
    table = (settings.values.get("languages") or {}).get(lang, {})
    return {key: table.get(key, option.default) for key, option in LANGUAGE_SCHEMA.items()}


def localized_site(site, lang: str):
    """The Site as one language's editions see it: its title and email settings from ``[languages.<lang>]``."""
    table = site.editions.get(lang, {}) if getattr(site, "editions", None) else {}
    if not table:
        return site
    email = dict(site.settings)
    if table.get("email_from"):
        email["from"] = table["email_from"]
    if table.get("unsubscribe_text"):
        email["unsubscribe_text"] = table["unsubscribe_text"]
    if table.get("description"):
        email["description"] = table["description"]
    return replace(site, title=table.get("title") or site.title, settings=email)


def localized_edition(edition, settings):
    """A translated edition with the author of its language's settings (a source edition is left as written)."""
    if not edition.is_translation:
        return edition
    author = language_settings(settings, edition.meta.lang)["author"]
    return edition.with_translation(replace(edition.meta, author=author), edition.ast) if author else edition
