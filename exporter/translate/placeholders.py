"""Inline markup ↔ unit text: XLIFF-style placeholders an engine must hand back unchanged.

A unit's text is escaped plain text (``&amp; &lt; &gt;``) with two kinds of placeholder:
``<g id="N">…</g>`` wraps markup whose words are translated (emphasis, links…) and
``<x id="N"/>`` stands for something never translated (code, math, a URL, a merge tag,
a glossary term…). ``ctype="lb"`` marks a line break and ``ctype="x-note"`` a footnote
reference: engines may treat those as blanks rather than words.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from exporter import ast as pandoc_ast
from exporter.translate.protection import surface, text_inlines

WRAPPERS = {"Emph": None, "Strong": None, "Underline": None, "Strikeout": None, "Superscript": None,
            "Subscript": None, "SmallCaps": None, "Span": 1, "Link": 1, "Quoted": 1, "Cite": 1}
PLACEHOLDER = re.compile(r'<g\s+id="(\d+)"\s*>|</g\s*>|<x\s+([^<>]*?)/?\s*>')
TAG_LIKE = re.compile(r"</?[A-Za-z][^<>]*>")
ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
WORD = re.compile(r"[^\W\d_]", re.UNICODE)


class PlaceholderError(ValueError):
    """A translation whose placeholders do not match its source."""


@dataclass
class Slot:
    """What one placeholder stands for."""

    id: int
    wrapper: dict | None = None  # a <g>: the element whose inline content is translated
    inlines: list = field(default_factory=list)  # an <x/>: the inlines put back verbatim
    ctype: str = ""
    parents: tuple[int, ...] = ()
    source: str = ""  # a protected run (glossary term, URL, merge tag): the source text it stands for
    wrapped: bool = False  # ``source`` is inside markup (``*prompt injection*``): an <x/> for the whole element

    @property
    def hint(self) -> str:
        """What the placeholder stands for, for reviewers."""
        if self.wrapper is not None:
            kind = self.wrapper["t"]
            return f"link to {self.wrapper['c'][2][0]}" if kind == "Link" else kind.lower()
        if len(self.inlines) == 1:
            element = self.inlines[0]
            kind = element["t"]
            if kind in ("Code", "Math", "RawInline"):
                return element["c"][-1]
            if kind in ("Link", "Image"):
                return f"{kind.lower()} {element['c'][2][0]}"
            if kind in ("Note", "LineBreak"):
                return {"Note": "footnote", "LineBreak": "line break"}[kind]
        return surface(self.inlines).replace("\ufffc", "…")


def escape(text: str) -> str:
    """Escape text for a unit."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def has_words(inlines: list) -> bool:
    """True when the inlines hold a letter worth translating (outside protected runs)."""
    return bool(WORD.search(pandoc_ast.stringify([e for e in inlines if e["t"] != "Protected"])))


class Encoder:
    """Turns a list of inlines into unit text, remembering what each placeholder stands for."""

    def __init__(self, protector, on_nested):
        self.protector = protector  # inlines -> inlines with Protected runs
        self.on_nested = on_nested  # element -> None: collects the units inside notes, images, titles
        self.slots: dict[int, Slot] = {}

    def encode(self, inlines: list, parents: tuple[int, ...] = ()) -> str:
        """The unit text of ``inlines``."""
        parts = []
        for element in self.protector(inlines):
            kind = element["t"]
            if kind == "Str":
                parts.append(escape(element["c"]))
            elif kind in ("Space", "SoftBreak"):
                parts.append(" ")
            elif kind in WRAPPERS and has_words(self.protector(content_of(element))):
                slot = self.add(Slot(0, wrapper=element, parents=parents))
                self.on_nested(element)
                parts.append(f'<g id="{slot.id}">{self.encode(content_of(element), (*parents, slot.id))}</g>')
            else:
                self.on_nested(element)
                ctype = {"LineBreak": "lb", "Note": "x-note"}.get(kind, "")
                inlines_back = element["c"] if kind == "Protected" else [self.resolved(element)]
                source, wrapped = protected_source(element, self.protector)
                slot = self.add(Slot(0, inlines=inlines_back, ctype=ctype, parents=parents, source=source,
                                     wrapped=wrapped))
                parts.append(f'<x id="{slot.id}"' + (f' ctype="{ctype}"' if ctype else "") + "/>")
        return "".join(parts)

    def resolved(self, element: dict) -> dict:
        """A wrapper with nothing to translate, kept whole but with its forced glossary terms applied."""
        if element["t"] not in WRAPPERS:
            return element
        inlines = []
        for child in self.protector(content_of(element)):
            inlines.extend(child["c"] if child["t"] == "Protected" else [self.resolved(child)])
        kept = pandoc_ast.copied(element)
        set_content(kept, inlines)
        return kept

    def add(self, slot: Slot) -> Slot:
        """Number and record a slot."""
        slot.id = len(self.slots) + 1
        self.slots[slot.id] = slot
        return slot


