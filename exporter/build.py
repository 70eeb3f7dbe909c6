"""The pipeline: parse each source once → one edition per language → every exporter → publish."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from exporter.config import Settings
from exporter.document import Document, discover_sources, load_document
from exporter.errors import ExportError, NewsletterError, UsageError
from exporter.formats.base import Exporter, Site
from exporter.formats.registry import create_exporter, format_names
from exporter.i18n import language_name
from exporter.output import (build_manifest, output_lock, publish, read_manifest, staging_dir, write_atomic,
                             write_manifest)
from exporter.themes import Theme, load_theme

log = logging.getLogger(__name__)
Progress = Callable[[str], None]


@dataclass
class BuildPlan:
    """What to build: sources, formats, languages, theme and output folder."""

    sources: list[Path]
    formats: list[str]
    languages: list[str] | None
    theme: str
    output: Path
    engine: str | None = None
    explicit_formats: bool = False


@dataclass
class BuildResult:
    """What a build wrote."""

    files: list[Path] = field(default_factory=list)
    editions: list[tuple[str, str]] = field(default_factory=list)
    skipped_formats: dict[str, str] = field(default_factory=dict)


def site_for(settings: Settings, languages: list[str]) -> Site:
    """The Site handed to exporters."""
    email = settings.section("email")
    return Site(
        title=settings.title,
        base_url=settings.base_url,
        languages=tuple(languages),
        settings=dict(email),
    )


def plan_from(settings: Settings, sources=(), formats=(), languages=(), theme=None, output=None,
              engine=None) -> BuildPlan:
    """Fill a BuildPlan's blanks from newsletter.toml."""
    if sources:
        paths = []
        for source in sources:
            source = Path(source)
            paths.extend(discover_sources(source) if source.is_dir() else [source])
    else:
        paths = discover_sources(settings.source_path)
    if not paths:
        raise UsageError(f"no issues found in {settings.source_path}")
    return BuildPlan(
        sources=paths,
        formats=list(dict.fromkeys(formats or settings.default_formats)),
        languages=list(languages) or None,
        theme=theme or settings.theme,
        output=Path(output) if output else settings.output_path,
        engine=engine,
        explicit_formats=bool(formats),
    )


def create_exporters(names: list[str], settings: Settings, site: Site, explicit: bool,
                     result: BuildResult) -> list[Exporter]:
    """Instantiate the requested exporters; a missing engine fails an explicit request, else is skipped."""
    known = format_names()
    exporters = []
    for name in names:
        if name not in known:
            raise UsageError(f"unknown format '{name}' (available: {', '.join(known)})")
        try:
            exporter = create_exporter(name, settings.formats_options.get(name, {}), site, settings.path)
            reason = exporter.unavailable()
        except ExportError as error:
            reason = str(error)
        if reason:
            if explicit:
                raise ExportError(f"format '{name}' is unavailable: {reason}")
            log.warning("skipping format '%s': %s", name, reason)
            result.skipped_formats[name] = reason
            continue
        exporters.append(exporter)
    return exporters


def editions_of(document: Document, languages: list[str], settings: Settings, engine: str | None) -> list[Document]:
    """The source edition plus one translated edition per other language."""
    editions = []
    for lang in dict.fromkeys(languages):
        if lang == document.meta.lang:
            editions.append(document)
        else:
            from exporter.translate import translate_document

            editions.append(translate_document(document, lang, settings, engine=engine))
    return editions


def export_edition(edition: Document, exporters: list[Exporter], theme: Theme, output: Path) -> list[Path]:
    """Run every exporter on one edition in a staging folder, then publish all files at once."""
    destination = output / edition.meta.slug / edition.meta.lang
    with staging_dir(output) as staging:
        staged: list[Path] = []
        for exporter in exporters:
            try:
                written = exporter.export(edition, theme, staging)
            except NewsletterError as error:
                raise type(error)(f"{exporter.name}: {error.message}", error.path or edition.source, error.line) from None
            except Exception as error:  # an engine's own exception: one line naming the format and file
                raise ExportError(f"{exporter.name} failed: {type(error).__name__}: {error}", edition.source) from None
            staged.extend(p for p in written if p not in staged)
        with output_lock(output):
            return publish(staged, staging, destination)


def issue_summary(editions: list[Document]) -> dict:
    """The manifest's description of one issue."""
    first = editions[0].meta
    return {
        "title": first.title,
        "date": first.date.isoformat(),
        "number": first.number,
        "editions": {e.meta.lang: {"title": e.meta.title, "language": language_name(e.meta.lang)} for e in editions},
    }


def refresh_output_index(output: Path, issues: dict[str, dict], theme: Theme, site: Site) -> None:
    """Rewrite manifest.json and index.html from what the output folder now holds."""
    from exporter.formats.registry import load_exporter_class

    suffixes = {}
    for name in format_names():
        try:
            suffixes[load_exporter_class(name).suffix] = name
        except NewsletterError:
            continue
    with output_lock(output):
        known = {**read_manifest(output).get("issues", {}), **issues}
        manifest = build_manifest(output, suffixes, {})
        present = {entry["slug"] for entry in manifest["files"]}
        manifest["issues"] = {slug: info for slug, info in sorted(known.items()) if slug in present}
        write_manifest(output, manifest)
        write_atomic(output / "index.html", render_index(manifest, theme, site))


def render_index(manifest: dict, theme: Theme, site: Site) -> str:
    """The output folder's index page listing every issue and edition."""
    labels = {"html": "Web", "pdf": "PDF", "epub": "EPUB", "email": "Email"}
    issues = []
    for slug, info in sorted(manifest["issues"].items(), key=lambda item: item[1]["date"], reverse=True):
        editions = []
        for lang, edition in info["editions"].items():
            files = [(labels.get(f["format"], f["format"].upper()), f["path"]) for f in manifest["files"]
                     if f["slug"] == slug and f["lang"] == lang and f["format"] != "asset"]
            if files:
                editions.append({"lang": lang, "language": edition["language"], "files": files})
        issues.append({"slug": slug, "title": info["title"], "date": info["date"], "editions": editions})
    return theme.render("index.html", issues=issues, site=site)


def build(settings: Settings, plan: BuildPlan, progress: Progress | None = None) -> BuildResult:
    """Build every edition of every planned source in every planned format."""
    progress = progress or (lambda message: None)
    result = BuildResult()
    theme = load_theme(plan.theme, settings.root)
    languages_for_site = plan.languages or settings.languages
    site = site_for(settings, languages_for_site)
    exporters = create_exporters(plan.formats, settings, site, explicit=plan.explicit_formats, result=result)
    documents = [load_document(path) for path in plan.sources]  # parse every source before writing anything
    issues = {}
    for index, document in enumerate(documents, 1):
        languages = plan.languages or [document.meta.lang, *settings.languages]
        editions = editions_of(document, languages, settings, plan.engine)
        for edition in editions:
            progress(f"[{index}/{len(documents)}] {edition.meta.slug} ({edition.meta.lang})")
            result.files.extend(export_edition(edition, exporters, theme, plan.output))
            result.editions.append((edition.meta.slug, edition.meta.lang))
        issues[document.meta.slug] = issue_summary(editions)
    refresh_output_index(plan.output, issues, theme, site)
    return result
