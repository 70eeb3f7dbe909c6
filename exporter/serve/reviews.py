"""The review page's data: every unit of a translated edition, where its translation came from, and saving.

Two functions are the seam to the translation store: ``review_units`` (what the page lists) and
``store_review`` (what a save writes). Today they use the translation memory's reviewed
translations (the mechanism of ``newsletter translate import``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from exporter.document import Document
from exporter.errors import TranslationError
from exporter.translate.memory import HUMAN, TranslationMemory, normalise
from exporter.translate.pipeline import segment_document, translate_with_report
from exporter.translate.placeholders import WORD, PlaceholderError, check, parse, plain_text, serialise
from exporter.translate.review import hints

UNKNOWN_WORD = re.compile(r"(?<!\w)[*#@][^\W\d_]")  # Apertium's marks for unknown or ungenerated words
LENGTH_RATIO = (0.5, 2.2)  # a translation outside these bounds of its source's length deserves a look


@dataclass
class ReviewUnit:
    """One unit as the review page shows it."""

    id: str
    source: str
    translation: str
    origin: str  # engine (translated for this page), memory (a stored machine translation) or human
    flags: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)


def review_units(settings, document: Document, lang: str) -> list[ReviewUnit]:
    """Every unit of ``document``'s ``lang`` edition with its current translation, origin and quality flags."""
    engine = settings.section("translation")["engine"]
    with TranslationMemory.for_settings(settings) as memory:
        origins = {}
        for unit in segment_document(document, settings, lang).units:
            pair = (document.meta.lang, lang, unit.text)
            origins[unit.id] = ("human" if memory.lookup(HUMAN, *pair) is not None
                                else "memory" if memory.lookup(engine, *pair) is not None else "engine")
        translated = translate_with_report(document, lang, settings, memory=memory)
    report = translated.report
    units = []
    for unit in translated.units:
        translation = translated.translations[unit.id]
        origin = "human" if unit.id in report.kept_source else origins.get(unit.id, "engine")
        flags = quality_flags(unit.text, translation, origin)
        if unit.id in report.flagged:
            flags.insert(0, "source changed since review")
        if unit.id in report.kept_source:
            flags.insert(0, "left in the source language")
        units.append(ReviewUnit(unit.id, unit.text, translation, origin, flags, hints(unit)))
    return units


def quality_flags(source: str, translation: str, origin: str) -> list[str]:
    """Reasons a translation needs a human look (none for a reviewed one)."""
    if origin == "human":
        return []
    flags = []
    source_words, target_words = plain_text(parse(source)), plain_text(parse(translation))
    if WORD.search(source_words) and normalise(source_words) == normalise(target_words):
        flags.append("identical to the source")
    if len(source_words) >= 20:
        ratio = len(target_words) / len(source_words)
        if not LENGTH_RATIO[0] <= ratio <= LENGTH_RATIO[1]:
            flags.append(f"length {ratio:.1f}× the source")
    if UNKNOWN_WORD.search(target_words):
        flags.append("unknown words marked by the engine")
    return flags


def store_review(settings, document: Document, lang: str, unit_id: str, source_text: str, translation: str) -> str:
    """Store a reviewer's translation of one unit after checking its placeholders; return where it went."""
    try:
        translation = serialise(check(source_text, translation))
    except PlaceholderError as error:
        raise TranslationError(f"unit {unit_id}: {error}; "
                               "keep every placeholder of the source") from None
    memory_path = settings.root / settings.section("translation")["memory"]
    with TranslationMemory(memory_path) as memory:
        memory.store_review(document.meta.slug, document.meta.lang, lang, unit_id, source_text, translation)
    return str(memory_path)

