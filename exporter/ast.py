"""Small helpers to read a pandoc JSON AST."""

from __future__ import annotations

import copy
import marshal
from collections.abc import Iterator
from dataclasses import dataclass


def copied(node):
    """A deep copy of JSON-like data (a pandoc AST): marshal's C round trip, several times faster than deepcopy."""
    try:
        return marshal.loads(marshal.dumps(node))
    except ValueError:  # something marshal cannot write (an object a plug-in put in the tree)
        return copy.deepcopy(node)


def walk(node) -> Iterator[dict]:
    """Yield every element (a dict with a ``t`` key) below ``node``, depth first, in document order."""
    stack = [node]
    while stack:
        item = stack.pop()
        if type(item) is dict:
            if "t" in item:
                yield item
            stack.extend(reversed(item.values()))
        elif type(item) is list:
            stack.extend(reversed(item))


def stringify(node) -> str:
    """Return the plain text of an inline or block list, as pandoc's ``stringify`` does."""
    parts: list[str] = []
    for element in walk(node):
        kind = element["t"]
        if kind == "Str":
            parts.append(element["c"])
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif kind in ("Code", "Math"):
            parts.append(element["c"][-1])
    return "".join(parts)


@dataclass(frozen=True)
class Heading:
    """A section heading: its level, anchor id and text."""

    level: int
    id: str
    text: str


def headings(blocks: list) -> list[Heading]:
    """Return the document's headings in order (notes excluded)."""
    found = []
    for element in walk(blocks):
        if element["t"] == "Header":
            level, (ident, _, _), inlines = element["c"]
            found.append(Heading(level, ident, stringify(inlines)))
    return found


@dataclass(frozen=True)
class ImageRef:
    """An image the document shows: its source and alt text."""

    src: str
    alt: str


def images(blocks: list) -> list[ImageRef]:
    """Return every image referenced by the body, in order."""
    return [
        ImageRef(element["c"][2][0], stringify(element["c"][1]))
        for element in walk(blocks)
        if element["t"] == "Image"
    ]
