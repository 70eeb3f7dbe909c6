"""Which issues a project holds, from their front matter alone (no pandoc): slug → source file and language."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from exporter.document import default_slug, discover_sources, read_source_text, split_front_matter
from exporter.errors import NewsletterError


@dataclass(frozen=True)
class IssueEntry:
    """One issue: its source file, slug, source language and title."""

    path: Path
    slug: str
    lang: str
    title: str


def issue_catalog(source_dir: Path) -> dict[str, IssueEntry]:
    """Every readable issue in ``source_dir`` by slug (an issue whose front matter is broken is left out)."""
    catalog = {}
    for path in discover_sources(source_dir) if source_dir.is_dir() else []:
        try:
            data, _, _ = split_front_matter(read_source_text(path), path)
        except NewsletterError:
            continue
        slug = str(data.get("slug") or default_slug(path))
        catalog[slug] = IssueEntry(path, slug, str(data.get("lang", "")), str(data.get("title", slug)))
    return catalog
