"""Heading levels for the paged formats: the body's top level moved to where the format wants it."""

from __future__ import annotations

import re

from exporter import ast as pandoc_ast
from exporter.i18n import strings

GENERIC_ID = re.compile(r"^(section|heading)?(-\d+)?$")  # what pandoc names a heading without text


def shift_headings(ast: dict, top_level: int) -> dict:
    """A copy of ``ast`` whose highest body heading is level ``top_level`` (levels kept in 1–6)."""
    levels = [element["c"][0] for element in pandoc_ast.walk(ast["blocks"]) if element["t"] == "Header"]
    if not levels or min(levels) == top_level:
        return ast
    shift = top_level - min(levels)
    ast = pandoc_ast.copied(ast)
    for element in pandoc_ast.walk(ast["blocks"]):
        if element["t"] == "Header":
            element["c"][0] = max(1, min(6, element["c"][0] + shift))
    return ast


def name_empty_headings(ast: dict, lang: str) -> dict:
    """A copy of ``ast`` where a heading whose text ends up empty shows its alt text, its id or "Untitled section"."""
    ast = pandoc_ast.copied(ast)
    for element in pandoc_ast.walk(ast["blocks"]):
        if element["t"] == "Header" and not pandoc_ast.stringify(element["c"][2]).strip():
            ident = element["c"][1][0]
            alts = " ".join(image.alt for image in pandoc_ast.images(element["c"][2])).strip()
            label = alts or (ident.replace("-", " ") if not GENERIC_ID.match(ident) else strings(lang)["untitled_section"])
            element["c"][2] = [*element["c"][2], {"t": "Str", "c": label}] if alts else [{"t": "Str", "c": label}]
    return ast
