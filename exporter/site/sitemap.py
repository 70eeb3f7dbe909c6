"""sitemap.xml (every edition page and archive page, with its language alternates) and robots.txt."""

from __future__ import annotations

from exporter.formats.base import Site
from exporter.site.entries import Entry
from exporter.site.social import page_path

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def archive_path(lang: str) -> str:
    """One language's archive page, relative to the output folder."""
    return f"{lang}/index.html"


def add_url(urlset, site: Site, path: str, alternates: dict[str, str], lastmod: str = "", lang: str = "") -> None:
    """One ``<url>`` of ``lang`` with its ``xhtml:link`` alternates (itself included, as search engines ask)."""
    from lxml import etree

    url = etree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
    etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = site.url(path, lang or None)
    if lastmod:
        etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = lastmod
    if len(alternates) > 1:
        for lang, href in alternates.items():
            etree.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=lang, href=site.url(href, lang))


def render_sitemap(site: Site, entries: dict[str, list[Entry]], languages: list[str]) -> bytes:
    """The sitemap of every archive page and every edition's web page."""
    from lxml import etree

    urlset = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "xhtml": XHTML_NS})
    archives = {lang: archive_path(lang) for lang in languages}
    add_url(urlset, site, "index.html", {**archives, "x-default": "index.html"})
    for lang in languages:
        add_url(urlset, site, archives[lang], {**archives, "x-default": "index.html"}, lang=lang)
    pages: dict[str, dict[str, Entry]] = {}
    for lang in languages:
        for entry in entries[lang]:
            if entry.page:
                pages.setdefault(entry.slug, {})[lang] = entry
    for slug in sorted(pages):
        editions = pages[slug]
        alternates = {lang: page_path(slug, lang) for lang in editions}
        for lang, entry in editions.items():
            add_url(urlset, site, entry.page, alternates, entry.date.isoformat(), lang)
    return etree.tostring(urlset, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def render_robots(site: Site) -> str:
    """robots.txt: everything may be crawled; the sitemap's address when there is a base URL."""
    lines = ["User-agent: *", "Allow: /"]
    if site.base_url:
        lines.append(f"Sitemap: {site.url('sitemap.xml')}")
    return "\n".join(lines) + "\n"
