"""``translate import``: a reviewer's PO or XLIFF file into the issue's review file, storing only their edits.

An entry is an edit when its translation differs from the one exported with it (or a stale review was
approved); an unchanged entry never touches the review file, so two files exported together never undo
each other. An edit of a text whose review changed differently since the export is a conflict. Every
bad entry is reported with its line; the good edits of the same file are stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polib
from lxml import etree

from exporter.errors import TranslationError
from exporter.translate.memory import normalise
from exporter.translate.placeholders import escape
from exporter.translate.review import EXPORTED, XLIFF_NS
from exporter.translate.review_files import (
    Review,
    checked_translation,
    current_units,
    msgstr_line,
    read_reviews,
    store_reviews,
)


@dataclass
class Entry:
    """One reviewed entry as read from the file."""

    unit: str
    source: str
    translation: str
    exported: str | None  # the translation as exported (None in files from older versions)
    needs_review: bool  # still fuzzy / needs-review
    was_stale: bool  # exported as a stale review awaiting approval
    line: int


@dataclass
class ImportResult:
    """What an import stored, what it left alone and what it refused."""

    stored: int = 0
    unchanged: int = 0
    review_file: Path | None = None
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, message): refused entries
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, message): stored, but look again


def unescape_line(text: str) -> str:
    """The inverse of review.one_line."""
    out, index = [], 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            out.append("\n" if text[index + 1] == "n" else text[index + 1])
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


def read_po(path: Path) -> tuple[dict, list[Entry]]:
    """(header, entries) from an exported PO file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
        po = polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise TranslationError(f"not a readable PO file: {error}", path) from None
    header = {"document": po.metadata.get("X-Document", ""), "source": po.metadata.get("X-Source-Language", ""),
              "target": po.metadata.get("Language", "")}
    lines = text.splitlines()
    entries = []
    for entry in po:
        if entry.obsolete or not entry.msgid:
            continue
        exported = exported_translation(entry.comment)
        entries.append(Entry(entry.msgctxt or "", entry.msgid, entry.msgstr, exported, "fuzzy" in entry.flags,
                             bool(entry.previous_msgid), msgstr_line(lines, entry.linenum)))
    return header, entries


def exported_translation(comment: str) -> str | None:
    """The translation written in an entry's last comment, rejoined if a PO tool wrapped it over lines."""
    lines = comment.splitlines()
    start = next((index for index in range(len(lines) - 1, -1, -1) if lines[index].startswith(EXPORTED.rstrip())), None)
    if start is None:
        return None
    return unescape_line(" ".join([lines[start][len(EXPORTED):], *lines[start + 1:]]).strip())


def unwrapped(text: str) -> str:
    """``text`` without any whitespace: PO tools rewrap comments, at spaces and after hyphens alike."""
    return "".join(text.split())


def read_xliff(path: Path) -> tuple[dict, list[Entry]]:
    """(header, entries) from an exported XLIFF 1.2 file."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (OSError, etree.XMLSyntaxError) as error:
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
        exported = unit.find("x:alt-trans[@origin='exported']/x:target", ns)
        state = target.get("state", "") if target is not None else "needs-translation"
        stale = unit.find("x:note[@from='stale']", ns) is not None
        entries.append(Entry(unit.get("id", ""), inner(source) if source is not None else "",
                             inner(target) if target is not None else "",
                             inner(exported) if exported is not None else None,
                             state.startswith("needs-review"), stale,
                             (target if target is not None else unit).sourceline or 0))
    return header, entries


def inner(element) -> str:
    """The content of an XLIFF element as unit text."""
    parts = [escape(element.text or "")]
    for child in element:
        if not isinstance(child.tag, str):  # a comment or processing instruction
            parts.append(escape(child.tail or ""))
            continue
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "g":
            parts.append(f'<g id="{child.get("id", "")}">{inner(child)}</g>')
        elif tag == "x":
            ctype = child.get("ctype")
            parts.append(f'<x id="{child.get("id", "")}"' + (f' ctype="{ctype}"' if ctype else "") + "/>")
        else:
            parts.append(f"<{tag}>")  # refused by the placeholder check
        parts.append(escape(child.tail or ""))
    return "".join(parts)


def find_document(settings, slug: str):
    """The source issue whose slug is ``slug``."""
    from exporter.document import default_slug, discover_sources, load_document

    sources = discover_sources(settings.source_path)
    for path in sorted(sources, key=lambda p: default_slug(p) != slug):  # the likely file first
        document = load_document(path)
        if document.meta.slug == slug:
            return document
    raise TranslationError(f"no issue with slug '{slug}' in {settings.source_path}")


def import_reviews(path: Path, settings) -> ImportResult:
    """Store the translations a reviewer changed in the issue's review file; report every refused entry."""
    path = Path(path)
    reader = read_xliff if path.suffix.lower() in (".xliff", ".xlf") else read_po
    header, entries = reader(path)
    if not all(header.values()):
        raise TranslationError("the file does not say its document and languages (export it again)", path)
    if entries and all(entry.exported is None for entry in entries):
        raise TranslationError("the file holds no exported translations to compare with (it was exported by an "
                               "older version): export again and copy the edits into the new file", path)
    document = find_document(settings, header["document"])
    target = header["target"]
    if header["source"] != document.meta.lang:
        raise TranslationError(f"the file translates from '{header['source']}' but the issue is in "
                               f"'{document.meta.lang}'", path)
    from exporter.edition_assets import svg_units

    units = [*current_units(document, target, settings), *svg_units(document, target, settings)]
    texts = {normalise(unit.text) for unit in units}
    reviews = read_reviews(document, target)
    result = ImportResult(review_file=reviews.path)
    edits: dict[str, Review] = {}
    for entry in entries:
        review = decide(entry, reviews, result)
        if review is None:
            continue
        if normalise(entry.source) not in texts:
            result.warnings.append((entry.line, f"unit {entry.unit}: its source text changed since the export: "
                                                "stored, and flagged as stale until it is reviewed again"))
        edits[normalise(entry.source)] = review
    if edits:
        store_reviews(document, target, list(edits.values()), list(texts))
    result.stored = len(edits)
    return result


def decide(entry: Entry, reviews, result: ImportResult) -> Review | None:
    """The review to store for one entry, or None (unchanged, or refused with a problem)."""
    if not entry.translation.strip():
        return None
    try:
        translation = checked_translation(entry.source, entry.translation, entry.unit)
    except TranslationError as error:
        result.problems.append((entry.line, error.message))
        return None
    if entry.exported is None:
        result.problems.append((entry.line, f"unit {entry.unit}: no exported translation to compare with (keep the "
                                            f"'{EXPORTED.strip()}' comment of each entry)"))
        return None
    current, baseline = reviews.get(entry.source), entry.exported
    approved = entry.was_stale and not entry.needs_review
    if unwrapped(translation) == unwrapped(baseline) and not approved:
        result.unchanged += 1
        return None
    if current is not None and normalise(current.translation) == normalise(translation):
        result.unchanged += 1
        return None
    if current is not None and normalise(current.translation) != normalise(baseline):
        result.problems.append((entry.line, f"unit {entry.unit}: conflict: {reviews.path.name}:{current.line} has "
                                            "another translation, reviewed since this file was exported; export "
                                            "again and merge the two by hand"))
        return None
    return Review(entry.unit, entry.source, translation)

