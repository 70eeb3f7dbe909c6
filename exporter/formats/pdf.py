"""The print edition: paged PDF laid out by Typst (``print.typ``) or WeasyPrint (``print.html`` + ``print.css``).

What the theme's ``print.html`` + ``print.css`` give every edition: a cover page (the cover image or a
typographic title page), a contents page with page numbers, running headers (issue and section
title), "Página 3 de 12" footers in the edition's language, hyphenation by ``lang``, footnotes at
the foot of the page, clickable links, and bookmarks equal to the title plus the body's headings.
The PDF is tagged by default; ``variant`` asks the engine for PDF/UA-1 or PDF/A-3b. ``engine``
picks the layout engine (see ``exporter.formats.pdf_engine``); the Typst engine lives in
``exporter.formats.typst_pdf`` (run by ``typst_compile``) and gives the same page from the theme's ``print.typ``.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from markupsafe import Markup

from exporter import ast as pandoc_ast
from exporter.builddate import build_datetime
from exporter.config import Option
from exporter.document import Document
from exporter.errors import ExportError
from exporter.formats.assets import local_images
from exporter.formats.base import Exporter, missing_engine
from exporter.formats.headings import shift_headings
from exporter.formats.pdf_engine import ENGINES, choose_engine
from exporter.render import body_html, template_context
from exporter.themes import Theme

# pandoc numbers every line of a highlighted code block with an empty self-link; in a PDF these
# would be dozens of empty link annotations (and untagged links in PDF/UA), so they are dropped.
CODE_LINE_ANCHOR = re.compile(r'<a href="#cb\d+-\d+"[^>]*></a>')
VARIANTS = ("", "pdf/ua-1", "pdf/a-3b")
PRINT_IMAGES = "_print-images_"  # where the scaled photos seem to be, beside the source
# WeasyPrint sees the issue's folders under this fixed path (the fetcher maps it back), so no build folder reaches
# the PDF: image names inside it are hashes of their URLs.
ISSUE_ROOT = "/newsletter-issue/"


def issue_url(path: Path, document: Document) -> str:
    """The location-independent URL of a file of the edition's image folders, as WeasyPrint is given it."""
    return f"file://{ISSUE_ROOT}{path.resolve().relative_to(document.image_root).as_posix()}"


def note_inlines(blocks: list) -> list:
    """The inlines of a note's blocks, in order: paragraphs joined, code as code, lists item by item."""
    inlines: list = []

    def add(items: list) -> None:
        if inlines and items:
            inlines.append({"t": "Space"})
        inlines.extend(items)

    for block in blocks:
        kind, content = block["t"], block.get("c")
        if kind in ("Para", "Plain"):
            add(content)
        elif kind == "LineBlock":
            add([inline for line in content for inline in [*line, {"t": "LineBreak"}]][:-1])
        elif kind == "CodeBlock":
            add([{"t": "Code", "c": content}])
        elif kind in ("BulletList", "OrderedList"):
            for item in content if kind == "BulletList" else content[1]:
                add(note_inlines(item))
        elif kind in ("BlockQuote", "Div", "Figure"):
            add(note_inlines(content if kind == "BlockQuote" else content[-1]))
        else:
            text = pandoc_ast.stringify(block).strip()
            if text:
                add([{"t": "Str", "c": text}])
    return inlines


def notes_as_spans(ast: dict) -> dict:
    """Turn each pandoc Note into an inline ``span.footnote`` (WeasyPrint floats it to the page foot)."""

    def convert(node):
        if isinstance(node, list):
            return [convert(item) for item in node]
        if isinstance(node, dict):
            if node.get("t") == "Note":
                return {"t": "Span", "c": [["", ["footnote"], []], convert(note_inlines(node["c"]))]}
            return {key: convert(value) for key, value in node.items()}
        return node

    return convert(pandoc_ast.copied(ast))


def print_images(ast: dict, document: Document, scratch: Path | None = None) -> dict:
    """Local images by their path from the issue's folder (the static folder's too); big photos scaled to print
    resolution into ``scratch``. Relative paths, because the body's HTML sanitiser keeps no ``file:`` URL."""
    from exporter.document import resolve_local
    from exporter.formats.resize import PRINT_MAX_SIDE, scaled, variant_name
    from exporter.missing_images import is_local

    base = document.base_dir.resolve()
    for element in pandoc_ast.walk(ast["blocks"]):
        if element["t"] == "Image" and is_local(element["c"][2][0]):
            path = resolve_local(document.image_dirs, element["c"][2][0])
            if path is None or not path.is_file():
                continue
            smaller = scaled(path, PRINT_MAX_SIDE) if scratch is not None else None
            if smaller is None:
                element["c"][2][0] = Path(os.path.relpath(path, base)).as_posix()
                continue
            name = variant_name(hashlib.sha256(str(path).encode()).hexdigest()[:16] + path.suffix, smaller.width)
            (scratch / name).write_bytes(smaller.data)
            element["c"][2][0] = f"{PRINT_IMAGES}/{name}"  # a fixed URL (the fetcher maps it): the PDF stays reproducible
    return ast


