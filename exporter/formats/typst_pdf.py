"""The Typst engine of the ``pdf`` format: pandoc's Typst writer, the theme's ``print.typ``, the typst wheel.

The body is written by pandoc (``-t typst``), the page by the theme's ``print.typ``, which reads
one JSON object (``sys.inputs.edition``: metadata, interface strings, theme variables and fonts) and
styles the body with ``#show: edition``. ``exporter.formats.typst_compile`` runs Typst, confined to
the issue's folder (its images); it writes a tagged PDF (PDF/UA-1 or PDF/A-3b on request) with the
build's timestamp.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from exporter import ast as pandoc_ast
from exporter.builddate import build_datetime
from exporter.document import Document, image_kind
from exporter.errors import ExportError
from exporter.formats.base import Site
from exporter.formats.typst_compile import compile_typst
from exporter.i18n import format_date, is_rtl, strings
from exporter.pandoc import ast_to
from exporter.themes import Theme

PAPER = {"A4": "a4", "Letter": "us-letter"}
TYPST_IMAGE_FORMATS = {"jpeg": "jpg"}
LONG_RUN = 30  # characters without a space from which link text may break anywhere (as print.typ does for code)
STANDARDS = {"pdf/ua-1": ["ua-1"], "pdf/a-3b": ["a-3b"]}
LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%|px|pt|mm|cm|in|em)?\s*$")


def typst_string(text: str) -> str:
    """A Typst string literal holding ``text``."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def typst_length(value: str) -> str | None:
    """A Typst length for an HTML-style width or height (``50%``, ``300px``, ``4cm``), or None."""
    match = LENGTH.match(value or "")
    if not match:
        return None
    number, unit = float(match.group(1)), match.group(2) or "px"
    if unit == "px":
        number, unit = number * 0.75, "pt"
    return f"{number:g}{unit}"


@dataclass(frozen=True)
class PrintImage:
    """A local image as the Typst compiler sees it: its name in the compile folder, format and bytes."""

    name: str
    format: str
    data: bytes


def print_image_files(document: Document) -> dict[str, PrintImage]:
    """Every local image of the edition (body and cover) by its ``src``, scaled down to print resolution."""
    from exporter.formats.assets import local_images
    from exporter.formats.resize import PRINT_MAX_SIDE, scaled

    images = {}
    for src, path in local_images(document):
        kind = image_kind(path)
        if kind is None:  # not an image after all: its alt text, as for a remote one
            continue
        smaller = scaled(path, PRINT_MAX_SIDE) if kind != "svg" else None
        data = smaller.data if smaller is not None else path.read_bytes()
        name = f"{hashlib.sha256(data).hexdigest()[:16]}.{TYPST_IMAGE_FORMATS.get(kind, kind)}"
        images[src] = PrintImage(name, TYPST_IMAGE_FORMATS.get(kind, kind), data)
    return images


def image_markup(image: dict, images: dict[str, PrintImage]) -> dict:
    """An Image as raw Typst with its alt text (pandoc's writer drops it), or its alt text if not local."""
    (_, _, attributes), alt_inlines, (src, _) = image["c"]
    alt = pandoc_ast.stringify(alt_inlines).strip()
    found = images.get(src)
    if found is None:
        return {"t": "Span", "c": [["", [], []], alt_inlines]}
    arguments = [typst_string("/" + found.name), f'format: "{found.format}"']  # by content, not by name
    for key, value in attributes:
        if key in ("width", "height") and (length := typst_length(value)):
            arguments.append(f"{key}: {length}")
    arguments.append(f"alt: {typst_string(alt)}")
    return {"t": "RawInline", "c": ["typst", f"#box(image({', '.join(arguments)}))"]}


HIDDEN_HTML = re.compile(r"^<(script|style)\b", re.I)


def without_raw(items: list) -> list:
    """A list without its raw elements, and without the text between raw ``<script>``/``<style>`` and their end."""
    kept, closing = [], None
    for item in items:
        raw = isinstance(item, dict) and item.get("t") in ("RawBlock", "RawInline")
        if closing is not None:
            if raw and item["c"][1].strip().lower().startswith(closing):
                closing = None
            continue
        if raw:
            hidden = HIDDEN_HTML.match(item["c"][1].strip())
            if hidden and f"</{hidden.group(1).lower()}" not in item["c"][1].lower():
                closing = f"</{hidden.group(1).lower()}"
            continue
        kept.append(item)
    return kept


def breakable(inline: dict) -> dict:
    """A long run of text (a URL as link text) as boxes of three characters a line may break between."""
    if inline.get("t") != "Str" or len(inline["c"]) < LONG_RUN:
        return inline
    text = inline["c"]
    boxes = "".join(f"#box({typst_string(text[i:i + 3])})" for i in range(0, len(text), 3))
    return {"t": "RawInline", "c": ["typst", boxes]}


