"""The archive pages readers browse: one per language, newest issue first, and output/index.html."""

from __future__ import annotations

from exporter.formats.base import Site
from exporter.i18n import format_date, language_name, strings
from exporter.site.entries import Entry
from exporter.site.sitemap import archive_path
from exporter.site.social import feed_links
from exporter.themes import Theme

RTL_LANGUAGES = ("ar", "he", "fa", "ur")


def download_label(format_name: str, t: dict[str, str]) -> str:
    """The link text of one format on the archive: the catalog's (``Descargar PDF``), else ``Download DOCX``."""
    if format_name == "html":
        return t["read_online"]
    return t.get(f"download_{format_name}") or f"{t['download']} {format_name.upper()}"


def issue_card(entry: Entry, root: str) -> dict:
    """What the archive shows of one edition; paths are relative to the archive page (``root`` + path)."""
    t = strings(entry.lang)
    order = ["html", "pdf", "epub", *sorted(set(entry.files) - {"html", "pdf", "epub"})]
    return {
        "slug": entry.slug, "title": entry.title, "subtitle": entry.subtitle, "summary": entry.summary,
        "author": entry.author, "number": entry.number, "date": entry.date.isoformat(),
        "date_text": format_date(entry.date, entry.lang),
        "href": root + (entry.page or next(iter(entry.files.values()))),
        "cover": root + entry.cover if entry.cover else "",
        "downloads": [{"format": name, "label": download_label(name, t), "href": root + entry.files[name]}
                      for name in order if name in entry.files],
    }


def archive_context(site: Site, lang: str, entries: list[Entry], languages: list[str], root: str) -> dict:
    """The variables of index.html for one language's archive (see docs/themes.md)."""
    return {
        "site": site,
        "lang": lang,
        "dir": "rtl" if lang.split("-")[0] in RTL_LANGUAGES else "ltr",
        "t": strings(lang),
        "language_name": language_name(lang),
        "canonical": site.url(archive_path(lang), lang) if site.base_for(lang) else "",
        "languages": [{"lang": other, "label": strings(other)["read_in"], "name": language_name(other),
                       "href": root + archive_path(other), "current": other == lang} for other in languages],
        "feeds": feed_links(site, lang),
        "issues": [issue_card(entry, root) for entry in entries],
    }


def render_archives(theme: Theme, site: Site, entries: dict[str, list[Entry]], languages: list[str]) -> dict[str, str]:
    """``{path: html}``: ``<lang>/index.html`` for every language and ``index.html`` (the first language's)."""
    pages = {archive_path(lang): theme.render("index.html", **archive_context(site, lang, entries[lang],
                                                                              languages, "../"))
             for lang in languages}
    default = next(iter([*languages, *site.languages]), None)
    if default is None:  # nothing published yet and no language configured: no archive to show
        return pages
    pages["index.html"] = theme.render("index.html", **archive_context(site, default, entries.get(default, []),
                                                                       languages, ""))
    return pages
