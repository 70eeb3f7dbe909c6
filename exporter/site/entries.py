"""What the archive, feeds and sitemap list: one entry per published edition, read from the manifest."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from exporter.document import Document, resolve_local
from exporter.i18n import language_name

UNLISTED_FORMATS = ("email", "text", "asset")  # parts of the email, and images: not for readers to download


@dataclass(frozen=True)
class Entry:
    """One language edition of one issue, as the archive, the feeds and the sitemap show it."""

    slug: str
    lang: str
    title: str
    date: dt.date
    summary: str = ""
    subtitle: str = ""
    author: str = ""
    number: int | None = None
    cover: str = ""
    files: dict[str, str] = field(default_factory=dict)

    @property
    def page(self) -> str:
        """The web page's path relative to the output folder (empty if it was not built)."""
        return self.files.get("html", "")


def edition_record(edition: Document) -> dict:
    """The manifest's description of one edition: what the archive and feeds need without re-reading it."""
    meta = edition.meta
    cover = ""
    if meta.cover:
        path = resolve_local(edition.base_dir, meta.cover)
        if path is not None:
            cover = f"{meta.slug}/{meta.lang}/{path.relative_to(edition.base_dir.resolve()).as_posix()}"
    return {"title": meta.title, "language": language_name(meta.lang), "summary": meta.summary,
            "subtitle": meta.subtitle, "author": meta.author, "cover": cover}


def merge_issues(known: dict[str, dict], fresh: dict[str, dict]) -> dict[str, dict]:
    """Issues recorded before, updated by this build's; a build of one language keeps the others' editions."""
    merged = {slug: dict(info) for slug, info in known.items()}
    for slug, info in fresh.items():
        editions = {**merged.get(slug, {}).get("editions", {}), **info.get("editions", {})}
        merged[slug] = {**info, "editions": editions}
    return merged


def site_entries(manifest: dict) -> dict[str, list[Entry]]:
    """Every edition with at least one listed file, by language, newest first."""
    files: dict[tuple[str, str], dict[str, str]] = {}
    present = set()
    for item in manifest.get("files", []):
        present.add(item["path"])
        if item["format"] not in UNLISTED_FORMATS:
            files.setdefault((item["slug"], item["lang"]), {})[item["format"]] = item["path"]
    by_lang: dict[str, list[Entry]] = {}
    for slug, info in manifest.get("issues", {}).items():
        for lang, edition in info.get("editions", {}).items():
            if (slug, lang) not in files:
                continue
            cover = edition.get("cover", "")
            by_lang.setdefault(lang, []).append(Entry(
                slug=slug, lang=lang, title=edition.get("title", info.get("title", slug)),
                date=dt.date.fromisoformat(info["date"]), summary=edition.get("summary", ""),
                subtitle=edition.get("subtitle", ""), author=edition.get("author", ""),
                number=info.get("number"), cover=cover if cover in present else "", files=files[(slug, lang)]))
    for entries in by_lang.values():
        entries.sort(key=lambda entry: (entry.date, entry.number or 0, entry.slug), reverse=True)
    return by_lang


def ordered_languages(entries: dict[str, list[Entry]], preferred: tuple[str, ...]) -> list[str]:
    """The languages that have editions: the site's languages in their order, then any others."""
    return [lang for lang in dict.fromkeys([*preferred, *sorted(entries)]) if entries.get(lang)]
