"""Reviewed translations kept in the repository: one PO file per issue and language, beside the source.

``source/<slug>/<slug>.<lang>.po`` for an issue folder, ``source/<name>.<lang>.po`` beside a single
``source/<name>.md``. Each entry is one reviewed text: ``msgctxt`` the unit id the reviewer saw,
``msgid`` the source text they translated, ``msgstr`` their translation. Every build reads the file
(it is part of the incremental keys) and its translations win over any engine's; an entry whose
source text no longer occurs in the issue is *stale*: flagged, never applied, never dropped.
"""

from __future__ import annotations

import fcntl
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import polib

from exporter.errors import TranslationError
from exporter.output import write_atomic
from exporter.translate.memory import normalise
from exporter.translate.placeholders import PlaceholderError, check, serialise

META_ORDER = {"title": 0, "subtitle": 1, "summary": 2}
HEADER_COMMENT = ("Reviewed translations: read by every build, they win over machine translation.\n"
                  "Edit with `newsletter translate export` / `import`, the review page or any PO editor.")


@dataclass(frozen=True)
class Review:
    """One reviewed text: the unit the reviewer saw, its source text, their translation, its line."""

    unit: str
    source: str
    translation: str
    line: int = 0


@dataclass
class Reviews:
    """The reviewed translations of one issue in one language, by normalised source text."""

    path: Path
    entries: dict[str, Review] = field(default_factory=dict)

    def get(self, text: str) -> Review | None:
        """The review of a unit text, if any."""
        return self.entries.get(normalise(text))

    def stale(self, texts: list[str], scope: str = "") -> list[Review]:
        """The reviews whose source text is none of ``texts`` (the issue changed since they were made).

        Only reviews in ``scope`` are judged: the body's (no prefix) or the diagrams' (units ``svg-…``).
        """
        current = {normalise(text) for text in texts}
        return [review for key, review in self.entries.items()
                if key not in current and review.unit.startswith("svg-") == (scope == "svg-")]


def review_file(document, lang: str) -> Path:
    """Where the reviewed translations of ``document`` into ``lang`` live (beside its source)."""
    source = Path(document.source)
    if source.name == "index.md":
        return source.parent / f"{document.meta.slug}.{lang}.po"
    return source.parent / f"{source.stem}.{lang}.po"


def read_reviews(document, lang: str) -> Reviews:
    """The reviews of ``document`` in ``lang`` (none if the file does not exist or the text has no file)."""
    if document.source is None:
        return Reviews(Path(os.devnull))
    return read_review_file(review_file(document, lang))


def read_review_file(path: Path) -> Reviews:
    """The reviews held in one review file (none if it does not exist)."""
    reviews = Reviews(Path(path))
    if not reviews.path.exists():
        return reviews
    try:
        text = reviews.path.read_text(encoding="utf-8")
        po = polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError, UnicodeDecodeError) as error:
        line = re.search(r"\(line (\d+)\)", str(error))
        message = re.sub(r"\s*\(line \d+\)", "", str(error)).replace("po file", "review file")
        raise TranslationError(f"not a readable review file ({message}); a merge conflict left in it?", path,
                               int(line.group(1)) if line else None) from None
    lines = text.splitlines()
    for entry in po:
        if entry.obsolete or not entry.msgid or not entry.msgstr.strip():
            continue
        review = Review(entry.msgctxt or "", entry.msgid, entry.msgstr, msgstr_line(lines, entry.linenum))
        reviews.entries[normalise(entry.msgid)] = review
    return reviews


def msgstr_line(lines: list[str], start: int) -> int:
    """The 1-based line of the first ``msgstr`` at or after line ``start`` (polib's entry line)."""
    for index in range(max(start - 1, 0), len(lines)):
        if lines[index].startswith("msgstr"):
            return index + 1
    return start


def unit_order(review: Review) -> tuple:
    """Front matter first, then u1, u2… in document order: a stable order for diffs."""
    match = re.fullmatch(r"u(\d+)", review.unit)
    if review.unit in META_ORDER:
        return (0, META_ORDER[review.unit], review.source)
    return (1, int(match.group(1)), review.source) if match else (2, 0, review.unit, review.source)


def write_reviews(reviews: Reviews, document, lang: str) -> None:
    """Write a review file atomically, in unit order, with no dates (byte-stable, diffable)."""
    po = polib.POFile(wrapwidth=0)
    po.header = HEADER_COMMENT
    po.metadata = {
        "Project-Id-Version": document.meta.slug,
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Source-Language": document.source_lang,
        "X-Document": document.meta.slug,
    }
    for review in sorted(reviews.entries.values(), key=unit_order):
        po.append(polib.POEntry(msgctxt=review.unit, msgid=review.source, msgstr=review.translation))
    write_atomic(reviews.path, str(po))


def checked_translation(source_text: str, translation: str, unit_id: str) -> str:
    """A translation whose placeholders match its source, or a TranslationError naming what is wrong."""
    try:
        return serialise(check(source_text, translation))
    except PlaceholderError as error:
        raise TranslationError(f"unit {unit_id}: {error}; keep every placeholder of the source") from None


def store_reviews(document, lang: str, edits: list[Review], current_texts: list[str] | None = None) -> Path:
    """Add checked reviews to the issue's review file; a stale review of the same unit is superseded."""
    current = {normalise(text) for text in current_texts} if current_texts is not None else None
    with folder_lock(review_file(document, lang).parent):  # two review pages saving at once: no lost edit
        reviews = read_reviews(document, lang)
        for edit in edits:
            for key, old in list(reviews.entries.items()):
                if old.unit == edit.unit and current is not None and key not in current:
                    del reviews.entries[key]  # the reviewer has just reviewed this unit's new text
            reviews.entries[normalise(edit.source)] = Review(edit.unit, edit.source, edit.translation)
        write_reviews(reviews, document, lang)
    return reviews.path


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on a folder (no lock file left in the source tree)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def save_reviewed_unit(document, lang: str, unit_id: str, source_text: str, translation: str,
                       settings=None) -> Path:
    """Store one reviewed translation in the issue's review file (placeholders checked); return the file.

    ``document`` is the source issue (as loaded from ``source/``), not a translated edition.
    """
    if document.meta.lang != document.source_lang:
        raise TranslationError(f"{document.meta.slug}: reviews are saved against the source issue, not its "
                               f"'{document.meta.lang}' edition", document.source)
    translation = checked_translation(source_text, translation, unit_id)
    texts = [unit.text for unit in current_units(document, lang, settings)]
    return store_reviews(document, lang, [Review(unit_id, source_text, translation)], texts)


def current_units(document, lang: str, settings=None) -> list:
    """The translation units of ``document`` for ``lang`` (with the project's glossary)."""
    from exporter.config import load_settings
    from exporter.translate.pipeline import segment_document

    if settings is None:
        settings = load_settings(project_root(Path(document.source)))
    return segment_document(document, settings, lang).units


def project_root(source: Path) -> Path:
    """The nearest folder above ``source`` holding newsletter.toml (else the source's folder)."""
    for folder in Path(source).resolve().parents:
        if (folder / "newsletter.toml").exists():
            return folder
    return Path(source).resolve().parent
