"""Human review: every distinct unit text and its translation out to PO or XLIFF 1.2, for a reviewer.

Each exported entry also carries the translation as it was exported (a ``#. exported:`` comment in PO,
an ``<alt-trans origin="exported">`` in XLIFF), so that an import stores only what the reviewer changed
(see review_import.py), and its quality flags (PO flags ``qa-*`` and ``#. quality:`` comments, XLIFF
``<note from="quality">``). A unit whose review went stale is exported with the old review, marked
``fuzzy`` with the old source as ``#| msgid`` (PO) or ``needs-review-translation`` (XLIFF).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

import polib

from exporter.output import write_atomic
from exporter.translate.memory import normalise
from exporter.translate.pipeline import Translated
from exporter.translate.placeholders import escape

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
FORMATS = ("po", "xliff")
EXPORTED = "exported: "  # the PO comment holding the exported translation
ALSO = "also units: "  # the PO comment naming the other units with the same text


@dataclass
class Item:
    """One review item: a distinct source text, the units holding it and what the reviewer sees."""

    unit: str
    source: str
    translation: str
    others: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    flags: list = field(default_factory=list)  # quality.Flag
    previous_source: str | None = None  # the source text of a stale review of this unit
    untranslated: bool = False


def hints(unit) -> list[str]:
    """One comment line per placeholder, saying what it stands for."""
    lines = []
    for slot in unit.slots.values():
        tag = f'<g id="{slot.id}">' if slot.wrapper is not None else f'<x id="{slot.id}"/>'
        lines.append(f"{tag} = {' '.join(slot.hint.split())[:80]}")
    return lines


def review_items(translated: Translated) -> list[Item]:
    """One item per distinct unit text (an alt text and a caption with the same words: one item)."""
    report = translated.report
    quality = translated.quality()
    stale = {review.unit: review for review in report.stale}
    items: dict[str, Item] = {}
    for unit in translated.units:
        key = normalise(unit.text)
        if key in items:
            items[key].others.append(unit.id)
            continue
        item = Item(unit.id, unit.text, translated.translations[unit.id], hints=hints(unit),
                    flags=quality.get(unit.id, []))
        if unit.id in report.kept_source:
            item.translation, item.untranslated = "", True
        old = stale.get(unit.id)
        if old is not None and unit.id not in report.reviewed:
            item.previous_source, item.translation, item.flags = old.source, old.translation, []
        items[key] = item
    return list(items.values())


def one_line(text: str) -> str:
    """A text on one comment line (backslashes and newlines escaped)."""
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def export_po(translated: Translated, path: Path) -> None:
    """Write every distinct unit text as a PO entry: msgctxt the unit id, msgid the source, msgstr its translation."""
    document, report = translated.document, translated.report
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": document.meta.slug,
        "Language": document.meta.lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Source-Language": document.source_lang,
        "X-Document": document.meta.slug,
        "X-Engine": report.engine,
    }
    for item in review_items(translated):
        comments = item.hints + [f"quality: {flag}" for flag in item.flags]
        comments += [ALSO + ", ".join(item.others)] if item.others else []
        comments.append(EXPORTED + one_line(item.translation))
        flags = ["fuzzy"] if item.previous_source is not None else []
        entry = polib.POEntry(msgctxt=item.unit, msgid=item.source, msgstr=item.translation,
                              comment="\n".join(comments), flags=flags + [f"qa-{flag.code}" for flag in item.flags])
        if item.previous_source is not None:
            entry.previous_msgctxt, entry.previous_msgid = item.unit, item.previous_source
        po.append(entry)
    write_atomic(path, str(po))


def export_xliff(translated: Translated, path: Path) -> None:
    """Write every distinct unit text as an XLIFF 1.2 trans-unit (placeholders are XLIFF's own <g> and <x/>)."""
    document, report = translated.document, translated.report
    units = []
    for item in review_items(translated):
        if item.untranslated:
            state = "needs-translation"
        elif item.previous_source is not None:
            state = "needs-review-translation"
        else:
            state = "translated"
        notes = [("placeholders", "\n".join(item.hints))] if item.hints else []
        notes += [("quality", str(flag)) for flag in item.flags]
        notes += [("units", ALSO + ", ".join(item.others))] if item.others else []
        if item.previous_source is not None:
            notes.append(("stale", f"reviewed when the source was: {item.previous_source}"))
        units.append(
            f'      <trans-unit id={quoteattr(item.unit)}>\n        <source>{item.source}</source>\n'
            f'        <target state="{state}">{item.translation}</target>\n'
            f'        <alt-trans origin="exported"><target>{item.translation}</target></alt-trans>\n'
            + "".join(f"        <note from={quoteattr(origin)}>{escape(text)}</note>\n" for origin, text in notes)
            + "      </trans-unit>\n"
        )
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<xliff version="1.2" xmlns="{XLIFF_NS}">\n'
        f'  <file original={quoteattr(document.meta.slug)} source-language={quoteattr(document.source_lang)} '
        f'target-language={quoteattr(document.meta.lang)} datatype="plaintext" tool-id={quoteattr(report.engine)}>\n'
        "    <body>\n" + "".join(units) + "    </body>\n  </file>\n</xliff>\n"
    )
    write_atomic(path, text)
