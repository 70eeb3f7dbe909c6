"""The pipeline: parse each source once → one edition per language → every exporter → publish.

Outputs whose dependency key is unchanged are skipped; the rest run in parallel worker
processes, each in a private staging folder, and an edition's files are published (each
file renamed into place atomically) only once all of its formats have succeeded.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from exporter.config import Settings
from exporter.document import Document, discover_sources, load_document
from exporter.errors import ExportError, NewsletterError, UsageError
from exporter.formats.base import Exporter, Site
from exporter.formats.registry import create_exporter, format_names
from exporter.i18n import language_name
from exporter.incremental import BuildState, output_key, task_id
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
    jobs: int = 1
    force: bool = False
    format_options: dict[str, dict] = field(default_factory=dict)


@dataclass
class BuildResult:
    """What a build wrote, skipped as current, and could not build."""

    files: list[Path] = field(default_factory=list)
    editions: list[tuple[str, str]] = field(default_factory=list)
    built: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    skipped_formats: dict[str, str] = field(default_factory=dict)
    translation: dict[str, int] = field(default_factory=dict)

    def stats(self) -> dict:
        """The figures ``newsletter build --stats json`` prints."""
        counts = {"units": 0, "from_memory": 0, "sent": 0, "chars_sent": 0}
        return {"editions": len(self.editions), "built": self.built, "up_to_date": len(self.up_to_date),
                "translation": {**counts, **self.translation}}


@dataclass(frozen=True)
class ExportTask:
    """One format of one edition, as sent to a worker process."""

    ident: str
    key: str
    edition: Document
    exporter: Exporter
    theme_name: str
    project_root: Path


def site_for(settings: Settings, languages: list[str]) -> Site:
    """The Site handed to exporters."""
    return Site(title=settings.title, base_url=settings.base_url, languages=tuple(languages),
                settings=dict(settings.section("email")))


def plan_from(settings: Settings, sources=(), formats=(), languages=(), theme=None, output=None,
              engine=None, jobs=None, force=False, format_options=None) -> BuildPlan:
    """Fill a BuildPlan's blanks from newsletter.toml."""
    paths = []
    for source in sources:
        source = Path(source)
        paths.extend(discover_sources(source) if source.is_dir() else [source])
    if not sources:
        paths = discover_sources(settings.source_path)
    if not paths:
        raise UsageError(f"no issues found in {', '.join(map(str, sources)) or settings.source_path}")
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
    )


def create_exporters(plan: BuildPlan, settings: Settings, site: Site, result: BuildResult) -> list[Exporter]:
    """Instantiate the requested exporters; a missing engine fails an explicit request, else is skipped."""
    known = format_names()
    exporters = []
    for name in plan.formats:
        if name not in known:
            raise UsageError(f"unknown format '{name}' (available: {', '.join(known)})")
        options = {**settings.formats_options.get(name, {}), **plan.format_options.get(name, {})}
        try:
            exporter = create_exporter(name, options, site, settings.path)
            reason = exporter.unavailable()
        except ExportError as error:
            reason = str(error)
        except Exception as error:  # a plug-in's own bug must not take the other formats down
            reason = f"the plug-in for format '{name}' failed: {type(error).__name__}: {error}"
        if reason:
            if plan.explicit_formats:
                raise ExportError(f"format '{name}' is unavailable: {reason}")
            log.warning("skipping format '%s': %s", name, reason)
            result.skipped_formats[name] = reason
            continue
        exporters.append(exporter)
    return exporters


def editions_of(document: Document, languages: list[str], settings: Settings, engine: str | None,
                result: BuildResult | None = None) -> list[Document]:
    """The source edition plus one translated edition per other language (counted into ``result``)."""
    editions = []
    for lang in dict.fromkeys(languages):
        if lang == document.meta.lang:
            editions.append(document)
            continue
        from exporter.translate import translate_with_report

        translated = translate_with_report(document, lang, settings, engine)
        editions.append(translated.document)
        if result is not None:
            for key, value in translated.report.stats().items():
                if isinstance(value, int):
                    result.translation[key] = result.translation.get(key, 0) + value
    return editions


@lru_cache(maxsize=8)
def cached_theme(name: str, project_root: Path) -> Theme:
    """A worker's theme, loaded once per process."""
    return load_theme(name, project_root)


