"""Incremental builds: each output's dependency key, and the record of what was built from which key."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from exporter import __version__
from exporter.document import Document
from exporter.formats.assets import local_images
from exporter.formats.base import Exporter
from exporter.output import output_lock, write_atomic
from exporter.pandoc import pandoc_version
from exporter.themes import Theme

STATE_FILE = ".build-state.json"


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A hash of the toolkit's own code, so that a changed exporter rebuilds what it wrote."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def edition_digest(edition: Document) -> str:
    """A hash of what every output of one edition depends on: its text, metadata and images."""
    digest = hashlib.sha256(edition.content_hash().encode())
    digest.update(edition.source_lang.encode())
    for src, path in local_images(edition):
        digest.update(src.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def exporter_digest(exporter: Exporter, theme: Theme) -> str:
    """A hash of what one format depends on besides the edition: code, engines, options, theme files."""
    digest = hashlib.sha256()
    for part in (
        code_digest(),
        pandoc_version(),
        f"{type(exporter).__module__}.{type(exporter).__qualname__}",
        exporter.engine_version(),
        json.dumps(exporter.options, sort_keys=True, default=str),
        repr(exporter.site),
        theme.name,
        theme.files_hash(*exporter.theme_files),
    ):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def output_key(edition_part: str, exporter_part: str) -> str:
    """The dependency key of one output."""
    return hashlib.sha256(f"{edition_part}/{exporter_part}".encode()).hexdigest()


def task_id(edition: Document, exporter: Exporter) -> str:
    """The state entry of one output: ``<slug>/<lang>/<format>``."""
    return f"{edition.meta.slug}/{edition.meta.lang}/{exporter.name}"


def build_fingerprint(settings, plan, theme: Theme, engine_versions: list[str]) -> str:
    """A hash of every input of a whole build, cheap to compute: unchanged means nothing to do."""
    digest = hashlib.sha256(repr((code_digest(), pandoc_version(), engine_versions, plan.formats, plan.languages,
                                  plan.theme, plan.engine, plan.format_options, settings.values,
                                  settings.formats_options, settings.glossary)).encode())
    files: set[Path] = set()
    for source in plan.sources:
        folder = Path(source).parent
        files.update(folder.rglob("*") if Path(source).name == "index.md" else [Path(source)])
        files.update(p for p in folder.iterdir() if not p.name.endswith(".md"))  # images, review files (.po)
    for folder in theme.dirs:
        files.update(folder.rglob("*"))
    static = getattr(settings, "static_path", None)
    if static is not None and static.is_dir():
        files.update(static.rglob("*"))  # site-root images
    if settings.path is not None:
        files.add(settings.path)
    glossary = settings.section("translation").get("glossary_file")
    if glossary:
        files.add(settings.root / glossary)
    for path in sorted(files):
        if path.is_file():
            digest.update(str(path).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


class BuildState:
    """What the output folder holds and from which keys (``output/.build-state.json``)."""

    def __init__(self, output_root: Path):
        self.output_root = output_root
        self.path = output_root / STATE_FILE
        self.fingerprint, self.entries = self.read()

    def read(self) -> tuple[str | None, dict[str, dict]]:
        """(fingerprint of the last complete build, {output: {key, files}}) from the state file."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data.get("fingerprint"), dict(data.get("outputs", {}))
        except (FileNotFoundError, json.JSONDecodeError, AttributeError):
            return None, {}

    def is_current(self, ident: str, key: str) -> bool:
        """True if the output was built from ``key`` and all its files are still there."""
        entry = self.entries.get(ident)
        return bool(entry and entry["key"] == key and entry["files"]
                    and all((self.output_root / name).is_file() for name in entry["files"]))

    def unchanged_since(self, fingerprint: str) -> bool:
        """True if the last complete build had this fingerprint and all its outputs are still there."""
        return self.fingerprint == fingerprint and all(
            self.is_current(ident, entry["key"]) for ident, entry in self.entries.items())

    def current_outputs(self) -> list[str]:
        """Every output the state describes."""
        return sorted(self.entries)

    def record(self, done: dict[str, tuple[str, list[Path]]], fingerprint: str | None = None) -> None:
        """Store the keys and files of finished outputs (merged with other builds' records)."""
        with output_lock(self.output_root):
            _, entries = self.read()
            for ident, (key, files) in done.items():
                entries[ident] = {"key": key, "files": [p.relative_to(self.output_root).as_posix() for p in files]}
            self.fingerprint, self.entries = fingerprint, entries
            write_atomic(self.path, json.dumps({"fingerprint": fingerprint, "outputs": entries}, indent=1,
                                               sort_keys=True))
