"""Incremental builds: each output's dependency key, and the record of what was built from which key."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from exporter import __version__
from exporter.document import Document
from exporter.formats.assets import local_images
from exporter.formats.base import Exporter
from exporter.output import output_lock, write_atomic
from exporter.pandoc import pandoc_version
from exporter.themes import Theme

STATE_FILE = ".build-state.json"


def output_key(edition: Document, exporter: Exporter, theme: Theme) -> str:
    """A hash of everything one output depends on: text, images, theme files, options, engines."""
    digest = hashlib.sha256()
    for part in (
        __version__,
        pandoc_version(),
        f"{type(exporter).__module__}.{type(exporter).__qualname__}",
        exporter.engine_version(),
        json.dumps(exporter.options, sort_keys=True, default=str),
        repr(exporter.site),
        edition.content_hash(),
        edition.source_lang,
        theme.name,
        theme.files_hash(*exporter.theme_files),
    ):
        digest.update(part.encode())
        digest.update(b"\0")
    for src, path in local_images(edition):
        digest.update(src.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def task_id(edition: Document, exporter: Exporter) -> str:
    """The state entry of one output: ``<slug>/<lang>/<format>``."""
    return f"{edition.meta.slug}/{edition.meta.lang}/{exporter.name}"


class BuildState:
    """What the output folder holds and from which keys (``output/.build-state.json``)."""

    def __init__(self, output_root: Path):
        self.output_root = output_root
        self.path = output_root / STATE_FILE
        try:
            self.entries: dict[str, dict] = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            self.entries = {}

    def is_current(self, ident: str, key: str) -> bool:
        """True if the output was built from ``key`` and all its files are still there."""
        entry = self.entries.get(ident)
        return bool(entry and entry["key"] == key and entry["files"]
                    and all((self.output_root / name).is_file() for name in entry["files"]))

    def record(self, done: dict[str, tuple[str, list[Path]]]) -> None:
        """Store the keys and files of finished outputs (merged with other builds' records)."""
        with output_lock(self.output_root):
            try:
                current = json.loads(self.path.read_text(encoding="utf-8"))
            except (FileNotFoundError, json.JSONDecodeError):
                current = {}
            for ident, (key, files) in done.items():
                current[ident] = {"key": key, "files": [p.relative_to(self.output_root).as_posix() for p in files]}
            self.entries = current
            write_atomic(self.path, json.dumps(current, indent=1, sort_keys=True))
