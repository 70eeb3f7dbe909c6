"""Internal links and anchors: which ids a document defines, and which of its links lead nowhere."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from exporter import ast as pandoc_ast
from exporter.check import Problem
from exporter.document import URL_SCHEME, Document, resolve_local
from exporter.errors import line_of

RAW_ANCHOR = re.compile(r"""<[a-z][a-z0-9]*\b[^>]*?\b(?:id|name)\s*=\s*["']?([^"'\s>]+)""", re.I)
RAW_LINK = re.compile(r"""(<a\b[^>]*?\bhref\s*=\s*)(["'])([^"']*)\2""", re.I)  # group 3: the URL
ATTRIBUTED = {"Header": 1, "Div": 0, "Span": 0, "CodeBlock": 0, "Table": 0, "Figure": 0, "Image": 0, "Link": 0,
              "Code": 0}


def element_ids(ast: dict) -> set[str]:
    """Every id an anchor can point at: pandoc attributes, and ``id``/``name`` in raw HTML."""
    ids: set[str] = set()
    for element in pandoc_ast.walk(ast["blocks"]):
        kind = element["t"]
        if kind in ATTRIBUTED:
            ident = element["c"][ATTRIBUTED[kind]][0]
            if ident:
                ids.add(ident)
        elif kind in ("RawBlock", "RawInline") and element["c"][0].lower() in ("html", "html5"):
            ids.update(RAW_ANCHOR.findall(element["c"][1]))
    return ids


def is_external(url: str) -> bool:
    """True for a URL with a scheme (https:, mailto:…): not this check's business."""
    return bool(URL_SCHEME.match(url)) or url.startswith("//")


def link_urls(ast: dict) -> Iterator[str]:
    """Every link target of the body: Markdown links and ``<a href>`` in raw HTML."""
    for element in pandoc_ast.walk(ast["blocks"]):
        if element["t"] == "Link":
            yield element["c"][2][0]
        elif element["t"] in ("RawBlock", "RawInline") and element["c"][0].lower() in ("html", "html5"):
            yield from (match.group(3) for match in RAW_LINK.finditer(element["c"][1]))


def broken_link(url: str, ids: set[str], base_dir: Path) -> str | None:
    """Why an internal link leads nowhere (None when it is fine or external)."""
    if not url or is_external(url):
        return None
    path, _, fragment = url.partition("#")
    fragment = unquote(fragment)
    if not path:
        return None if fragment in ids or not fragment else f"link to '#{fragment}': no heading or element has that id"
    path = path.split("?")[0]
    target = resolve_local(base_dir, unquote(path))
    if target is None and path.startswith("/"):
        return f"link to '{url}' is a site-root path that neither the issue's folder nor the static folder holds"
    if target is None:
        return f"link to '{url}' points outside the issue's folder"
    if not target.exists():
        return f"link to '{url}': no such file in the issue's folder"
    return None


def check_links(document: Document, text: str) -> list[Problem]:
    """Internal links whose anchor or file does not exist (``text`` is the source, for line numbers)."""
    ids = element_ids(document.ast)
    problems = []
    for url in dict.fromkeys(link_urls(document.ast)):
        reason = broken_link(url, ids, document.image_dirs)
        if reason:
            line = line_of(text, f"({url}") or line_of(text, f'"{url}"') or line_of(text, url)
            problems.append(Problem(document.source, line, "broken-link", reason))
    return problems