def run_task(task: ExportTask, staging: Path) -> list[Path]:
    """Run one exporter on one edition inside ``staging`` (in a worker process)."""
    exporter, edition = task.exporter, task.edition
    staging.mkdir(parents=True, exist_ok=True)
    try:
        written = exporter.export(edition, cached_theme(task.theme_name, task.project_root), staging)
    except NewsletterError as error:
        raise type(error)(f"{exporter.name}: {error.message}", error.path or edition.source, error.line) from None
    except Exception as error:  # an engine's own exception: one line naming the format and file
        raise ExportError(f"{exporter.name} failed: {type(error).__name__}: {error}", edition.source) from None
    return list(dict.fromkeys(written))


def run_tasks(tasks: list[ExportTask], output: Path, jobs: int, progress: Progress) -> dict[str, tuple[str, list[Path]]]:
    """Run the tasks (in parallel when jobs > 1) and publish each edition once all its formats are done."""
    by_edition: dict[str, list[ExportTask]] = {}
    for task in tasks:
        by_edition.setdefault(task.ident.rsplit("/", 1)[0], []).append(task)
    done: dict[str, tuple[str, list[Path]]] = {}
    with staging_dir(output) as staging:
        pending: dict[str, list[tuple[ExportTask, list[Path]]]] = {edition: [] for edition in by_edition}

        def finish(task: ExportTask, files: list[Path]) -> None:
            edition = task.ident.rsplit("/", 1)[0]
            pending[edition].append((task, files))
            if len(pending[edition]) == len(by_edition[edition]):
                folder = staging / edition
                with output_lock(output):
                    for finished, staged in pending[edition]:
                        root = folder / finished.exporter.name
                        published = publish(staged, root, output / edition)
                        done[finished.ident] = (finished.key, published)
                progress(f"built {edition}")

        if jobs <= 1 or len(tasks) <= 1:
            for task in tasks:
                finish(task, run_task(task, staging / task.ident))
            return done
        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks))) as pool:
            futures: dict[Future, ExportTask] = {pool.submit(run_task, task, staging / task.ident): task
                                                 for task in sorted(tasks, key=task_cost, reverse=True)}
            remaining = set(futures)
            while remaining:
                finished, remaining = wait(remaining, return_when=FIRST_EXCEPTION)
                for future in finished:
                    if future.exception() is not None:
                        for other in remaining:
                            other.cancel()
                        raise future.exception()
                    finish(futures[future], future.result())
    return done


def task_cost(task: ExportTask) -> int:
    """Rough relative cost, so the slowest outputs (PDF) start first."""
    return {"pdf": 3, "epub": 2}.get(task.exporter.name, 1)


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


def load_documents(paths: list[Path], jobs: int) -> list[Document]:
    """Parse every source once (pandoc runs as a subprocess, so threads parallelise it)."""
    if jobs <= 1 or len(paths) <= 1:
        return [load_document(path) for path in paths]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(load_document, paths))


def build(settings: Settings, plan: BuildPlan, progress: Progress | None = None) -> BuildResult:
    """Build every edition of every planned source in every planned format."""
    progress = progress or (lambda message: None)
    result = BuildResult()
    theme = load_theme(plan.theme, settings.root)
    site = site_for(settings, plan.languages or settings.languages)
    exporters = create_exporters(plan, settings, site, result)
    documents = load_documents(plan.sources, plan.jobs)  # every source parsed before anything is written
    state = BuildState(plan.output)
    tasks, issues = [], {}
    for index, document in enumerate(documents, 1):
        languages = plan.languages or [document.meta.lang, *settings.languages]
        progress(f"[{index}/{len(documents)}] {document.meta.slug}")
        editions = editions_of(document, languages, settings, plan.engine, result)
        for edition in editions:
            result.editions.append((edition.meta.slug, edition.meta.lang))
            for exporter in exporters:
                ident, key = task_id(edition, exporter), output_key(edition, exporter, theme)
                if not plan.force and state.is_current(ident, key):
                    result.up_to_date.append(ident)
                else:
                    tasks.append(ExportTask(ident, key, edition, exporter, plan.theme, settings.root))
        issues[document.meta.slug] = issue_summary(editions)
    done = run_tasks(tasks, plan.output, plan.jobs, progress)
    if done:
        state.record(done)
    result.built = sorted(done)
    result.files = [path for _, files in done.values() for path in files]
    refresh_output_index(plan.output, issues, theme, site)
    return result


def default_jobs() -> int:
    """Workers to use when not configured: the machine's cores."""
    return os.cpu_count() or 1
