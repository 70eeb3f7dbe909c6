"""The pipeline: parse each source once → one edition per language → every exporter → publish.

Outputs whose dependency key is unchanged are skipped; the rest run in parallel worker
processes, each in a private staging folder, and an edition's files are published (each
file renamed into place atomically) only once all of its formats have succeeded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from exporter.config import Settings
from exporter.document import Document, discover_sources
from exporter.edition_assets import diagram_texts, localized_assets
from exporter.errors import ExportError, NewsletterError, TranslationError, UsageError
from exporter.formats.base import Exporter, Site
from exporter.formats.registry import exporter_or_reason, format_names
from exporter.i18n import strings
from exporter.incremental import (
    BuildState,
    build_fingerprint,
    edition_digest,
    exporter_digest,
    output_key,
    task_id,
)
from exporter.issues import load_documents
from exporter.language_settings import language_settings, localized_edition
from exporter.output import (
    build_manifest,
    output_lock,
    read_manifest,
    remove_stale,
    staging_dir,
    write_manifest,
)
from exporter.runner import ExportTask, TaskRunner
from exporter.site import NO_BASE_URL, publish_site
from exporter.site.entries import edition_record, merge_issues
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
    jobs: int = 1
    force: bool = False
    executor: str = ""  # a Dask scheduler's address; empty for local worker processes
    format_options: dict[str, dict] = field(default_factory=dict)
    strict: bool = False  # an unchanged build still parses its sources, to report their warnings


@dataclass
class BuildResult:
    """What a build wrote, skipped as current, and could not build."""

    files: list[Path] = field(default_factory=list)
    editions: list[tuple[str, str]] = field(default_factory=list)
    built: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    skipped_formats: dict[str, str] = field(default_factory=dict)
    translation: dict[str, int] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  # issue or edition → its one-line error
    routes: dict[str, str] = field(default_factory=dict)  # "<slug>/<lang>" → languages the translation went through
    site: list[Path] = field(default_factory=list)  # archive pages, feeds, sitemap: rewritten only on change

    def stats(self) -> dict:
        """The figures ``newsletter build --stats json`` prints."""
        counts = {"units": 0, "from_memory": 0, "sent": 0, "chars_sent": 0}
        stats = {"editions": len(self.editions), "built": self.built, "up_to_date": len(self.up_to_date),
                 "translation": {**counts, **self.translation}, "failed": dict(sorted(self.failed.items()))}
        if self.routes:
            stats["translation"]["routes"] = dict(sorted(self.routes.items()))
        return stats


def site_for(settings: Settings, languages: list[str]) -> Site:
    """The Site handed to exporters."""
    return Site(title=settings.title, base_url=settings.base_url, languages=tuple(languages),
                settings=dict(settings.section("email")), editions=dict(settings.values.get("languages") or {}))


def plan_from(settings: Settings, sources=(), formats=(), languages=(), theme=None, output=None,
              engine=None, jobs=None, force=False, format_options=None, executor=None) -> BuildPlan:
    """Fill a BuildPlan's blanks from newsletter.toml."""
    paths = []
    for source in sources:
        source = Path(source)
        paths.extend(discover_sources(source) if source.is_dir() else [source])
    if not sources:
        paths = discover_sources(settings.source_path)
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    if not paths:
        raise UsageError(f"no issues found in {', '.join(map(str, sources)) or settings.source_path}")
    from exporter.languages import language_problem

    for lang in languages:
        problem = language_problem(lang)
        if problem:
            raise UsageError(f"--lang: {problem}")
    return BuildPlan(
        sources=paths,
        formats=list(dict.fromkeys(formats or settings.default_formats)),
        languages=list(languages) or None,
        theme=theme or settings.theme,
        output=Path(output) if output else settings.output_path,
        engine=engine,
        explicit_formats=bool(formats),
        jobs=max(1, jobs or settings.jobs),
        force=force,
        format_options=format_options or {},
        executor=executor if executor is not None else settings.section("build")["executor"],
    )


