"""Export tasks that carry what they need and return bytes, for workers that share no folder with the build.

A :class:`PortableTask` holds the edition (the Document), its exporter (options and site), the theme's
files and the issue's local images. :func:`run_portable` runs on the worker: it lays those files out in
private temporary folders, runs the exporter and returns every file it wrote as ``(relative path,
bytes)``; the build writes them into its staging folder and publishes them as it does local results.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from exporter.document import Document
from exporter.errors import ExportError, NewsletterError
from exporter.formats.assets import local_images
from exporter.formats.base import Exporter
from exporter.themes import Theme

FileData = tuple[tuple[str, bytes], ...]


@dataclass(frozen=True)
class ThemeFiles:
    """A theme as data: its name, variables and each folder of its stack as (relative path, bytes) pairs."""

    name: str
    variables: dict
    folders: tuple[FileData, ...]
    digest: str


@dataclass(frozen=True)
class PortableTask:
    """One format of one edition with everything a worker needs to build it."""

    ident: str
    edition: Document
    exporter: Exporter
    theme: ThemeFiles
    issue_files: FileData  # paths relative to the edition's image root (the issue's and static folders' parent)
    environment: tuple[tuple[str, str | None], ...] = ()
    layout: tuple[str, str | None] = (".", None)  # the issue's and the static folder's places under that root


# What the build's environment decides about outputs: the worker's own values must not leak in.
BUILD_VARIABLES = ("SOURCE_DATE_EPOCH",)


@contextlib.contextmanager
def build_environment(values: tuple[tuple[str, str | None], ...]) -> Iterator[None]:
    """Give the task the build's values of BUILD_VARIABLES (unset where the build had none), then restore."""
    saved = {name: os.environ.get(name) for name, _ in values}
    try:
        for name, value in values:
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def folder_files(folder: Path) -> FileData:
    """Every file under ``folder`` (hidden files and caches left out), by relative path."""
    return tuple((path.relative_to(folder).as_posix(), path.read_bytes()) for path in sorted(folder.rglob("*"))
                 if path.is_file() and not any(part.startswith((".", "__")) for part in path.relative_to(folder).parts))


def pack_theme(theme: Theme) -> ThemeFiles:
    """The theme's whole folder stack as data (read once per build)."""
    folders = tuple(folder_files(folder) for folder in theme.dirs)
    digest = hashlib.sha256(repr((theme.name, sorted(theme.variables.items()), folders)).encode()).hexdigest()
    return ThemeFiles(theme.name, dict(theme.variables), folders, digest)


def pack_task(ident: str, edition: Document, exporter: Exporter, theme: ThemeFiles) -> PortableTask:
    """A task carrying the edition's local images (the only files of the issue's folder exporters read)."""
    root = edition.image_root
    images = tuple((path.resolve().relative_to(root).as_posix(), path.read_bytes())
                   for _, path in local_images(edition))
    static = edition.static_dir.resolve().relative_to(root).as_posix() if edition.static_dir else None
    layout = (edition.base_dir.resolve().relative_to(root).as_posix(), static)
    environment = tuple((name, os.environ.get(name)) for name in BUILD_VARIABLES)
    return PortableTask(ident, edition, exporter, theme, images, environment, layout)


def write_files(folder: Path, files: FileData) -> None:
    """Lay ``files`` out under ``folder``, refusing any path that would leave it."""
    root = folder.resolve()
    for relative, data in files:
        target = (root / relative).resolve()
        if not target.is_relative_to(root):
            raise ExportError(f"refused a task file outside its folder: {relative}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


_themes: dict[str, Theme] = {}
_checked: dict[type, str | None] = {}
_theme_root: list[Path] = []


def worker_theme(files: ThemeFiles) -> Theme:
    """The theme rebuilt from data in this worker's temporary folder, once per process and theme content."""
    if files.digest not in _themes:
        if not _theme_root:
            _theme_root.append(Path(tempfile.mkdtemp(prefix="newsletter-themes-")))
            atexit.register(shutil.rmtree, _theme_root[0], True)
        base = _theme_root[0] / files.digest[:16]
        dirs = []
        for index, folder in enumerate(files.folders):
            dirs.append(base / str(index))
            write_files(dirs[-1], folder)
            dirs[-1].mkdir(parents=True, exist_ok=True)
        _themes[files.digest] = Theme(files.name, tuple(dirs), dict(files.variables))
    return _themes[files.digest]


def run_portable(task: PortableTask) -> FileData:
    """Run one task on a worker (any folder, any machine); return the files it wrote, as bytes."""
    exporter, original = task.exporter, task.edition
    if type(exporter) not in _checked:  # once per worker process and format: engines do not come and go
        _checked[type(exporter)] = exporter.unavailable()
    reason = _checked[type(exporter)]
    if reason:
        raise ExportError(f"{exporter.name} cannot run on worker {socket.gethostname()}: {reason}", original.source)
    with tempfile.TemporaryDirectory(prefix="newsletter-task-") as scratch:
        root, out = Path(scratch) / "issue", Path(scratch) / "out"
        root.mkdir()
        out.mkdir()
        write_files(root, task.issue_files)
        issue, static = (root / task.layout[0]).resolve(), task.layout[1]
        issue.mkdir(parents=True, exist_ok=True)
        edition = replace(original, source=issue / original.source.name, asset_dir=None,
                          static_dir=(root / static).resolve() if static else None)
        exporter = exporter.for_language(edition.meta.lang)
        try:
            with build_environment(task.environment):
                written = exporter.export(edition, worker_theme(task.theme), out)
        except NewsletterError as error:
            inside = error.path is not None and error.path.resolve().is_relative_to(Path(scratch).resolve())
            raise type(error)(f"{exporter.name}: {error.message}", original.source if inside or not error.path
                              else error.path, error.line) from None
        except Exception as error:  # an engine's own exception: one line naming the format and file
            raise ExportError(f"{exporter.name} failed: {type(error).__name__}: {error}", original.source) from None
        return tuple((path.relative_to(out).as_posix(), path.read_bytes()) for path in dict.fromkeys(written))


def stage_files(folder: Path, files: FileData) -> list[Path]:
    """Write a remote task's files into its staging folder (on the build's machine); return them in order."""
    write_files(folder, files)
    return [folder / relative for relative, _ in files]
