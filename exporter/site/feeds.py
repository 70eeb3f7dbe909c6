"""Per-language feeds: Atom and RSS 2.0 through feedgen, and a JSON Feed, all with absolute URLs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from exporter.formats.base import Site
from exporter.i18n import strings
from exporter.site.entries import Entry

FEED_FILES = ("feed.atom", "feed.rss", "feed.json")
GENERATOR = "newsletter-exporter"


def midnight(date: dt.date) -> dt.datetime:
    """An issue's date as a UTC timestamp (feeds need times; issues carry dates)."""
    return dt.datetime.combine(date, dt.time(0), tzinfo=dt.timezone.utc)


def entry_url(site: Site, entry: Entry, lang: str | None = None) -> str:
    """The absolute URL a feed entry points at: the web page, else the first download (under ``lang``'s base URL)."""
    return site.url(entry.page or next(iter(entry.files.values())), lang)


def page_content(output: Path, site: Site, entry: Entry, lang: str | None = None) -> str:
    """The body of an edition's published web page (its ``<main>``), links made absolute; empty if none."""
    if not entry.page or not (output / entry.page).is_file():
        return ""
    import lxml.html

    document = lxml.html.fromstring((output / entry.page).read_bytes())
    main = document.find(".//main")
    if main is None:
        return ""
    main.make_links_absolute(site.url(entry.page, lang), resolve_base_href=False)
    return (main.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in main)


def feed_contents(output: Path, site: Site, entries: list[Entry], mode: str,
                  lang: str | None = None) -> dict[str, str]:
    """Each entry's full HTML content when ``mode`` is ``full`` (by slug), else nothing."""
    return {entry.slug: page_content(output, site, entry, lang) for entry in entries} if mode == "full" else {}


def self_links(feed, site: Site, lang: str, name: str) -> None:
    """Point a feed at its archive page and at itself (Atom and RSS are one feedgen object, two files)."""
    feed.link(href=site.url(f"{lang}/{name}", lang), rel="self", replace=True)
    feed.link(href=site.url(f"{lang}/index.html", lang), rel="alternate", hreflang=lang)  # last: RSS's <link>


def feed_generator(site: Site, lang: str, entries: list[Entry], contents: dict[str, str]):
    """A feedgen FeedGenerator holding one language's entries, newest first."""
    from feedgen.feed import FeedGenerator

    t = strings(lang)
    feed = FeedGenerator()
    feed.id(site.url(f"{lang}/index.html", lang))
    feed.title(site.title)
    feed.subtitle(f"{site.title} · {t['archive']}")
    feed.author({"name": site.title})
    self_links(feed, site, lang, "feed.atom")
    feed.language(lang)
    feed.generator(GENERATOR)
    newest = midnight(max(entry.date for entry in entries))
    feed.updated(newest)
    feed.lastBuildDate(newest)
    for entry in entries:
        url = entry_url(site, entry, lang)
        item = feed.add_entry(order="append")
        item.id(url)
        item.guid(url, permalink=True)
        item.title(entry.title)
        item.link(href=url, rel="alternate", hreflang=lang)
        item.author({"name": entry.author or site.title})
        item.published(midnight(entry.date))
        item.updated(midnight(entry.date))
        if entry.summary:
            item.summary(entry.summary)
        if contents.get(entry.slug):
            item.content(contents[entry.slug], type="html")
    return feed


def json_feed(site: Site, lang: str, entries: list[Entry], contents: dict[str, str]) -> str:
    """A JSON Feed 1.1 of one language's entries."""
    items = []
    for entry in entries:
        url = entry_url(site, entry, lang)
        item = {"id": url, "url": url, "title": entry.title, "date_published": midnight(entry.date).isoformat(),
                "language": lang, "authors": [{"name": entry.author or site.title}]}
        if entry.summary:
            item["summary"] = entry.summary
        item["content_html" if contents.get(entry.slug) else "content_text"] = (
            contents.get(entry.slug) or entry.summary or entry.title)
        if entry.cover:
            item["image"] = site.url(entry.cover, lang)
        items.append(item)
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": site.title, "language": lang,
            "home_page_url": site.url(f"{lang}/index.html", lang), "feed_url": site.url(f"{lang}/feed.json", lang),
            "items": items}
    return json.dumps(feed, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def render_feeds(output: Path, site: Site, lang: str, entries: list[Entry], mode: str) -> dict[str, bytes]:
    """``{file name: bytes}`` of one language's three feeds."""
    contents = feed_contents(output, site, entries, mode, lang)
    feed = feed_generator(site, lang, entries, contents)
    atom = feed.atom_str(pretty=True)
    self_links(feed, site, lang, "feed.rss")
    return {"feed.atom": atom, "feed.rss": feed.rss_str(pretty=True),
            "feed.json": json_feed(site, lang, entries, contents).encode()}
