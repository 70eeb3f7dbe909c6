"""Translation memory: a SQLite (WAL) cache of machine output, one commit per unit, safe for several processes.

Reviewed translations are not kept here but in review files beside the source (review_files.py):
deleting the memory loses nothing but the time to translate again.
"""

from __future__ import annotations

import sqlite3
import time
import unicodedata
from pathlib import Path

from exporter.errors import TranslationError

SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    engine TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    source_text TEXT NOT NULL,
    target_text TEXT NOT NULL,
    updated REAL NOT NULL,
    PRIMARY KEY (engine, source_lang, target_lang, source_text)
);
CREATE TABLE IF NOT EXISTS unknown_words (
    engine TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    source_text TEXT NOT NULL,
    words TEXT NOT NULL,
    PRIMARY KEY (engine, source_lang, target_lang, source_text)
);
"""


def normalise(text: str) -> str:
    """The memory key of a unit text: NFC, whitespace collapsed, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


class TranslationMemory:
    """Machine translations keyed by engine, language pair and normalised source text."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        try:
            if str(path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            # autocommit: every write below is its own transaction, committed before it returns
            self.db = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA busy_timeout = 30000")
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.executescript(SCHEMA)
        except (sqlite3.Error, OSError) as error:
            raise TranslationError(f"translation memory {path}: {error}") from None

    @classmethod
    def for_settings(cls, settings) -> TranslationMemory:
        """The memory named by ``[translation] memory`` (relative to the project folder)."""
        return cls(settings.root / settings.section("translation")["memory"])

    def __enter__(self) -> TranslationMemory:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def lookup(self, engine: str, source_lang: str, target_lang: str, text: str) -> str | None:
        """The stored translation of ``text`` by ``engine``."""
        row = self.db.execute(
            "SELECT target_text FROM translations WHERE engine=? AND source_lang=? AND target_lang=? AND source_text=?",
            (engine, source_lang, target_lang, normalise(text)),
        ).fetchone()
        return row[0] if row else None

    def unknown_words(self, engine: str, source_lang: str, target_lang: str, text: str) -> list[str]:
        """The words ``engine`` did not know when it translated ``text`` (kept for the quality flags)."""
        row = self.db.execute(
            "SELECT words FROM unknown_words WHERE engine=? AND source_lang=? AND target_lang=? AND source_text=?",
            (engine, source_lang, target_lang, normalise(text)),
        ).fetchone()
        return row[0].split("\n") if row and row[0] else []

    def store(self, engine: str, source_lang: str, target_lang: str, text: str, translation: str,
              unknown: list[str] | tuple[str, ...] = ()) -> None:
        """Store one translation and the words the engine did not know in it (each committed at once)."""
        key = (engine, source_lang, target_lang, normalise(text))
        self.write(
            "INSERT INTO translations VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
            "target_text=excluded.target_text, updated=excluded.updated",
            (*key, translation, time.time()),
        )
        if unknown:
            self.write("INSERT INTO unknown_words VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                       "words=excluded.words", (*key, "\n".join(unknown)))
        else:
            self.write("DELETE FROM unknown_words WHERE engine=? AND source_lang=? AND target_lang=? "
                       "AND source_text=?", key)

    def write(self, statement: str, values: tuple) -> None:
        """Run one write, retrying briefly if another process holds the lock past the busy timeout."""
        for attempt in range(5):
            try:
                self.db.execute(statement, values)
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error) or attempt == 4:
                    raise TranslationError(f"translation memory {self.path}: {error}") from None
                time.sleep(0.1 * (attempt + 1))
