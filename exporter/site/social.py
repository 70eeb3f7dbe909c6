"""An edition page's head for search engines and sharing: canonical URL, alternates, Open Graph, JSON-LD."""

from __future__ import annotations

import json

from markupsafe import Markup

from exporter.document import Document, resolve_local
from exporter.formats.base import Site

# The territory a bare language code is most likely meant for (CLDR's likely subtags), for og:locale.
LIKELY_TERRITORY = {"es": "ES", "en": "US", "fr": "FR", "de": "DE", "pt": "BR", "it": "IT", "ca": "ES",
                    "gl": "ES", "ar": "EG", "he": "IL", "fa": "IR", "ur": "PK", "ja": "JP", "zh": "CN"}
FEED_TYPES = (("atom", "application/atom+xml", "Atom"), ("rss", "application/rss+xml", "RSS"),
              ("json", "application/feed+json", "JSON Feed"))


def og_locale(lang: str) -> str:
    """``es`` → ``es_ES``: the language_TERRITORY form Open Graph expects."""
    parts = lang.replace("-", "_").split("_")
    if len(parts) > 1:
        return f"{parts[0].lower()}_{parts[1].upper()}"
    return f"{lang}_{LIKELY_TERRITORY.get(lang, lang.upper())}"


def page_path(slug: str, lang: str) -> str:
    """An edition's web page, relative to the output folder."""
    return f"{slug}/{lang}/{slug}.html"


def feed_links(site: Site, lang: str) -> list[dict]:
    """The ``<link rel="alternate">`` feeds of one language (none without a base URL: feeds need one)."""
    if not site.base_url:
        return []
    return [{"type": mime, "name": name, "title": f"{site.title} ({name})",
             "href": site.url(f"{lang}/feed.{suffix}", lang)}
            for suffix, mime, name in FEED_TYPES]


def cover_path(document: Document) -> str:
    """The cover's path as published beside the page (empty without a local cover)."""
    if not document.meta.cover:
        return ""
    path = resolve_local(document.base_dir, document.meta.cover)
    return path.relative_to(document.base_dir.resolve()).as_posix() if path is not None else ""


def json_ld(data: dict) -> Markup:
    """JSON for a ``<script type="application/ld+json">``, with nothing that could close the script."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def page_meta(document: Document, site: Site) -> dict:
    """The ``social`` template variable of page.html (see docs/themes.md)."""
    meta = document.meta
    here = page_path(meta.slug, meta.lang)
    canonical = site.url(here, meta.lang) if site.base_for(meta.lang) else ""
    languages = list(dict.fromkeys([document.source_lang, *site.languages]))
    alternates = [{"lang": lang, "href": site.url(page_path(meta.slug, lang), lang) if site.base_for(lang)
                   else f"../{lang}/{meta.slug}.html"} for lang in languages]
    cover = cover_path(document)
    image = ((site.url(f"{meta.slug}/{meta.lang}/{cover}", meta.lang) if site.base_for(meta.lang) else cover)
             if cover else "")
    properties = [("og:type", "article"), ("og:site_name", site.title), ("og:title", meta.title),
                  ("og:description", meta.summary), ("og:url", canonical), ("og:image", image),
                  ("og:image:alt", meta.title if image else ""), ("og:locale", og_locale(meta.lang)),
                  *[("og:locale:alternate", og_locale(lang)) for lang in languages if lang != meta.lang],
                  ("article:published_time", meta.date.isoformat()), ("article:author", meta.author),
                  *[("article:tag", tag) for tag in meta.tags]]
    names = [("twitter:card", "summary_large_image" if image else "summary"), ("twitter:title", meta.title),
             ("twitter:description", meta.summary), ("twitter:image", image)]
    author = {"@type": "Person", "name": meta.author} if meta.author else {"@type": "Organization",
                                                                           "name": site.title}
    article = {"@context": "https://schema.org", "@type": "Article", "headline": meta.title,
               "datePublished": meta.date.isoformat(), "inLanguage": meta.lang, "author": author,
               "publisher": {"@type": "Organization", "name": site.title}}
    article.update({key: value for key, value in (("description", meta.summary), ("image", image),
                                                   ("url", canonical), ("mainEntityOfPage", canonical),
                                                   ("alternativeHeadline", meta.subtitle)) if value})
    return {
        "canonical": canonical,
        "alternates": alternates,
        "properties": [(key, value) for key, value in properties if value],
        "names": [(key, value) for key, value in names if value],
        "json_ld": json_ld(article),
        "feeds": feed_links(site, meta.lang),
        "archive": f"../../{meta.lang}/index.html",
    }