def create_exporters(plan: BuildPlan, settings: Settings, site: Site, result: BuildResult) -> list[Exporter]:
    """Instantiate the requested exporters; a missing engine fails an explicit request, else is skipped."""
    known = format_names()
    exporters = []
    for name in plan.formats:
        if name not in known:
            from exporter.languages import suggestion

            raise UsageError(f"unknown format '{name}'{suggestion(name, known)} (available: {', '.join(known)})")
        options = {**settings.formats_options.get(name, {}), **plan.format_options.get(name, {})}
        exporter, reason = exporter_or_reason(name, options, site, settings.path)
        if reason:
            if plan.explicit_formats:
                raise ExportError(f"format '{name}' is unavailable: {reason}")
            log.warning("skipping format '%s': %s", name, reason)
            result.skipped_formats[name] = reason
            continue
        exporters.append(exporter)
    return exporters


def iter_editions(document: Document, languages: list[str], settings: Settings, engine: str | None,
                  result: BuildResult | None = None) -> Iterator[Document]:
    """The source edition, then one translated edition per other language (counted into ``result``)."""
    for lang in dict.fromkeys([document.meta.lang, *languages]):
        if lang not in languages:
            continue
        if lang == document.meta.lang:
            yield document
            continue
        from exporter.translate import translate_with_report

        try:
            # the diagrams' texts ride along in the same engine call (see localized_assets)
            translated = translate_with_report(document, lang, settings, engine, prefetch=diagram_texts(document, lang))
        except TranslationError as error:
            if result is None:
                raise
            # only this edition fails: the others are still built and published (the build exits 1)
            result.failed[f"{document.meta.slug}/{lang}"] = str(error)  # reported once, with the others
            continue
        if result is not None:
            for key, value in translated.report.stats().items():
                if isinstance(value, int):
                    result.translation[key] = result.translation.get(key, 0) + value
            if translated.report.route:
                result.routes[f"{document.meta.slug}/{lang}"] = translated.report.route
        edition = localized_edition(translated.document, settings)
        yield localized_assets(edition, document, settings, engine, language_settings(settings, lang)["cover"])


def editions_of(document: Document, languages: list[str], settings: Settings, engine: str | None,
                result: BuildResult | None = None) -> list[Document]:
    """Every requested edition of ``document``, source language first."""
    return list(iter_editions(document, languages, settings, engine, result))


def issue_summary(editions: list[Document]) -> dict:
    """The manifest's description of one issue."""
    first = editions[0].meta
    return {
        "title": first.title,
        "date": first.date.isoformat(),
        "number": first.number,
        "editions": {e.meta.lang: edition_record(e) for e in editions},
    }


def refresh_output_index(output: Path, issues: dict[str, dict], theme: Theme, site: Site,
                         site_options: dict | None = None) -> list[Path]:
    """Rewrite manifest.json, then the archive pages, feeds and sitemap, from what the output folder holds."""
    from exporter.formats.registry import load_exporter_class

    suffixes = {}
    for name in format_names():
        try:
            exporter_class = load_exporter_class(name)
            for suffix in (exporter_class.suffix, *exporter_class.companion_suffixes):
                suffixes.setdefault(suffix, name)
        except NewsletterError:
            continue
    with output_lock(output):
        known = merge_issues(read_manifest(output).get("issues", {}), issues)
        manifest = build_manifest(output, suffixes, {})
        present = {entry["slug"] for entry in manifest["files"]}
        manifest["issues"] = {slug: info for slug, info in sorted(known.items()) if slug in present}
        write_manifest(output, manifest)
        return publish_site(output, manifest, theme, site, site_options).written


