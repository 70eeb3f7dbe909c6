"""What is never translated: merge tags, macros, URLs, glossary terms — found in the text, kept whole."""

from __future__ import annotations

import re
from collections.abc import Callable

from exporter.merge_tags import merge_tag_pattern

URL = re.compile(r"\b(?:https?|ftp)://[^\s<>\"]*[^\s<>\".,;:!?)\]'’”]|\bwww\.[^\s<>\"]*[^\s<>\".,;:!?)\]'’”]"
                 r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")


def surface(inlines: list) -> str:
    """The inlines as their source text reads (quotes and ``*`` kept), for pattern matching."""
    parts = []
    for element in inlines:
        kind = element["t"]
        if kind == "Str":
            parts.append(element["c"])
        elif kind in ("Space", "SoftBreak"):
            parts.append(" ")
        elif kind == "Quoted":
            mark = '"' if element["c"][0]["t"] == "DoubleQuote" else "'"
            parts.append(mark + surface(element["c"][1]) + mark)
        elif kind in ("Emph", "Strong"):
            mark = "*" if kind == "Emph" else "**"
            parts.append(mark + surface(element["c"]) + mark)
        elif kind == "RawInline":
            parts.append(element["c"][1])
        else:
            parts.append("\ufffc")
    return "".join(parts)


def text_inlines(text: str) -> list:
    """Plain text as pandoc Str and Space elements."""
    return [{"t": "Space"} if piece.isspace() else {"t": "Str", "c": piece}
            for piece in re.split(r"(\s+)", text) if piece]


def protect(inlines: list, pattern: re.Pattern | None, replace=None) -> list:
    """Replace every run of inlines matching ``pattern`` by a ``Protected`` pseudo-element.

    ``replace(matched_text)`` may give the text that stands in the translation instead (a forced
    glossary term); by default the matched inlines come back verbatim. A match that starts or
    ends inside markup other than plain text is ignored.
    """
    if pattern is None or not inlines:
        return inlines
    parts = [surface([element]) for element in inlines]
    text = "".join(parts)
    if not pattern.search(text):
        return inlines
    spans, offset = [], 0
    for part in parts:
        spans.append((offset, offset + len(part)))
        offset += len(part)
    inside_markup = [(s, e) for (s, e), el in zip(spans, inlines) if el["t"] != "Str"]
    matches = [m for m in pattern.finditer(text) if m.end() > m.start()
               and not any(s < m.start() < e or s < m.end() < e for s, e in inside_markup)]
    if not matches:
        return inlines
    cuts = sorted({offset for m in matches for offset in m.span()})
    pieces = []  # (element, start, end) with every Str cut at match boundaries
    for element, (start, end) in zip(inlines, spans):
        if element["t"] != "Str":
            pieces.append((element, start, end))
            continue
        points = [start, *(c for c in cuts if start < c < end), end]
        pieces += [({"t": "Str", "c": element["c"][a - start:b - start]}, a, b) for a, b in zip(points, points[1:])]
    out, matches = [], list(matches)
    for element, start, end in pieces:
        match = next((m for m in matches if m.start() <= start and end <= m.end()), None)
        if match is None:
            out.append(element)
        elif out and out[-1].get("match") is match:
            out[-1]["c"].append(element)
        else:
            out.append({"t": "Protected", "c": [element], "match": match})
    for element in out:
        match = element.pop("match", None)
        if match is not None:
            element["source"] = match.group(0)  # what a re-keyed review recognises the run by
            if replace is not None:
                element["c"] = text_inlines(replace(match.group(0)))
    return out


def combine(*patterns: tuple[re.Pattern | None, Callable[[str], str] | None]) -> Callable[[list], list]:
    """A protector applying each (pattern, replace) pair in turn."""

    def protector(inlines: list) -> list:
        for pattern, replace in patterns:
            inlines = protect(inlines, pattern, replace)
        return inlines

    return protector


def protector_for(settings, glossary) -> Callable[[list], list]:
    """What is never translated: merge tags and macros, URLs and emails, glossary terms."""
    extra = tuple(settings.section("email").get("merge_tags", [])) if settings is not None else ()
    return combine(
        (merge_tag_pattern(extra), None),
        (URL, None),
        (glossary.keep_pattern(), None),
        (glossary.terms_pattern(), glossary.forced),
    )