def protected_source(element: dict, protector) -> tuple[str, bool]:
    """(source text, inside markup) of a placeholder that stands for protected text only; ("", False) otherwise."""
    if element["t"] == "Protected":
        return element.get("source", ""), False
    if element["t"] not in WRAPPERS:
        return "", False
    children = protector(content_of(element))
    if not any(child["t"] == "Protected" for child in children) or \
            any(child["t"] not in ("Protected", "Space") for child in children):
        return "", False
    return "".join(child.get("source", "") if child["t"] == "Protected" else " " for child in children), True


def content_of(element: dict) -> list:
    """The translatable inline content of a wrapper element."""
    where = WRAPPERS[element["t"]]
    return element["c"] if where is None else element["c"][where]


def set_content(element: dict, inlines: list) -> None:
    """Replace a wrapper element's inline content in place."""
    where = WRAPPERS[element["t"]]
    if where is None:
        element["c"] = inlines
    else:
        element["c"][where] = inlines


def parse(text: str) -> list:
    """Parse unit text into a tree: strings, ``("g", id, children)`` and ``("x", id, attrs)``."""
    root: list = []
    stack: list[tuple[int | None, list]] = [(None, root)]
    position = 0
    for match in PLACEHOLDER.finditer(text):
        add_text(stack[-1][1], text[position:match.start()])
        position = match.end()
        token = match.group(0)
        if match.group(1):
            children: list = []
            stack[-1][1].append(("g", int(match.group(1)), children))
            stack.append((int(match.group(1)), children))
        elif token.startswith("</"):
            if len(stack) == 1:
                raise PlaceholderError("a closing </g> without its opening tag")
            stack.pop()
        else:
            attrs = dict(ATTRIBUTE.findall(match.group(2)))
            if not attrs.get("id", "").isdigit():
                raise PlaceholderError(f"a placeholder without a number: {token}")
            stack[-1][1].append(("x", int(attrs["id"]), attrs))
    add_text(stack[-1][1], text[position:])
    if len(stack) > 1:
        raise PlaceholderError(f'<g id="{stack[-1][0]}"> is never closed')
    return root


def add_text(children: list, text: str) -> None:
    """Append decoded text, refusing anything that looks like a mangled tag."""
    if not text:
        return
    stray = TAG_LIKE.search(text)
    if stray:
        raise PlaceholderError(f"unexpected markup {stray.group(0)}")
    children.append(html.unescape(text))


def serialise(tree: list) -> str:
    """Unit text from a parsed tree (the canonical spelling of a translation)."""
    parts = []
    for node in tree:
        if isinstance(node, str):
            parts.append(escape(node))
        elif node[0] == "g":
            parts.append(f'<g id="{node[1]}">{serialise(node[2])}</g>')
        else:
            ctype = node[2].get("ctype", "")
            parts.append(f'<x id="{node[1]}"' + (f' ctype="{ctype}"' if ctype else "") + "/>")
    return "".join(parts)


