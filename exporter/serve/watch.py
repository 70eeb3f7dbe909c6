"""Watching a project for the preview server: sources and their images, the theme, newsletter.toml, glossary."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from exporter.config import CONFIG_NAME, Settings
from exporter.themes import load_theme


def watched_folders(settings: Settings, theme_name: str | None = None) -> list[Path]:
    """The folders whose every file a build depends on: the source folder and the theme's folder stack."""
    folders = [settings.source_path]
    try:
        folders += list(load_theme(theme_name or settings.theme, settings.root).dirs)
    except Exception:  # a broken theme is reported by the build; still watch the project's themes/
        folders.append(settings.root / "themes")
    return [folder for folder in dict.fromkeys(f.resolve() for f in folders) if folder.is_dir()]


def watched_files(settings: Settings) -> set[Path]:
    """Single files at the project's top level a build depends on: newsletter.toml and the glossary file."""
    files = {(settings.root / CONFIG_NAME).resolve()}
    glossary = settings.section("translation").get("glossary_file")
    if glossary:
        files.add((settings.root / glossary).resolve())
    return files


class ProjectWatcher:
    """Two watchfiles threads (folders recursively, the project folder's own files) calling ``on_change``."""

    def __init__(self, settings: Settings, on_change: Callable[[set[Path]], None], theme_name: str | None = None):
        self.settings, self.on_change = settings, on_change
        self.stop_event = threading.Event()
        self.folders = watched_folders(settings, theme_name)
        self.threads = [
            threading.Thread(target=self.watch, args=(self.folders, True), daemon=True, name="watch-folders"),
            threading.Thread(target=self.watch, args=([settings.root], False), daemon=True, name="watch-project"),
        ]

    def start(self) -> None:
        """Start watching."""
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        """Stop watching."""
        self.stop_event.set()
        for thread in self.threads:
            thread.join(timeout=5)

    def watch(self, paths: list[Path], recursive: bool) -> None:
        """One watch loop; top-level changes count only for newsletter.toml and the glossary."""
        import watchfiles

        for changes in watchfiles.watch(*paths, recursive=recursive, stop_event=self.stop_event, step=30,
                                        debounce=400, raise_interrupt=False):
            changed = {Path(path).resolve() for _, path in changes}
            if not recursive:
                changed &= watched_files(self.settings)
            if changed:
                self.on_change(changed)
