"""A document's translation units: every block of prose, with its markup turned into placeholders."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from exporter.translate.placeholders import (
    WORD,
    Encoder,
    Slot,
    check,
    parse,
    plain_text,
    rebuild,
)
from exporter.translate.protection import surface, text_inlines

META_FIELDS = ("title", "subtitle", "summary")


@dataclass
class Unit:
    """One translation unit: an id, its text with placeholders, and how to put a translation back."""

    id: str
    text: str
    slots: dict[int, Slot]
    apply: Callable[[list], None] = field(repr=False)

    def restore(self, translation: str) -> None:
        """Put a translation (already checked, or the source text) back into the document."""
        self.apply(rebuild(check(self.text, translation), self.slots))


@dataclass
class Segmentation:
    """The units of one document, the AST copy they write into and the translated front matter."""

    units: list[Unit]
    ast: dict
    meta: dict[str, str]


class Segmenter:
    """Walks a pandoc AST and collects its translation units in document order."""

    def __init__(self, protector: Callable[[list], list]):
        self.protector = protector
        self.units: list[Unit] = []

    def inline_unit(self, inlines: list, apply: Callable[[list], None], uid: str | None = None) -> None:
        """Add a unit for a list of inlines (if it holds anything to translate)."""
        encoder = Encoder(self.protector, self.nested)
        index = len(self.units)
        self.units.append(None)  # keep document order: nested units come after their container
        text = encoder.encode(inlines)
        unit = Unit(uid or f"u{index + 1}", text, encoder.slots, apply)
        if not has_prose(unit):
            self.units.pop(index)
            unit.restore(unit.text)  # nothing to translate, but forced glossary terms still apply
            return
        self.units[index] = unit

    def string_unit(self, text: str, apply: Callable[[str], None], uid: str | None = None) -> None:
        """Add a unit for a plain string (front matter, link and image titles)."""
        if text.strip():
            self.inline_unit(text_inlines(text), lambda inlines: apply(plain(inlines)), uid)

    def nested(self, element: dict) -> None:
        """Collect the units inside an inline element: footnotes, image alt text, titles."""
        kind, content = element["t"], element.get("c")
        if kind == "Note":
            self.blocks(content)
        elif kind == "Image":
            self.inline_unit(content[1], lambda inlines, c=content: c.__setitem__(1, inlines))
            self.string_unit(content[2][1], lambda text, c=content: c[2].__setitem__(1, text))
        elif kind == "Link":
            self.string_unit(content[2][1], lambda text, c=content: c[2].__setitem__(1, text))

    def blocks(self, blocks: list) -> None:
        """Collect the units of a block list."""
        for block in blocks:
            self.block(block)

    def block(self, block: dict) -> None:
        """Collect the units of one block (recursively)."""
        kind, c = block["t"], block.get("c")
        if kind in ("Para", "Plain"):
            self.inline_unit(c, lambda inlines, b=block: b.__setitem__("c", inlines))
        elif kind == "Header":
            self.inline_unit(c[2], lambda inlines, c=c: c.__setitem__(2, inlines))
        elif kind == "LineBlock":
            for index in range(len(c)):
                self.inline_unit(c[index], lambda inlines, c=c, i=index: c.__setitem__(i, inlines))
        elif kind in ("BlockQuote",):
            self.blocks(c)
        elif kind == "Div":
            self.blocks(c[1])
        elif kind == "BulletList":
            for item in c:
                self.blocks(item)
        elif kind == "OrderedList":
            for item in c[1]:
                self.blocks(item)
        elif kind == "DefinitionList":
            for term, definitions in c:
                self.inline_unit(term, lambda inlines, t=term: t.__setitem__(slice(None), inlines))
                for definition in definitions:
                    self.blocks(definition)
        elif kind == "Figure":
            self.caption(c[1])
            self.blocks(c[2])
        elif kind == "Table":
            self.caption(c[1])
            for row in table_rows(c):
                for cell in row[1]:
                    self.blocks(cell[4])
        # CodeBlock, RawBlock, HorizontalRule: never translated

    def caption(self, caption: list) -> None:
        """Collect the units of a table or figure caption (short caption and blocks)."""
        short, blocks = caption
        if short:
            self.inline_unit(short, lambda inlines, s=short: s.__setitem__(slice(None), inlines))
        self.blocks(blocks)


def table_rows(c: list) -> list:
    """Every row of a pandoc table: head, each body's head and body rows, foot."""
    _, _, _, head, bodies, foot = c
    rows = list(head[1])
    for body in bodies:
        rows += body[2] + body[3]
    return rows + list(foot[1])


def plain(inlines: list) -> str:
    """Inlines restored into a plain string (front matter, titles)."""
    return surface(inlines).replace("\ufffc", "")


def has_prose(unit: Unit) -> bool:
    """True when a unit holds words outside its placeholders."""
    return bool(WORD.search(plain_text(parse(unit.text))))


def segment(ast: dict, meta: dict[str, str], protector: Callable[[list], list]) -> Segmentation:
    """Collect the units of a document: front matter fields first, then the body, on a copy of the AST."""
    ast = json.loads(json.dumps(ast))  # a deep copy, several times faster than copy.deepcopy
    segmenter = Segmenter(protector)
    translated_meta = dict(meta)
    for name in META_FIELDS:
        if meta.get(name):
            segmenter.string_unit(meta[name], lambda text, n=name: translated_meta.__setitem__(n, text), uid=name)
    count = len(segmenter.units)
    segmenter.blocks(ast["blocks"])
    for index, unit in enumerate(segmenter.units[count:], 1):
        unit.id = f"u{index}"
    return Segmentation(segmenter.units, ast, translated_meta)