def build(settings: Settings, plan: BuildPlan, progress: Progress | None = None) -> BuildResult:
    """Build every edition of every planned source in every planned format."""
    progress = progress or (lambda message: None)
    result = BuildResult()
    theme = load_theme(plan.theme, settings.root)
    site = site_for(settings, plan.languages or settings.languages)
    exporters = create_exporters(plan, settings, site, result)
    if not site.base_url:  # once per build: the email and site code stay quiet about it
        log.warning("%s: links in emails are relative, and feeds and sitemap.xml are skipped", NO_BASE_URL)
    if plan.output.is_dir():
        remove_stale(plan.output)  # what killed builds left behind
    state = BuildState(plan.output)
    fingerprint = build_fingerprint(settings, plan, theme, [e.engine_version() for e in exporters])
    if not plan.force and state.unchanged_since(fingerprint):
        result.up_to_date = state.current_outputs()
        result.editions = sorted({tuple(ident.split("/")[:2]) for ident in result.up_to_date})
        if plan.strict:
            load_documents(plan.sources, plan.jobs, settings, result)
        progress("nothing changed")
        return result
    documents = load_documents(plan.sources, plan.jobs, settings, result)  # parsed before anything is written
    refuse_shared_slugs(documents, site.languages)
    if not documents:
        return result  # every issue failed to load: nothing is written
    for lang in dict.fromkeys([*(d.meta.lang for d in documents), *(plan.languages or settings.languages)]):
        strings(lang)  # a language without a catalog warns here, once (worker processes inherit this cache)
    exporter_parts = {exporter.name: exporter_digest(exporter, theme) for exporter in exporters}
    issues = {}
    cluster = connect_cluster(plan.executor, theme)
    with staging_dir(plan.output) as staging:
        runner = TaskRunner(plan.output, staging, plan.jobs, progress, cluster)
        try:
            for index, document in enumerate(documents, 1):
                progress(f"[{index}/{len(documents)}] {document.meta.slug}")
                languages = plan.languages or [document.meta.lang, *settings.languages]
                editions = []
                try:
                    for edition in iter_editions(document, languages, settings, plan.engine, result):
                        editions.append(edition)
                        result.editions.append((edition.meta.slug, edition.meta.lang))
                        runner.submit(edition_tasks(edition, exporters, exporter_parts, state, plan, settings,
                                                    result))
                except NewsletterError as error:  # this issue's remaining editions only
                    result.failed[str(document.source)] = str(error)
                if editions:
                    issues[document.meta.slug] = issue_summary(editions)
            done = runner.wait()
        finally:
            runner.close()
            if cluster is not None:
                cluster.close()
    for edition, error in runner.failed.items():
        result.failed[edition] = error
    state.record(done, None if result.failed else fingerprint)  # a failed edition is retried next time
    result.built = sorted(done)
    result.files = [path for _, files in done.values() for path in files]
    result.site = refresh_output_index(plan.output, issues, theme, site, settings.section("site"))
    return result


def connect_cluster(address: str, theme: Theme):
    """The Dask cluster at ``address`` (see exporter.cluster), or None to use local worker processes."""
    if not address:
        return None
    from exporter.cluster import ClusterExecutor

    return ClusterExecutor(address, theme)


def refuse_shared_slugs(documents: list[Document], languages: tuple[str, ...] = ()) -> None:
    """Two issues with one slug, or a slug naming a language's archive folder, would clash: refuse before writing."""
    seen: dict[str, Path] = {}
    for document in documents:
        if document.meta.slug in languages:
            raise UsageError(f"{document.source}: the slug '{document.meta.slug}' is a language code; "
                             f"output/{document.meta.slug}/ holds that language's archive")
        first = seen.setdefault(document.meta.slug, document.source)
        if first != document.source:
            raise UsageError(f"two issues have the slug '{document.meta.slug}': {first} and {document.source}")


def edition_tasks(edition: Document, exporters: list[Exporter], exporter_parts: dict[str, str], state: BuildState,
                  plan: BuildPlan, settings: Settings, result: BuildResult) -> list[ExportTask]:
    """The outputs of one edition that are out of date (the others are counted as up to date)."""
    tasks = []
    edition_part = edition_digest(edition)
    for exporter in exporters:
        ident, key = task_id(edition, exporter), output_key(edition_part, exporter_parts[exporter.name])
        if not plan.force and state.is_current(ident, key):
            result.up_to_date.append(ident)
        else:
            tasks.append(ExportTask(ident, key, edition, exporter, plan.theme, settings.root))
    return tasks

