"""Domain exceptions: each carries a message a user can act on, and where it happened."""

from __future__ import annotations

from pathlib import Path


class NewsletterError(Exception):
    """A problem the user can fix; the CLI prints it as one line and exits 1."""

    exit_code = 1

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return where + " ".join(self.message.split())


class SourceError(NewsletterError):
    """A source document cannot be read or parsed."""


class ConfigError(NewsletterError):
    """newsletter.toml (or a theme.toml) is invalid."""


class ThemeError(NewsletterError):
    """A theme is missing, malformed or unsafe."""


class ExportError(NewsletterError):
    """An exporter failed to produce its output."""


class TranslationError(NewsletterError):
    """A translation engine failed after its retries."""


class UsageError(NewsletterError):
    """The command line asks for something that does not exist (exit 2)."""

    exit_code = 2


def line_of(text: str, needle: str) -> int | None:
    """Return the 1-based line where ``needle`` first occurs in ``text``."""
    index = text.find(needle)
    return None if index < 0 else text.count("\n", 0, index) + 1
