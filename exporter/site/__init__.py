"""The reader-facing site around the editions: archive pages, feeds, sitemap and robots.txt.

:func:`publish_site` runs after every build that changed something, from the manifest alone (so
issues built earlier are listed too); it rewrites its files only when what they show changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from exporter.formats.base import Site
from exporter.output import write_atomic
from exporter.themes import Theme

log = logging.getLogger(__name__)
STATE_FILE = ".site-state.json"
NO_BASE_URL = "no base_url in newsletter.toml"


@dataclass
class SiteResult:
    """What publish_site wrote (nothing when current) and why feeds were skipped, if they were."""

    written: list[Path] = field(default_factory=list)
    current: bool = False
    skipped: str = ""


def site_digest(manifest: dict, theme: Theme, site: Site, options: dict) -> str:
    """A hash of everything the site's files show: issues, listed files, theme, site settings, code."""
    from exporter.incremental import code_digest

    from exporter.site.entries import UNLISTED_FORMATS

    full = options.get("feed_content", "full") == "full"
    covers = {edition.get("cover") for issue in manifest.get("issues", {}).values()
              for edition in issue.get("editions", {}).values()}
    files = [(item["path"], item["sha256"] if full and item["format"] == "html" else "")
             for item in manifest.get("files", []) if item["format"] not in UNLISTED_FORMATS or item["path"] in covers]
    parts = [manifest.get("issues", {}), files, repr(site), sorted(options.items()), code_digest(),
             theme.name, theme.files_hash("index.html")]
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def read_state(output: Path) -> dict:
    """The digest and file list of the last site publication (empty if none)."""
    try:
        return json.loads((output / STATE_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def render_site(output: Path, manifest: dict, theme: Theme, site: Site, options: dict) -> tuple[dict, str]:
    """``({path: text or bytes}, reason feeds were skipped or "")`` for the whole site."""
    from exporter.site.archive import render_archives
    from exporter.site.entries import ordered_languages, site_entries
    from exporter.site.feeds import render_feeds
    from exporter.site.sitemap import render_robots, render_sitemap

    entries = site_entries(manifest)
    languages = ordered_languages(entries, site.languages)
    files: dict[str, str | bytes] = dict(render_archives(theme, site, entries, languages))
    files["robots.txt"] = render_robots(site)
    if not site.base_url:
        return files, f"{NO_BASE_URL}, so feeds and sitemap.xml need absolute URLs"
    for lang in languages:
        for name, data in render_feeds(output, site, lang, entries[lang], options.get("feed_content", "full")).items():
            files[f"{lang}/{name}"] = data
    files["sitemap.xml"] = render_sitemap(site, entries, languages)
    return files, ""


def publish_site(output: Path, manifest: dict, theme: Theme, site: Site, options: dict | None = None) -> SiteResult:
    """Write the archive pages, feeds, sitemap and robots.txt when what they show changed (see module doc)."""
    options = options or {}
    state = read_state(output)
    digest = site_digest(manifest, theme, site, options)
    if state.get("digest") == digest and all((output / path).is_file() for path in state.get("files", [])):
        return SiteResult(current=True, skipped=state.get("skipped", ""))
    files, skipped = render_site(output, manifest, theme, site, options)
    for path, data in sorted(files.items()):
        write_atomic(output / path, data)
    for stale in set(state.get("files", [])) - set(files):  # a language with no issues left, feeds without a URL
        with contextlib.suppress(FileNotFoundError):
            (output / stale).unlink()
    write_atomic(output / STATE_FILE, json.dumps({"digest": digest, "files": sorted(files), "skipped": skipped},
                                                 indent=1) + "\n")
    return SiteResult(written=[output / path for path in sorted(files)], skipped=skipped)
