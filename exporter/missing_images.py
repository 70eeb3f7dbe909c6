"""Images at build time: site-root paths found in the static folder, and a placeholder for any image that cannot be shown.

A missing image is something every output survives: it becomes a ``span.image-missing`` holding the
"Image missing" label and its alt text (a visible box on the web page and in the email, and, inside a
figure, the text above the figure's caption in the PDF and EPUB), with one warning naming file and line.
"""

from __future__ import annotations

from dataclasses import replace

from exporter import ast as pandoc_ast
from exporter.document import URL_SCHEME, Document, local_image_problem, resolve_local
from exporter.errors import line_of
from exporter.i18n import strings


def is_local(src: str) -> bool:
    """True for an image path on disk (no scheme, or ``file:``), not a remote URL."""
    return not src.startswith("//") and (not URL_SCHEME.match(src) or src.lower().startswith("file:"))


def from_static(document: Document, src: str) -> str:
    """A site-root path (``/assets/x.png``) found in the static folder, as the relative path images use; else ``src``."""
    if document.static_dir is None or not src.startswith("/") or src.startswith("//"):
        return src
    relative = src.lstrip("/")
    found = resolve_local(document.static_dir, relative)
    return relative if found is not None and found.is_file() else src


def placeholder(image: dict, lang: str, caption: str = "") -> dict:
    """The span that stands for an image that cannot be shown: the "Image missing" label and the alt text
    (not repeated when the figure's ``caption`` already says it)."""
    (ident, classes, _), alt, (src, _) = image["c"]
    label = [{"t": "Str", "c": strings(lang)["image_missing"]}]
    if alt and pandoc_ast.stringify(alt).strip() != caption:
        label += [{"t": "Str", "c": ":"}, {"t": "Space"}, *alt]
    return {"t": "Span", "c": [[ident, ["image-missing", *classes], [["data-src", src]]], label]}


def source_line(text: str, src: str) -> int | None:
    """The line of the source that shows ``src``."""
    return line_of(text, f"]({src}") or line_of(text, src)


def prepare_images(document: Document, text: str) -> tuple[Document, list[str]]:
    """The document with static paths resolved and unusable images replaced; the warnings, once per image."""
    ast = pandoc_ast.copied(document.ast)
    warnings, warned = [], set()
    where = document.image_dirs

    def warn(src: str, message: str) -> None:
        if src not in warned:
            warned.add(src)
            line = source_line(text, src)
            warnings.append(f"{document.source}:{line}: {message}" if line else f"{document.source}: {message}")

    def replace_images(node, caption: str = ""):
        if isinstance(node, list):
            return [replace_images(item, caption) for item in node]
        if isinstance(node, dict):
            if node.get("t") == "Figure":
                caption = pandoc_ast.stringify(node["c"][1][1]).strip()
            if node.get("t") == "Image" and is_local(node["c"][2][0]):
                written = node["c"][2][0]
                node["c"][2][0] = src = from_static(document, written)
                problem = local_image_problem(where, src)
                if problem is not None:
                    warn(written, f"{problem[1]}: shown as its alt text")
                    return placeholder(node, document.meta.lang, caption)
            return {key: replace_images(value, caption) for key, value in node.items()}
        return node

    ast = {**ast, "blocks": replace_images(ast["blocks"])}
    meta = document.meta
    if meta.cover and is_local(meta.cover):
        cover = from_static(document, meta.cover)
        problem = local_image_problem(where, cover)
        if problem is not None:
            warn(meta.cover, f"cover: {problem[1]}: the edition has no cover image")
            cover = ""
        meta = replace(meta, cover=cover)
    return replace(document, meta=meta, ast=ast), warnings

