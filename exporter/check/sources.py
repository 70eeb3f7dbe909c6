"""Source checks: the issue loads, and its images exist, are images, are not oversized and have alt text."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from exporter import ast as pandoc_ast
from exporter.check import WARNING, Problem
from exporter.check.links import is_external
from exporter.document import (
    Document,
    image_kind,
    local_image_problem,
    parse_source,
    resolve_local,
)
from exporter.errors import SourceError, line_of

MAX_IMAGE_BYTES = 1024 * 1024
MAX_IMAGE_PIXELS = 3000
RAW_IMAGE = re.compile(r"<img\b[^>]*>", re.I)
RAW_ALT = re.compile(r"""\balt\s*=\s*(["'])(.*?)\1""", re.I | re.S)  # group 2: the alt text
RAW_SRC = re.compile(r"""\bsrc\s*=\s*["']?([^"'\s>]*)""", re.I)


def load_for_check(path: Path, settings=None) -> tuple[Document | None, str, list[Problem]]:
    """Parse a source like ``load_document`` but without stopping at a bad image: (document, text, problems)."""
    default_lang = settings.languages[0] if settings is not None and settings.languages else "en"
    try:
        meta, ast, body, text, warnings = parse_source(path, default_lang)
    except SourceError as error:
        return None, "", [Problem(error.path or path, error.line, "source", error.message)]
    static_dir = settings.static_path if settings is not None else None
    document = Document(meta, ast, path, meta.lang, body, tuple(warnings), static_dir)
    problems = [Problem(path, warning_line(warning), "source", warning.split(": ", 1)[-1], WARNING)
                for warning in warnings]
    return document, text, problems


def warning_line(warning: str) -> int | None:
    """The line a ``path:line: message`` warning names."""
    match = re.match(r"^.*?:(\d+): ", warning)
    return int(match.group(1)) if match else None


def source_warnings(document: Document, text: str) -> list[str]:
    """What ``newsletter check`` finds in a source (alt text, images, links), as ``path:line: message`` lines."""
    from exporter.check.links import check_links

    problems = [*check_images(document, text), *check_links(document, text)]
    notes = {"missing-alt": ' (its file name is no alt text: every format uses alt="")'}
    return [(f"{p.path}:{p.line}: " if p.line else f"{p.path}: ") + p.message + notes.get(p.code, "") for p in problems]


def image_sources(document: Document) -> list[tuple[str, str | None]]:
    """(src, alt) of every image: Markdown images, ``<img>`` in raw HTML, and the cover (alt None: not needed)."""
    found = [(image.src, image.alt) for image in pandoc_ast.images(document.blocks)]
    for element in pandoc_ast.walk(document.blocks):
        if element["t"] in ("RawBlock", "RawInline") and element["c"][0].lower() in ("html", "html5"):
            for tag in RAW_IMAGE.findall(element["c"][1]):
                src, alt = RAW_SRC.search(tag), RAW_ALT.search(tag)
                found.append((src.group(1) if src else "", unescape(alt.group(2)) if alt else ""))
    if document.meta.cover:
        found.append((document.meta.cover, None))
    return found


def check_images(document: Document, text: str, max_bytes: int = MAX_IMAGE_BYTES,
                 max_pixels: int = MAX_IMAGE_PIXELS) -> list[Problem]:
    """Images without alt text, missing, not images, or over ``max_bytes`` / ``max_pixels`` on a side."""
    problems = []
    seen = set()
    for src, alt in image_sources(document):
        line = line_of(text, f"]({src}") or line_of(text, src) if src else None
        if alt is not None and not alt.strip():
            problems.append(Problem(document.source, line, "missing-alt", f"image '{src}' has no alt text"))
        if src in seen or not src or (is_external(src) and not src.lower().startswith("file:")):
            continue  # remote images are each exporter's business
        seen.add(src)
        problems.extend(check_image_file(document, src, line, max_bytes, max_pixels))
    return problems


def check_image_file(document: Document, src: str, line: int | None, max_bytes: int, max_pixels: int) -> list[Problem]:
    """Problems with one local image file."""
    from exporter.missing_images import from_static

    src = from_static(document, src)
    unusable = local_image_problem(document.image_dirs, src)
    if unusable is not None:
        return [Problem(document.source, line, *unusable)]
    path = resolve_local(document.image_dirs, src)
    kind = image_kind(path)
    problems = []
    size = path.stat().st_size
    if size > max_bytes:
        problems.append(Problem(document.source, line, "oversized-image",
                                f"image '{src}' is {size // 1024} KB (budget {max_bytes // 1024} KB)", WARNING))
    if kind != "svg":
        from exporter.formats.resize import pixel_size  # 0×0 when unreadable: the size check does not report that

        width, height = pixel_size(path)
        if max(width, height) > max_pixels:
            problems.append(Problem(document.source, line, "oversized-image",
                                    f"image '{src}' is {width}×{height} px (budget {max_pixels} px a side)", WARNING))
    return problems
