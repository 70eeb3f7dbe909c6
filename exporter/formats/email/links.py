"""The links an email edition carries: web page, other editions, downloads, unsubscribe."""

from __future__ import annotations

from dataclasses import dataclass, replace

from exporter.document import Document
from exporter.formats.base import Site
from exporter.render import EditionLink, edition_links


@dataclass(frozen=True)
class EmailLinks:
    """Absolute URLs (when the site has a base URL) for the header and footer of both email parts."""

    web: str
    pdf: str
    epub: str
    unsubscribe: str
    editions: tuple[EditionLink, ...]


def published_url(document: Document, site: Site, filename: str, lang: str | None = None) -> str:
    """The URL of a file published in an edition's folder (``<slug>/<lang>/``); relative without a base URL."""
    lang = lang or document.meta.lang
    if not site.base_for(lang):
        return filename if lang == document.meta.lang else f"../{lang}/{filename}"
    return site.url(f"{document.meta.slug}/{lang}/{filename}", lang)


def email_links(document: Document, site: Site) -> EmailLinks:
    """The links of one edition's email."""
    slug = document.meta.slug
    editions = tuple(replace(link, href=published_url(document, site, f"{slug}.html", link.lang))
                     for link in edition_links(document, site, ".html"))
    return EmailLinks(
        web=published_url(document, site, f"{slug}.html"),
        pdf=published_url(document, site, f"{slug}.pdf"),
        epub=published_url(document, site, f"{slug}.epub"),
        unsubscribe=site.settings.get("unsubscribe_url", ""),
        editions=editions,
    )