def shape(tree: list, parents: tuple[int, ...] = (), found: dict | None = None) -> dict:
    """Map each placeholder ``(kind, id)`` to its enclosing wrappers; a repeat is an error."""
    found = {} if found is None else found
    for node in tree:
        if isinstance(node, str):
            continue
        key = (node[0], node[1])
        if key in found:
            raise PlaceholderError(f"placeholder {node[1]} appears twice")
        found[key] = parents
        if node[0] == "g":
            shape(node[2], (*parents, node[1]), found)
    return found


def mend(text: str) -> str:
    """Join a wrapper an engine split in two around plain text: ``<g id="3">a</g> b <g id="3">c</g>``.

    Engines that move markup word by word (Apertium) copy a wrapper onto each word it covers and
    leave out words they add or symbols they cannot tag; the wrapper then covers the whole phrase.
    """
    out: list[str] = []
    stack: list[str] = []
    closed: tuple[str, int] | None = None  # the wrapper closed last, and where its </g> is in ``out``
    for token in re.split(r'(<g\s+id="\d+"\s*>|</g\s*>|<x\s[^<>]*>)', text):
        if token.startswith("<g"):
            number = re.search(r"\d+", token).group(0)
            if closed is not None and closed[0] == number:
                del out[closed[1]]
                stack.append(number)
                closed = None
                continue
            stack.append(number)
            closed = None
        elif token.startswith("</g"):
            closed = (stack.pop(), len(out)) if stack else None
        elif token.startswith("<x"):
            closed = None
        out.append(token)
    return "".join(out)


def check(source: str, translation: str) -> list:
    """Parse ``translation`` and return its tree if its placeholders match ``source``'s exactly."""
    tree = parse(mend(translation))
    expected, actual = shape(parse(source)), shape(tree)
    if expected != actual:
        missing = sorted(set(expected) - set(actual))
        extra = sorted(set(actual) - set(expected))
        if missing or extra:
            described = [f"{'lost' if key in missing else 'invented'} {describe(key)}" for key in missing + extra]
            raise PlaceholderError(", ".join(described))
        raise PlaceholderError("placeholders nested differently")
    if WORD.search(plain_text(parse(source))) and not WORD.search(plain_text(tree)):
        raise PlaceholderError("the translation is empty")
    return tree


def describe(key: tuple[str, int]) -> str:
    """How a placeholder is written."""
    return f'<g id="{key[1]}">' if key[0] == "g" else f'<x id="{key[1]}"/>'


def plain_text(tree: list) -> str:
    """The text of a tree, without placeholders."""
    return "".join(node if isinstance(node, str) else plain_text(node[2]) if node[0] == "g" else "" for node in tree)


def runs(text: str) -> list[str]:
    """Split unit text into placeholder tags and the text between them (kept in order)."""
    pieces, position = [], 0
    for match in PLACEHOLDER.finditer(text):
        pieces.append(text[position:match.start()])
        pieces.append(match.group(0))
        position = match.end()
    pieces.append(text[position:])
    return pieces


def rebuild(tree: list, slots: dict[int, Slot]) -> list:
    """Pandoc inlines from a checked translation tree."""
    out: list = []
    for node in tree:
        if isinstance(node, str):
            out.extend(text_inlines(node) if node.strip() else ([{"t": "Space"}] if node else []))
        elif node[0] == "g":
            element = slots[node[1]].wrapper
            set_content(element, rebuild(node[2], slots))
            out.append(element)
        else:
            out.extend(slots[node[1]].inlines)
    return merge_spaces(out)


def merge_spaces(inlines: list) -> list:
    """Drop doubled spaces left where text met placeholders."""
    out: list = []
    for element in inlines:
        if element["t"] == "Space" and out and out[-1]["t"] in ("Space", "SoftBreak"):
            continue
        out.append(element)
    return out
