"""The review page's data: one item per distinct unit text, where its translation came from, its quality flags.

The page lists the items of the edition's real translation run (``review.review_items``: the review
file beside the source, then the memory, then the engine); a save goes through
``exporter.translate.review_files.save_reviewed_unit`` into that review file, where git sees it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from exporter.document import Document
from exporter.translate.pipeline import Translated, translate_with_report
from exporter.translate.quality import Flag, needs_look_summary
from exporter.translate.review import Item, review_items
from exporter.translate.review_files import review_file

ORIGINS = ("engine", "memory", "human")  # translated for this page, a stored machine translation, a review file


@dataclass
class ReviewUnit:
    """One review item as the page shows it."""

    id: str
    source: str
    translation: str
    origin: str  # one of ORIGINS
    flags: list[Flag] = field(default_factory=list)  # quality flags, and the review's state (stale, untranslated)
    hints: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)  # other units with the same text (saved with this one)
    previous_source: str | None = None  # set when the unit's review is stale: the source it was made for


@dataclass
class ReviewPage:
    """Everything the review page lists: the units, the review file and the summary line."""

    units: list[ReviewUnit]
    review_file: Path
    summary: str

    @property
    def flagged(self) -> int:
        """How many units need a look."""
        return sum(1 for unit in self.units if unit.flags)


def review_page_data(settings, document: Document, lang: str) -> ReviewPage:
    """The review items of ``document``'s ``lang`` edition, from a real translation run (memory, review file)."""
    translated = translate_with_report(document, lang, settings)
    units = [review_unit(item, translated) for item in review_items(translated)]
    summary = needs_look_summary({unit.id: unit.flags for unit in units}, len(units))
    return ReviewPage(units, review_file(document, lang), summary)


def origin(unit_id: str, translated: Translated) -> str:
    """Where a unit's current translation came from: ``human`` (the review file), ``memory`` or ``engine``."""
    report = translated.report
    if unit_id in report.reviewed:
        return "human"
    return "memory" if unit_id in report.remembered else "engine"


def review_unit(item: Item, translated: Translated) -> ReviewUnit:
    """A review item with its origin and the flags the page shows."""
    flags = list(item.flags)
    translation = item.translation
    if item.untranslated:
        flags.insert(0, Flag("untranslated", "the engine broke this unit's markup; the edition shows the source text"))
        translation = translated.translations[item.unit]
    if item.previous_source is not None:
        flags.insert(0, Flag("stale", "the source changed since this unit was reviewed; the edition uses machine "
                                      "translation until the review is saved again"))
    return ReviewUnit(item.unit, item.source, translation, origin(item.unit, translated), flags, item.hints,
                      item.others, item.previous_source)

