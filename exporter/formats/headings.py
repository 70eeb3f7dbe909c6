"""Heading levels for the paged formats: the body's top level moved to where the format wants it."""

from __future__ import annotations

import copy

from exporter import ast as pandoc_ast


def shift_headings(ast: dict, top_level: int) -> dict:
    """A copy of ``ast`` whose highest body heading is level ``top_level`` (levels kept in 1–6)."""
    levels = [element["c"][0] for element in pandoc_ast.walk(ast["blocks"]) if element["t"] == "Header"]
    if not levels or min(levels) == top_level:
        return ast
    shift = top_level - min(levels)
    ast = copy.deepcopy(ast)
    for element in pandoc_ast.walk(ast["blocks"]):
        if element["t"] == "Header":
            element["c"][0] = max(1, min(6, element["c"][0] + shift))
    return ast
