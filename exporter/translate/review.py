"""Human review: every unit and its translation out to PO or XLIFF 1.2, edited translations back in."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

import polib

from exporter.errors import TranslationError
from exporter.output import write_atomic
from exporter.translate.memory import HUMAN, TranslationMemory, normalise
from exporter.translate.pipeline import Translated
from exporter.translate.placeholders import PlaceholderError, check, escape, serialise

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
FORMATS = ("po", "xliff")


@dataclass
class ImportResult:
    """What an import stored."""

    stored: int = 0
    unchanged: int = 0


def hints(unit) -> list[str]:
    """One comment line per placeholder, saying what it stands for."""
    lines = []
    for slot in unit.slots.values():
        tag = f'<g id="{slot.id}">' if slot.wrapper is not None else f'<x id="{slot.id}"/>'
        lines.append(f"{tag} = {' '.join(slot.hint.split())[:80]}")
    return lines


def export_po(translated: Translated, path: Path) -> None:
    """Write every unit as a PO entry: msgctxt the unit id, msgid the source, msgstr its translation."""
    document, report = translated.document, translated.report
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": document.meta.slug,
        "PO-Revision-Date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M+0000"),
        "Language": document.meta.lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Source-Language": document.source_lang,
        "X-Document": document.meta.slug,
        "X-Engine": report.engine,
    }
    for unit in translated.units:
        kept = unit.id in report.kept_source
        entry = polib.POEntry(
            msgctxt=unit.id,
            msgid=unit.text,
            msgstr="" if kept else translated.translations[unit.id],
            comment="\n".join(hints(unit)),
            flags=["fuzzy"] if unit.id in report.flagged else [],
        )
        po.append(entry)
    write_atomic(path, str(po))


def export_xliff(translated: Translated, path: Path) -> None:
    """Write every unit as an XLIFF 1.2 trans-unit (placeholders are XLIFF's own <g> and <x/>)."""
    document, report = translated.document, translated.report
    units = []
    for unit in translated.units:
        if unit.id in report.kept_source:
            state, target = "needs-translation", ""
        elif unit.id in report.flagged:
            state, target = "needs-review-translation", translated.translations[unit.id]
        else:
            state, target = "translated", translated.translations[unit.id]
        note = escape("\n".join(hints(unit)))
        units.append(
            f'      <trans-unit id={quoteattr(unit.id)}>\n        <source>{unit.text}</source>\n'
            f'        <target state="{state}">{target}</target>\n'
            + (f"        <note>{note}</note>\n" if note else "")
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


def read_po(path: Path) -> tuple[dict, list[tuple[str, str, str, bool, int]]]:
    """(header, [(unit id, source, translation, needs review, line)]) from a PO file."""
    try:
        po = polib.pofile(str(path), wrapwidth=0)
    except (OSError, ValueError) as error:
        raise TranslationError(f"not a readable PO file: {error}", path) from None
    header = {"document": po.metadata.get("X-Document", ""), "source": po.metadata.get("X-Source-Language", ""),
              "target": po.metadata.get("Language", "")}
    entries = [(e.msgctxt or "", e.msgid, e.msgstr, "fuzzy" in e.flags, e.linenum)
               for e in po if not e.obsolete and e.msgid]
    return header, entries


def read_xliff(path: Path) -> tuple[dict, list[tuple[str, str, str, bool, int]]]:
    """(header, [(unit id, source, translation, needs review, 0)]) from an XLIFF 1.2 file."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as error:
        raise TranslationError(f"not a readable XLIFF file: {error}", path) from None
    ns = {"x": XLIFF_NS}
    file = root.find("x:file", ns)
    if file is None:
        raise TranslationError("not an XLIFF 1.2 file (no <file> element)", path)
    header = {"document": file.get("original", ""), "source": file.get("source-language", ""),
              "target": file.get("target-language", "")}
    entries = []
    for unit in file.iter(f"{{{XLIFF_NS}}}trans-unit"):
        source, target = unit.find("x:source", ns), unit.find("x:target", ns)
        state = target.get("state", "") if target is not None else "needs-translation"
        entries.append((unit.get("id", ""), inner(source) if source is not None else "",
                        inner(target) if target is not None else "", state.startswith("needs-review"), 0))
    return header, entries


def inner(element: ET.Element) -> str:
    """The content of an XLIFF element as unit text."""
    parts = [escape(element.text or "")]
    for child in element:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "g":
            parts.append(f'<g id="{child.get("id", "")}">{inner(child)}</g>')
        elif tag == "x":
            ctype = child.get("ctype")
            parts.append(f'<x id="{child.get("id", "")}"' + (f' ctype="{ctype}"' if ctype else "") + "/>")
        else:
            parts.append(f"<{tag}>")  # refused by the placeholder check below
        parts.append(escape(child.tail or ""))
    return "".join(parts)


def import_reviews(path: Path, memory: TranslationMemory) -> ImportResult:
    """Store the translations a reviewer edited (or approved) as human translations."""
    path = Path(path)
    reader = read_xliff if path.suffix.lower() in (".xliff", ".xlf") else read_po
    header, entries = reader(path)
    if not all(header.values()):
        raise TranslationError("the file does not say its document and languages (export it again)", path)
    checked = []
    for unit, source, translation, needs_review, line in entries:
        if not translation.strip():
            continue
        try:
            checked.append((unit, source, serialise(check(source, translation)), needs_review))
        except PlaceholderError as error:
            raise TranslationError(f"unit {unit}: {error}; keep every placeholder of the source", path,
                                   line or None) from None
    result = ImportResult()
    pair = (header["source"], header["target"])
    for unit, source, translation, needs_review in checked:
        edited = translation not in memory.machine_translations(*pair, source)
        human = memory.lookup(HUMAN, *pair, source)
        reviewed = memory.reviewed_source(header["document"], *pair, unit)
        approves_change = not needs_review and reviewed is not None and reviewed != normalise(source)
        if not (edited or approves_change or (human is not None and human != translation)):
            result.unchanged += 1
            continue
        memory.store_review(header["document"], *pair, unit, source, translation)
        result.stored += 1
    return result
