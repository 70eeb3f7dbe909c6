"""Run every check: the sources named (or all of them), then the built outputs listed in manifest.json."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from exporter.check import Problem
from exporter.check.sources import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS
from exporter.document import discover_sources
from exporter.output import read_manifest


@dataclass(frozen=True)
class Limits:
    """Budgets a check enforces."""

    image_bytes: int = MAX_IMAGE_BYTES
    image_pixels: int = MAX_IMAGE_PIXELS
    email_kb: int = 102


@dataclass
class CheckRun:
    """What a run found, and how many files it looked at."""

    problems: list[Problem]
    checked: int


def source_paths(sources: list[Path], default_folder: Path) -> list[Path]:
    """The issues to check: files as given, folders searched for issues, else the project's source folder."""
    paths: list[Path] = []
    for source in sources or [default_folder]:
        paths.extend(discover_sources(source) if source.is_dir() else [source])
    return paths


def check_sources(settings, paths: list[Path], limits: Limits) -> tuple[list[Problem], set[str]]:
    """Problems of each source file, and the slugs of those that parsed."""
    from exporter.check.links import check_links
    from exporter.check.review import check_review
    from exporter.check.sources import check_images, load_for_check

    problems: list[Problem] = []
    slugs: set[str] = set()
    for path in paths:
        document, text, found = load_for_check(path, settings)
        problems.extend(found)
        if document is None:
            continue
        slugs.add(document.meta.slug)
        problems.extend(check_images(document, text, limits.image_bytes, limits.image_pixels))
        problems.extend(check_links(document, text))
        problems.extend(check_review(settings, document))
    return problems, slugs


def output_files(output: Path, slugs: set[str] | None) -> dict[str, list[Path]]:
    """Built files by format, from manifest.json (only the given slugs' when ``slugs`` is not None)."""
    found: dict[str, list[Path]] = {}
    for entry in read_manifest(output).get("files", []):
        if entry.get("format") == "email" and not entry["path"].endswith(".email.html"):
            continue  # the .eml beside it carries the same HTML; the budget is the HTML's
        if slugs is None or entry.get("slug") in slugs:
            found.setdefault(entry.get("format", ""), []).append(output / entry["path"])
    return found


def check_outputs(files: dict[str, list[Path]], limits: Limits) -> list[Problem]:
    """EPUBCheck on every EPUB (one JVM), embedded fonts of every PDF, size of every email."""
    from exporter.check.email import check_emails
    from exporter.check.epub import check_epubs
    from exporter.check.pdf import check_pdfs

    return [*check_epubs(files.get("epub", [])), *check_pdfs(files.get("pdf", [])),
            *check_emails(files.get("email", []), limits.email_kb)]


def run_checks(settings, sources: list[Path], output: Path, limits: Limits = Limits(),
               outputs: bool = True) -> CheckRun:
    """Check the sources, then (unless ``outputs`` is False) what was built from them."""
    paths = source_paths(sources, settings.source_path)
    problems, slugs = check_sources(settings, paths, limits)
    files = output_files(output, slugs if sources else None) if outputs else {}
    problems.extend(check_outputs(files, limits))
    checked = len(paths) + sum(len(group) for name, group in files.items() if name in ("epub", "pdf", "email"))
    return CheckRun(problems, checked)
