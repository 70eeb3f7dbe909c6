"""Translation memory: SQLite (WAL), one commit per unit, safe for several processes at once."""

from __future__ import annotations

import sqlite3
import time
import unicodedata
from contextlib import closing
from pathlib import Path

from exporter.errors import TranslationError

HUMAN = "human"  # the engine name under which reviewed translations are stored
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
CREATE TABLE IF NOT EXISTS reviews (
    document TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    unit TEXT NOT NULL,
    source_text TEXT NOT NULL,
    updated REAL NOT NULL,
    PRIMARY KEY (document, source_lang, target_lang, unit)
);
"""


def normalise(text: str) -> str:
    """The memory key of a unit text: NFC, whitespace collapsed, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


class TranslationMemory:
    """Machine and human translations keyed by engine, language pair and normalised source text."""

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
        """The stored translation of ``text`` by ``engine`` (use HUMAN for reviewed ones)."""
        row = self.db.execute(
            "SELECT target_text FROM translations WHERE engine=? AND source_lang=? AND target_lang=? AND source_text=?",
            (engine, source_lang, target_lang, normalise(text)),
        ).fetchone()
        return row[0] if row else None

    def store(self, engine: str, source_lang: str, target_lang: str, text: str, translation: str) -> None:
        """Store one translation (committed at once)."""
        self.write(
            "INSERT INTO translations VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
            "target_text=excluded.target_text, updated=excluded.updated",
            (engine, source_lang, target_lang, normalise(text), translation, time.time()),
        )

    def machine_translations(self, source_lang: str, target_lang: str, text: str) -> set[str]:
        """Every engine's stored translation of ``text`` (to tell an edit from an untouched one)."""
        rows = self.db.execute(
            "SELECT target_text FROM translations WHERE engine<>? AND source_lang=? AND target_lang=? AND source_text=?",
            (HUMAN, source_lang, target_lang, normalise(text)),
        ).fetchall()
        return {row[0] for row in rows}

    def store_review(self, document: str, source_lang: str, target_lang: str, unit: str, text: str,
                     translation: str) -> None:
        """Store a human translation and remember which source text the reviewer saw for this unit."""
        self.store(HUMAN, source_lang, target_lang, text, translation)
        self.write(
            "INSERT INTO reviews VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
            "source_text=excluded.source_text, updated=excluded.updated",
            (document, source_lang, target_lang, unit, normalise(text), time.time()),
        )

    def reviewed_source(self, document: str, source_lang: str, target_lang: str, unit: str) -> str | None:
        """The source text a reviewer translated for this unit of this document, if any."""
        row = self.db.execute(
            "SELECT source_text FROM reviews WHERE document=? AND source_lang=? AND target_lang=? AND unit=?",
            (document, source_lang, target_lang, unit),
        ).fetchone()
        return row[0] if row else None

    def needs_review(self, document: str, source_lang: str, target_lang: str, unit: str, text: str) -> bool:
        """True when a reviewer translated this unit, its source text changed since, and no review covers it."""
        reviewed = self.reviewed_source(document, source_lang, target_lang, unit)
        return (reviewed is not None and reviewed != normalise(text)
                and self.lookup(HUMAN, source_lang, target_lang, text) is None)

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


def flagged_units(settings, document) -> list[str]:
    """The units of ``document`` flagged for review, as ``LANG:UNIT`` (for ``newsletter check``)."""
    from exporter.translate.pipeline import segment_document

    path = settings.root / settings.section("translation")["memory"]
    if not path.exists():
        return []
    flagged = []
    with TranslationMemory(path) as memory:
        for target in settings.languages:
            if target == document.meta.lang:
                continue
            for unit in segment_document(document, settings, target).units:
                if memory.needs_review(document.meta.slug, document.meta.lang, target, unit.id, unit.text):
                    flagged.append(f"{target}:{unit.id}")
    return flagged


def human_edits_stamp(path: Path) -> str:
    """A short description of the human translations stored, which changes on every review import."""
    if not Path(path).exists():
        return "(0, None)(0, None)"  # the same as an empty memory: building must not change the stamp
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    try:
        with closing(sqlite3.connect(uri, uri=True, timeout=5)) as db:
            human = db.execute("SELECT count(*), max(updated) FROM translations WHERE engine = ?", (HUMAN,)).fetchone()
            reviews = db.execute("SELECT count(*), max(updated) FROM reviews").fetchone()
    except sqlite3.Error:
        return "unreadable"
    return f"{human}{reviews}"