def kept_link(target: str, anchors: set[str]) -> bool:
    """Whether a link stays a link in the PDF: web and mail URLs, and anchors of the body's headings."""
    if target.startswith("#"):
        return target[1:] in anchors
    return re.match(r"^(https?|mailto):", target, re.I) is not None


def typst_ready(ast: dict, images: dict[str, PrintImage]) -> dict:
    """The AST pandoc writes as Typst: headings from level 1, no raw Typst, images with alt text, only safe links.

    Raw blocks (the source's raw Typst or HTML) are dropped, citations are their text (Typst would
    look for a bibliography), and links to anything but the web, mail or the body's own headings
    become their text (``javascript:``, files beside the source, anchors that do not exist).
    """
    headings = pandoc_ast.headings(ast["blocks"])
    anchors = {heading.id for heading in headings if heading.id}
    shift = 1 - min((heading.level for heading in headings), default=1)  # the body's top headings at level 1

    def convert(node):  # builds a new tree: the document's own AST is never changed
        if isinstance(node, list):
            return [convert(item) for item in without_raw(node)]
        if isinstance(node, dict):
            kind = node.get("t")
            if kind == "Header":
                level, attributes, inlines = node["c"]
                return {"t": "Header", "c": [max(1, min(6, level + shift)), attributes, convert(inlines)]}
            if kind == "Image":
                return image_markup(node, images)
            if kind == "Cite":
                return {"t": "Span", "c": [["", [], []], convert(node["c"][1])]}
            if kind == "Link" and not kept_link(node["c"][2][0], anchors):
                return {"t": "Span", "c": [["", [], []], convert(node["c"][1])]}
            if kind == "Link":
                attributes, inlines, target = node["c"]
                return {"t": "Link", "c": [attributes, [breakable(item) for item in convert(inlines)], target]}
            return {key: convert(value) for key, value in node.items()}
        return node

    return convert(ast)


def typst_body(document: Document, images: dict[str, PrintImage]) -> str:
    """The edition's body as Typst markup, written by pandoc."""
    return ast_to(typst_ready(document.ast, images), "typst")


def edition_data(document: Document, theme: Theme, site: Site, page_size: str,
                 images: dict[str, PrintImage] | None = None) -> dict:
    """What ``print.typ`` reads from ``sys.inputs.edition``: metadata, strings, theme variables, fonts.

    ``fonts`` holds the theme's CSS font stacks here; ``compile_request`` keeps their installed faces.
    """
    meta = document.meta
    variables = theme.variables
    images = print_image_files(document) if images is None else images
    cover, cover_format = "", "png"
    if meta.cover and meta.cover in images:
        cover, cover_format = "/" + images[meta.cover].name, images[meta.cover].format
    levels = [heading.level for heading in pandoc_ast.headings(document.blocks)]
    sections = [level for level in levels if level == min(levels)]
    return {
        "lang": meta.lang,
        "dir": "rtl" if is_rtl(meta.lang) else "ltr",
        "title": meta.title,
        "subtitle": meta.subtitle,
        "author": meta.author,
        "summary": meta.summary,
        "tags": list(meta.tags),
        "number": meta.number,
        "date_text": format_date(meta.date, meta.lang),
        "site_title": site.title,
        "cover": cover,
        "cover_format": cover_format,
        "is_translation": document.is_translation,
        "translation_note": document.translation_note(),
        "paper": PAPER.get(page_size, "a4"),
        "show_contents": len(sections) > 2,
        "strings": strings(meta.lang),
        "theme": {key: str(variables.get(key, default)) for key, default in (
            ("accent", "#1d4ed8"), ("text_color", "#1f2937"), ("muted_color", "#6b7280"), ("background", "#ffffff"))},
        "fonts": {key: str(variables.get(f"{key}_font", "")) for key in ("body", "heading", "code")},
    }


def typst_source(theme: Theme, body: str) -> str:
    """The Typst document: the theme's ``print.typ``, then the body styled by its ``edition`` function."""
    return f"{theme.read('print.typ')}\n#show: edition\n{body}\n"


def write_pdf(document: Document, theme: Theme, site: Site, options: dict, target: Path) -> None:
    """Compile the edition with Typst and write the PDF to ``target``."""
    images = print_image_files(document)
    with tempfile.TemporaryDirectory(prefix="typst-root-") as root:  # only what the PDF shows, at print size
        for image in images.values():
            (Path(root) / image.name).write_bytes(image.data)
        request = {
            "source": typst_source(theme, typst_body(document, images)),
            "root": root,
            "edition": edition_data(document, theme, site, options.get("page_size", "A4"), images),
            "standards": STANDARDS.get(options.get("variant") or "", []),
            "timestamp": build_datetime(document.meta.date),
        }
        try:
            pdf = compile_typst(request)
        except ExportError as error:
            raise ExportError(error.message, document.source) from None
    target.write_bytes(pdf)