def print_edition(document: Document, scratch: Path | None = None) -> Document:
    """The edition as the print template shows it: body headings from level 2 (the title is the h1), notes inline."""
    ast = print_images(notes_as_spans(shift_headings(document.ast, 2)), document, scratch)
    return document.with_translation(document.meta, ast)


def print_body(document: Document) -> str:
    """The print edition's body HTML, without pandoc's per-line code anchors."""
    return CODE_LINE_ANCHOR.sub("", body_html(document))


def engine_missing(engine: str) -> str | None:
    """Why a PDF engine cannot run here, or None."""
    if engine == "typst":
        return missing_engine({"typst": "typst"})
    return missing_engine({"weasyprint": "weasyprint"},
                          {"pango-1.0": "libpango-1.0-0", "harfbuzz-subset": "libharfbuzz-subset0"})


def pdf_identifier(document: Document) -> bytes:
    """The PDF's /ID: the same for every rebuild of one edition."""
    return hashlib.sha256(f"{document.meta.slug}/{document.meta.lang}".encode()).hexdigest()[:32].encode()


class PdfExporter(Exporter):
    """PDF from ``print.typ`` (Typst) or ``print.html`` + ``print.css`` (WeasyPrint), tagged, with real footnotes."""

    name = "pdf"
    suffix = ".pdf"
    theme_files = ("print.html", "print.css", "print.typ")
    engine_packages = ("weasyprint", "typst")
    options_schema = {
        "page_size": Option(str, "A4", "Page size: A4 or Letter.", choices=("A4", "Letter")),
        "variant": Option(str, "", "PDF variant: empty (tagged PDF), pdf/ua-1 or pdf/a-3b.", choices=VARIANTS),
        "engine": Option(str, "", "Layout engine: typst or weasyprint (empty: the theme's first, typst for the "
                         "default theme).", choices=("", *ENGINES)),
    }

    def unavailable(self) -> str | None:
        """The chosen engine is missing (with no engine chosen, both are): Typst needs its wheel, WeasyPrint
        its package, Pango and HarfBuzz (checked without importing them)."""
        reasons = {engine: engine_missing(engine) for engine in ENGINES}
        requested = self.options.get("engine")
        if requested:
            return reasons[requested]
        return None if None in reasons.values() else reasons["typst"]

    def render_html(self, document: Document, theme: Theme, scratch: Path | None = None) -> str:
        """The print HTML WeasyPrint lays out (the theme's ``print.html`` with ``print.css`` inlined)."""
        edition = print_edition(document, scratch)
        covers = dict(local_images(document))
        return theme.render(
            "print.html",
            css=Markup(theme.read("print.css")),
            page_size=self.options["page_size"],
            created=build_datetime(document.meta.date).strftime("%Y-%m-%dT%H:%M:%SZ"),
            cover=issue_url(covers[document.meta.cover], document) if document.meta.cover in covers else "",
            **template_context(edition, self.site, body=print_body(edition)),
        )

    def export(self, document: Document, theme: Theme, out_dir: Path) -> list[Path]:
        """Lay out the edition with the chosen engine and write the PDF."""
        engine = choose_engine(self.options.get("engine", ""), theme)
        if reason := engine_missing(engine):
            raise ExportError(f"the {engine} PDF engine cannot run: {reason}")
        if engine == "typst":
            from exporter.formats.typst_pdf import write_pdf

            target = out_dir / self.filename(document)
            write_pdf(document, theme, self.site, self.options, target)
            return [target]
        return self.export_weasyprint(document, theme, out_dir)

    def export_weasyprint(self, document: Document, theme: Theme, out_dir: Path) -> list[Path]:
        """Render the print HTML and write the PDF with WeasyPrint."""
        import weasyprint

        from exporter.fetcher import ConfinedFetcher

        with tempfile.TemporaryDirectory(prefix="print-images-") as folder:  # big photos at print resolution
            scratch = Path(folder).resolve()
            base_url = issue_url(document.base_dir, document).rstrip("/") + "/"
            mounts = {base_url.removeprefix("file://") + PRINT_IMAGES + "/": scratch, ISSUE_ROOT: document.image_root}
            fetcher = ConfinedFetcher([*document.image_dirs, *theme.dirs, scratch], mounts=mounts)
            target = out_dir / self.filename(document)
            options = {"pdf_tags": True, "pdf_identifier": pdf_identifier(document), "uncompressed_pdf": False}
            if self.options.get("variant"):
                options["pdf_variant"] = self.options["variant"]
            weasyprint.HTML(
                string=self.render_html(document, theme, scratch),
                base_url=base_url,
                url_fetcher=fetcher,
            ).write_pdf(target, **options)
        return [target]
