"""The issue's body as HTML, and the template context every HTML-based format shares."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup

from exporter import ast as pandoc_ast
from exporter.document import Document
from exporter.formats.base import Site
from exporter.i18n import format_date, language_name, strings, text_direction
from exporter.pandoc import ast_to
from exporter.sanitize import sanitize_html


@dataclass(frozen=True)
class EditionLink:
    """A link to one language edition of the same issue."""

    lang: str
    label: str
    href: str
    current: bool


@lru_cache(maxsize=32)
def _body_html(ast_json: str) -> str:
    return sanitize_html(ast_to(ast_json, "html5", ["--mathml", "--section-divs"]))


def body_html(document: Document) -> str:
    """The document body rendered by pandoc as an HTML fragment, its raw HTML sanitised."""
    import json

    return _body_html(json.dumps(document.ast, sort_keys=True))


def edition_links(document: Document, site: Site, suffix: str) -> list[EditionLink]:
    """Links to every language edition's file with ``suffix``, relative to this edition's folder."""
    slug = document.meta.slug
    languages = dict.fromkeys([document.source_lang, *site.languages])
    return [
        EditionLink(lang, strings(lang)["read_in"], f"../{lang}/{slug}{suffix}", lang == document.meta.lang)
        for lang in languages
    ]


def template_context(document: Document, site: Site, body: str | None = None) -> dict:
    """Variables shared by the page, print and email templates (see docs/themes.md)."""
    meta = document.meta
    return {
        "doc": meta,
        "lang": meta.lang,
        "dir": text_direction(meta.lang),
        "date_text": format_date(meta.date, meta.lang),
        "body": Markup(body if body is not None else body_html(document)),
        "toc": [h for h in pandoc_ast.headings(document.blocks) if h.level <= 3],
        "editions": edition_links(document, site, ".html"),
        "downloads": {"pdf": f"{meta.slug}.pdf", "epub": f"{meta.slug}.epub"},
        "t": {**strings(meta.lang), **({"unsubscribe": site.settings["unsubscribe_text"]}
                                        if site.settings.get("unsubscribe_text") else {})},
        "language_name": language_name(meta.lang),
        "site": site,
        "is_translation": document.is_translation,
        "translation_note": document.translation_note(),
    }
